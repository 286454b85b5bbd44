#!/usr/bin/env bash
# A copy-on-write map written in place (cow.go's InPlace: p := c.p.Load();
# (*p)[k] = v), on the real Go 1.19 runtime and on the simulator. cowcheck
# inplace runs two goroutines Storing into one InPlace in a loop (GOMAXPROCS=2)
# until the runtime's check ends the program; cowcheck inplace-read runs a
# writer and a reader. Each must die with the fatal error the simulator gives
# for the same program (lesson 15e, inplace_read.race): the same first line,
# exit status 2, and the same user frame (main.(*InPlace[...]).Store at
# cow.go:126, Load at cow.go:131).
#
#   inplace.sh COWCHECK GOMAPLAB SOURCE_DIR
set -uo pipefail
cowcheck=$1 gomaplab=$2 src=$3
fail=0
check() { # MODE SCENARIO METHOD LINE
  local mode=$1 scen=$2 method=$3 line=$4
  real=$(GOMAXPROCS=2 timeout 120 "$cowcheck" "$mode" 2>&1); status=$?
  real_first=$(printf '%s\n' "$real" | head -1)
  echo "real Go 1.19 ($mode, exit $status):"; printf '%s\n' "$real" | head -6 | sed 's/^/  /'
  [ $status = 2 ] || { echo "FAIL: cowcheck $mode exited $status, not 2 (a fatal error)"; fail=1; }
  # The running goroutine's first frame is the user method that indexes *p (the runtime's frames are hidden).
  # (Both writers may detect the race at once: the runtime then prints the fatal line twice.)
  top=$(printf '%s\n' "$real" | grep -A2 -m1 '\[running\]:$' | sed -n 2,3p)
  printf '%s\n' "$top" | sed -n 1p | grep -qF "main.(*InPlace[...]).$method(" &&
    printf '%s\n' "$top" | sed -n 2p | grep -q "/cow.go:$line " ||
    { echo "FAIL: the real top frame is not main.(*InPlace[...]).$method at cow.go:$line"; fail=1; }
  sim=$("$gomaplab" race "$scen" 2>&1)
  sim_first=$(printf '%s\n' "$sim" | head -1)
  echo "simulator: $sim_first"
  [ -n "$real_first" ] && [ "$real_first" = "$sim_first" ] ||
    { echo "FAIL: the fatal errors differ: real \"$real_first\", simulator \"$sim_first\""; fail=1; }
  printf '%s\n' "$sim" | grep -A1 -m1 -F "main.(*InPlace[...]).$method()" | grep -q "cow.go:$line " ||
    { echo "FAIL: the simulator's traceback does not name main.(*InPlace[...]).$method at cow.go:$line"; fail=1; }
  printf '%s\n' "$sim" | grep -q -- '-- expected: .*: met' || { echo "FAIL: the scenario's expectation is not met"; fail=1; }
}
check inplace "$src/assets/lessons/15e-cow-inplace-dies.race" Store 126
check inplace-read "$src/tests/concurrency/cow_go/inplace_read.race" Load 131
[ $fail = 0 ] && echo "OK: writing the loaded map in place dies with the same fatal errors on both"
exit $fail
