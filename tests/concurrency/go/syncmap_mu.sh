#!/usr/bin/env bash
# sync.Map's one mutex on the real Go 1.19 runtime and on the simulator:
# racecheck syncmap_mu (main.go) holds a sync.Map's mu as a Store of a new key
# does; the simulator runs syncmap_mu.race up to the same point. Both must
# agree: a Store of an existing key and a Load hit return, a Store of a new key
# blocks with mu's state word at 9 (mutexLocked | one waiter).
#
#   syncmap_mu.sh RACECHECK GOMAPLAB SCENARIO_DIR
set -uo pipefail
racecheck=$1 gomaplab=$2 dir=$3
real=$(GOMAXPROCS=2 timeout 60 "$racecheck" syncmap_mu 2>&1) || { echo "FAIL: racecheck syncmap_mu: $real"; exit 1; }
echo "real Go 1.19:"; printf '%s\n' "$real" | sed 's/^/  /'
out=$("$gomaplab" race "$dir/syncmap_mu.race")
state=$("$gomaplab" race "$dir/syncmap_mu.race" --states 2>/dev/null | tail -1 | sed -E 's/.*"mu":\{"state":([0-9]+).*/\1/')
sim=""
printf '%s\n' "$out" | grep -q '^  G2: done$' && sim+="store-existing: returned"$'\n'
printf '%s\n' "$out" | grep -q '^  G3: done$' && sim+="load-hit: returned"$'\n'
if printf '%s\n' "$out" | grep -q "^  G4: blocked at 'store n2 2' in Store (sync/map.go:150: m.mu.Lock())"; then
  sim+="store-new: blocked state=$state"
else
  sim+="store-new: returned"
fi
sim=$(printf '%s\n' "$sim" | sort)
echo "simulator:"; printf '%s\n' "$sim" | sed 's/^/  /'
want=$(printf '%s\n' "$real" | grep -v 'after unlock' | sort)
if [ "$want" != "$sim" ]; then
  echo "FAIL: the real runtime and the simulator differ"; printf '%s\n' "$out"; exit 1
fi
printf '%s\n' "$real" | grep -q '^store-new: returned after unlock, n2=2$' || { echo "FAIL: the Store did not return after Unlock"; exit 1; }
echo "OK: sync.Map's one mutex behaves the same on both"
