// Bodies of the runtime's map functions. Included by map.hpp; read it with
// runtime/map.go (Go 1.19.8) open beside it: each function keeps the runtime's
// name and order of steps, and the L-numbers point at the runtime's lines.
#pragma once

namespace gomap {

// makemap (L304): hash0 from fastrand, the smallest B that holds hint elements,
// and the bucket array allocated now unless B == 0 (then lazily by mapassign).
template <class KT> Task<void> Map<KT>::makemap(int64_t hint) {
  OpScope scope(this, true);
  GOMAP_EMIT(Site::MakemapBegin, static_cast<uint16_t>(OpCode::Make), 0, static_cast<uint64_t>(hint));
  // A hint whose bucket memory overflows or exceeds maxAlloc is treated as 0;
  // negative hints overflow as uintptr.
  unsigned __int128 mem = static_cast<unsigned __int128>(static_cast<uint64_t>(hint)) * bucketsize;
  if (mem > maxAlloc) hint = 0;
  h_ = Hmap{};
  isNil_ = false;
  for (auto& a : allocs_) a.reset();
  rebuildFreeIds();
  h_.hash0 = rng_.fastrand();
  GOMAP_EMIT(Site::MakemapHash0, 0, 0, h_.hash0);
  uint8_t B = 0;
  while (overLoadFactor(hint, B)) B++;
  h_.B = B;
  if (h_.B != 0) {
    ArrayResult r = makeBucketArray(h_.B);
    h_.buckets = r.buckets;
    if (r.nextOverflow) {
      h_.extra = true;
      h_.nextOverflow = r.nextOverflow;
    }
    GOMAP_EMIT(Site::MakemapArray, h_.B, arrayOf(h_.buckets).nbuckets,
                  arrayOf(h_.buckets).nbuckets - bucketShift(h_.B));
  }
  GOMAP_EMIT(Site::MakemapEnd, static_cast<uint16_t>(Outcome::Ok));
}

// mapassign (L578) followed by the elem store the compiled code does with the
// pointer mapassign returns: *mapassign(t, h, &k) = v.
template <class KT> Task<void> Map<KT>::mapassign(Slot key, int64_t val) {
  OpScope scope(this, true);
  GOMAP_EMIT(Site::AssignBegin, static_cast<uint16_t>(OpCode::Put));
  if (isNil_) {
    GOMAP_EMIT(Site::AssignNilPanic, 0, static_cast<uint32_t>(Message::NilMapWrite));
    throw GoPanic{Message::NilMapWrite};
  }
  if (h_.flags & hashWriting) {
    GOMAP_EMIT(Site::AssignEntryCheck, 0, static_cast<uint32_t>(Message::ConcurrentMapWrites));
    fatalNow(Message::ConcurrentMapWrites);
  }
  const uint64_t hash = hasher(key, h_.hash0);
  GOMAP_EMIT(Site::AssignHash, h_.B, tophash(hash), hash);

  // Set hashWriting after calling t.hasher, since t.hasher may panic, in which
  // case we have not actually done a write. (h.flags ^= hashWriting: a load,
  // then a store.)
  {
    uint8_t f = h_.flags;
    GOMAP_EMIT(Site::AssignFlagsLoad, f);
    h_.flags = f ^ hashWriting;
    GOMAP_EMIT(Site::AssignFlagsXor, f, h_.flags);
  }

  if (h_.buckets == nilBucket) {
    h_.buckets = refOf(newAllocation(0, 1), 0); // newobject(t.bucket)
    GOMAP_EMIT(Site::AssignNewobject, 0, 1, 0);
  }

  bmap* b;
  BucketRef bref;
  bmap* insertb;
  uint8_t inserti;
  Loc insertLoc;
  Loc loc;
  const uint8_t top = tophash(hash);
again:
  {
    const uint64_t bucket = hash & bucketMask(h_.B);
    if (growing()) co_await growWork(bucket);
    bref = offset(h_.buckets, bucket);
    b = &at(bref);
    loc = Loc{false, static_cast<uint32_t>(bucket), 0, 0};
    GOMAP_EMIT(Site::AssignBucket, loc, hash);

    insertb = nullptr;
    inserti = 0;
    for (;;) {
      for (uint8_t i = 0; i < bucketCnt; i++) {
        loc.slot = i;
        const uint8_t th = b->tophash[i];
        if (th != top) {
          if (isEmpty(th) && insertb == nullptr) {
            insertb = b;
            inserti = i;
            insertLoc = loc;
            GOMAP_EMIT(Site::AssignTophash, loc,
                          th | uint64_t{top} << 8 |
                              uint64_t(th == emptyRest ? TophashOutcome::EmptyRestStop : TophashOutcome::Empty) << 16);
            GOMAP_EMIT(Site::AssignInsertSlot, loc, 1);
          } else {
            GOMAP_EMIT(Site::AssignTophash, loc,
                          th | uint64_t{top} << 8 |
                              uint64_t(th == emptyRest  ? TophashOutcome::EmptyRestStop
                                       : isEmpty(th)   ? TophashOutcome::Empty
                                                       : TophashOutcome::Mismatch)
                                  << 16);
          }
          if (th == emptyRest) goto notFound;
          continue;
        }
        GOMAP_EMIT(Site::AssignTophash, loc, th | uint64_t{top} << 8 | uint64_t(TophashOutcome::Match) << 16);
        const bool equal = keyEqual(key, b->keys[i]);
        GOMAP_EMIT(Site::AssignKeyCompare, loc, equal);
        if (!equal) continue;
        // Already have a mapping for key. Update it.
        if constexpr (KT::needKeyUpdate) {
          b->keys[i] = key;
          GOMAP_EMIT(Site::AssignKeyUpdate, loc);
        }
        insertb = b;
        inserti = i;
        insertLoc = loc;
        GOMAP_EMIT(Site::AssignInsertSlot, loc, 2);
        goto done;
      }
      if (b->overflow == nilBucket) break;
      bref = b->overflow;
      b = &at(bref);
      loc.chain++;
    }
  notFound:
    // Did not find mapping for key. If we hit the max load factor or we have too
    // many overflow buckets, and we're not already in the middle of growing,
    // start growing. Growing invalidates everything, so try again.
    if (!growing() && (overLoadFactor(h_.count + 1, h_.B) || tooManyOverflowBuckets(h_.noverflow, h_.B))) {
      co_await hashGrow();
      goto again;
    }
  }

  if (insertb == nullptr) {
    // The current bucket and all the overflow buckets connected to it are full.
    Loc newLoc{false, loc.bucket, static_cast<uint16_t>(loc.chain + 1), 0};
    BucketRef ovf = co_await newoverflow(bref, newLoc, Site::NewOverflow);
    insertb = &at(ovf);
    inserti = 0;
    insertLoc = newLoc;
    GOMAP_EMIT(Site::AssignNewOverflowSlot, insertLoc, 3);
  }

  // Store the new key at the insert position.
  insertb->keys[inserti] = key;
  insertb->tophash[inserti] = top;
  GOMAP_EMIT(Site::AssignStore, insertLoc, top);
  h_.count++;
  GOMAP_EMIT(Site::AssignCount, 0, 0, static_cast<uint64_t>(h_.count));

done:
  if ((h_.flags & hashWriting) == 0) {
    GOMAP_EMIT(Site::AssignExitCheck, 0, static_cast<uint32_t>(Message::ConcurrentMapWrites));
    fatalNow(Message::ConcurrentMapWrites);
  }
  {
    uint8_t f = h_.flags;
    GOMAP_EMIT(Site::AssignExitFlagsLoad, f);
    h_.flags = f & ~hashWriting;
    GOMAP_EMIT(Site::AssignExitFlagsClear, f, h_.flags);
  }
  // The caller stores the value through the returned pointer, after the map
  // has already dropped hashWriting.
  insertb->elems[inserti] = val;
  GOMAP_EMIT(Site::AssignElemWrite, insertLoc, static_cast<uint64_t>(val));
  GOMAP_EMIT(Site::AssignEnd, static_cast<uint16_t>(Outcome::Ok));
}

// mapaccess2 (L456): v, ok := m[k]. Reads never change the map and never help
// a growth along; during a grow they search the old bucket until it is evacuated.
template <class KT> Task<AccessResult> Map<KT>::mapaccess2(Slot key) {
  OpScope scope(this, false);
  GOMAP_EMIT(Site::AccessBegin, static_cast<uint16_t>(OpCode::Get));
  if (isNil_ || h_.count == 0) {
    GOMAP_EMIT(Site::AccessEnd, static_cast<uint16_t>(Outcome::Ok));
    co_return AccessResult{};
  }
  if (h_.flags & hashWriting) {
    GOMAP_EMIT(Site::AccessEntryCheck, 0, static_cast<uint32_t>(Message::ConcurrentReadWrite));
    fatalNow(Message::ConcurrentReadWrite);
  }
  const uint64_t hash = hasher(key, h_.hash0);
  GOMAP_EMIT(Site::AccessHash, h_.B, tophash(hash), hash);
  uint64_t m = bucketMask(h_.B);
  bmap* b = &at(offset(h_.buckets, hash & m));
  Loc loc{false, static_cast<uint32_t>(hash & m), 0, 0};
  if (h_.oldbuckets != nilBucket) {
    // There used to be half as many buckets; mask down one more power of two.
    if (!sameSizeGrowing()) m >>= 1;
    bmap* oldb = &at(offset(h_.oldbuckets, hash & m));
    if (!evacuated(*oldb)) {
      b = oldb;
      loc = Loc{true, static_cast<uint32_t>(hash & m), 0, 0};
    }
  }
  GOMAP_EMIT(Site::AccessBucket, loc, hash);
  const uint8_t top = tophash(hash);
  for (; b != nullptr; b = b->overflow ? &at(b->overflow) : nullptr, loc.chain++) {
    for (uint8_t i = 0; i < bucketCnt; i++) {
      loc.slot = i;
      const uint8_t th = b->tophash[i];
      if (th != top) {
        const bool stop = th == emptyRest;
        GOMAP_EMIT(Site::AccessTophash, loc,
                      th | uint64_t{top} << 8 |
                          uint64_t(stop ? TophashOutcome::EmptyRestStop
                                   : isEmpty(th) ? TophashOutcome::Empty
                                   : th < minTopHash ? TophashOutcome::Evacuated
                                                     : TophashOutcome::Mismatch)
                              << 16);
        if (stop) goto notFound;
        continue;
      }
      GOMAP_EMIT(Site::AccessTophash, loc, th | uint64_t{top} << 8 | uint64_t(TophashOutcome::Match) << 16);
      const bool equal = keyEqual(key, b->keys[i]);
      GOMAP_EMIT(Site::AccessKeyCompare, loc, equal);
      if (equal) {
        const int64_t v = b->elems[i];
        GOMAP_EMIT(Site::AccessResult, loc, static_cast<uint64_t>(v));
        GOMAP_EMIT(Site::AccessEnd, static_cast<uint16_t>(Outcome::Ok));
        co_return AccessResult{true, v};
      }
    }
  }
notFound:
  GOMAP_EMIT(Site::AccessEnd, static_cast<uint16_t>(Outcome::Ok));
  co_return AccessResult{};
}

// mapdelete (L695). The cell's tophash becomes emptyOne; when nothing live
// follows it, it and the emptyOne cells before it become emptyRest, so later
// searches can stop early.
template <class KT> Task<void> Map<KT>::mapdelete(Slot key) {
  OpScope scope(this, true);
  GOMAP_EMIT(Site::DeleteBegin, static_cast<uint16_t>(OpCode::Del));
  if (isNil_ || h_.count == 0) {
    GOMAP_EMIT(Site::DeleteEnd, static_cast<uint16_t>(Outcome::Ok));
    co_return;
  }
  if (h_.flags & hashWriting) {
    GOMAP_EMIT(Site::DeleteEntryCheck, 0, static_cast<uint32_t>(Message::ConcurrentMapWrites));
    fatalNow(Message::ConcurrentMapWrites);
  }
  const uint64_t hash = hasher(key, h_.hash0);
  GOMAP_EMIT(Site::DeleteHash, h_.B, tophash(hash), hash);
  {
    uint8_t f = h_.flags;
    GOMAP_EMIT(Site::DeleteFlagsLoad, f);
    h_.flags = f ^ hashWriting;
    GOMAP_EMIT(Site::DeleteFlagsXor, f, h_.flags);
  }
  const uint64_t bucket = hash & bucketMask(h_.B);
  if (growing()) co_await growWork(bucket);
  bmap* b = &at(offset(h_.buckets, bucket));
  bmap* const bOrig = b;
  Loc loc{false, static_cast<uint32_t>(bucket), 0, 0};
  GOMAP_EMIT(Site::DeleteBucket, loc, hash);
  const uint8_t top = tophash(hash);
  for (; b != nullptr; b = b->overflow ? &at(b->overflow) : nullptr, loc.chain++) {
    for (uint8_t i = 0; i < bucketCnt; i++) {
      loc.slot = i;
      const uint8_t th = b->tophash[i];
      if (th != top) {
        const bool stop = th == emptyRest;
        GOMAP_EMIT(Site::DeleteTophash, loc,
                      th | uint64_t{top} << 8 |
                          uint64_t(stop ? TophashOutcome::EmptyRestStop
                                   : isEmpty(th) ? TophashOutcome::Empty
                                                 : TophashOutcome::Mismatch)
                              << 16);
        if (stop) goto search_done;
        continue;
      }
      GOMAP_EMIT(Site::DeleteTophash, loc, th | uint64_t{top} << 8 | uint64_t(TophashOutcome::Match) << 16);
      const bool equal = keyEqual(key, b->keys[i]);
      GOMAP_EMIT(Site::DeleteKeyCompare, loc, equal);
      if (!equal) continue;
      // Only clear the key if there are pointers in it (for strings, as
      // mapdelete_faststr does: the data pointer goes, the length stays).
      if constexpr (KT::hasPointers) {
        if constexpr (KT::kind == KeyKind::String) b->keys[i].ptr = 0;
        else b->keys[i] = Slot{};
      }
      b->elems[i] = 0;
      b->tophash[i] = emptyOne;
      GOMAP_EMIT(Site::DeleteClear, loc);
      // If the bucket now ends in a bunch of emptyOne states, change those to
      // emptyRest states.
      {
        bool last;
        if (i == bucketCnt - 1) {
          last = !(b->overflow != nilBucket && at(b->overflow).tophash[0] != emptyRest);
        } else {
          last = b->tophash[i + 1] == emptyRest;
        }
        if (last) {
          uint8_t j = i;
          for (;;) {
            b->tophash[j] = emptyRest;
            loc.slot = j;
            GOMAP_EMIT(Site::DeleteEmptyRest, loc);
            if (j == 0) {
              if (b == bOrig) break; // beginning of initial bucket, we're done.
              // Find the previous bucket, continue at its last entry.
              bmap* c = b;
              b = bOrig;
              loc.chain = 0;
              while (&at(b->overflow) != c) {
                b = &at(b->overflow);
                loc.chain++;
              }
              j = bucketCnt - 1;
            } else {
              j--;
            }
            if (b->tophash[j] != emptyOne) break;
          }
        }
      }
      h_.count--;
      GOMAP_EMIT(Site::DeleteCount, 0, 0, static_cast<uint64_t>(h_.count));
      // Reset the hash seed to make it more difficult for attackers to
      // repeatedly trigger hash collisions (issue 25237).
      if (h_.count == 0) {
        h_.hash0 = rng_.fastrand();
        GOMAP_EMIT(Site::DeleteReseed, 0, 0, h_.hash0);
      }
      goto search_done;
    }
  }
search_done:
  if ((h_.flags & hashWriting) == 0) {
    GOMAP_EMIT(Site::DeleteExitCheck, 0, static_cast<uint32_t>(Message::ConcurrentMapWrites));
    fatalNow(Message::ConcurrentMapWrites);
  }
  {
    uint8_t f = h_.flags;
    GOMAP_EMIT(Site::DeleteExitFlagsLoad, f);
    h_.flags = f & ~hashWriting;
    GOMAP_EMIT(Site::DeleteExitFlagsClear, f, h_.flags);
  }
  GOMAP_EMIT(Site::DeleteEnd, static_cast<uint16_t>(Outcome::Ok));
}

// newoverflow (L246): take the next preallocated overflow bucket if any (the
// one whose overflow pointer is the sentinel is the last), else allocate one;
// count it and link it after the chain's last bucket.
template <class KT> Task<BucketRef> Map<KT>::newoverflow(BucketRef bref, Loc newLoc, Site site) {
  BucketRef ovf;
  bool fromPool = false;
  if (h_.extra && h_.nextOverflow != nilBucket) {
    ovf = h_.nextOverflow;
    fromPool = true;
    bmap& o = at(ovf);
    if (o.overflow == nilBucket) {
      // We're not at the end of the preallocated overflow buckets. Bump the pointer.
      h_.nextOverflow = ovf + 1;
    } else {
      // This is the last preallocated overflow bucket. Reset the sentinel.
      o.overflow = nilBucket;
      h_.nextOverflow = nilBucket;
    }
  } else {
    BucketArray& a = arrayOf(h_.buckets);
    a.heap.emplace_back();
    ovf = offset(h_.buckets & ~uint64_t{0xffffffff}, a.nbuckets + a.heap.size() - 1);
  }
  // incrnoverflow (L227): exact below B=16, then with probability 1/2^(B-15).
  if (h_.B < 16) {
    h_.noverflow++;
  } else {
    const uint32_t mask = (uint32_t{1} << (h_.B - 15)) - 1;
    const bool inc = (rng_.fastrand() & mask) == 0;
    if (inc) h_.noverflow++;
    GOMAP_EMIT(Site::IncrNoverflow, h_.noverflow, 0, inc);
  }
  if constexpr (!KT::hasPointers) {
    // createOverflow + append: keeps pointer-free overflow buckets alive for the GC.
    h_.extra = true;
    h_.hasOverflow = true;
    h_.overflowLen++;
  }
  at(bref).overflow = ovf;
  const uint32_t idx = indexOf(ovf);
  const uint32_t pre = idx < arrayOf(ovf).nbuckets ? idx : 0xffffffffu;
  GOMAP_EMIT(site, newLoc,
                uint64_t{pre} | uint64_t{h_.noverflow} << 32 | uint64_t{fromPool} << 48);
  co_return ovf;
}

// hashGrow (L1041): a bigger table if the load factor is hit, otherwise a
// same-size one to shed overflow buckets. Nothing moves yet: growWork and
// evacuate do that, a little on every write.
template <class KT> Task<void> Map<KT>::hashGrow() {
  uint8_t bigger = 1;
  const bool overLoad = overLoadFactor(h_.count + 1, h_.B);
  uint32_t trigger = (overLoad ? uint32_t{kGrowLoadFactor} : 0u) |
                     (tooManyOverflowBuckets(h_.noverflow, h_.B) ? uint32_t{kGrowOverflow} : 0u);
  if (!overLoad) {
    bigger = 0;
    h_.flags |= sameSizeGrow;
    trigger |= kGrowSameSize;
  }
  GOMAP_EMIT(Site::HashGrowBegin, static_cast<uint16_t>(h_.B + bigger), trigger, bucketShift(h_.B));
  const BucketRef oldbuckets = h_.buckets;
  ArrayResult r = makeBucketArray(h_.B + bigger);
  GOMAP_EMIT(Site::HashGrowArray, static_cast<uint16_t>(h_.B + bigger), arrayOf(r.buckets).nbuckets,
                arrayOf(r.buckets).nbuckets - bucketShift(h_.B + bigger));

  uint8_t flags = h_.flags & ~(iterator | oldIterator);
  if (h_.flags & iterator) flags |= oldIterator;
  const uint8_t before = h_.flags;
  // Commit the grow.
  h_.B += bigger;
  h_.flags = flags;
  h_.oldbuckets = oldbuckets;
  h_.buckets = r.buckets;
  h_.nevacuate = 0;
  h_.noverflow = 0;
  if (h_.extra && h_.hasOverflow) {
    // Promote current overflow buckets to the old generation.
    if (h_.hasOldOverflow) {
      GOMAP_EMIT(Site::ThrowBadMapState, 0, static_cast<uint32_t>(Message::OldoverflowNotNil));
      fatalNow(Message::OldoverflowNotNil);
    }
    h_.hasOldOverflow = true;
    h_.oldOverflowLen = h_.overflowLen;
    h_.hasOverflow = false;
    h_.overflowLen = 0;
  }
  if (r.nextOverflow != nilBucket) {
    h_.extra = true;
    h_.nextOverflow = r.nextOverflow;
  }
  GOMAP_EMIT(Site::HashGrowCommit, before, h_.flags, noldbuckets());
}

// growWork (L1128): evacuate the old bucket the write is about to use, then one
// more (at nevacuate) to make progress.
template <class KT> Task<void> Map<KT>::growWork(uint64_t bucket) {
  GOMAP_EMIT(Site::GrowWorkBegin, 0, static_cast<uint32_t>(bucket), bucket & oldbucketmask());
  co_await evacuate(bucket & oldbucketmask());
  if (growing()) co_await evacuate(h_.nevacuate);
}

// evacuate (L1152): move every live cell of old bucket `oldbucket` (and its
// overflow chain) to X (same index) or Y (index + newbit, bigger grows only),
// filling each destination densely in old-chain order.
template <class KT> Task<void> Map<KT>::evacuate(uint64_t oldbucket) {
  bmap* b = &at(offset(h_.oldbuckets, oldbucket));
  const uint64_t newbit = noldbuckets();
  const bool already = evacuated(*b);
  GOMAP_EMIT(Site::EvacuateBegin, 0, static_cast<uint32_t>(oldbucket), already);
  if (!already) {
    struct EvacDst {
      BucketRef ref;
      bmap* b;
      uint8_t i;
      Loc loc;
    };
    EvacDst xy[2];
    xy[0].ref = offset(h_.buckets, oldbucket);
    xy[0].b = &at(xy[0].ref);
    xy[0].i = 0;
    xy[0].loc = Loc{false, static_cast<uint32_t>(oldbucket), 0, 0};
    const bool sameSize = sameSizeGrowing();
    if (!sameSize) {
      // Only calculate y pointers if we're growing bigger.
      xy[1].ref = offset(h_.buckets, oldbucket + newbit);
      xy[1].b = &at(xy[1].ref);
      xy[1].i = 0;
      xy[1].loc = Loc{false, static_cast<uint32_t>(oldbucket + newbit), 0, 0};
    }
    uint16_t moved = 0;
    Loc src{true, static_cast<uint32_t>(oldbucket), 0, 0};
    for (; b != nullptr; b = b->overflow ? &at(b->overflow) : nullptr, src.chain++) {
      for (uint8_t i = 0; i < bucketCnt; i++) {
        uint8_t top = b->tophash[i];
        if (isEmpty(top)) {
          b->tophash[i] = evacuatedEmpty;
          continue;
        }
        src.slot = i;
        if (top < minTopHash) {
          GOMAP_EMIT(Site::ThrowBadMapState, src, static_cast<uint64_t>(Message::BadMapState));
          fatalNow(Message::BadMapState);
        }
        uint8_t useY = 0;
        uint64_t hash = 0;
        if (!sameSize) {
          // Compute hash to decide whether the cell goes to X or Y.
          hash = hasher(b->keys[i], h_.hash0);
          if ((h_.flags & iterator) && !KT::reflexiveKey && !keyEqual(b->keys[i], b->keys[i])) {
            // NaN: the hash is not repeatable, so the low bit of the old tophash
            // decides, and a fresh tophash spreads such keys on later grows.
            useY = top & 1;
            top = tophash(hash);
          } else if (hash & newbit) {
            useY = 1;
          }
        }
        b->tophash[i] = evacuatedX + useY;
        EvacDst& dst = xy[useY];
        if (dst.i == bucketCnt) {
          Loc next{false, dst.loc.bucket, static_cast<uint16_t>(dst.loc.chain + 1), 0};
          BucketRef nref = co_await newoverflow(dst.ref, next, Site::EvacuateNewOverflow);
          dst.ref = nref;
          dst.b = &at(nref);
          dst.i = 0;
          dst.loc = next;
        }
        dst.b->tophash[dst.i & (bucketCnt - 1)] = top;
        dst.b->keys[dst.i] = b->keys[i];
        dst.b->elems[dst.i] = b->elems[i];
        GOMAP_EMIT(Site::EvacuateCell, src,
                      uint64_t{dst.i} | uint64_t{useY} << 3 | uint64_t{std::min<uint16_t>(dst.loc.chain, 4095)} << 4 |
                          uint64_t{top} << 16 | uint64_t(std::countr_zero(newbit)) << 24 | (hash & 0xffffffffu) << 32);
        dst.i++;
        moved++;
      }
    }
    // Unlink the overflow buckets and clear key/elem to help GC; tophash keeps
    // the evacuation state.
    if ((h_.flags & oldIterator) == 0 && KT::hasPointers) {
      bmap& ob = at(offset(h_.oldbuckets, oldbucket));
      std::fill(std::begin(ob.keys), std::end(ob.keys), Slot{});
      std::fill(std::begin(ob.elems), std::end(ob.elems), 0);
      ob.overflow = nilBucket;
      GOMAP_EMIT(Site::EvacuateClearOld, 0, static_cast<uint32_t>(oldbucket));
    }
    GOMAP_EMIT(Site::EvacuateDone, moved, static_cast<uint32_t>(oldbucket));
  }
  if (oldbucket == h_.nevacuate) co_await advanceEvacuationMark(newbit);
}

// advanceEvacuationMark (L1266): step nevacuate past evacuated old buckets (at
// most 1024 at a time); when it reaches newbit the grow is done.
template <class KT> Task<void> Map<KT>::advanceEvacuationMark(uint64_t newbit) {
  const uint64_t prev = h_.nevacuate;
  h_.nevacuate++;
  uint64_t stop = h_.nevacuate + 1024;
  if (stop > newbit) stop = newbit;
  while (h_.nevacuate != stop && evacuated(at(offset(h_.oldbuckets, h_.nevacuate)))) h_.nevacuate++;
  GOMAP_EMIT(Site::AdvanceMark, 0, static_cast<uint32_t>(h_.nevacuate), prev);
  if (h_.nevacuate == newbit) {
    // Growing is all done. Free the old main bucket array and old overflow buckets.
    retire(h_.oldbuckets);
    h_.oldbuckets = nilBucket;
    if (h_.extra) {
      h_.hasOldOverflow = false;
      h_.oldOverflowLen = 0;
    }
    h_.flags &= ~sameSizeGrow;
    GOMAP_EMIT(Site::AdvanceMarkDone, h_.B);
  }
}

// mapclear (L993): everything goes, the bucket array is zeroed in place and
// its overflow pool rebuilt; B stays.
template <class KT> Task<void> Map<KT>::mapclear() {
  OpScope scope(this, true);
  GOMAP_EMIT(Site::ClearBegin, static_cast<uint16_t>(OpCode::Clear));
  if (isNil_ || h_.count == 0) {
    GOMAP_EMIT(Site::ClearEnd, static_cast<uint16_t>(Outcome::Ok));
    co_return;
  }
  if (h_.flags & hashWriting) {
    GOMAP_EMIT(Site::ClearEntryCheck, 0, static_cast<uint32_t>(Message::ConcurrentMapWrites));
    fatalNow(Message::ConcurrentMapWrites);
  }
  {
    uint8_t f = h_.flags;
    GOMAP_EMIT(Site::ClearFlagsLoad, f);
    h_.flags = f ^ hashWriting;
    GOMAP_EMIT(Site::ClearFlagsXor, f, h_.flags);
  }
  const uint8_t before = h_.flags;
  h_.flags &= ~sameSizeGrow;
  retire(h_.oldbuckets); // freed once no operation is in flight
  h_.oldbuckets = nilBucket;
  h_.nevacuate = 0;
  h_.noverflow = 0;
  h_.count = 0;
  GOMAP_EMIT(Site::ClearReset, before, h_.flags);
  h_.hash0 = rng_.fastrand();
  GOMAP_EMIT(Site::ClearReseed, 0, 0, h_.hash0);
  // Keep the mapextra allocation but clear any extra information.
  if (h_.extra) {
    h_.hasOverflow = h_.hasOldOverflow = false;
    h_.overflowLen = h_.oldOverflowLen = 0;
    h_.nextOverflow = nilBucket;
  }
  ArrayResult r = makeBucketArray(h_.B, h_.buckets);
  if (r.nextOverflow != nilBucket) h_.nextOverflow = r.nextOverflow;
  GOMAP_EMIT(Site::ClearArray, h_.B, arrayOf(h_.buckets).nbuckets);
  if ((h_.flags & hashWriting) == 0) {
    GOMAP_EMIT(Site::ClearExitCheck, 0, static_cast<uint32_t>(Message::ConcurrentMapWrites));
    fatalNow(Message::ConcurrentMapWrites);
  }
  {
    uint8_t f = h_.flags;
    GOMAP_EMIT(Site::ClearExitFlagsLoad, f);
    h_.flags = f & ~hashWriting;
    GOMAP_EMIT(Site::ClearExitFlagsClear, f, h_.flags);
  }
  GOMAP_EMIT(Site::ClearEnd, static_cast<uint16_t>(Outcome::Ok));
}

// mapiterinit (L815): snapshot B and the bucket array, pick a random start
// bucket and a random offset within buckets, mark the map as iterated.
template <class KT> Task<void> Map<KT>::mapiterinit(Iter& it) {
  it = Iter{};
  beginOp(true); // sets the iterator flags
  it.started = true;
  GOMAP_EMIT(Site::IterInitBegin, static_cast<uint16_t>(OpCode::Iter));
  if (isNil_ || h_.count == 0) {
    GOMAP_EMIT(Site::IterNextEnd);
    iterDone(it);
    co_return;
  }
  it.B = h_.B;
  it.bucketsRef = h_.buckets;
  it.buckets = &arrayOf(h_.buckets);
  if constexpr (!KT::hasPointers) {
    // createOverflow: the iterator keeps the overflow lists alive.
    h_.extra = true;
    h_.hasOverflow = true;
  }
  uint64_t r;
  if (h_.B > 31 - bucketCntBits) r = rng_.fastrand64();
  else r = rng_.fastrand();
  it.startBucket = r & bucketMask(h_.B);
  it.offset = static_cast<uint8_t>((r >> h_.B) & (bucketCnt - 1));
  it.bucket = it.startBucket;
  GOMAP_EMIT(Site::IterInitRand, it.offset, static_cast<uint32_t>(it.startBucket), r);
  const uint8_t old = h_.flags;
  if ((old & (iterator | oldIterator)) != (iterator | oldIterator)) h_.flags |= iterator | oldIterator;
  GOMAP_EMIT(Site::IterInitFlags, old, h_.flags);
  co_await mapiternext(it);
}

// mapiternext (L866): yield the next live cell, walking buckets from
// startBucket, cells from offset. During a grow started after the iterator, a
// not-yet-evacuated old bucket is walked instead, keeping only the keys that
// will land in the new bucket being visited.
template <class KT> Task<void> Map<KT>::mapiternext(Iter& it) {
  if (!it.started) co_return;
  if (h_.flags & hashWriting) {
    GOMAP_EMIT(Site::IterNextEntryCheck, 0, static_cast<uint32_t>(Message::ConcurrentIterationWrite));
    fatalNow(Message::ConcurrentIterationWrite);
  }
  uint64_t bucket = it.bucket;
  bmap* b = it.bptr;
  Loc bloc = it.bloc;
  uint8_t i = it.i;
  uint64_t checkBucket = it.checkBucket;
  const uint64_t itMask = bucketMask(it.B);
  for (;;) {
    if (b == nullptr) {
      if (bucket == it.startBucket && it.wrapped) {
        // End of iteration.
        it.valid = false;
        GOMAP_EMIT(Site::IterNextEnd);
        iterDone(it);
        co_return;
      }
      const bool useOld = growing() && it.B == h_.B;
      bool fromOld = false;
      if (useOld) {
        // Iterator started in the middle of a grow and the grow isn't done:
        // if the old bucket isn't evacuated yet, walk it for the keys that
        // will land in this new bucket.
        const uint64_t oldbucket = bucket & oldbucketmask();
        b = &at(offset(h_.oldbuckets, oldbucket));
        if (!evacuated(*b)) {
          checkBucket = bucket;
          fromOld = true;
          bloc = Loc{true, static_cast<uint32_t>(oldbucket), 0, 0};
        } else {
          b = &it.buckets->array[bucket];
          checkBucket = noCheck;
        }
      } else {
        b = &it.buckets->array[bucket];
        checkBucket = noCheck;
      }
      if (!fromOld) bloc = Loc{it.bucketsRef != h_.buckets && it.bucketsRef == h_.oldbuckets, static_cast<uint32_t>(bucket), 0, 0};
      GOMAP_EMIT(Site::IterNextBucket, bloc, checkBucket);
      bucket++;
      if (bucket == bucketShift(it.B)) {
        bucket = 0;
        it.wrapped = true;
      }
      i = 0;
    }
    for (; i < bucketCnt; i++) {
      const uint8_t offi = (i + it.offset) & (bucketCnt - 1);
      Loc loc = bloc;
      loc.slot = offi;
      const uint8_t th = b->tophash[offi];
      if (isEmpty(th) || th == evacuatedEmpty) continue;
      const Slot& k = b->keys[offi];
      const bool keyIsSelf = KT::reflexiveKey || keyEqual(k, k);
      if (checkBucket != noCheck && !sameSizeGrowing()) {
        if (keyIsSelf) {
          // If the item in the old bucket is not destined for the current new
          // bucket in the iteration, skip it.
          const uint64_t hash = hasher(k, h_.hash0);
          if ((hash & itMask) != checkBucket) {
            GOMAP_EMIT(Site::IterNextSkip, loc, static_cast<uint64_t>(IterSkip::OtherHalf));
            continue;
          }
        } else {
          // NaN: the low bit of tophash decides, as evacuate does.
          if ((checkBucket >> (it.B - 1)) != static_cast<uint64_t>(th & 1)) {
            GOMAP_EMIT(Site::IterNextSkip, loc, static_cast<uint64_t>(IterSkip::OtherHalf));
            continue;
          }
        }
      }
      if ((th != evacuatedX && th != evacuatedY) || !keyIsSelf) {
        // This is the golden data (or key != key, which can't be deleted or
        // updated): return it.
        it.key = k;
        it.elem = b->elems[offi];
        GOMAP_EMIT(Site::IterNextYield, loc, 0);
      } else {
        // The table has grown since the iterator started; the golden data is
        // elsewhere. Look it up in the current table (it may be deleted,
        // updated, or deleted and reinserted).
        Slot rk;
        int64_t re;
        if (!mapaccessK(k, rk, re)) {
          GOMAP_EMIT(Site::IterNextSkip, loc, static_cast<uint64_t>(IterSkip::Deleted));
          continue;
        }
        it.key = rk;
        it.elem = re;
        GOMAP_EMIT(Site::IterNextYield, loc, 1);
      }
      it.valid = true;
      it.bucket = bucket;
      it.bptr = b;
      it.bloc = bloc;
      it.i = i + 1;
      it.checkBucket = checkBucket;
      co_return;
    }
    if (b->overflow != nilBucket) {
      b = &at(b->overflow);
      bloc.chain++;
    } else {
      b = nullptr;
    }
    i = 0;
  }
}

template <class KT>
Task<void> Map<KT>::rangeLoop(std::vector<KeyValue>* keys, std::vector<int64_t>* vals) {
  Iter it;
  struct Guard {
    Map* m;
    Iter* it;
    ~Guard() { m->iterDone(*it); }
  } guard{this, &it};
  co_await mapiterinit(it);
  while (it.valid) {
    if (keys) keys->push_back(keyValueOf(it.key));
    if (vals) vals->push_back(it.elem);
    co_await mapiternext(it);
  }
}

template <class KT> bool Map<KT>::mapaccessK(const Slot& key, Slot& outKey, int64_t& outElem) {
  if (isNil_ || h_.count == 0) return false;
  const uint64_t hash = hasher(key, h_.hash0);
  uint64_t m = bucketMask(h_.B);
  bmap* b = &at(offset(h_.buckets, hash & m));
  if (h_.oldbuckets != nilBucket) {
    if (!sameSizeGrowing()) m >>= 1;
    bmap* oldb = &at(offset(h_.oldbuckets, hash & m));
    if (!evacuated(*oldb)) b = oldb;
  }
  const uint8_t top = tophash(hash);
  for (; b != nullptr; b = b->overflow ? &at(b->overflow) : nullptr) {
    for (uint8_t i = 0; i < bucketCnt; i++) {
      if (b->tophash[i] != top) {
        if (b->tophash[i] == emptyRest) return false;
        continue;
      }
      if (keyEqual(key, b->keys[i])) {
        outKey = b->keys[i];
        outElem = b->elems[i];
        return true;
      }
    }
  }
  return false;
}

} // namespace gomap
