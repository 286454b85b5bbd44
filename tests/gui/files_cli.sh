#!/usr/bin/env bash
# No lost work, with the real binary under Xvfb: ops typed into a session (the
# GOMAPLAB_TEST_RUN hook runs them as the command field does), the process
# killed with SIGKILL, the next start offers the autosave back, restoring it
# gives the same session (and the edits go on from there), discarding removes it;
# a second window while the first runs leaves the first one's autosave alone.
set -u
bin=$1
src=$2
xvfb=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
export HOME=$dir XDG_CONFIG_HOME=$dir/config XDG_STATE_HOME=$dir/state XDG_DATA_HOME=$dir/data
as=$dir/state/gomaplab/autosave.ops
script=$src/assets/scenarios/growth.ops
sum=$(cksum <"$script")

# 1. Edit, then die by SIGKILL: no chance to clean up.
GOMAPLAB_TEST_RUN='put 7777 1;del 3;put 8888 2' "$xvfb" \
  sh -c 'echo $$ >"$0"; exec "$1" "$2"' "$dir/pid" "$bin" "$script" >"$dir/out1" 2>&1 &
runner=$!
for _ in $(seq 1 100); do [ -s "$as" ] && break; sleep 0.1; done
[ -s "$as" ] || fail "no autosave after the edits: $(cat "$dir/out1")"
sleep 0.3
# A second window meanwhile neither offers the first one's work nor writes over it.
cp "$as" "$dir/first.ops"
[ "$(cat "$as.pid")" = "$(cat "$dir/pid")" ] || fail "autosave.pid does not name the first window"
GOMAPLAB_TEST_ANSWER=discard GOMAPLAB_TEST_RUN='put 5555 5' GOMAPLAB_QUIT_AFTER_FRAMES=6 \
  "$xvfb" "$bin" "$script" >"$dir/out1b" 2>&1 || fail "second window: $(cat "$dir/out1b")"
cmp -s "$as" "$dir/first.ops" || fail "the second window changed the first one's autosave"
[ "$(cat "$as.pid")" = "$(cat "$dir/pid")" ] || fail "the second window took autosave.pid"
kill -9 "$(cat "$dir/pid")"
wait "$runner" 2>/dev/null
[ -s "$as" ] || fail "the autosave did not survive kill -9"
head -1 "$as" | grep -qx "# gomaplab autosave of: $script" || fail "autosave header: $(head -1 "$as")"
tail -n +2 "$as" >"$dir/before.ops"
head -c "$(wc -c <"$script")" "$dir/before.ops" | cmp -s - "$script" || fail "the autosave does not start with the opened file"
[ "$(tail -3 "$dir/before.ops" | tr '\n' '|')" = "put 7777 1|del 3|put 8888 2|" ] || fail "autosave tail: $(tail -3 "$dir/before.ops")"
"$bin" dump "$dir/before.ops" >"$dir/dump-before.json" 2>&1 || fail "the autosave does not replay: $(tail -2 "$dir/dump-before.json")"

# 2. Restart, answer Restore, go on editing: the session is the restored one plus the new op.
GOMAPLAB_TEST_ANSWER=restore GOMAPLAB_TEST_RUN='put 9999 9' GOMAPLAB_QUIT_AFTER_FRAMES=6 \
  "$xvfb" "$bin" "$script" >"$dir/out2" 2>&1 || fail "restart: $(cat "$dir/out2")"
[ -s "$as" ] || fail "restored work is still unsaved, but there is no autosave"
tail -n +2 "$as" >"$dir/after.ops"
{ cat "$dir/before.ops"; echo "put 9999 9"; } | cmp -s - "$dir/after.ops" ||
  fail "restored session differs: $(diff "$dir/before.ops" "$dir/after.ops" | head -5)"
head -1 "$as" | grep -qx "# gomaplab autosave of: $script" || fail "restored header: $(head -1 "$as")"
# The restored session replays to the same state as the killed one plus that op.
"$bin" dump "$dir/after.ops" >"$dir/dump-after.json" 2>&1 || fail "restored script does not replay"

# 3. Restart, answer Discard: the autosave is gone, the opened file untouched.
GOMAPLAB_TEST_ANSWER=discard GOMAPLAB_QUIT_AFTER_FRAMES=4 \
  "$xvfb" "$bin" "$script" >"$dir/out3" 2>&1 || fail "restart 2: $(cat "$dir/out3")"
[ -e "$as" ] && fail "discarded, but the autosave is still there"
[ "$(cksum <"$script")" = "$sum" ] || fail "the bundled script changed"

# 4. A run without edits leaves no autosave, and lets go of autosave.pid.
GOMAPLAB_QUIT_AFTER_FRAMES=3 "$xvfb" "$bin" "$script" >"$dir/out4" 2>&1 || fail "clean run"
[ -e "$as" ] && fail "a clean run left an autosave"
[ -e "$as.pid" ] && fail "a clean run left autosave.pid"
echo "files cli: ok"
