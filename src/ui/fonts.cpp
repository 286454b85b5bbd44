#include "ui/fonts.hpp"

#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <vector>

#include "ui/strings.hpp"

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

// Latin, punctuation, arrows, math and box/geometric shapes used by the views.
const ImWchar kLatinRanges[] = {0x0020, 0x00FF, 0x0100, 0x017F, 0x2010, 0x205E, 0x2190, 0x21FF,
                                0x2200, 0x22FF, 0x2300, 0x23FF, 0x2500, 0x25FF, 0};

struct CjkData {
  bool tried = false;
  std::vector<char> bytes;
  ImVector<ImWchar> ranges;
};
CjkData& cjkData() {
  static CjkData d;
  static std::string triedPath;
  if (d.tried && triedPath == cjkPath()) return d;
  d = CjkData{};
  d.tried = true;
  triedPath = cjkPath();
  std::error_code ec;
  if (!std::filesystem::is_regular_file(triedPath, ec)) return d;
  std::ifstream f(triedPath, std::ios::binary);
  if (!f) return d;
  f.seekg(0, std::ios::end);
  auto n = f.tellg();
  if (n <= 0) return d;
  d.bytes.resize(static_cast<std::size_t>(n));
  f.seekg(0);
  f.read(d.bytes.data(), n);
  if (!f) {
    d.bytes.clear();
    return d;
  }
  ImFontGlyphRangesBuilder b;
  b.AddText(allStringsOf(Lang::Zh).c_str());
  b.AddText("，。：；！？（）、“”…—");
  b.BuildRanges(&d.ranges);
  return d;
}
} // namespace

const char* cjkFontPath() { return cjkPath(); }

FontSet buildFonts(float scale, bool chinese) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
  FontSet fs;
  fs.scale = scale;
  const char* sans = firstExisting(kSans, std::size(kSans));
  const char* mono = firstExisting(kMono, std::size(kMono));
  CjkData* cjk = nullptr;
  if (chinese) {
    CjkData& d = cjkData();
    if (!d.bytes.empty()) cjk = &d;
    else fs.note = std::string(cjkPath()) + " not found";
  }
  auto add = [&](const char* file, float px) -> ImFont* {
    ImFont* f;
    if (file) {
      ImFontConfig cfg;
      cfg.OversampleH = 2;
      cfg.OversampleV = 1;
      f = io.Fonts->AddFontFromFileTTF(file, px, &cfg, kLatinRanges);
    } else {
      ImFontConfig cfg;
      cfg.SizePixels = px;
      f = io.Fonts->AddFontDefault(&cfg);
    }
    if (cjk && f) {
      ImFontConfig m;
      m.MergeMode = true;
      m.FontDataOwnedByAtlas = false;
      m.FontNo = kCjkFaceSC;
      m.OversampleH = 1;
      m.OversampleV = 1;
      m.PixelSnapH = true;
      // Noto CJK's ideographs look small next to DejaVu at the same size.
      m.GlyphOffset = ImVec2(0, -0.05f * px);
      io.Fonts->AddFontFromMemoryTTF(cjk->bytes.data(), static_cast<int>(cjk->bytes.size()), px * 1.12f, &m,
                                     cjk->ranges.Data);
    }
    return f;
  };
  fs.ui = add(sans, 16.0f * scale);
  fs.mono = add(mono, 15.0f * scale);
  fs.large = add(mono, 20.0f * scale);
  fs.cjk = cjk != nullptr;
  io.Fonts->Build();
  io.FontDefault = fs.ui;
  return fs;
}

} // namespace gomap::ui
