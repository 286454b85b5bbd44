#include "ui/file_browser.hpp"

#include <GLFW/glfw3.h>
#include <fmt/format.h>
#include <signal.h>
#include <unistd.h>

#include <cerrno>

#include <algorithm>
#include <cctype>
#include <cstdlib>
#include <cstring>
#include <filesystem>
#include <fstream>

#include <imgui_internal.h> // ClosePopupToLevel: the close button cancels an open dialog

#include "trace/asset_paths.hpp"
#include "ui/fonts.hpp"
#include "ui/prefs.hpp"
#include "ui/workspace.hpp"

namespace gomap::ui {

namespace fs = std::filesystem;

namespace {
std::string trim(std::string_view s) {
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.front()))) s.remove_prefix(1);
  while (!s.empty() && std::isspace(static_cast<unsigned char>(s.back()))) s.remove_suffix(1);
  return std::string(s);
}

// Lessons sort by their number ("2-..." before "10-...").
bool naturalLess(const std::string& a, const std::string& b) {
  auto num = [](const std::string& s) {
    long n = 0;
    std::size_t i = 0;
    while (i < s.size() && std::isdigit(static_cast<unsigned char>(s[i]))) n = n * 10 + (s[i++] - '0');
    return std::make_pair(i > 0 ? n : -1L, s.substr(i));
  };
  auto x = num(a), y = num(b);
  if (x.first != y.first) return x.first < y.first;
  return x.second < y.second;
}

bool hasExt(const std::string& p, const char* ext) {
  const std::size_t n = std::strlen(ext);
  return p.size() >= n && p.compare(p.size() - n, n, ext) == 0;
}

// Whether Save may write path in place: an existing file we can write, or a new
// file in a directory we can write.
bool writable(const std::string& path) {
  std::error_code ec;
  if (fs::exists(path, ec)) return ::access(path.c_str(), W_OK) == 0;
  fs::path dir = fs::path(path).parent_path();
  if (dir.empty()) dir = ".";
  return ::access(dir.c_str(), W_OK) == 0;
}

void buttonRow() { ImGui::Spacing(); }
} // namespace

std::string userDataDir() {
  std::string d = xdgDir("XDG_DATA_HOME", ".local/share");
  if (d.empty()) {
    std::error_code ec;
    d = fs::current_path(ec).string();
  }
  return d;
}

std::string userStateDir() { return xdgDir("XDG_STATE_HOME", ".local/state"); }

std::string autosaveFile() {
  std::string d = userStateDir();
  return d.empty() ? std::string() : d + "/autosave.ops";
}

namespace {
std::string commOf(long pid) {
  std::ifstream f(pid > 0 ? fmt::format("/proc/{}/comm", pid) : std::string("/proc/self/comm"));
  std::string c;
  std::getline(f, c);
  return c;
}
} // namespace

bool autosaveOwnedByAnother(const std::string& autosave) {
  std::ifstream f(autosave + ".pid");
  long pid = 0;
  if (!(f >> pid) || pid <= 0 || pid == static_cast<long>(::getpid())) return false;
  // Alive, and a gomaplab (a pid reused by another program after a crash does not count).
  if (::kill(static_cast<pid_t>(pid), 0) != 0 && errno != EPERM) return false;
  const std::string them = commOf(pid);
  return !them.empty() && them == commOf(0);
}

bool claimAutosave(const std::string& autosave) {
  const std::string file = autosave + ".pid", tmp = file + ".tmp";
  {
    std::ofstream f(tmp, std::ios::trunc);
    if (!(f << ::getpid() << "\n") || !f.flush()) return false;
  }
  return std::rename(tmp.c_str(), file.c_str()) == 0;
}

void releaseAutosave(const std::string& autosave) {
  std::ifstream f(autosave + ".pid");
  long pid = 0;
  if (f >> pid && pid == static_cast<long>(::getpid())) std::remove((autosave + ".pid").c_str());
}

std::string fileTitle(const std::string& path, Lang lang) {
  std::ifstream f(path, std::ios::binary);
  std::string line, title[2], comment;
  for (int n = 0; n < 80 && std::getline(f, line); n++) {
    std::string t = trim(line);
    if (t.rfind("title ", 0) == 0) {
      std::string rest = trim(std::string_view(t).substr(6));
      auto text = [&] {
        std::string t2 = trim(std::string_view(rest).substr(3));
        if (t2.size() >= 2 && t2.front() == '"' && t2.back() == '"') t2 = t2.substr(1, t2.size() - 2);
        return t2;
      };
      if (rest.rfind("en ", 0) == 0 && title[0].empty()) title[0] = text();
      else if (rest.rfind("zh ", 0) == 0 && title[1].empty()) title[1] = text();
    } else if (comment.empty() && !t.empty() && t[0] == '#') {
      comment = trim(std::string_view(t).substr(t.find_first_not_of('#')));
      if (comment.size() > 90) comment = comment.substr(0, 87) + "...";
    }
  }
  const int l = lang == Lang::Zh ? 1 : 0;
  if (!title[l].empty()) return title[l];
  if (!title[0].empty()) return title[0];
  if (!comment.empty()) return comment;
  return fs::path(path).filename().string();
}

