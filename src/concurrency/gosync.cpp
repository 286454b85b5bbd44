#include "concurrency/gosync.hpp"

#include <algorithm>

namespace gomap::race {

std::string_view syncActName(SyncAct a) {
  switch (a) {
  case SyncAct::Acquired: return "acquired";
  case SyncAct::Parked: return "parked";
  case SyncAct::ParkedAgain: return "parked_again";
  case SyncAct::Released: return "released";
  case SyncAct::ReleasedWoke: return "released_woke";
  case SyncAct::ReaderIn: return "reader_in";
  case SyncAct::ReaderParked: return "reader_parked";
  case SyncAct::ReaderOut: return "reader_out";
  case SyncAct::ReaderDeparting: return "reader_departing";
  case SyncAct::ReaderDeparted: return "reader_departed";
  case SyncAct::ReaderWokeWriter: return "reader_woke_writer";
  case SyncAct::WriterAnnounced: return "writer_announced";
  case SyncAct::WriterWaits: return "writer_waits";
  case SyncAct::WriterIn: return "writer_in";
  case SyncAct::WriterParked: return "writer_parked";
  case SyncAct::WriterReleased: return "writer_released";
  case SyncAct::Fatal: return "fatal";
  }
  return "?";
}

void SyncModel::reset(std::size_t mutexes, std::size_t goroutines) {
  mutexes_.assign(mutexes, MutexState{});
  progress_.assign(goroutines, SyncProgress{});
}

void SyncModel::park(int g, int m, SyncQueue q, bool head) {
  MutexState& mx = mutexes_[static_cast<std::size_t>(m)];
  SyncProgress& p = progress_[static_cast<std::size_t>(g - 1)];
  std::vector<uint8_t>& queue = q == SyncQueue::Sema ? mx.sema : q == SyncQueue::ReaderSem ? mx.readerSem : mx.writerSem;
  if (head) queue.insert(queue.begin(), static_cast<uint8_t>(g));
  else queue.push_back(static_cast<uint8_t>(g));
  p.queue = q;
  p.mutex = static_cast<int8_t>(m);
}

void SyncModel::wake(int g, SyncStepResult& r, bool completes) {
  SyncProgress& p = progress_[static_cast<std::size_t>(g - 1)];
  const uint8_t bit = static_cast<uint8_t>(1u << (g - 1));
  r.woke |= bit;
  if (completes) {
    // Its semacquire returns and so does its RLock / Lock (RW:L71, 152).
    p = SyncProgress{};
    r.completed |= bit;
  } else {
    // MU:L171-194: semacquire returns; it does not own the lock and retries.
    p.queue = SyncQueue::None;
    p.mutex = -1;
    p.awoke = true;
  }
}

bool SyncModel::lockW(int g, MutexState& mx, SyncStepResult& r) {
  SyncProgress& p = progress_[static_cast<std::size_t>(g - 1)];
  const int32_t old = mx.state;
  // lockSlow's new state (MU:L143-160), without spinning and starvation.
  int32_t nw = old;
  if (!(old & kMutexStarving)) nw |= kMutexLocked;
  if (old & (kMutexLocked | kMutexStarving)) nw += 1 << kMutexWaiterShift;
  if (p.awoke) nw &= ~kMutexWoken;
  mx.state = nw;
  if (!(old & (kMutexLocked | kMutexStarving))) {
    r.act = SyncAct::Acquired;
    r.line = old == 0 && !p.awoke && !p.waited ? 83 : 162;
    p.awoke = false;
    p.waited = false;
    mx.owner = static_cast<uint8_t>(g);
    return true;
  }
  // Counted as a waiter: semacquire parks it, at the head if it has waited before.
  const bool head = p.waited;
  r.act = head ? SyncAct::ParkedAgain : SyncAct::Parked;
  r.line = 171;
  p.awoke = false;
  p.waited = true;
  park(g, static_cast<int>(&mx - mutexes_.data()), SyncQueue::Sema, head);
  return false;
}

bool SyncModel::unlockW(MutexState& mx, SyncStepResult& r, const char* fatalMsg) {
  const int32_t nw = mx.state - kMutexLocked; // MU:L219
  if (((nw + kMutexLocked) & kMutexLocked) == 0) {
    // MU:L229 (the state is left as it was: the program dies here).
    r.act = SyncAct::Fatal;
    r.fatal = fatalMsg;
    r.line = 229;
    return false;
  }
  mx.state = nw;
  mx.owner = 0;
  r.act = SyncAct::Released;
  r.line = 219;
  // unlockSlow, normal mode (MU:L232-250): nobody to wake, or someone is
  // already woken or has taken the lock.
  if (nw == 0 || (nw >> kMutexWaiterShift) == 0 || (nw & (kMutexLocked | kMutexWoken | kMutexStarving))) return true;
  if (mx.sema.empty()) return true; // cannot happen: the waiter count is the queue's length
  mx.state = (nw - (1 << kMutexWaiterShift)) | kMutexWoken;
  const int head = mx.sema.front();
  mx.sema.erase(mx.sema.begin());
  wake(head, r, false);
  r.act = SyncAct::ReleasedWoke;
  r.line = 246;
  return true;
}

SyncStepResult SyncModel::step(int g, Op op, int m, bool rw) {
  MutexState& mx = mutexes_[static_cast<std::size_t>(m)];
  SyncProgress& p = progress_[static_cast<std::size_t>(g - 1)];
  SyncStepResult r;
  auto finish = [&] {
    r.finished = true;
    p = SyncProgress{};
  };
  switch (op) {
  case Op::Lock:
    if (!rw) {
      if (lockW(g, mx, r)) finish();
      return r;
    }
    if (p.phase == 0) {
      if (lockW(g, mx, r)) p.phase = 1; // rw.w held (RW:L147); the announcement is the next step
      return r;
    }
    r.rwFile = true;
    if (p.phase == 1) {
      // RW:L149: announce the writer; r = the readers still active.
      mx.readerCount -= kRWMutexMaxReaders;
      p.r = mx.readerCount + kRWMutexMaxReaders;
      r.line = 149;
      if (p.r == 0) {
        r.act = SyncAct::WriterAnnounced;
        finish();
      } else {
        r.act = SyncAct::WriterWaits;
        p.phase = 2;
      }
      return r;
    }
    // RW:L151: wait for the r active readers to depart.
    mx.readerWait += p.r;
    r.line = 151;
    if (mx.readerWait == 0) {
      r.act = SyncAct::WriterIn;
      finish();
      return r;
    }
    r.act = SyncAct::WriterParked;
    r.line = 152;
    park(g, m, SyncQueue::WriterSem, false);
    return r;
  case Op::Unlock:
    if (!rw) {
      if (unlockW(mx, r, "sync: unlock of unlocked mutex")) finish();
      return r;
    }
    if (p.phase == 0) {
      r.rwFile = true;
      const int32_t rc = mx.readerCount + kRWMutexMaxReaders; // RW:L206
      if (rc >= kRWMutexMaxReaders) {
        r.act = SyncAct::Fatal;
        r.fatal = "sync: Unlock of unlocked RWMutex";
        r.line = 209;
        return r;
      }
      mx.readerCount = rc;
      r.act = SyncAct::WriterReleased;
      r.line = 206;
      // RW:L212-214: one Semrelease per reader that arrived meanwhile (each is parked on readerSem).
      for (int32_t i = 0; i < rc && !mx.readerSem.empty(); i++) {
        const int rd = mx.readerSem.front();
        mx.readerSem.erase(mx.readerSem.begin());
        mx.readers.push_back(static_cast<uint8_t>(rd));
        wake(rd, r, true);
        r.line = 213;
      }
      p.phase = 1; // rw.w.Unlock() is the next step (RW:L216)
      return r;
    }
    if (unlockW(mx, r, "sync: unlock of unlocked mutex")) finish();
    return r;
  case Op::RLock:
    r.rwFile = true;
    r.line = 69;
    if (++mx.readerCount < 0) {
      r.act = SyncAct::ReaderParked;
      r.line = 71;
      park(g, m, SyncQueue::ReaderSem, false);
      return r;
    }
    r.act = SyncAct::ReaderIn;
    mx.readers.push_back(static_cast<uint8_t>(g));
    finish();
    return r;
  case Op::RUnlock: {
    r.rwFile = true;
    auto leave = [&] {
      auto it = std::find(mx.readers.begin(), mx.readers.end(), static_cast<uint8_t>(g));
      if (it == mx.readers.end()) it = mx.readers.begin();
      if (it != mx.readers.end()) mx.readers.erase(it);
    };
    if (p.phase == 0) {
      const int32_t rc = mx.readerCount - 1; // RW:L117
      r.line = 117;
      if (rc >= 0) {
        mx.readerCount = rc;
        leave();
        r.act = SyncAct::ReaderOut;
        finish();
        return r;
      }
      if (rc + 1 == 0 || rc + 1 == -kRWMutexMaxReaders) {
        r.act = SyncAct::Fatal;
        r.fatal = "sync: RUnlock of unlocked RWMutex";
        r.line = 129;
        return r;
      }
      mx.readerCount = rc;
      leave();
      r.act = SyncAct::ReaderDeparting;
      p.phase = 1;
      return r;
    }
    // rUnlockSlow, RW:L132-134.
    r.line = 132;
    if (--mx.readerWait == 0) {
      r.act = SyncAct::ReaderWokeWriter;
      r.line = 134;
      if (!mx.writerSem.empty()) {
        const int wr = mx.writerSem.front();
        mx.writerSem.erase(mx.writerSem.begin());
        wake(wr, r, true);
      }
    } else {
      r.act = SyncAct::ReaderDeparted;
    }
    finish();
    return r;
  }
  }
  return r;
}

} // namespace gomap::race
