#!/usr/bin/env bash
# Runs one racing program on the real Go 1.19 runtime (racecheck, main.go) and
# the same program as a scenario on the simulator (PROGRAM.race), and checks
# that both die with the same "fatal error: ..." line and, where only one
# goroutine can notice the race, in the same role (the reader, the iterator).
#
#   compare.sh RACECHECK GOMAPLAB SCENARIO_DIR PROGRAM [TRIES]
# The real runtime only notices a race when the two goroutines overlap, so it
# runs with GOMAXPROCS=2, up to TRIES times (default 20), 60 s each at most.
#
# The Swiss map (Go 1.24+): with SWISS=go1.26 or SWISS=go1.27, RACECHECK is
# main.go built with that release, the scenario is PROGRAM_swiss.race run at
# that version, and the dying goroutine's top frame (function and
# runtime/panic.go line) must be the same too.
# rw_deadlock (writer preference) deadlocks on every run; for it the blocked
# goroutines' state and sync frames (method and rwmutex.go line) must match too.
set -uo pipefail
racecheck=$1 gomaplab=$2 dir=$3 program=$4 tries=${5:-20}
swiss=${SWISS:-}
scenario="$dir/$program.race" label="real Go 1.19"
if [ -n "$swiss" ]; then
  label="real $swiss"
  scenario=$(mktemp --suffix=.race)
  trap 'rm -f "$scenario"' EXIT
  sed "s/^  make swiss/  version $swiss\n  make swiss/" "$dir/${program}_swiss.race" > "$scenario"
fi
case "$program" in
  writers) role="" ;;
  reader_writer) role=main.reader ;;
  iter_writer) role=main.iterator ;;
  rw_deadlock) role="" ;;
  *) echo "compare.sh: unknown program $program" >&2; exit 2 ;;
esac

sim=$("$gomaplab" race "$scenario")
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
  if [ -n "$swiss" ] && [ $status -eq 2 ] && [ -n "$real_fatal" ] && [ "$real_fatal" != "$sim_fatal" ]; then
    # Go 1.24+'s iterator dies in either of two checks, depending on where the
    # writer caught it (Iter.Next's own, or getWithKey's when it looks a key up
    # again after a grow): ask the runtime again until it names the simulator's.
    echo "$label, try $i: $real_fatal (the other check), again"
    real_fatal=""
    continue
  fi
  if [ $status -eq 2 ] && [ -n "$real_fatal" ]; then
    # The first main.* frame of the goroutine that was running when it died.
    real_fn=$(printf '%s\n' "$out" | sed -n '/\[running\]:/,/^$/p' | grep -m1 -E '^main\.' | sed -E 's/\(.*//')
    echo "$label, try $i: $real_fatal (in $real_fn)"
    break
  fi
  echo "$label, try $i: not caught (exit $status), again"
  real_fatal=""
done
if [ -z "$real_fatal" ]; then
  echo "FAIL: the real runtime never noticed the race in $tries runs"; exit 1
fi
echo "simulator:         $sim_fatal (in G$sim_g)"
if [ "$real_fatal" != "$sim_fatal" ]; then
  echo "FAIL: different fatal errors"; exit 1
fi
if [ -n "$swiss" ]; then
  # The first frame of the goroutine that died: "internal/runtime/maps.fatal" in runtime/panic.go at a line of the release.
  top() { sed -n '/\[running\]:/,/^$/p' | sed -n '2,3p' | sed -E 's/\(.*//; s/^[[:space:]]+//; s/ .*//; s#.*/src/##' | paste -sd' '; }
  real_top=$(printf '%s\n' "$out" | top) sim_top=$(printf '%s\n' "$sim" | top)
  echo "top frame: real $real_top, simulator $sim_top"
  if [ "$real_top" != "$sim_top" ]; then
    echo "FAIL: different top frames"; exit 1
  fi
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
