#include "ui/fonts.hpp"

#include <fcntl.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>

#include <imgui_internal.h> // ImTextCharFromUtf8

#include <bitset>
#include <cstdint>
#include <cstring>
#include <cstdlib>
#include <filesystem>
#include <map>
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

// ---- the glyph set -------------------------------------------------------------
// ImWchar is 16 bits in Debian's ImGui (no IMGUI_USE_WCHAR32): code points
// above U+FFFF cannot be baked and are skipped.
using CodeSet = std::bitset<0x10000>;
struct Glyphs {
  // Latin-1 and the other base ranges, or noted: both fonts bake every noted
  // code point (the Chinese UI's own glyphs are in the UI font only, so a
  // loaded text using them notes them too, for the mono font).
  CodeSet known;
  CodeSet wanted;  // noted by needGlyphs (kept across builds)
  bool pending = false;
  int builds = 0;
};
Glyphs& glyphs() {
  static Glyphs g = [] {
    Glyphs x;
    for (const ImWchar* r = kLatinRanges; r[0]; r += 2)
      for (unsigned c = r[0]; c <= r[1]; c++) x.known.set(c);
    for (unsigned c = 0; c < 0x20; c++) x.known.set(c); // control characters: nothing to draw
    return x;
  }();
  return g;
}

// Decodes UTF-8 as ImGui does (a bad sequence gives U+FFFD, one byte on).
template <class F> void forEachCodePoint(std::string_view s, F&& f) {
  const char* p = s.data();
  const char* end = p + s.size();
  while (p < end) {
    // ASCII runs 8 bytes at a time (a loaded script is mostly ASCII).
    while (end - p >= 8) {
      uint64_t w;
      std::memcpy(&w, p, 8);
      if (w & 0x8080808080808080ull) break;
      p += 8;
    }
    if (p == end) break;
    if (static_cast<unsigned char>(*p) < 0x80) {
      p++;
      continue;
    }
    unsigned int c = 0;
    const int n = ImTextCharFromUtf8(&c, p, end);
    p += n > 0 ? n : 1;
    f(c);
  }
}

void addSet(ImFontGlyphRangesBuilder& b, const CodeSet& s) {
  for (unsigned c = 0; c < 0x10000; c++)
    if (s.test(c)) b.AddChar(static_cast<ImWchar>(c));
}

// Latin ranges plus the noted code points (DejaVu has Greek, Cyrillic, many symbols).
const ImWchar* latinPlusWanted(ImVector<ImWchar>& out) {
  ImFontGlyphRangesBuilder b;
  for (const ImWchar* r = kLatinRanges; r[0]; r += 2)
    for (unsigned c = r[0]; c <= r[1]; c++) b.AddChar(static_cast<ImWchar>(c));
  addSet(b, glyphs().wanted);
  b.BuildRanges(&out);
  return out.Data;
}

// The CJK face's glyphs: the Chinese UI's (once, cached), the language names
// and the noted code points.
const std::string& chineseUiText() {
  static const std::string t = allStringsOf(Lang::Zh) + allEventTextZh() + "，。：；！？（）、“”…—";
  return t;
}
const ImWchar* cjkRanges(bool chineseUi, bool wantedOnly, ImVector<ImWchar>& out) {
  ImFontGlyphRangesBuilder b;
  if (!wantedOnly) {
    if (chineseUi) b.AddText(chineseUiText().c_str());
    for (Lang l : {Lang::En, Lang::Zh}) b.AddText(languageName(l));
  }
  addSet(b, glyphs().wanted);
  b.BuildRanges(&out);
  return out.Data;
}