ImVec2 FileUi::centre(const std::string& name) const {
  auto it = rects.find(name);
  if (it == rects.end()) return ImVec2(-1, -1);
  return ImVec2((it->second.first.x + it->second.second.x) * 0.5f, (it->second.first.y + it->second.second.y) * 0.5f);
}

void FileUi::rect(const std::string& name) { rects[name] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()}; }

void FileUi::show(Modal m) {
  modal_ = m;
  openPending_ = true;
}

void FileUi::close() {
  ImGui::CloseCurrentPopup();
  modal_ = Modal::None;
}

// ---- actions -----------------------------------------------------------------------------

void FileUi::ask(Workspace& ws, std::function<void(Workspace&)> then) {
  if (!ws.appState().hasSession() || !ws.appState().dirty()) {
    then(ws);
    return;
  }
  then_ = std::move(then);
  show(Modal::Ask);
}

void FileUi::newMapDialog(Workspace&) {
  newMapError.clear();
  show(Modal::NewMap);
}

void FileUi::newMap(Workspace& ws, const NewMapParams& p) {
  ask(ws, [p](Workspace& w) {
    if (w.appState().newMap(p)) w.raceController().active = false;
  });
}

void FileUi::setDir(const std::string& d) {
  std::error_code ec;
  fs::path p = fs::weakly_canonical(fs::absolute(d, ec), ec);
  dir = p.string();
  scanned_ = false;
  selected_.clear();
  std::snprintf(pathField, sizeof pathField, "%s", (p / "").string().c_str());
  pathUntouched_ = true;
  needGlyphs(dir);
}

void FileUi::openDialog(Workspace& ws, bool bundled) {
  saveMode = false;
  sideBySide = false;
  browserError_.clear();
  saveNote_.clear();
  const std::string& cur = ws.appState().scriptPath();
  std::error_code ec;
  if (dir.empty() || !fs::is_directory(dir, ec)) {
    dir = !cur.empty() && !isBundledPath(cur) ? fs::absolute(fs::path(cur), ec).parent_path().string()
                                              : fs::current_path(ec).string();
  }
  setDir(dir);
  selectBundled_ = true;
  bundledTab_ = bundled;
  focusField_ = !bundled;
  // Scanned (and their glyphs asked for) before the dialog's first frame: a scan
  // during that frame left the list's columns a character wide until the mouse moved.
  if (!bundledScanned_) scanBundled();
  show(Modal::Browser);
}

void FileUi::openNow(Workspace& ws, const std::string& path) {
  AppState& app = ws.appState();
  if (isRaceScenarioPath(path)) {
    RaceController& race = ws.raceController();
    if (!race.open(path)) {
      app.setError(race.error());
      return;
    }
    if (!app.hasSession()) app.newMap(NewMapParams{});
    addRecent(ws, path);
    return;
  }
  if (app.openScript(path)) {
    ws.raceController().active = false;
    addRecent(ws, path);
  }
}

void FileUi::openPath(Workspace& ws, const std::string& path) {
  // A race opens beside the op-script session (File > Show the op-script
  // session goes back to it): nothing is discarded, nothing to ask.
  if (isRaceScenarioPath(path)) {
    openNow(ws, path);
    return;
  }
  ask(ws, [this, path](Workspace& w) { openNow(w, path); });
}

void FileUi::openSideBySide(Workspace& ws, const std::string& path) {
  std::string err;
  auto p = ws.sideBySide.prepare(path, swiss::Version::Go127, err);
  if (!p) {
    ws.appState().setError(fmt::format(fmt::runtime(tr(S::SbsCannotOpen)), err));
    return;
  }
  ask(ws, [this, p, path](Workspace& w) {
    if (w.sideBySide.install(p)) {
      w.raceController().active = false;
      addRecent(w, path);
    }
  });
}

void FileUi::addRecent(Workspace& ws, const std::string& path) {
  std::error_code ec;
  std::string p = fs::absolute(path, ec).lexically_normal().string();
  auto& r = ws.context().prefs.recent;
  r.erase(std::remove(r.begin(), r.end(), p), r.end());
  r.insert(r.begin(), p);
  if (r.size() > 10) r.resize(10);
}

void FileUi::saveTo(Workspace& ws, const std::string& path) {
  if (ws.appState().saveScript(path)) addRecent(ws, path);
}

void FileUi::save(Workspace& ws) {
  saveThen(ws, {});
}

void FileUi::saveThen(Workspace& ws, std::function<void(Workspace&)> then) {
  AppState& app = ws.appState();
  if (!app.hasSession()) return;
  const std::string& path = app.scriptPath();
  if (path.empty() || isBundledPath(path) || !writable(path)) {
    saveAsThen(ws, std::move(then));
    return;
  }
  saveTo(ws, path);
  if (!app.dirty() && then) then(ws);
}

void FileUi::saveAs(Workspace& ws) { saveAsThen(ws, {}); }

