#include "ui/controls_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "engine/runtime_consts.hpp"
#include "trace/asset_paths.hpp"

namespace gomap::ui {

void ControlsView::draw(UiContext& ui, AppState& app) {
  const float fs = ImGui::GetFontSize();
  // Errors are shown in the workspace's status bar: here they pushed every
  // control down, so the next click landed on another button.
  const float field = fs * 7;

  // ---- scripts ---------------------------------------------------------------------------------
  // First what a teacher needs first (open a scenario; the File menu has the rest).
  // The headers' IDs do not change with the language (###), so a section stays
  // open or closed when the language is switched.
  const bool scriptOpen = ImGui::CollapsingHeader(fmt::format("{}###secscript", tr(S::SecScript)).c_str(), ImGuiTreeNodeFlags_DefaultOpen);
  rects["ctl.secscript"] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
  if (scriptOpen) {
    using K = FileRequest::Kind;
    ImGui::TextDisabled("%s%s", app.displayName().c_str(), app.dirty() ? tr(S::FileModifiedMark) : "");
    if (!app.scriptPath().empty() && ImGui::IsItemHovered()) ImGui::SetTooltip("%s", app.scriptPath().c_str());
    // Distinct IDs: the section header is "New map" in the File menu's words too.
    if (ImGui::Button(fmt::format("{}##ctlnew", tr(S::FileNewMap)).c_str())) request.kind = K::NewMapDialog;
    rects["ctl.new"] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    ImGui::SameLine();
    if (ImGui::Button(fmt::format("{}##ctlopen", tr(S::FileOpen)).c_str())) request.kind = K::OpenDialog;
    rects["ctl.open"] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    ImGui::SameLine();
    if (ImGui::Button(fmt::format("{}##ctlsave", tr(S::Save)).c_str())) request.kind = K::Save;
    rects["ctl.save"] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    ImGui::SameLine();
    if (ImGui::Button(fmt::format("{}##ctlsaveas", tr(S::FileSaveAs)).c_str())) request.kind = K::SaveAs;
    rects["ctl.saveas"] = {ImGui::GetItemRectMin(), ImGui::GetItemRectMax()};
    if (ImGui::Button(tr(S::DropFuture))) app.dropFuture();
    if (ImGui::IsItemHovered()) ImGui::SetTooltip("%s", tr(S::DropFutureHelp));
    if (!scanned_) {
      scanned_ = true;
      std::error_code ec;
      for (auto& e : std::filesystem::directory_iterator(assetDir() + "/scenarios", ec))
        if (e.path().extension() == ".ops") scenarios_.push_back(e.path().string());
      std::sort(scenarios_.begin(), scenarios_.end());
    }
    ImGui::TextUnformatted(tr(S::Scenarios));
    for (const std::string& s : scenarios_) {
      std::string name = std::filesystem::path(s).stem().string();
      ImGui::SameLine();
      if (ImGui::GetCursorPosX() + ImGui::CalcTextSize(name.c_str()).x > ImGui::GetWindowContentRegionMax().x - fs) ImGui::NewLine();
      if (ImGui::SmallButton(fmt::format("{}##scenario", name).c_str())) {
        request.kind = FileRequest::Kind::OpenPath;
        request.path = s;
      }
    }
  }

  // ---- operations --------------------------------------------------------------
  if (ImGui::CollapsingHeader(fmt::format("{}###secops", tr(S::SecOperations)).c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::SetNextItemWidth(field);
    bool enter = ImGui::InputText(tr(S::Key), key, sizeof key, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fs * 5);
    enter |= ImGui::InputTextWithHint(tr(S::Value), tr(S::ValueHint), value, sizeof value, ImGuiInputTextFlags_EnterReturnsTrue);
    if (ImGui::Button(tr(S::Insert)) || enter) app.insert(key, value);
    ImGui::SameLine();
    if (ImGui::Button(tr(S::Delete))) app.remove(key);
    ImGui::SameLine();
    if (ImGui::Button(tr(S::Lookup))) app.lookup(key);
    ImGui::SameLine();
    if (ImGui::Button(tr(S::Iterate))) app.iterate();
    ImGui::SameLine();
    if (ImGui::Button(tr(S::Clear))) app.clear();
    ImGui::SetNextItemWidth(field);
    bool rEnter = ImGui::InputText("##range", range, sizeof range, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if (ImGui::Button(tr(S::InsertRange)) || rEnter) app.insertRange(range);
    ImGui::SetNextItemWidth(field);
    ImGui::InputInt("##randomN", &randomN);
    ImGui::SameLine();
    if (ImGui::Button(tr(S::InsertRandom))) app.insertRandom(randomN);
    ImGui::SetNextItemWidth(fs * 12);
    bool cEnter = ImGui::InputTextWithHint("##cmd", "put k v | del k | get k | pin k h | seed h | hash k", command,
                                           sizeof command, ImGuiInputTextFlags_EnterReturnsTrue);
    ImGui::SameLine();
    if (ImGui::Button(tr(S::Run)) || cEnter) {
      if (app.runLine(command)) command[0] = 0;
    }
    ImGui::PushTextWrapPos(0);
    ImGui::Checkbox(tr(S::WatchNewOps), &app.watchNewOps);
    ImGui::PopTextWrapPos();
    ui.prefs.watchNewOps = app.watchNewOps;
    helpMarker(tr(S::WatchNewOpsHelp));
  }

  // ---- teaching ---------------------------------------------------------------------
  if (ImGui::CollapsingHeader(fmt::format("{}###secteach", tr(S::SecTeaching)).c_str(), ImGuiTreeNodeFlags_DefaultOpen)) {
    if (ImGui::Button(tr(S::UntilGrow))) app.insertUntilGrow();
    helpMarker(tr(S::UntilGrowHelp));
    ImGui::SetNextItemWidth(fs * 5);
    ImGui::InputInt(tr(S::BucketN), &collideBucket);
    ImGui::SameLine();
    ImGui::SetNextItemWidth(fs * 5);
    ImGui::InputInt("##collideN", &collideN);
    collideBucket = std::max(0, collideBucket);
    ImGui::Checkbox(tr(S::SameHash), &collideSameHash);
    helpMarker(tr(S::SameHashHelp));
    if (ImGui::Button(tr(S::Collide)))
      app.insertColliding(static_cast<uint64_t>(collideBucket), collideN, collideSameHash);
  }

  // ---- big maps --------------------------------------------------------------------------
  if (ImGui::CollapsingHeader(fmt::format("{}###secbig", tr(S::SecBig)).c_str())) {
    ImGui::SetNextItemWidth(fs * 5);
    ImGui::SliderInt("B", &bigB, 1, 20);
    ImGui::SameLine();
    if (ImGui::Button(tr(S::NewMapB))) {
      request.kind = FileRequest::Kind::NewMap;
      request.params = NewMapParams{};
      request.params.kind = app.keyKind();
      request.params.hint = int64_t{13} << (bigB - 1); // 6.5 * 2^B: the largest hint that still gives this B
    }
    ImGui::SetNextItemWidth(fs * 7);
    ImGui::InputInt("##bulkN", &bulkN, 1000, 100000);
    ImGui::SameLine();
    ImGui::Checkbox(tr(S::RandomKeys), &bulkRandom);
    ImGui::SameLine();
    if (!app.job().active()) {
      if (ImGui::Button(tr(S::BulkInsert))) app.startBulk(bulkN, bulkRandom);
    } else if (ImGui::Button(tr(S::Cancel))) {
      app.cancelJob();
    }
    if (app.job().active())
      ImGui::ProgressBar(static_cast<float>(app.job().done) / static_cast<float>(std::max<int64_t>(1, app.job().total)));
  }
}

} // namespace gomap::ui
