// sync.Mutex and sync.RWMutex as Go 1.19 runs them (sync/mutex.go "MU:L",
// sync/rwmutex.go "RW:L"), one atomic operation per scheduling step, for race
// scenarios (issue 12; /work/shared/reference/syncmap-spec.md sections 6, 7).
//
// Mutex: the state word (mutexLocked, mutexWoken, mutexStarving, the waiter
// count from bit 3) and the semaphore's wait queue. Lock is one step when the
// CAS takes the lock; otherwise the same step counts the goroutine as a waiter
// and parks it (tail of the queue the first time, head after a wake-up,
// MU:L168-171). Unlock wakes the head waiter, which does not own the lock: it
// is runnable again and its next step retries the CAS against newcomers, which
// may take the lock first (barging, normal mode). Not modelled: spinning
// (runtime_canSpin is machine-dependent: the model never spins) and
// starvation mode (time-based: the starving bit is never set). Unlock's Add
// and unlockSlow's CAS + Semrelease are one step.
//
// RWMutex: w (a Mutex as above), readerCount (minus rwmutexMaxReaders while a
// writer is pending or active), readerWait (departing readers), and the
// readerSem / writerSem queues. Writer preference follows: once a writer has
// announced itself, RLock parks.
//
// No I/O, no engine: World drives it (world.cpp) and views read it.
#pragma once
#include <cstdint>
#include <string_view>
#include <vector>

namespace gomap::race {

inline constexpr int32_t kMutexLocked = 1, kMutexWoken = 2, kMutexStarving = 4, kMutexWaiterShift = 3;
inline constexpr int32_t kRWMutexMaxReaders = 1 << 30;

// What one sync step did (a trace entry's act).
enum class SyncAct : uint8_t {
  Acquired,         // Mutex / rw.w: the CAS took the lock (MU:L83, or lockSlow's CAS MU:L162)
  Parked,           // the CAS counted it as a waiter; semacquire parked it at the tail (MU:L162, 171)
  ParkedAgain,      // a woken waiter found the lock taken (a newcomer barged in): parked at the head (MU:L171)
  Released,         // Unlock: state -= mutexLocked; nobody to wake (MU:L219, 236)
  ReleasedWoke,     // Unlock: unlockSlow's CAS (waiters-1 | mutexWoken) and Semrelease of the head (MU:L245-246)
  ReaderIn,         // RLock: readerCount+1 >= 0, RLock returns (RW:L69)
  ReaderParked,     // RLock: readerCount+1 < 0, a writer is pending: parked on readerSem (RW:L69-71)
  ReaderOut,        // RUnlock: readerCount-1 >= 0 (RW:L117)
  ReaderDeparting,  // RUnlock: readerCount-1 < 0, a writer waits for this reader: rUnlockSlow next (RW:L117-119)
  ReaderDeparted,   // rUnlockSlow: readerWait-1 != 0 (RW:L132)
  ReaderWokeWriter, // rUnlockSlow: readerWait-1 == 0, the last departing reader wakes the writer (RW:L132-134)
  WriterAnnounced,  // Lock: readerCount -= max with no active readers: Lock returns (RW:L149-151)
  WriterWaits,      // Lock: readerCount -= max with r active readers: readerWait += r next (RW:L149)
  WriterIn,         // Lock: readerWait += r == 0 (the readers left meanwhile): Lock returns (RW:L151)
  WriterParked,     // Lock: readerWait += r != 0: parked on writerSem (RW:L151-152)
  WriterReleased,   // Unlock: readerCount += max, Semrelease of each waiting reader (RW:L206-214); w.Unlock next
  Fatal,            // unlock of an unlocked mutex (MU:L229, RW:L129, RW:L209)
};
std::string_view syncActName(SyncAct a); // "acquired", "parked", ... (the trace's JSON)

// Which wait queue a parked goroutine is in.
enum class SyncQueue : uint8_t { None, Sema, ReaderSem, WriterSem };

struct MutexState {
  int32_t state = 0;               // Mutex.state (RWMutex: rw.w.state)
  int32_t readerCount = 0;         // RWMutex only
  int32_t readerWait = 0;          // RWMutex only
  std::vector<uint8_t> sema;       // Mutex.sema's (rw.w.sema's) queue, head first
  std::vector<uint8_t> readerSem;  // RWMutex: readers parked until the writer unlocks
  std::vector<uint8_t> writerSem;  // RWMutex: the writer parked until the readers leave
  // For views only (Go does not record owners): who holds the lock.
  uint8_t owner = 0;               // the goroutine that took Mutex / rw.w (0: none)
  std::vector<uint8_t> readers;    // goroutines whose RLock returned and that have not RUnlocked

