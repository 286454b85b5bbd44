#!/usr/bin/env bash
# atomic.Value.CompareAndSwap on maps, on the real Go 1.19 runtime and on the
# simulator: cowcheck (main.go + cow.go) runs two Stores of cow.go's ValueCas
# one after the other (the first on the empty Value) and prints the panic the
# second one recovers; the simulator runs the same two Stores (lesson 15a,
# valuecas_int64.race). Both must panic with the same text, in the second
# Store, at cow.go:100. cowcheck ptrcas races two CAS-loop writers 2000 times
# (GOMAXPROCS=2): no round may lose a key.
#
#   compare.sh COWCHECK GOMAPLAB SOURCE_DIR
set -uo pipefail
cowcheck=$1 gomaplab=$2 src=$3
fail=0
for kind in string int64; do
  real=$(timeout 60 "$cowcheck" valuecas $kind 2>&1)
  real_panic=$(printf '%s\n' "$real" | sed -n 's/^store [^:]*: panic: //p')
  echo "real Go 1.19 ($kind):"; printf '%s\n' "$real" | sed 's/^/  /'
  if [ $kind = string ]; then scen="$src/assets/lessons/15a-cow-value-cas-panics.race"; else scen="$src/tests/concurrency/cow_go/valuecas_int64.race"; fi
  sim=$("$gomaplab" race "$scen" 2>&1)
  sim_panic=$(printf '%s\n' "$sim" | sed -n 's/^panic: //p' | head -1)
  sim_g=$(printf '%s\n' "$sim" | grep -m1 -E '^goroutine [0-9]+ \[running\]:' | sed -E 's/^goroutine ([0-9]+).*/\1/')
  sim_top=$(printf '%s\n' "$sim" | grep -A4 -m1 '\[running\]:' | sed -n 2,5p | sed 's|  //.*||' | tr -d '\t' | tr '\n' ' ')
  echo "simulator ($kind): panic: $sim_panic in G$sim_g at $sim_top"
  if [ -z "$real_panic" ] || [ "$real_panic" != "$sim_panic" ]; then
    echo "FAIL: the panic texts differ: real \"$real_panic\", simulator \"$sim_panic\""; fail=1
  fi
  printf '%s\n' "$real" | grep -q '(empty Value): returned$' || { echo "FAIL: the first Store did not return on the real runtime"; fail=1; }
  [ "$sim_g" = 2 ] || { echo "FAIL: the simulator's panicking goroutine is G$sim_g, not the second Store's"; fail=1; }
  case "$sim_top" in "sync/atomic.(*Value).CompareAndSwap(...) \$GOROOT/src/sync/atomic/value.go:185 main.(*ValueCas[...]).Store() cow.go:100 "*) ;;
    *) echo "FAIL: top frames $sim_top"; fail=1 ;; esac
done
# The real traceback's top frames, as the simulator prints them: CompareAndSwap at
# value.go:185, called by the Store at cow.go:100.
tb=$(timeout 60 "$cowcheck" valuecas-unrecovered 2>&1)
echo "real Go 1.19 unrecovered:"; printf '%s\n' "$tb" | head -7 | sed 's/^/  /'
printf '%s\n' "$tb" | sed -n 4p | grep -q '^sync/atomic.(\*Value).CompareAndSwap(' &&
  printf '%s\n' "$tb" | sed -n 5p | grep -q '/sync/atomic/value.go:185 ' &&
  printf '%s\n' "$tb" | sed -n 6p | grep -q '^main.(\*ValueCas\[...\]).Store(' &&
  printf '%s\n' "$tb" | sed -n 7p | grep -q '/cow.go:100 ' || { echo "FAIL: the real top frames differ"; fail=1; }
lost=$(GOMAXPROCS=2 timeout 120 "$cowcheck" ptrcas 2>&1)
echo "real Go 1.19: $lost"
[ "$lost" = "ptrcas: rounds that lost a key: 0" ] || { echo "FAIL: the CAS loop lost keys"; fail=1; }
[ $fail = 0 ] && echo "OK: atomic.Value.CompareAndSwap on maps panics with the same text on both"
exit $fail
