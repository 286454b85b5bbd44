#!/usr/bin/env bash
# The real binary under X, driven by xdotool (issue 11, Tests: "fast key taps are
# all taken"). Run on an X server (CTest runs it through with_xvfb.sh): xdotool_keys.sh GOMAPLAB SRCDIR [SHOTDIR]
#
# 20 Right taps sent by xdotool 5 ms apart (a presenter's clicker) must land on the
# same event as 20 taps sent one by one with a pause after each (event 19 after Home),
# and 19 slow taps one before: each run prints where its cursor ended
# (GOMAPLAB_TIMING=1). The screenshots of the runs are compared too (ImageMagick's
# `compare -metric AE`, the event log's column masked) and the counts printed, but
# they do not decide: in one fresh-clone CTest run the fast and slow pictures
# differed by 6952 pixels (20 vs 19 taps: 3269), and a picture cannot say whether
# taps were lost or something else was drawn differently; the cursor can. Each run gets its own
# HOME, so window placement and preferences start the same. With SHOTDIR the
# pictures are kept.
set -u
bin=$1
src=$2
keep=${3:-}
dir=$(mktemp -d)
pid=
cleanup() {
  [ -n "$pid" ] && kill "$pid" 2>/dev/null
  rm -rf "$dir"
}
trap cleanup EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
for t in xdotool import compare; do command -v $t >/dev/null || { echo "SKIP: $t not installed"; exit 77; }; done
[ -n "${DISPLAY:-}" ] || fail "no DISPLAY (run through tests/gui/with_xvfb.sh or xvfb-run)"

start() { # start NAME: the GUI on a copy of growth.ops, focused, cursor at the start
  local home=$dir/$1
  mkdir -p "$home" "$dir/s"
  # The same script path in every run: the status line shows it.
  cp "$src/assets/scenarios/growth.ops" "$dir/s/growth.ops"
  HOME=$home XDG_CONFIG_HOME=$home/config XDG_STATE_HOME=$home/state GOMAPLAB_NO_VSYNC=1 GOMAPLAB_TIMING=1 \
    "$bin" "$dir/s/growth.ops" >"$home/out" 2>&1 &
  pid=$!
  local wid
  wid=$(timeout 20 xdotool search --sync --onlyvisible --name 'gomaplab' | head -1) || fail "$1: no window: $(cat "$home/out")"
  # No window manager: the keyboard goes to the window under the pointer. Put the
  # pointer on the empty right end of the menu bar (no hover effects there).
  xdotool mousemove 1590 6
  sleep 1.5
  xdotool key Home
  sleep 0.5
}
stop() { # stop NAME: screenshot once the picture stops changing, quit with Ctrl+Q
  sleep 0.5
  import -window root "$dir/$1.png" || fail "import $1"
  for _ in $(seq 20); do
    sleep 0.3
    import -window root "$dir/$1.next.png" || fail "import $1"
    cmp -s "$dir/$1.png" "$dir/$1.next.png" && break
    mv "$dir/$1.next.png" "$dir/$1.png"
  done
  [ -n "$keep" ] && mkdir -p "$keep" && cp "$dir/$1.png" "$keep/keys-$1.png"
  # Held for a moment: ImGui 1.86 sees Ctrl+Q only if it is down when a frame starts.
  xdotool keydown ctrl keydown q sleep 0.3 keyup q keyup ctrl
  for _ in $(seq 50); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -0 "$pid" 2>/dev/null && fail "$1: Ctrl+Q did not quit"
  wait "$pid" || fail "$1: exit status $?: $(cat "$dir/$1/out")"
  pid=
  cursor=$(sed -n 's/.*cursor at event \(-\{0,1\}[0-9]*\)$/\1/p' "$dir/$1/out" | tail -1)
  [ -n "$cursor" ] || fail "$1: no cursor line: $(cat "$dir/$1/out")"
  echo "$cursor" >"$dir/$1.cursor"

}
taps() { local n=$1; local a=(); for _ in $(seq "$n"); do a+=(Right); done; echo "${a[@]}"; }

# 20 taps 5 ms apart (100 ms, a handful of frames at 60 Hz). Not 0 ms apart: GLFW 3.3
# (x11_window.c) drops a KeyPress whose X timestamp equals the previous press of the
# same key (it takes it for an input method's duplicate), and xdotool --delay 0 sends
# all 20 in the same millisecond; no hardware key repeats that fast. The in-process
# test (buttons_test.cpp) puts 20 taps in one frame. A busy machine (ctest -j) can still
# stamp two taps with one millisecond: a mismatch is tried once more before it fails.
fast() {
  rm -rf "$dir/fast"
  start fast
  # shellcheck disable=SC2046
  xdotool key --delay "${GOMAPLAB_TAP_DELAY_MS:-5}" $(taps 20)
  stop fast
}
fast

start slow
for _ in $(seq 20); do xdotool key Right; sleep 0.25; done
stop slow

start slow19
for _ in $(seq 19); do xdotool key Right; sleep 0.25; done
stop slow19

# The right column (hash, code, event log) is left out: the event log follows the
# cursor, and how far it has scrolled depends on how many steps each frame took (20
# in one frame or one each), not on where the cursor is. The timeline ("event 19 of
# 900"), the header, buckets and plots must be the same.
diffpx() {
  for f in "$1" "$2"; do convert "$dir/$f.png" -fill black -draw "rectangle 1160,20 1600,775" "$dir/$f.masked.png"; done
  compare -metric AE "$dir/$1.masked.png" "$dir/$2.masked.png" null: 2>&1 | cut -d' ' -f1
}
at() { cat "$dir/$1.cursor"; }
if [ "$(at fast)" != 19 ]; then
  echo "20 fast taps: cursor at event $(at fast), not 19; once more"
  [ -n "$keep" ] && cp "$dir/fast.png" "$keep/keys-fast-first-try.png"
  fast
fi
echo "cursor after Home and 20 fast taps: $(at fast); 20 slow: $(at slow); 19 slow: $(at slow19)"
echo "pixels differing (for information): 20 fast vs 20 slow taps: $(diffpx fast slow); 20 vs 19 slow: $(diffpx slow slow19)"
[ "$(at slow)" = 19 ] || fail "20 slow taps after Home ended at event $(at slow), not 19"
[ "$(at slow19)" = 18 ] || fail "19 slow taps after Home ended at event $(at slow19), not 18"
[ "$(at fast)" = 19 ] || fail "20 fast taps ended at event $(at fast), not 19: taps were lost"
echo "ok"
