#!/usr/bin/env bash
# with_xvfb.sh CMD [ARGS...]: run CMD on a private Xvfb (1600x900x24) and exit
# with CMD's status. Used instead of xvfb-run, whose own clean-up can fail
# under load and replace the command's status with its exit 5 (a CI run failed
# that way); here the server picks a free display itself (-displayfd), so
# parallel tests never race for one, and only Xvfb's start can fail (exit 125,
# said on stderr).
set -u
command -v Xvfb >/dev/null || { echo "with_xvfb.sh: Xvfb not found (apt-get install xvfb)" >&2; exit 125; }
fifo=$(mktemp -u "${TMPDIR:-/tmp}/gomaplab-xvfb.XXXXXX")
xpid=
cleanup() { [ -n "$xpid" ] && kill "$xpid" 2>/dev/null && wait "$xpid" 2>/dev/null; rm -f "$fifo"; }
trap cleanup EXIT
trap "exit 143" TERM INT HUP
for try in 1 2 3 4 5; do
  rm -f "$fifo"; mkfifo "$fifo"
  Xvfb -displayfd 3 -screen 0 ${GOMAPLAB_XVFB_SCREEN:-1600x900x24} -noreset -nolisten tcp 3>"$fifo" 2>/dev/null &
  xpid=$!
  # The server writes its display number once it accepts connections.
  display=$(timeout 20 head -n1 <"$fifo" 2>/dev/null || true)
  if [ -n "$display" ] && kill -0 "$xpid" 2>/dev/null; then break; fi
  kill "$xpid" 2>/dev/null; wait "$xpid" 2>/dev/null; xpid=
  display=
  sleep "0.$try"
done
[ -n "$display" ] || { echo "with_xvfb.sh: Xvfb did not start (5 tries)" >&2; exit 125; }
# In the background, so that a TERM (a CTest timeout) is handled at once and
# the command and the server are both stopped.
DISPLAY=":$display" "$@" &
cpid=$!
trap 'kill "$cpid" 2>/dev/null; exit 143' TERM INT HUP
wait "$cpid"
exit $?