void FileUi::saveAsThen(Workspace& ws, std::function<void(Workspace&)> then) {
  AppState& app = ws.appState();
  if (!app.hasSession()) return;
  afterSave_ = std::move(then);
  saveMode = true;
  browserError_.clear();
  bundledTab_ = false;
  selectBundled_ = true;
  focusField_ = true;
  nameUntouched_ = true;
  const std::string& cur = app.scriptPath();
  std::error_code ec;
  std::string name = cur.empty() ? std::string("untitled.ops") : fs::path(cur).filename().string();
  if (!cur.empty() && !isBundledPath(cur) && writable(cur)) {
    saveNote_.clear();
    setDir(fs::absolute(fs::path(cur), ec).parent_path().string());
  } else {
    saveNote_ = cur.empty() ? std::string() : fmt::format(fmt::runtime(tr(isBundledPath(cur) ? S::FileBundledNote : S::FileReadOnlyNote)), cur);
    setDir(userDataDir());
  }
  std::snprintf(nameField, sizeof nameField, "%s", name.c_str());
  show(Modal::Browser);
}

void FileUi::requestQuit(Workspace& ws) {
  ask(ws, [this](Workspace& w) {
    // The user answered (or there was nothing to lose): a clean quit leaves no autosave.
    AppState& app = w.appState();
    if (app.dirty() && !app.autosavePath().empty()) {
      const std::string file = app.autosavePath();
      app.setAutosavePath(std::string());
      std::remove(file.c_str());
    }
    quitNow = true;
  });
}

void FileUi::answerRestore(bool restore) { autoAnswer_ = restore ? 1 : 2; }

void FileUi::doRestore(Workspace& ws, bool restore) {
  AppState& app = ws.appState();
  if (restore) {
    if (app.restoreAutosave(restoreFile_)) ws.raceController().active = false;
  } else {
    std::remove(restoreFile_.c_str());
  }
  app.setAutosavePath(restoreFile_);
}

void FileUi::offerRestore(const std::string& file) {
  restoreFile_ = file;
  restoreOrigin_ = AppState::autosaveOrigin(file);
  needGlyphs(restoreOrigin_);
  needGlyphs(file);
  show(Modal::Restore);
}

// ---- the menu ----------------------------------------------------------------------------------

void FileUi::menu(Workspace& ws) {
  AppState& app = ws.appState();
  RaceController& race = ws.raceController();
  const bool raceShown = ws.raceMode();
  if (ImGui::MenuItem(tr(S::FileNewMap), "Ctrl+N")) newMapDialog(ws);
  rect("menu.new");
  if (ImGui::MenuItem(tr(S::FileOpen), "Ctrl+O")) openDialog(ws, false);
  rect("menu.open");
  auto& recent = ws.context().prefs.recent;
  const ImVec2 at = ImGui::GetCursorScreenPos();
  const bool recentOpen = ImGui::BeginMenu(tr(S::FileOpenRecent), !recent.empty());
  rects["menu.recent"] = {at, ImVec2(at.x + ImGui::CalcTextSize(tr(S::FileOpenRecent)).x, at.y + ImGui::GetTextLineHeight())};
  if (recentOpen) {
    for (const std::string& r : recent) needGlyphs(r);
    std::string pick;
    for (std::size_t i = 0; i < recent.size(); i++) {
      std::error_code ec;
      const bool there = fs::exists(recent[i], ec);
      // A file that is gone stays listed, greyed, until the list is cleared.
      if (ImGui::MenuItem(fmt::format("{}##recent{}", recent[i], i).c_str(), nullptr, false, there)) pick = recent[i];
      rect(fmt::format("menu.recent.{}", i));
    }
    ImGui::Separator();
    if (ImGui::MenuItem(tr(S::FileClearRecent))) recent.clear();
    ImGui::EndMenu();
    // Opened in draw(), after the panels: this frame's views still hold the current session.
    if (!pick.empty()) deferredOpen_ = pick;
  }
  // One classic script on the classic and the Swiss map, both drawn (ui/side_by_side.hpp).
  const bool sbsOpen = ImGui::MenuItem(tr(S::SbsMenuOpen));
  rect("menu.sidebyside");
  if (sbsOpen) {
    openDialog(ws, false);
    sideBySide = true;
  }
  if (ws.sideBySideMode() && ImGui::MenuItem(tr(S::SbsMenuLeave))) ws.sideBySide.leave();
  ImGui::Separator();
  if (ImGui::MenuItem(tr(S::Save), "Ctrl+S", false, app.hasSession() && !raceShown)) save(ws);
  rect("menu.save");
  if (ImGui::MenuItem(tr(S::FileSaveAs), "Ctrl+Shift+S", false, app.hasSession() && !raceShown)) saveAs(ws);
  rect("menu.saveas");
  ImGui::Separator();
  if (ImGui::MenuItem(tr(S::FileLessons))) openDialog(ws, true);
  rect("menu.lessons");
  ImGui::Separator();
  // With a race loaded: switch between it and the op-script session.
  if (race.loaded()) {
    if (ImGui::MenuItem(tr(S::MenuShowRace), nullptr, race.active)) race.active = true;
    if (ImGui::MenuItem(tr(S::MenuShowScript), nullptr, !race.active)) race.active = false;
    ImGui::Separator();
  }
  if (ImGui::MenuItem(tr(S::MenuQuit), "Ctrl+Q")) requestQuit(ws);
  rect("menu.quit");
}

