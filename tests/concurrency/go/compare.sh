#!/usr/bin/env bash
# Runs one racing program on the real Go 1.19 runtime (racecheck, main.go) and
# the same program as a scenario on the simulator (PROGRAM.race), and checks
# that both die with the same "fatal error: ..." line and, where only one
# goroutine can notice the race, in the same role (the reader, the iterator).
#
#   compare.sh RACECHECK GOMAPLAB SCENARIO_DIR PROGRAM [TRIES]
# The real runtime only notices a race when the two goroutines overlap, so it
# runs with GOMAXPROCS=2, up to TRIES times (default 20), 60 s each at most.
# rw_deadlock (writer preference) deadlocks on every run; for it the blocked
# goroutines' state and sync frames (method and rwmutex.go line) must match too.
set -uo pipefail
racecheck=$1 gomaplab=$2 dir=$3 program=$4 tries=${5:-20}
case "$program" in
  writers) role="" ;;
  reader_writer) role=main.reader ;;
  iter_writer) role=main.iterator ;;
  rw_deadlock) role="" ;;
  *) echo "compare.sh: unknown program $program" >&2; exit 2 ;;
esac

sim=$("$gomaplab" race "$dir/$program.race")
sim_fatal=$(printf '%s\n' "$sim" | grep -m1 '^fatal error: ')
sim_g=$(printf '%s\n' "$sim" | grep -m1 -E '^goroutine [0-9]+ \[running\]:' | sed -E 's/^goroutine ([0-9]+).*/\1/')
if [ -z "$sim_fatal" ]; then
  echo "FAIL: the simulator did not die on $program:"; printf '%s\n' "$sim"; exit 1
fi

real_fatal="" real_fn="" out=""
for i in $(seq 1 "$tries"); do
  out=$(GOMAXPROCS=2 timeout 60 "$racecheck" "$program" 2>&1)
  status=$?
  real_fatal=$(printf '%s\n' "$out" | grep -m1 '^fatal error: ')
  if [ $status -eq 2 ] && [ -n "$real_fatal" ]; then
    # The first main.* frame of the goroutine that was running when it died.
    real_fn=$(printf '%s\n' "$out" | sed -n '/\[running\]:/,/^$/p' | grep -m1 -E '^main\.' | sed -E 's/\(.*//')
    echo "real Go 1.19, try $i: $real_fatal (in $real_fn)"
    break
  fi
  echo "real Go 1.19, try $i: not caught (exit $status), again"
  real_fatal=""
done
if [ -z "$real_fatal" ]; then
  echo "FAIL: the real runtime never noticed the race in $tries runs"; exit 1
fi
echo "simulator:         $sim_fatal (in G$sim_g)"
if [ "$real_fatal" != "$sim_fatal" ]; then
  echo "FAIL: different fatal errors"; exit 1
fi
if [ -n "$role" ]; then
  # G2 is the reader / iterator in the scenario, as the second goroutine of main.go.
  if [ "$real_fn" != "$role" ] || [ "$sim_g" != 2 ]; then
    echo "FAIL: expected the $role goroutine to die (real: $real_fn, simulator: G$sim_g)"; exit 1
  fi
fi
if [ "$program" = rw_deadlock ]; then
  # "[semacquire] sync.(*RWMutex).RLock rwmutex.go:71", one line per blocked frame, sorted.
  frames() {
    awk '/^goroutine [0-9]+ \[/ { st = $3 }
         /^sync\.\(\*RWMutex\)\.[A-Za-z]+\(/ { m = $0; sub(/\([^()]*\)$/, "", m); want = 1; next }
         want { match($0, /rwmutex\.go:[0-9]+/); print st, m, substr($0, RSTART, RLENGTH); want = 0 }' | sort
  }
  real_frames=$(printf '%s\n' "$out" | frames)
  sim_frames=$(printf '%s\n' "$sim" | frames)
  echo "real Go 1.19 blocked frames:"; printf '%s\n' "$real_frames" | sed 's/^/  /'
  echo "simulator blocked frames:";   printf '%s\n' "$sim_frames" | sed 's/^/  /'
  if [ -z "$real_frames" ] || [ "$real_frames" != "$sim_frames" ]; then
    echo "FAIL: the blocked goroutines differ"; exit 1
  fi
fi
echo "OK: $program dies with the same message on both"
