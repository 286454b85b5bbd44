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

# Binary junk never crashes the parser.
head -c 4096 /dev/urandom > "$dir/junk.ops"
"$bin" dump "$dir/junk.ops" >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || [ $rc -eq 0 ] || fail "junk input: exit $rc"

# No display: the start command says so and falls back to the terminal view.
out=$(env -u DISPLAY -u WAYLAND_DISPLAY "$bin" 2>"$dir/err" </dev/null); rc=$?
[ $rc -eq 0 ] || fail "no-display start: exit $rc ($(cat "$dir/err"))"
printf '%s\n' "$out" | grep -q "hmap  count=" || fail "terminal view missing: $out"
echo "cli checks passed"