// ---- once a frame ---------------------------------------------------------------------------------

void FileUi::keyTap(int glfwKey, bool shift) {
  if (shortcutTaps_.size() < 16) shortcutTaps_.push_back(ShortcutTap{glfwKey, shift});
}

void FileUi::draw(Workspace& ws) {
  AppState& app = ws.appState();
  const ImGuiIO& io = ImGui::GetIO();
  if (modal_ == Modal::None) {
    // Shortcuts (Ctrl+letter: text fields take no Ctrl+N/O/S/Q, so they act there too).
    // GLFW's key events (keyTap) first: a press and release between two frames
    // leaves no trace in io.KeysDown. Without them (tests feeding io.KeysDown), ImGui's state.
    int key = 0;
    bool shift = io.KeyShift;
    if (!shortcutTaps_.empty()) {
      key = shortcutTaps_.front().key;
      shift = shortcutTaps_.front().shift;
    } else if (io.KeyCtrl) {
      for (int k : {GLFW_KEY_N, GLFW_KEY_O, GLFW_KEY_S})
        if (ImGui::IsKeyPressed(k, false)) {
          key = k;
          break;
        }
    }
    if (key == GLFW_KEY_N) newMapDialog(ws);
    else if (key == GLFW_KEY_O) openDialog(ws, false);
    else if (key == GLFW_KEY_S && !ws.raceMode()) shift ? saveAs(ws) : save(ws);
    // The controls panel's file buttons.
    ControlsView::FileRequest req = std::move(ws.controls.request);
    ws.controls.request = {};
    using K = ControlsView::FileRequest::Kind;
    switch (req.kind) {
    case K::None: break;
    case K::NewMapDialog: newMapDialog(ws); break;
    case K::NewMap: newMap(ws, req.params); break;
    case K::OpenDialog: openDialog(ws, false); break;
    case K::OpenPath: openPath(ws, req.path); break;
    case K::Save: save(ws); break;
    case K::SaveAs: saveAs(ws); break;
    }
  }
  shortcutTaps_.clear(); // one shortcut a frame; the rest would land on its dialog
  if (!deferredOpen_.empty()) {
    std::string p = std::move(deferredOpen_);
    deferredOpen_.clear();
    openPath(ws, p);
  }
  if (modal_ == Modal::None && !dropped.empty()) {
    std::string p = dropped.front();
    dropped.erase(dropped.begin());
    openPath(ws, p);
  }
  // Ctrl+Q and the window's close button.
  if (ws.quitRequested || closeRequested) {
    ws.quitRequested = false;
    closeRequested = false;
    if (modal_ == Modal::Restore) {
      quitNow = true; // not answered: the autosave stays for the next start
    } else if (modal_ != Modal::Ask) {
      // A dialog in the way (New map, the browser, Replace?) is cancelled; then the question.
      if (modal_ != Modal::None) {
        if (GImGui->OpenPopupStack.Size > 0) ImGui::ClosePopupToLevel(0, true);
        modal_ = Modal::None;
        openPending_ = false;
        afterSave_ = {};
      }
      requestQuit(ws);
    }
  }
  // Autosave only once a restore question is answered (or there was none).
  (void)app;

  if (modal_ == Modal::None) return;
  static const char* kIds[] = {"", "###files_newmap", "###files_browser", "###files_ask", "###files_restore", "###files_replace"};
  static const S kTitles[] = {S::FileNewMap, S::FileNewMap, S::FileOpen, S::FileAskTitle, S::FileRestoreTitle, S::FileReplaceTitle};
  const int m = static_cast<int>(modal_);
  S title = kTitles[m];
  if (modal_ == Modal::Browser && saveMode) title = S::FileSaveAs;
  else if (modal_ == Modal::Browser && bundledTab_) title = S::FileLessons;
  else if (modal_ == Modal::Browser && sideBySide) title = S::SbsMenuOpen;
  const std::string label = fmt::format("{}{}", tr(title), kIds[m]);
  if (openPending_) {
    ImGui::OpenPopup(label.c_str());
    openPending_ = false;
  }
  const ImVec2 ds = io.DisplaySize;
  ImGui::SetNextWindowPos(ImVec2(ds.x * 0.5f, ds.y * 0.5f), ImGuiCond_Always, ImVec2(0.5f, 0.5f));
  const float fs = ImGui::GetFontSize();
  if (modal_ == Modal::Browser)
    ImGui::SetNextWindowSize(ImVec2(std::min(ds.x * 0.92f, fs * 56), std::min(ds.y * 0.88f, fs * 34)), ImGuiCond_Always);
  if (!ImGui::BeginPopupModal(label.c_str(), nullptr,
                              modal_ == Modal::Browser ? ImGuiWindowFlags_NoResize : ImGuiWindowFlags_AlwaysAutoResize)) {
    modal_ = Modal::None;
    return;
  }
  switch (modal_) {
  case Modal::NewMap: drawNewMap(ws); break;
  case Modal::Browser: drawBrowser(ws); break;
  case Modal::Ask: drawAsk(ws); break;
  case Modal::Restore: drawRestore(ws); break;
  case Modal::Replace: drawReplace(ws); break;
  case Modal::None: break;
  }
  ImGui::EndPopup();
}

