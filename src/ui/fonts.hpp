// Fonts: DejaVu Sans / Sans Mono from fonts-dejavu-core when present (else
// ImGui's built-in font), with Noto Sans CJK SC merged in (fonts-noto-cjk:
// NotoSansCJK-Regular.ttc, face 2). Only the glyphs that can be shown are
// baked, which keeps start-up fast: the Chinese UI's strings and event texts
// (Chinese mode), the language names (both modes), and every code point of
// the text the program has loaded or been typed (needGlyphs): when text with
// code points the atlas lacks appears, the runtime rebuilds the atlas before
// the next frame. A missing file is checked before ImGui sees it
// (AddFontFromFileTTF asserts).
#pragma once
#include <imgui.h>

#include <string>
#include <string_view>

namespace gomap::ui {

struct FontSet {
  ImFont* ui = nullptr;
  ImFont* mono = nullptr;
  bool cjk = false;        // Chinese glyphs available (the CJK face is merged)
  std::string note;        // why not, when Chinese was asked for
  float scale = 1.0f;
};

// Rebuilds io.Fonts for this scale. The caller re-creates the GL font texture.
FontSet buildFonts(float scale, bool chinese);
// Where the CJK font is expected.
const char* cjkFontPath();

// Text that is (or soon will be) on screen: loaded files, scenario titles and
// narration, typed fields, file names, messages. Code points the atlas lacks
// are noted for the next build. Cheap when nothing is new (one pass over the
// bytes, a bit test per non-ASCII code point). Returns true if anything was new.
bool needGlyphs(std::string_view text);
// Code points noted since the atlas was last built: GuiRuntime rebuilds the
// fonts (and the GL texture) before the next frame.
bool glyphsPending();
// How many times the atlas has been built in this process (tests).
int fontBuilds();

} // namespace gomap::ui
