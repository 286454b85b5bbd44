#!/usr/bin/env bash
# The GUI from the command line: screenshots (a PNG of the asked size, exit 2
# with a message on bad arguments), the terminal fallback when there is no
# display, and the real window's first frame under Xvfb.
set -u
bin=$1
src=$2
xvfb=$3
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
x() { "$xvfb" "$@"; } # tests/gui/with_xvfb.sh: a private server per command
export HOME=$dir XDG_CONFIG_HOME=$dir/config # never touch the user's preferences

# A screenshot of a known script at a given event and size.
x "$bin" screenshot "$src/assets/scenarios/growth.ops" --out "$dir/a.png" --event 150 --size 1280x720 >"$dir/out" 2>&1 ||
  fail "screenshot: $(cat "$dir/out")"
[ -s "$dir/a.png" ] || fail "no PNG"
python3 - "$dir/a.png" <<'PY' || fail "PNG header/size"
import struct, sys
d = open(sys.argv[1], 'rb').read(32)
assert d[:8] == b'\x89PNG\r\n\x1a\n', d[:8]
w, h = struct.unpack('>II', d[16:24])
assert (w, h) == (1280, 720), (w, h)
PY
x "$bin" screenshot "$src/assets/scenarios/growth.ops" --out "$dir/zh.png" --lang zh >/dev/null 2>&1 || fail "zh screenshot"

# Bad arguments: a message and exit 2, no crash.
x "$bin" screenshot "$src/assets/scenarios/growth.ops" --out "$dir/b.png" --event 99999 >"$dir/out" 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--event out of range: exit $rc"
grep -q "out of range" "$dir/out" || fail "--event message: $(cat "$dir/out")"
printf 'make int64 0\nput 1 x\n' >"$dir/bad.ops"
x "$bin" screenshot "$dir/bad.ops" --out "$dir/c.png" >"$dir/out" 2>&1; rc=$?
[ $rc -eq 2 ] || fail "bad script: exit $rc"
grep -q "bad.ops:2:7:" "$dir/out" || fail "bad script message: $(cat "$dir/out")"
x "$bin" screenshot "$src/assets/scenarios/growth.ops" --out "$dir/d.png" --size 10x10 >/dev/null 2>&1; rc=$?
[ $rc -eq 2 ] || fail "--size 10x10: exit $rc"

# No display: one line on stderr, the terminal view plays to the end, exit 0.
env -u DISPLAY -u WAYLAND_DISPLAY "$bin" "$src/assets/scenarios/growth.ops" </dev/null >"$dir/out" 2>"$dir/err"; rc=$?
[ $rc -eq 0 ] || fail "no display: exit $rc: $(cat "$dir/err")"
grep -q "no display" "$dir/err" || fail "no display message: $(cat "$dir/err")"
[ "$(wc -l <"$dir/err")" -eq 1 ] || fail "no display: want one line: $(cat "$dir/err")"
[ -s "$dir/out" ] || fail "no display: the terminal view printed nothing"
env -u DISPLAY "$bin" screenshot "$src/assets/scenarios/growth.ops" --out "$dir/e.png" >"$dir/out" 2>&1; rc=$?
[ $rc -eq 3 ] || fail "screenshot without display: exit $rc"
grep -q "xvfb-run" "$dir/out" || fail "screenshot without display: $(cat "$dir/out")"

# The real window: three frames, then exit 0 (and preferences saved under the temp HOME).
GOMAPLAB_QUIT_AFTER_FRAMES=3 x "$bin" "$src/assets/scenarios/incremental_growth.ops" >"$dir/out" 2>&1 ||
  fail "window: $(cat "$dir/out")"
grep -q "first frame" "$dir/out" || fail "window: $(cat "$dir/out")"
[ -f "$dir/config/gomaplab/prefs.ini" ] || fail "prefs not saved"
# A .race file given to dump or events: a message naming the right command, exit 2.
for cmd in dump events; do
  "$bin" $cmd "$src/assets/lessons/1-entry-check.race" >"$dir/out" 2>"$dir/err"; rc=$?
  [ $rc -eq 2 ] || fail "$cmd on a .race file: exit $rc"
  grep -q "is a race scenario, not an op script: run it with 'gomaplab race " "$dir/err" ||
    fail "$cmd on a .race file: $(cat "$dir/err")"
  [ ! -s "$dir/out" ] || fail "$cmd on a .race file printed to stdout: $(head -c 200 "$dir/out")"
done

# The no-display hint names the binary as it was started, not build/gomaplab.
ln -s "$(cd "$(dirname "$bin")" && pwd)/$(basename "$bin")" "$dir/my-gomaplab"
env -u DISPLAY -u WAYLAND_DISPLAY "$dir/my-gomaplab" "$src/assets/scenarios/growth.ops" </dev/null >/dev/null 2>"$dir/err"
grep -q "xvfb-run -a $dir/my-gomaplab'" "$dir/err" || fail "no-display hint: $(cat "$dir/err")"

# The real window driven by xdotool (a presenter's clicker: 20 fast taps),
# then keys typed into a text field, which must not move the cursor.
if command -v xdotool >/dev/null && command -v Xvfb >/dev/null; then
  # One server for both drives; it names its own free display (no race with parallel tests).
  Xvfb -displayfd 3 -screen 0 1600x900x24 -noreset -nolisten tcp 3>"$dir/xdisplay" >/dev/null 2>&1 &
  xpid=$!
  for _ in $(seq 100); do [ -s "$dir/xdisplay" ] && break; sleep 0.1; done
  n=$(head -n1 "$dir/xdisplay")
  [ -n "$n" ] || fail "Xvfb did not start"
  drive() { # script, then xdotool arguments; prints the app's last stderr line
    DISPLAY=":$n" GOMAPLAB_TIMING=1 "$bin" "$1" 2>"$dir/xerr" &
    local gp=$!
    shift
    DISPLAY=":$n" timeout 20 xdotool search --sync --name gomaplab >/dev/null
    sleep 0.5
    DISPLAY=":$n" xdotool "$@"
    sleep 0.3
    DISPLAY=":$n" xdotool key ctrl+q
    wait $gp || fail "window exited with $?: $(cat "$dir/xerr")"
    tail -1 "$dir/xerr"
  }
  taps=$(printf 'Right %.0s' $(seq 20))
  got=$(drive "$src/assets/scenarios/growth.ops" key --delay 5 Home $taps)
  echo "$got" | grep -q "22 shortcut keys acted on; cursor at event 19$" || fail "20 fast taps: $got"
  # Home, then a click in the Operations key field (below the Op script section) and arrows typed there.
  got=$(drive "$src/assets/scenarios/growth.ops" key Home mousemove 60 273 click 1 key --delay 5 Right Right Right Right Right)
  echo "$got" | grep -q "cursor at event -1$" || fail "arrows in a text field moved the cursor: $got"
  kill $xpid 2>/dev/null
fi
echo "gui cli: ok"
