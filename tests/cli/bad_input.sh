#!/usr/bin/env bash
# The CLI on bad input: a clear FILE:LINE message, exit status 2, earlier ops'
# lines still printed, never a crash.
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf 'make int64 0\nput 1 10\nput 2 x\nput 3 30\n' > "$dir/bad.ops"
out=$("$bin" dump "$dir/bad.ops" 2>"$dir/err"); rc=$?
[ $rc -eq 2 ] || fail "exit status $rc, want 2"
[ "$(printf '%s\n' "$out" | wc -l)" -eq 2 ] || fail "want the 2 earlier ops' lines, got: $out"
grep -q "^$dir/bad.ops:3:7: expected an int64 value, got \"x\"$" "$dir/err" || fail "stderr: $(cat "$dir/err")"

"$bin" dump "$dir/missing.ops" 2>"$dir/err"; rc=$?
[ $rc -eq 2 ] || fail "missing file: exit $rc"
grep -q "missing.ops: cannot open script" "$dir/err" || fail "missing file message: $(cat "$dir/err")"

printf 'make int64 0\nput 1 1\n' | "$bin" events - > "$dir/ev" || fail "events from stdin"
grep -q '"kind":"cell_written"' "$dir/ev" || fail "no cell_written event"

"$bin" dump --every 0 "$dir/bad.ops" 2>"$dir/err"; rc=$?
[ $rc -ne 0 ] || fail "--every 0 accepted"
# A missing file (or a subcommand that does not exist) is bad input: exit 2
# with the name, before any window opens (DISPLAY is set on purpose).
DISPLAY=:0 "$bin" frobnicate 2>"$dir/err"; rc=$?
[ $rc -eq 2 ] || fail "unknown subcommand / missing file: exit $rc, expected 2"
grep -q "^frobnicate: cannot open" "$dir/err" || fail "missing file not named: $(cat "$dir/err")"

# Swiss scripts (issue 13): the grammar's rules, FILE:LINE:COL, exit 2.
swiss_bad() { # SCRIPT EXPECTED-STDERR-LINE
  printf "$1" > "$dir/sw.ops"
  "$bin" dump "$dir/sw.ops" >/dev/null 2>"$dir/err"; rc=$?
  [ $rc -eq 2 ] || fail "swiss: exit $rc for $1"
  grep -qF -- "$2" "$dir/err" || fail "swiss: want '$2', got: $(cat "$dir/err")"
}
swiss_bad 'make swiss int8 0\n' "sw.ops:1:12: expected a key kind (int64, int32, string or float64), got \"int8\""
swiss_bad 'version go1.25\n' "sw.ops:1:9: expected go1.26 or go1.27, got \"go1.25\""
swiss_bad 'version go1.27\nmake int64 0\n' "sw.ops:2:1: expected 'make swiss KIND HINT [SEED]': line 1 set up a Swiss map"
swiss_bad 'make swiss int64 0\npin 1 2\n' "sw.ops:2:1: expected an op of the Swiss map: 'pin' works on the classic map only"
swiss_bad 'make swiss int64 0\niter 5\n' "sw.ops:2:"
swiss_bad 'make swiss int64 0\nseed 0x1ffffffffffffffff\n' "sw.ops:2:6: expected a 64-bit seed"
swiss_bad 'make swiss string 100000000000\n' "sw.ops:1:19: expected a hint whose groups take at most 1 GiB"
swiss_bad 'hashkey 1 2 3\n' "sw.ops:1:"
swiss_bad 'make swiss int64 0\nmake int64 0\n' "sw.ops:2:1: expected 'make swiss KIND HINT [SEED]': this script made a Swiss map"
swiss_bad 'make int64 0\nmake swiss int64 0\n' "sw.ops:2:1: expected 'make KIND HINT': this script made a classic map"

# Binary junk never crashes the parser.
head -c 4096 /dev/urandom > "$dir/junk.ops"
"$bin" dump "$dir/junk.ops" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || [ $rc -eq 0 ] || fail "junk input: exit $rc"

# No display: the start command says so and falls back to the terminal view.
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$bin" 2>"$dir/err" </dev/null); rc=$?
[ $rc -eq 0 ] || fail "no-display start: exit $rc ($(cat "$dir/err"))"
printf '%s\n' "$out" | grep -q "hmap  count=" || fail "terminal view missing: $out"
echo "cli checks passed"