// ---- New map -------------------------------------------------------------------------------------------

void FileUi::drawNewMap(Workspace& ws) {
  static const char* kKinds[] = {"int64", "int32", "string", "float64"};
  static const KeyKind kKindValues[] = {KeyKind::Int64, KeyKind::Int32, KeyKind::String, KeyKind::Float64};
  const float fs = ImGui::GetFontSize();
  ImGui::TextUnformatted(tr(S::FileNewMapHelp));
  ImGui::Spacing();
  ImGui::TextUnformatted(tr(S::KeyKind));
  for (int i = 0; i < 4; i++) {
    ImGui::SameLine();
    ImGui::RadioButton(fmt::format("{}##nmkind", kKinds[i]).c_str(), &kind, i);
    rect(fmt::format("newmap.kind.{}", kKinds[i]));
  }
  ImGui::SetNextItemWidth(fs * 8);
  ImGui::InputText(fmt::format("{}##nmhint", tr(S::SizeHint)).c_str(), hint, sizeof hint, ImGuiInputTextFlags_AutoSelectAll);
  rect("newmap.hint");
  ImGui::SetNextItemWidth(fs * 8);
  ImGui::InputText("hash0##nmhash0", hash0, sizeof hash0, ImGuiInputTextFlags_AutoSelectAll);
  rect("newmap.hash0");
  ImGui::TextUnformatted(tr(S::HashMode));
  ImGui::SameLine();
  ImGui::RadioButton(fmt::format("{}##nmmode", tr(S::HashGo)).c_str(), &hashMode, 0);
  rect("newmap.mode.go");
  ImGui::SameLine();
  ImGui::RadioButton(fmt::format("{}##nmmode", tr(S::HashIdentity)).c_str(), &hashMode, 1);
  rect("newmap.mode.identity");
  if (ws.appState().dirty()) {
    ImGui::Spacing();
    colouredText(palette().error, fmt::format(fmt::runtime(tr(S::FileNewMapUnsaved)), ws.appState().displayName()).c_str());
  }
  if (!newMapError.empty()) {
    ImGui::PushTextWrapPos(fs * 30);
    colouredText(palette().error, newMapError.c_str());
    ImGui::PopTextWrapPos();
  }
  buttonRow();
  if (ImGui::Button(fmt::format("{}##nmok", tr(S::FileOk)).c_str(), ImVec2(fs * 6, 0))) {
    NewMapParams p;
    p.kind = kKindValues[std::clamp(kind, 0, 3)];
    p.mode = hashMode ? HashMode::Identity : HashMode::Go;
    uint64_t h0 = 0;
    std::string h = trim(hint), z = trim(hash0);
    if (!parseInt64Token(h, p.hint) || p.hint < 0) {
      newMapError = fmt::format(fmt::runtime(tr(S::FileHintBad)), h);
    } else if (!parseUint64Token(z, h0) || h0 > UINT32_MAX) {
      newMapError = fmt::format(fmt::runtime(tr(S::FileHash0Bad)), z);
    } else {
      p.hash0 = static_cast<uint32_t>(h0);
      newMapError.clear();
      close();
      newMap(ws, p);
    }
  }
  rect("newmap.ok");
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("{}##nmcancel", tr(S::Cancel)).c_str(), ImVec2(fs * 6, 0))) close();
  rect("newmap.cancel");
}

// ---- the browser -----------------------------------------------------------------------------------------

void FileUi::scan() {
  scanned_ = true;
  entries_.clear();
  scanError_.clear();
  std::error_code ec;
  fs::directory_iterator it(dir, fs::directory_options::skip_permission_denied, ec);
  if (ec) {
    scanError_ = fmt::format(fmt::runtime(tr(S::FileCannotList)), dir, ec.message());
    return;
  }
  for (; it != fs::directory_iterator(); it.increment(ec)) {
    if (ec) break;
    const fs::directory_entry& e = *it;
    std::string name = e.path().filename().string();
    if (name.empty() || name[0] == '.') continue;
    std::error_code ec2;
    needGlyphs(name); // file names in any script
    entries_.push_back({name, e.path().string(), e.is_directory(ec2)});
  }
  std::sort(entries_.begin(), entries_.end(), [](const Entry& a, const Entry& b) {
    if (a.isDir != b.isDir) return a.isDir;
    return naturalLess(a.name, b.name);
  });
}

