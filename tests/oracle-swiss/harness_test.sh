#!/usr/bin/env bash
# CTest swiss_diff.go1.2x.harness: diff.sh's own test, on a stand-in engine
# (fake_engine.sh: the oracle, its output edited with sed), so that the harness
# is proven whatever the engine does.
#   FAKE_ORACLE=ORACLE harness_test.sh SRCDIR BINDIR GEN_SWISS_SCRIPT VERSION
set -uo pipefail
src=$1 bin=$2 gen=$3 v=$4
work=$(mktemp -d "${TMPDIR:-/tmp}/swissdiff-harness.XXXXXX")
trap 'rm -rf "$work"' EXIT
fails=0
fail() { echo "FAIL: $*" >&2; fails=$((fails + 1)); }
# run NAME SED EVERY [diff.sh args...]: diff.sh's status in $rc, its output in $out.
run() {
  local name=$1 sed=$2 every=$3
  shift 3
  out=$(FAKE_SED=$sed "$src/diff.sh" --work "$work" --name "$name" --engine "$src/fake_engine.sh" --oracles "$bin" \
        --every "$every" "$@" 2>&1)
  rc=$?
}
expect() { # expect NAME WANTRC PATTERN...
  local name=$1 want=$2
  shift 2
  [ "$rc" = "$want" ] || fail "$name: exit status $rc, want $want; output:
$out"
  for p in "$@"; do
    grep -qF -- "$p" <<< "$out" || fail "$name: the output lacks '$p'; output:
$out"
  done
}
# One segment of a generated script (one make: the stand-in edits its output by
# line number) with 844 deletes that empty a small table (each followed by
# `seed`), tombstones and 3333 ops.
"$gen" --seed 18 --ops 20000 --kind int64 | awk '/^make/ { m++ } m <= 1' > "$work/s.ops"
grep -q '^seed' "$work/s.ops" || fail "the generated script has no seed op"

run same '' 1 --version "$v" --script "$work/s.ops"
expect same 0 "byte for byte except" "seed(s) drawn"

run same_every '' 997 --version "$v" --script "$work/s.ops"
expect same_every 0 "(--every 997)"

# A field changed from line 2003 on: found at the first op >= 2003 that has a table.
want=$(FAKE_SED='' "$src/fake_engine.sh" dump --every 1 "$work/same.run.ops" |
       awk 'NR >= 2003 && /"growthLeft":/ { print NR; exit }')
op=$(sed -n "${want}p" "$work/s.ops")
run changed '2003,$s/"growthLeft":/"growthLeft":9/' 1 --version "$v" --script "$work/s.ops"
expect changed 1 "op $want (s.ops:$want): $op" "first difference at .tables[0].growthLeft"
run bisect '2003,$s/"growthLeft":/"growthLeft":9/' 997 --version "$v" --script "$work/s.ops"
expect bisect 1 "bisecting ops" "the first op whose state differs:
bisect ($v): op $want (s.ops:$want): $op"

run short '1000q' 1 --version "$v" --script "$work/s.ops"
expect short 1 "op 1001 (s.ops:1001)" "the engine printed no line for it (it stopped after op 1000)"

# A seed that differs on a line not followed by `seed` is a difference.
run seed 's/"seed":"0x[0-9a-f]*"/"seed":"0x0000000000000001"/' 1 --version "$v" --script "$work/s.ops"
expect seed 1 "op 2 (s.ops:2): make swiss" "first difference at .seed"

# A script's version op picks the oracle; a different --version is refused.
other=go1.26; [ "$v" = go1.26 ] && other=go1.27
{ echo "version $other"; cat "$work/s.ops"; } > "$work/other.ops"
run version '' 1 --version "$v" --script "$work/other.ops"
expect version 2 "starts with \`version $other\` but the test asks for $v"

# A script with several makes: whole, and with --segments (each make its own run); line N is op N.
"$gen" --seed 1 --ops 20000 --kind int64 > "$work/multi.ops"
[ "$(grep -c '^make' "$work/multi.ops")" -ge 3 ] || fail "the generated script has fewer than 3 makes"
run multi "" 997 --version "$v" --segments --script "$work/multi.ops"
expect multi 0 "$(($(grep -vc "^#" "$work/multi.ops") + 1)) lines"
run whole "" 997 --version "$v" --script "$work/multi.ops"
expect whole 0 "$(($(grep -vc '^#' "$work/multi.ops") + 1)) lines"

# --replay-iter: plain iters get the offsets the runtime drew; a different order is found.
# A loop (iter do ...) is replayed too, as iter E D do ....
{ echo "make swiss int64 0 9"; for i in $(seq 1 20); do echo "put $i $i"; done; printf 'iter\niter\niter\niter do put k+100 1; get k\n'; } > "$work/it.ops"
run replay '' 1 --version "$v" --replay-iter --script "$work/it.ops"
expect replay 0 "4 plain iters replayed" "26 lines byte-identical"
grep -q '^iter [0-9][0-9]* [0-9][0-9]*$' "$work/replay.run.ops" || fail "replay: no iter E D in the script run"
grep -q '^iter [0-9][0-9]* [0-9][0-9]* do put k+100 1; get k$' "$work/replay.run.ops" || fail "replay: no iter E D do ... in the script run"
run replay_bad '23s/"keys":\[/"keys":[99,/' 1 --version "$v" --replay-iter --script "$work/it.ops"
expect replay_bad 1 "op 23 (it.ops:22): iter " "first difference at .keys[0]"

[ "$fails" = 0 ] && echo "diff.sh harness ($v): 11 cases pass"
exit $((fails > 0))
