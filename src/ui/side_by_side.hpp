// Side by side (issue 13, section 4): ONE classic op script run on the classic
// map (Go 1.19) and on the Swiss map (Go 1.26/1.27) at once, stepped op by op,
// both maps drawn, with the comparison panel below them.
//
// The classic side is the op-script session (AppState): the script opens as
// any classic script does (File > Open's question before unsaved work is
// replaced), so that leaving the mode leaves that script open in the classic
// workspace. The Swiss side is a SwissController recording the same ops with
// `make swiss` at the chosen version; the figures and plots are a CompareModel
// (trace/compare.hpp). One cursor, an op index of the script, moves all three:
// after op k both sessions stand at the end of the events that op produced.
//
// This controller builds the frames the side-by-side panels are handed
// (SbsFrames): the classic views' Frame (from AppState::fillFrame) and the
// Swiss views' (a Frame whose `swiss` points at a SwissFrame). No ImGui here;
// the panels are in ui/side_by_side_view.cpp.
#pragma once
#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <vector>

#include "ui/said.hpp"
#include "ui/app_state.hpp"
#include "ui/compare_view.hpp"
#include "ui/frame.hpp"
#include "ui/swiss_state.hpp"

namespace gomap::ui {

// What the side-by-side panels draw, filled once per ImGui frame.
struct SbsFrames {
  Frame classic;   // the classic session at the cursor's op (ctl: the AppState)
  Frame swiss;     // `swiss` points at swissFrame (map is null, as in the Swiss workspace)
  SwissFrame swissFrame;
};

class SideBySide final : public Controller {
public:
  explicit SideBySide(AppState& app);
  ~SideBySide() override;
  SideBySide(const SideBySide&) = delete;
  SideBySide& operator=(const SideBySide&) = delete;

  // A script checked and run on the Swiss map and by the comparison, not yet
  // installed (the classic session is replaced only by install()).
  struct Prepared;
  // Reads and checks path (a classic op script), records its Swiss session and
  // runs the comparison. On error: null and err says FILE:LINE:COL: what was
  // expected; nothing on screen changed.
  std::shared_ptr<Prepared> prepare(const std::string& path, swiss::Version v, std::string& err) const;
  std::shared_ptr<Prepared> prepareText(std::string_view text, const std::string& name, swiss::Version v,
                                        std::string& err) const;
  // Opens p's script as the op-script session (the caller asked before
  // unsaved work is replaced) and shows the side-by-side mode at the script's
  // last op. False (with the AppState's error set) if the classic session
  // could not be built; then nothing was replaced.
  bool install(const std::shared_ptr<Prepared>& p);
  // prepare + install, errors into the AppState's error (tests, --compare).
  bool open(const std::string& path, swiss::Version v);
  bool openText(std::string_view text, const std::string& name, swiss::Version v);

  // The mode is on screen: installed, not left, and the op-script session is
  // still the one installed (opening another file or a new map leaves it).
  bool shown() const;
  // Back to the classic workspace (the script stays open there).
  void leave() { shown_ = false; }
  bool loaded() const { return swiss_ != nullptr; }

  // ---- the cursor: an op of the script (0-based), -1 before the first ----------
  int64_t op() const { return comparison.cursor; }
  std::size_t ops() const { return comparison.ops(); }
  swiss::Version version() const { return comparison.options.version; }
  const std::string& path() const { return comparison.path; }
  // Puts both sessions at the end of op() (after the comparison panel's own
  // buttons or plots moved it too). Cheap when nothing moved.
  void sync();
  // Changes whenever a script is installed or the mode is left (the cursor is op()).
  uint64_t revision() const { return revision_; }
  // Events of the classic and Swiss sessions at the end of script op k (-1 for k < 0).
  int64_t classicEventAfter(int64_t k) const;
  int64_t swissEventAfter(int64_t k) const;
  const SwissController& swissController() const { return *swiss_; }
  const AppState& classic() const { return *app_; }

  // Fills the frames the panels draw (syncing first).
  void fillFrames(SbsFrames& f);

  // ---- Controller: the keys and buttons step ops ---------------------------------------
  void seek(int64_t op) override; // an op index, as op()
  void stepInto() override { seek(op() + 1); }
  void stepBack() override { seek(op() - 1); }
  void stepOver() override { seek(op() + 1); }
  void stepBackOver() override { seek(op() - 1); }
  void stepOut() override { seek(op() + 1); }
  void toStart() override { seek(-1); }
  void toEnd() override { seek(static_cast<int64_t>(ops()) - 1); }
  void togglePlay() override;
  void pause() override { playing_ = false; }
  bool playing() const override { return playing_; }
  double& speed() override { return speed_; } // ops per second while playing
  std::string_view opText(std::size_t k) const override;
  std::optional<KeyValue> opKey(std::size_t k) const override;
  const std::string& error() const override { return app_->error(); }
  const std::string& status() const override { return status_.text(); }
  void clearError() override { app_->clearError(); }
  void tick(double dt);

  // The figures and plots (the comparison panel draws it; its cursor is op()).
  CompareModel comparison;

private:
  AppState* app_;
  std::unique_ptr<SwissController> swiss_;
  Said swissError_, swissStatus_, status_;
  // Per script op k: the classic and Swiss session ops produced by ops 0..k.
  std::vector<uint32_t> classicOps_, swissOps_;
  uint64_t appSession_ = ~uint64_t{0}; // the AppState's sessionId() when installed
  bool shown_ = false;
  int64_t synced_ = -2;
  uint64_t syncedApp_ = ~uint64_t{0};
  uint64_t revision_ = 0;
  bool playing_ = false;
  double speed_ = 4, playAcc_ = 0;
};

} // namespace gomap::ui