void FileUi::scanBundled() {
  bundledScanned_ = true;
  bundled_.clear();
  for (const char* sub : {"lessons", "scenarios"}) {
    std::vector<Bundled> group;
    std::error_code ec;
    for (auto& e : fs::directory_iterator(assetDir() + "/" + sub, ec)) {
      std::string p = e.path().string();
      if (!hasExt(p, ".ops") && !hasExt(p, ".race")) continue;
      Bundled b;
      b.path = p;
      b.file = e.path().filename().string();
      b.title[0] = fileTitle(p, Lang::En);
      b.title[1] = fileTitle(p, Lang::Zh);
      needGlyphs(b.title[0]);
      needGlyphs(b.title[1]);
      b.lesson = std::strcmp(sub, "lessons") == 0;
      group.push_back(std::move(b));
    }
    std::sort(group.begin(), group.end(), [](const Bundled& a, const Bundled& b) { return naturalLess(a.file, b.file); });
    for (auto& b : group) bundled_.push_back(std::move(b));
  }
}

// After a field's InputText: the dialog put its text there (a path, a file
// name) and the user has not typed into it yet, so a click in it selects it
// all, as a browser's address bar does, instead of placing the cursor: what the
// user types then replaces it. Typing (or a second click) works as usual.
static void selectAllOnFirstClick(bool& untouched) {
  if (ImGui::IsItemEdited()) untouched = false;
  if (!untouched || !ImGui::IsItemHovered() || !ImGui::IsMouseClicked(0)) return;
  if (ImGuiInputTextState* st = ImGui::GetInputTextState(ImGui::GetItemID())) st->SelectAll();
  untouched = false;
}

// The path field's text; a relative path (a name typed over the selected
// path) is taken in the folder shown, not in the process's working directory.
std::string FileUi::typedPath() const {
  const std::string p = trim(pathField);
  if (p.empty() || fs::path(p).is_absolute()) return p;
  return (fs::path(dir) / p).lexically_normal().string();
}