// The CJK collection, mapped once per path for the life of the process: pages
// are read only as the glyphs in use are rasterised, instead of reading all
// 19 MB at every start (and every rebuild). The atlas is told it owns the
// data (or ImGui 1.86 copies all of it for every font it is merged into) and
// forgets it after the build (releaseMapped), so it never frees the mapping.
struct Mapped {
  void* data = nullptr;
  int size = 0;
};
Mapped mapCjk() {
  static std::map<std::string, Mapped> maps;
  const std::string path = cjkPath();
  if (auto it = maps.find(path); it != maps.end()) return it->second;
  Mapped m;
  const int fd = ::open(path.c_str(), O_RDONLY | O_CLOEXEC);
  struct stat st {};
  if (fd >= 0 && ::fstat(fd, &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 && st.st_size < (1 << 30)) {
    void* p = ::mmap(nullptr, static_cast<std::size_t>(st.st_size), PROT_READ | PROT_WRITE, MAP_PRIVATE, fd, 0);
    if (p != MAP_FAILED) {
      m.data = p;
      m.size = static_cast<int>(st.st_size);
    }
  }
  if (fd >= 0) ::close(fd);
  if (m.data) maps[path] = m; // a missing file is looked for again next time
  return m;
}
void releaseMapped(void* data) {
  ImVector<ImFontConfig>& cfgs = ImGui::GetIO().Fonts->ConfigData;
  for (ImFontConfig& c : cfgs)
    if (c.FontData == data) {
      c.FontData = nullptr;
      c.FontDataSize = 0;
      c.FontDataOwnedByAtlas = false;
    }
}
} // namespace

const char* cjkFontPath() { return cjkPath(); }

bool needGlyphs(std::string_view text) {
  Glyphs& g = glyphs();
  bool added = false;
  forEachCodePoint(text, [&](unsigned c) {
    if (c >= 0x10000 || g.known.test(c)) return;
    g.known.set(c);
    g.wanted.set(c);
    added = true;
  });
  if (added) g.pending = true;
  return added;
}

bool glyphsPending() { return glyphs().pending; }
int fontBuilds() { return glyphs().builds; }

FontSet buildFonts(float scale, bool chinese) {
  ImGuiIO& io = ImGui::GetIO();
  io.Fonts->Clear();
#ifdef GOMAPLAB_FREETYPE
  io.Fonts->FontBuilderIO = ImGuiFreeType::GetBuilderForFreeType();
  io.Fonts->FontBuilderFlags = ImGuiFreeTypeBuilderFlags_LightHinting;
#endif
  Glyphs& g = glyphs();
  g.pending = false;
  g.builds++;
  FontSet fs;
  fs.scale = scale;
  const char* sans = firstExisting(kSans, std::size(kSans));
  const char* mono = firstExisting(kMono, std::size(kMono));
  // Merged in both languages: the Language menu names 简体中文 in its own
  // script, and loaded text may be Chinese whatever the UI's language.
  const Mapped cjk = mapCjk();
  if (chinese && !cjk.data) fs.note = std::string(cjkPath()) + " not found";
  // Range lists must live until Build().
  ImVector<ImWchar> latin, cjkUi, cjkMono;
  const ImWchar* latinRanges = latinPlusWanted(latin);
  const ImWchar* uiCjk = cjkRanges(chinese, false, cjkUi);
  const bool anyWanted = g.wanted.any();
  const ImWchar* monoCjk = anyWanted ? cjkRanges(chinese, true, cjkMono) : nullptr;
  auto add = [&](const char* file, float px, const ImWchar* cjkSet) -> ImFont* {
    ImFont* f;
    if (file) {
      ImFontConfig cfg;
      cfg.OversampleH = px < 18.0f ? 2 : 1;
      cfg.OversampleV = 1;
      f = io.Fonts->AddFontFromFileTTF(file, px, &cfg, latinRanges);
    } else {
      ImFontConfig cfg;
      cfg.SizePixels = px;
      f = io.Fonts->AddFontDefault(&cfg);
    }
    if (cjk.data && f && cjkSet) {
      ImFontConfig m;
      m.MergeMode = true;
      m.FontDataOwnedByAtlas = true; // not really: see releaseMapped
      m.FontNo = kCjkFaceSC;
      m.OversampleH = 1;
      m.OversampleV = 1;
      m.PixelSnapH = true;
      // Noto CJK's ideographs look small next to DejaVu at the same size.
      m.GlyphOffset = ImVec2(0, -0.05f * px);
      io.Fonts->AddFontFromMemoryTTF(cjk.data, cjk.size, px * 1.12f, &m, cjkSet);
    }
    return f;
  };
  // The Chinese UI's own text is drawn with the UI font only (views keep it
  // out of the mono font); loaded text may reach the mono font too.
  fs.ui = add(sans, 16.0f * scale, uiCjk);
  fs.mono = add(mono, 15.0f * scale, monoCjk);
  fs.cjk = cjk.data != nullptr;
  io.Fonts->Build();
  if (cjk.data) releaseMapped(cjk.data);
  io.FontDefault = fs.ui;
  return fs;
}

} // namespace gomap::ui