  bool locked() const { return state & kMutexLocked; }
  bool woken() const { return state & kMutexWoken; }
  int32_t waiters() const { return state >> kMutexWaiterShift; }
  // RWMutex: a writer has announced itself (readerCount went negative).
  bool writerPending() const { return readerCount < 0; }
  // RWMutex: readers that hold the lock or are parked (readerCount without the writer's bias).
  int32_t readerTotal() const { return readerCount < 0 ? readerCount + kRWMutexMaxReaders : readerCount; }
  bool operator==(const MutexState&) const = default;
};

// Where a goroutine is inside its current lock/unlock statement.
struct SyncProgress {
  uint8_t phase = 0;     // 0: not started; RWMutex Lock: 1 announce, 2 readerWait; Unlock / RUnlock: 1 second half
  bool awoke = false;    // woken from sema: its next CAS clears mutexWoken (MU:L194, 155-160)
  bool waited = false;   // has waited once: parks at the head from now on (queueLifo, MU:L168)
  SyncQueue queue = SyncQueue::None; // parked in this queue
  int8_t mutex = -1;     // the mutex it is parked on
  int32_t r = 0;         // RWMutex Lock: the active readers it found when it announced itself (RW:L149)
  bool operator==(const SyncProgress&) const = default;
};

// What a step did, for the trace and for World.
struct SyncStepResult {
  SyncAct act = SyncAct::Acquired;
  bool finished = false;   // the goroutine's statement returned
  uint8_t woke = 0;        // goroutines woken (bit g-1)
  uint8_t completed = 0;   // of those, the ones whose statement returned with the wake (readers, the writer)
  const char* fatal = nullptr; // Go's message when the step is a fatal error
  int line = 0;            // the sync/*.go line the step mirrors
  bool rwFile = false;     // that line is in rwmutex.go (else mutex.go)
};

// The mutexes of a run and each goroutine's progress through its sync statement.
class SyncModel {
public:
  enum class Op : uint8_t { Lock, Unlock, RLock, RUnlock };
  void reset(std::size_t mutexes, std::size_t goroutines);
  // One step of goroutine g (1-based) in statement `op` on mutex m (rw: an RWMutex).
  SyncStepResult step(int g, Op op, int m, bool rw);
  bool parked(int g) const { return progress_[static_cast<std::size_t>(g - 1)].queue != SyncQueue::None; }
  const SyncProgress& progress(int g) const { return progress_[static_cast<std::size_t>(g - 1)]; }
  const MutexState& mutex(int m) const { return mutexes_[static_cast<std::size_t>(m)]; }
  std::size_t mutexCount() const { return mutexes_.size(); }
  bool operator==(const SyncModel&) const = default;

private:
  // Mutex.Lock / rw.w.Lock: true when the lock was taken.
  bool lockW(int g, MutexState& mx, SyncStepResult& r);
  // Mutex.Unlock / rw.w.Unlock: false (with r.fatal) when it was not locked.
  bool unlockW(MutexState& mx, SyncStepResult& r, const char* fatalMsg);
  void park(int g, int m, SyncQueue q, bool head);
  void wake(int g, SyncStepResult& r, bool completes);
  std::vector<MutexState> mutexes_;
  std::vector<SyncProgress> progress_;
};

} // namespace gomap::race
