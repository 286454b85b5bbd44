#!/bin/sh
# A Swiss lesson's script on the real runtime: `gomaplab dump` of the lesson equals
# the oracle's output for the same script without its lesson lines (title,
# narration, expect), byte for byte, except the seed on the lines of ops that
# draw from the runtime's random generator (a del, a clear, an iter without
# offsets), which the simulator cannot know.
#
#   lesson_check.sh GOMAPLAB ORACLE LESSON.ops
set -eu
if [ $# -ne 3 ]; then
  echo "usage: lesson_check.sh GOMAPLAB ORACLE LESSON.ops" >&2
  exit 2
fi
gomaplab=$1 oracle=$2 lesson=$3
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
grep -Ev '^[[:space:]]*(title|narration|expect)([[:space:]]|$)' "$lesson" > "$work/plain.ops" || true
"$gomaplab" dump "$lesson" > "$work/sim.jsonl"
GODEBUG= "$oracle" "$work/plain.ops" > "$work/oracle.jsonl"
mask='/^[{]"op":"(del [^"]*|clear|iter)"/s/"seed":"0x[0-9a-f]*"/"seed":"(drawn)"/'
sed -E "$mask" "$work/sim.jsonl" > "$work/sim.masked"
sed -E "$mask" "$work/oracle.jsonl" > "$work/oracle.masked"
lines=$(wc -l < "$work/oracle.jsonl")
if [ "$lines" -eq 0 ]; then
  echo "$lesson: the oracle printed nothing" >&2
  exit 1
fi
if ! cmp -s "$work/sim.masked" "$work/oracle.masked"; then
  n=$(cmp "$work/sim.masked" "$work/oracle.masked" 2>&1 | sed -n 's/.* line \([0-9]*\).*/\1/p')
  echo "$lesson: the simulator and the real runtime ($oracle) differ on output line ${n:-?}:" >&2
  echo "simulator: $(sed -n "${n:-1}p" "$work/sim.jsonl" | cut -c1-400)" >&2
  echo "runtime:   $(sed -n "${n:-1}p" "$work/oracle.jsonl" | cut -c1-400)" >&2
  exit 1
fi
echo "$lesson: $lines lines equal the real runtime's ($oracle)"
