#include "ui/controls_view.hpp"

#include <fmt/format.h>

#include <algorithm>
#include <filesystem>

#include "engine/runtime_consts.hpp"
#include "trace/asset_paths.hpp"

namespace gomap::ui {

namespace {
const char* kKinds[] = {"int64", "int32", "string", "float64"};
const KeyKind kKindValues[] = {KeyKind::Int64, KeyKind::Int32, KeyKind::String, KeyKind::Float64};
} // namespace

void ControlsView::draw(UiContext& ui, AppState& app) {
  const float fs = ImGui::GetFontSize();
  // Errors are shown in the workspace's status bar: here they pushed every
  // control down, so the next click landed on another button.
  const float field = fs * 7;

  // ---- operations --------------------------------------------------------------
  if (ImGui::CollapsingHeader(tr(S::SecOperations), ImGuiTreeNodeFlags_DefaultOpen)) {
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
  if (ImGui::CollapsingHeader(tr(S::SecTeaching), ImGuiTreeNodeFlags_DefaultOpen)) {
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

  // ---- a new map ----------------------------------------------------------------------
  if (ImGui::CollapsingHeader(tr(S::SecNewMap))) {
    ImGui::SetNextItemWidth(field);
    ImGui::Combo(tr(S::KeyKind), &kind, kKinds, 4);
    ImGui::SetNextItemWidth(field);
    ImGui::InputText(tr(S::SizeHint), hint, sizeof hint);
    ImGui::SetNextItemWidth(field);
    ImGui::InputText("hash0", hash0, sizeof hash0);
    const char* modes[] = {tr(S::HashGo), tr(S::HashIdentity)};
    ImGui::SetNextItemWidth(field);
    ImGui::Combo(tr(S::HashMode), &hashMode, modes, 2);
    // "##create": the section header above has the same label (one ImGui ID: the click never arrived).
    if (ImGui::Button(fmt::format("{}##create", tr(S::NewMap)).c_str())) {
      NewMapParams p;
      p.kind = kKindValues[std::clamp(kind, 0, 3)];
      p.mode = hashMode ? HashMode::Identity : HashMode::Go;
      uint64_t h0 = 0;
      if (!parseInt64Token(hint, p.hint)) app.setError(fmt::format("{}: expected an int64, got \"{}\"", tr(S::SizeHint), hint));
      else if (!parseUint64Token(hash0, h0) || h0 > UINT32_MAX)
        app.setError(fmt::format("hash0: expected a 32-bit number (decimal or 0x hex), got \"{}\"", hash0));
      else {
        p.hash0 = static_cast<uint32_t>(h0);
        app.newMap(p);
      }
    }
  }

  // ---- big maps --------------------------------------------------------------------------
  if (ImGui::CollapsingHeader(tr(S::SecBig))) {
    ImGui::SetNextItemWidth(fs * 5);
    ImGui::SliderInt("B", &bigB, 1, 20);
    ImGui::SameLine();
    if (ImGui::Button(tr(S::NewMapB))) {
      NewMapParams p;
      p.kind = kKindValues[std::clamp(kind, 0, 3)];
      p.hint = int64_t{13} << (bigB - 1); // 6.5 * 2^B: the largest hint that still gives this B
      app.newMap(p);
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

  // ---- scripts ---------------------------------------------------------------------------------
  if (ImGui::CollapsingHeader(tr(S::SecScript), ImGuiTreeNodeFlags_DefaultOpen)) {
    ImGui::TextDisabled("%s", app.scriptName().c_str());
    if (!path[0] && !app.scriptPath().empty())
      std::snprintf(path, sizeof path, "%s", app.scriptPath().c_str());
    ImGui::SetNextItemWidth(-1);
    ImGui::InputTextWithHint("##path", tr(S::PathHint), path, sizeof path);
    if (ImGui::Button(tr(S::Open))) app.openScript(path);
    ImGui::SameLine();
    if (ImGui::Button(tr(S::Save))) app.saveScript(path);
    ImGui::SameLine();
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
      if (ImGui::SmallButton(name.c_str())) {
        if (app.openScript(s)) std::snprintf(path, sizeof path, "%s", s.c_str());
      }
    }
  }
}

} // namespace gomap::ui
