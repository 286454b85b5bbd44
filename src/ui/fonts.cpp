#include "ui/fonts.hpp"

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "ui/event_text.hpp"
#include "ui/strings.hpp"

#ifdef GOMAPLAB_FREETYPE
#include <imgui_freetype.h>
#endif

namespace gomap::ui {

namespace {
const char* kSans[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"};
const char* kMono[] = {"/usr/share/fonts/truetype/dejavu/DejaVuSansMono.ttf"};
const char* kCjkDefault = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc";
// GOMAPLAB_CJK_FONT overrides the path (tests use it to check the fallback).
const char* cjkPath() {
  const char* e = std::getenv("GOMAPLAB_CJK_FONT");
  return e && *e ? e : kCjkDefault;
}
constexpr int kCjkFaceSC = 2;

const char* firstExisting(const char* const* list, std::size_t n) {
  std::error_code ec;
  for (std::size_t i = 0; i < n; i++)
    if (std::filesystem::is_regular_file(list[i], ec)) return list[i];
  return nullptr;
}

// Latin-1, dashes and quotes, the arrows and the empty-set sign the views
// use. Few glyphs: the atlas is built at every start (and font size change).
const ImWchar kLatinRanges[] = {0x0020, 0x00FF, 0x2010, 0x2030, 0x2190, 0x2193, 0x2205, 0x2205, 0};

// The glyphs the Chinese strings use (built once).
const ImWchar* cjkRanges() {
  static ImVector<ImWchar> ranges;
  if (ranges.empty()) {
    ImFontGlyphRangesBuilder b;
    b.AddText(allStringsOf(Lang::Zh).c_str());
    b.AddText(allEventTextZh().c_str());
    b.AddText("，。：；！？（）、“”…—");
    b.BuildRanges(&ranges);
  }
  return ranges.Data;
}

// The whole .ttc in memory from ImGui's allocator: the atlas takes ownership
// (ImGui 1.86 would otherwise copy all 19 MB for every font it is merged into).
void* readCjk(int& size) {
  size = 0;
  std::error_code ec;
  const std::string path = cjkPath();
  if (!std::filesystem::is_regular_file(path, ec)) return nullptr;
  std::FILE* f = std::fopen(path.c_str(), "rb");
  if (!f) return nullptr;
  std::fseek(f, 0, SEEK_END);
  long n = std::ftell(f);
  std::fseek(f, 0, SEEK_SET);
  void* data = n > 0 ? IM_ALLOC(static_cast<std::size_t>(n)) : nullptr;
  if (data && std::fread(data, 1, static_cast<std::size_t>(n), f) != static_cast<std::size_t>(n)) {
    IM_FREE(data);
    data = nullptr;
  }
  std::fclose(f);
  if (data) size = static_cast<int>(n);
  return data;
}
} // namespace

const char* cjkFontPath() { return cjkPath(); }

FontSet buildFonts(float scale, bool chinese) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
#ifdef GOMAPLAB_FREETYPE
  io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  io.Fonts->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
#endif
  FontSet fs;
  fs.scale = scale;
  const char* sans = firstExisting(kSans, std::size(kSans));
  const char* mono = firstExisting(kMono, std::size(kMono));
  int cjkSize = 0;
  void* cjk = chinese ? readCjk(cjkSize) : nullptr;
  if (chinese && !cjk) fs.note = std::string(cjkPath()) + " not found";
  auto add = [&](const char* file, float px, bool withCjk) -> ImFont* {
    ImFont* f;
    if (file) {
      ImFontConfig cfg;
      cfg.OversampleH = px < 18.0f ? 2 : 1;
      cfg.OversampleV = 1;
      f = io.Fonts->AddFontFromFileTTF(file, px, &cfg, kLatinRanges);
    } else {
      ImFontConfig cfg;
      cfg.SizePixels = px;
      f = io.Fonts->AddFontDefault(&cfg);
    }
    if (cjk && f && withCjk) {
      ImFontConfig m;
      m.MergeMode = true;
      m.FontDataOwnedByAtlas = true;
      m.FontNo = kCjkFaceSC;
      m.OversampleH = 1;
      m.OversampleV = 1;
      m.PixelSnapH = true;
      // Noto CJK's ideographs look small next to DejaVu at the same size.
      m.GlyphOffset = ImVec2(0, -0.05f * px);
      io.Fonts->AddFontFromMemoryTTF(cjk, cjkSize, px * 1.12f, &m, cjkRanges());
    }
    return f;
  };
  // Chinese text is drawn with the UI font only (views keep it out of the mono font).
  fs.ui = add(sans, 16.0f * scale, true);
  fs.mono = add(mono, 15.0f * scale, false);
  fs.cjk = cjk != nullptr;
  io.Fonts->Build();
  io.FontDefault = fs.ui;
  return fs;
}

} // namespace gomap::ui
