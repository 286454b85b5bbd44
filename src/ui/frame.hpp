// What a view draws from, handed to it at every draw (the shape of
// imgui_memory_editor's DrawContents(mem)): a read-only view of the model at
// the cursor, its event stream, the cursor, and the goroutines when a race is
// running. Whichever controller is active (the op-script session, AppState, or
// a race, RaceController) builds the frame once per ImGui frame; views never
// reach for a controller of their own. Commands (seek, step, play) go back
// through the Controller the frame names.
#pragma once
#include <imgui.h>

#include <cstdint>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "engine/any_map.hpp"
#include "trace/event_source.hpp"
#include "ui/call_stack.hpp"
#include "ui/derived.hpp"

namespace gomap::ui {

struct SwissFrame; // ui/swiss_state.hpp
struct SyncMapFrame; // ui/syncmap_view.hpp
struct CowFrame;     // ui/cow_view.hpp
struct ShardsFrame;  // ui/shards_view.hpp

// Navigation and messages, as every controller offers them. Positions are
// event indices of the frame's EventSource (-1: before the first event).
class Controller {
public:
  virtual ~Controller() = default;
  virtual void seek(int64_t i) = 0;
  virtual void stepInto() = 0;
  virtual void stepBack() = 0;
  virtual void stepOver() = 0;     // to the end of the current op (the next op's end at an op's end)
  virtual void stepBackOver() = 0; // to before the current op
  virtual void stepOut() = 0;      // out of the current runtime function
  virtual void toStart() = 0;
  virtual void toEnd() = 0;
  virtual void togglePlay() = 0;
  virtual void pause() = 0;
  virtual bool playing() const = 0;
  virtual double& speed() = 0; // events (or steps) per second while playing
  // Source text of op k ("put 5 50"), and the key it works on.
  virtual std::string_view opText(std::size_t k) const = 0;
  virtual std::optional<KeyValue> opKey(std::size_t k) const = 0;
  virtual const std::string& error() const = 0;
  virtual const std::string& status() const = 0;
  virtual void clearError() = 0;
};

// The hash a hashing panel shows: the current op's key's, or inside evacuate
// the moved cell's.
struct HashInfo {
  uint64_t hash = 0;
  uint8_t B = 0;
  uint8_t top = 0;
  int64_t event = -1;
  bool evacuation = false; // from a CellEvacuated event: only the low 32 bits are known
  uint64_t newbit = 0;
  bool useY = false;
};
// From the events of the op holding event pos (only that op's: in a race the
// stream interleaves goroutines).
std::optional<HashInfo> hashAt(const EventSource& s, int64_t pos);

// What every map view knows of a goroutine of a race (classic or Swiss).
struct GoroutineBasics {
  int g = 0;              // 1-based
  ImU32 colour = 0;
  bool inOp = false;      // paused inside a map operation
  bool done = false;
  std::string_view function; // runtime function of its current event, its file and line
  std::string_view file;
  int line = 0;
  std::string op;         // the op it is running or will run ("put 1 10"), empty when done
  int64_t lastEvent = -1; // its last event in the stream
};

// One goroutine of a race, as the map views mark it.
struct GoroutineMark : GoroutineBasics {
  bool hasCell = false;   // it has read or written a cell in this op
  Loc cell{};             // the cell (or bmap, for BucketSelected) it last touched
  bool cellIsBmap = false;
  CallStack stack;        // its runtime call stack
  // Its last cell was in an overflow bmap that another goroutine's link replaced
  // (newoverflow, map.go:270): that bmap is reachable from nowhere. lostCell is
  // where it was in the chain, lostBy the goroutine that linked over it, at lostEvent.
  int lostBy = 0;
  Loc lostCell{};
  int64_t lostEvent = -1;
};

struct Frame {
  Controller* ctl = nullptr;
  const AnyMap* map = nullptr;         // null: nothing loaded
  const EventSource* events = nullptr; // never null when map is not
  int64_t position = -1;
  const Event* current = nullptr;      // events->event(position), or null
  std::optional<std::size_t> currentOp;
  uint64_t sessionId = 0;              // changes when the history is replaced (caches start over)
  const CallStack* stack = nullptr;    // at the cursor (the current event's goroutine in a race)
  DerivedSeries* derived = nullptr;
  std::optional<HashInfo> hash;
  std::vector<GoroutineMark> goroutines; // empty outside a race
  // Race: the current event's cell as the memory is now, when a grow started by
  // another goroutine after the event's goroutine chose its bucket has made that
  // array oldbuckets (old set) or freed it (gone: drawn nowhere). Unset: as the
  // event's Loc says.
  struct MovedCell {
    bool old = false;
    bool gone = false;
  };
  std::optional<MovedCell> currentMoved;
  // Who set and who last cleared hashWriting (race only; 0 = unknown / none).
  int writingSetBy = 0, writingClearedBy = 0;
  bool race = false;
  // The caption's sentence when there is no current event but the run has moved
  // (a shard of a sharded race that no step has touched yet); empty: "Before the first event".
  std::string quietCaption;
  // Progress of a background job (0..1), negative when none runs.
  float jobProgress = -1;
  // A Swiss-map session is on screen (issue 13): what the Swiss views draw (map is null then).
  const SwissFrame* swiss = nullptr;
  // A race on a sync.Map (issue 12): what the sync.Map panel draws (map is null then).
  const SyncMapFrame* syncMap = nullptr;
  const CowFrame* cow = nullptr; // a race on a copy-on-write map (ui/cow_view.hpp)
  const ShardsFrame* shards = nullptr; // a race on a sharded map (ui/shards_view.hpp)

  bool loaded() const { return map != nullptr; }
  const GoroutineMark* goroutine(int g) const {
    for (const GoroutineMark& m : goroutines)
      if (m.g == g) return &m;
    return nullptr;
  }
};

// The colour of goroutine g (1-based), the same in every view.
ImU32 goroutineColour(int g);

} // namespace gomap::ui