void FileUi::drawBrowser(Workspace& ws) {
  const float fs = ImGui::GetFontSize();
  const Lang lang = ws.effectiveLanguage();
  std::string chosen; // a file to open or save to
  if (ImGui::BeginTabBar("##filetabs")) {
    const ImGuiTabItemFlags filesFlags = selectBundled_ && !bundledTab_ ? ImGuiTabItemFlags_SetSelected : 0;
    const ImGuiTabItemFlags bundledFlags = selectBundled_ && bundledTab_ ? ImGuiTabItemFlags_SetSelected : 0;
    selectBundled_ = false;
    const bool filesTab = ImGui::BeginTabItem(fmt::format("{}###tabfiles", tr(S::FileTabFiles)).c_str(), nullptr, filesFlags);
    rect("browser.tab.files");
    if (filesTab) {
      bundledTab_ = false;
      if (saveMode) {
        textWrapped(fmt::format(fmt::runtime(tr(S::FileSavingIn)), dir));
        if (!saveNote_.empty()) {
          ImGui::PushTextWrapPos(0);
          colouredText(palette().error, saveNote_.c_str());
          ImGui::PopTextWrapPos();
        }
      }
      if (ImGui::Button(fmt::format("{}##up", tr(S::FileUp)).c_str())) setDir(fs::path(dir).parent_path().string());
      rect("browser.up");
      ImGui::SameLine();
      ImGui::SetNextItemWidth(std::max(fs * 8, ImGui::GetContentRegionAvail().x - fs * 16));
      if (focusField_ && !saveMode) ImGui::SetKeyboardFocusHere(), focusField_ = false;
      // The path field: Enter on a directory goes there, on a file opens it.
      const bool enter = ImGui::InputText("##path", pathField, sizeof pathField,
                                          ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
      selectAllOnFirstClick(pathUntouched_);
      rect("browser.path");
      if (enter) {
        const std::string p = typedPath();
        std::error_code ec;
        if (fs::is_directory(p, ec)) setDir(p);
        else if (!saveMode) chosen = p;
        else {
          setDir(fs::path(p).parent_path().string());
          std::snprintf(nameField, sizeof nameField, "%s", fs::path(p).filename().string().c_str());
        }
      }
      ImGui::SameLine();
      ImGui::SetNextItemWidth(-1);
      const char* filters[] = {tr(S::FileFilterBoth), tr(S::FileFilterOps), tr(S::FileFilterRace), tr(S::FileFilterAll)};
      ImGui::Combo("##filter", &filter, filters, 4);
      rect("browser.filter");
      if (!scanned_) scan();
      const float listH = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() * (saveMode ? 2.2f : 1.2f) - (browserError_.empty() ? 0.0f : ImGui::GetTextLineHeightWithSpacing());
      ImGui::BeginChild("##list", ImVec2(0, std::max(listH, fs * 4)), true);
      if (!scanError_.empty()) colouredText(palette().error, scanError_.c_str());
      std::string enterDir;
      for (const Entry& e : entries_) {
        if (!e.isDir) {
          const bool ops = hasExt(e.name, ".ops"), race = hasExt(e.name, ".race");
          if ((filter == 0 && !ops && !race) || (filter == 1 && !ops) || (filter == 2 && !race)) continue;
        }
        std::string label = e.isDir ? fmt::format("[{}]  {}/", tr(S::FileDir), e.name) : e.name;
        if (ImGui::Selectable(label.c_str(), selected_ == e.path, ImGuiSelectableFlags_AllowDoubleClick)) {
          selected_ = e.path;
          if (!e.isDir) {
            if (saveMode) std::snprintf(nameField, sizeof nameField, "%s", e.name.c_str());
            else std::snprintf(pathField, sizeof pathField, "%s", e.path.c_str());
          }
          if (ImGui::IsMouseDoubleClicked(0)) {
            if (e.isDir) enterDir = e.path;
            else if (!saveMode) chosen = e.path;
            else chosen = (fs::path(dir) / e.name).string();
          }
        }
        rect("browser.entry." + e.name);
      }
      ImGui::EndChild();
      if (!enterDir.empty()) setDir(enterDir);
      if (saveMode) {
        ImGui::SetNextItemWidth(fs * 20);
        if (focusField_) ImGui::SetKeyboardFocusHere(), focusField_ = false;
        const bool nEnter = ImGui::InputText(fmt::format("{}##name", tr(S::FileName)).c_str(), nameField, sizeof nameField,
                                             ImGuiInputTextFlags_EnterReturnsTrue | ImGuiInputTextFlags_AutoSelectAll);
        selectAllOnFirstClick(nameUntouched_);
        rect("browser.name");
        if (nEnter) chosen = (fs::path(dir) / trim(nameField)).string();
      }
      ImGui::EndTabItem();
    }
    if (!saveMode) {
      const bool bTab = ImGui::BeginTabItem(fmt::format("{}###tabbundled", tr(S::FileTabBundled)).c_str(), nullptr, bundledFlags);
      rect("browser.tab.bundled");
      if (bTab) {
        bundledTab_ = true;
        if (!bundledScanned_) scanBundled();
        const float listH = ImGui::GetContentRegionAvail().y - ImGui::GetFrameHeightWithSpacing() * 1.2f;
        ImGui::BeginChild("##bundled", ImVec2(0, std::max(listH, fs * 4)), true);
        // Title (in the UI's language) and file name, one row each; a click opens.
        if (ImGui::BeginTable("##bundledtable", 2, ImGuiTableFlags_SizingStretchProp)) {
          ImGui::TableSetupColumn("title", ImGuiTableColumnFlags_WidthStretch);
          float fileW = 0;
          for (const Bundled& b : bundled_) fileW = std::max(fileW, ImGui::CalcTextSize(b.file.c_str()).x);
          ImGui::TableSetupColumn("file", ImGuiTableColumnFlags_WidthFixed, fileW);
          bool lessonHeader = false, scenarioHeader = false;
          for (const Bundled& b : bundled_) {
            if ((b.lesson && !lessonHeader) || (!b.lesson && !scenarioHeader)) {
              (b.lesson ? lessonHeader : scenarioHeader) = true;
              ImGui::TableNextRow();
              ImGui::TableSetColumnIndex(0);
              if (!b.lesson) ImGui::Spacing();
              ImGui::TextDisabled("%s", tr(b.lesson ? S::FileLessonsHeading : S::FileScenariosHeading));
            }
            ImGui::TableNextRow();
            ImGui::TableSetColumnIndex(0);
            const std::string& t = b.title[lang == Lang::Zh ? 1 : 0];
            // The title wrapped to its column (a long one was cut at the file
            // names): the row as tall as its lines, the text drawn over it.
            const float colW = ImGui::GetContentRegionAvail().x;
            const ImVec2 ts = ImGui::CalcTextSize(t.c_str(), nullptr, false, colW);
            const ImVec2 at = ImGui::GetCursorScreenPos();
            if (ImGui::Selectable(fmt::format("##{}", b.file).c_str(), false, ImGuiSelectableFlags_SpanAllColumns,
                                  ImVec2(0, ts.y)))
              chosen = b.path;
            ImGui::GetWindowDrawList()->AddText(ImGui::GetFont(), ImGui::GetFontSize(), at,
                                                ImGui::GetColorU32(ImGuiCol_Text), t.c_str(), nullptr, colW);
            rect("browser.bundled." + b.file);
            ImGui::TableSetColumnIndex(1);
            ImGui::TextDisabled("%s", b.file.c_str());
          }
          ImGui::EndTable();
        }
        ImGui::EndChild();
        ImGui::EndTabItem();
      }
    }
    ImGui::EndTabBar();
  }
  if (!browserError_.empty()) colouredText(palette().error, browserError_.c_str());
  // Open with nothing chosen (the field names the directory shown, or nothing) did
  // nothing at all: the button waits for a file or another directory (buttons test).
  std::error_code sameEc;
  const std::string typed = typedPath();
  const bool nothingChosen = !saveMode && (typed.empty() || fs::equivalent(typed, dir, sameEc));
  ImGui::BeginDisabled(nothingChosen);
  if (ImGui::Button(fmt::format("{}##browserok", tr(saveMode ? S::Save : S::Open)).c_str(), ImVec2(fs * 6, 0))) {
    if (saveMode) chosen = (fs::path(dir) / trim(nameField)).string();
    else {
      std::error_code ec;
      if (fs::is_directory(typed, ec)) setDir(typed);
      else chosen = typed;
    }
  }
  ImGui::EndDisabled();
  rect("browser.ok");
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("{}##browsercancel", tr(S::Cancel)).c_str(), ImVec2(fs * 6, 0))) {
    afterSave_ = {};
    close();
    return;
  }
  rect("browser.cancel");
  if (chosen.empty()) return;
  std::error_code ec;
  if (!saveMode) {
    if (!fs::is_regular_file(chosen, ec)) {
      browserError_ = fmt::format(fmt::runtime(tr(S::FileNotAFile)), chosen);
      return;
    }
    close();
    if (sideBySide) {
      sideBySide = false;
      openSideBySide(ws, chosen);
    } else {
      openPath(ws, chosen);
    }
    return;
  }
  // Save As: a name without an extension gets .ops; bundled files and
  // existing files are not simply overwritten.
  if (fs::path(chosen).filename().empty() || trim(nameField).empty()) {
    browserError_ = tr(S::MsgSaveNoName);
    return;
  }
  if (fs::path(chosen).extension().empty()) chosen += ".ops";
  if (isBundledPath(chosen)) {
    browserError_ = fmt::format(fmt::runtime(tr(S::MsgBundledReadOnly)), chosen);
    return;
  }
  close();
  if (fs::exists(chosen, ec) && fs::absolute(chosen, ec) != fs::absolute(ws.appState().scriptPath(), ec)) {
    replacePath_ = chosen;
    show(Modal::Replace);
    return;
  }
  saveTo(ws, chosen);
  if (!ws.appState().dirty() && afterSave_) {
    auto f = std::move(afterSave_);
    afterSave_ = {};
    f(ws);
  }
}

