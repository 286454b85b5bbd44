// Fonts: DejaVu Sans / Sans Mono from fonts-dejavu-core when present (else
// ImGui's built-in font), with Noto Sans CJK SC merged in for Simplified
// Chinese (fonts-noto-cjk: NotoSansCJK-Regular.ttc, face 2). Only the CJK
// glyphs the string table uses are baked, which keeps start-up fast. A
// missing file is checked before ImGui sees it (AddFontFromFileTTF asserts).
#pragma once
#include <imgui.h>

#include <string>

namespace gomap::ui {

struct FontSet {
  ImFont* ui = nullptr;
  ImFont* mono = nullptr;
  bool cjk = false;        // Chinese glyphs available
  std::string note;        // why not, when Chinese was asked for
  float scale = 1.0f;
};

// Rebuilds io.Fonts for this scale. The caller re-creates the GL font texture.
FontSet buildFonts(float scale, bool chinese);
// Where the CJK font is expected.
const char* cjkFontPath();

} // namespace gomap::ui