void FileUi::drawReplace(Workspace& ws) {
  const float fs = ImGui::GetFontSize();
  ImGui::TextUnformatted(fmt::format(fmt::runtime(tr(S::FileReplaceText)), replacePath_).c_str());
  buttonRow();
  if (ImGui::Button(fmt::format("{}##replace", tr(S::FileReplace)).c_str(), ImVec2(fs * 7, 0))) {
    close();
    saveTo(ws, replacePath_);
    if (!ws.appState().dirty() && afterSave_) {
      auto f = std::move(afterSave_);
      afterSave_ = {};
      f(ws);
    }
  }
  rect("replace.replace");
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("{}##replacecancel", tr(S::Cancel)).c_str(), ImVec2(fs * 7, 0))) {
    close();
    show(Modal::Browser); // back to choosing a name
  }
  rect("replace.cancel");
}

// ---- Save changes? ------------------------------------------------------------------------------------------

void FileUi::drawAsk(Workspace& ws) {
  const float fs = ImGui::GetFontSize();
  ImGui::TextUnformatted(fmt::format(fmt::runtime(tr(S::FileAskText)), ws.appState().displayName()).c_str());
  ImGui::TextDisabled("%s", tr(S::FileAskHelp));
  buttonRow();
  if (ImGui::Button(fmt::format("{}##asksave", tr(S::Save)).c_str(), ImVec2(fs * 7, 0))) {
    close();
    auto then = std::move(then_);
    then_ = {};
    saveThen(ws, std::move(then));
  }
  rect("ask.save");
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("{}##askdiscard", tr(S::FileDontSave)).c_str(), ImVec2(fs * 7, 0))) {
    close();
    auto then = std::move(then_);
    then_ = {};
    if (then) then(ws);
  }
  rect("ask.dontsave");
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("{}##askcancel", tr(S::Cancel)).c_str(), ImVec2(fs * 7, 0))) {
    then_ = {};
    close();
  }
  rect("ask.cancel");
}

// ---- restoring an autosave --------------------------------------------------------------------------------------

void FileUi::drawRestore(Workspace& ws) {
  const float fs = ImGui::GetFontSize();
  const std::string what = restoreOrigin_.empty() ? std::string(tr(S::FileUntitled)) : restoreOrigin_;
  ImGui::TextUnformatted(fmt::format(fmt::runtime(tr(S::FileRestoreText)), what).c_str());
  ImGui::TextDisabled("%s", restoreFile_.c_str());
  buttonRow();
  if (autoAnswer_) {
    const bool restore = autoAnswer_ == 1;
    autoAnswer_ = 0;
    close();
    doRestore(ws, restore);
    return;
  }
  if (ImGui::Button(fmt::format("{}##restore", tr(S::FileRestore)).c_str(), ImVec2(fs * 7, 0))) {
    close();
    doRestore(ws, true);
  }
  rect("restore.restore");
  ImGui::SameLine();
  if (ImGui::Button(fmt::format("{}##discard", tr(S::FileDiscard)).c_str(), ImVec2(fs * 7, 0))) {
    close();
    doRestore(ws, false);
  }
  rect("restore.discard");
}

} // namespace gomap::ui
