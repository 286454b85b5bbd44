#!/bin/sh
# The sync.Map differential test: runs one op script on the simulator
# (`gomaplab dump`) and on the real Go 1.19 sync.Map (gomap-oracle-syncmap),
# and compares them line by line (syncmap_diff compare: range calls as a set).
#
#   diff.sh GOMAPLAB ORACLE SYNCMAP_DIFF WORKDIR NAME --script FILE
#   diff.sh GOMAPLAB ORACLE SYNCMAP_DIFF WORKDIR NAME --gen SEED|random OPS KIND
#
# With --gen random a fresh seed is drawn and printed; replay with that seed.
set -eu
sim=$1 oracle=$2 tool=$3 work=$4 name=$5
shift 5
mkdir -p "$work"
script=$work/$name.ops
case $1 in
--script) cp "$2" "$script" ;;
--gen)
  seed=$2
  if [ "$seed" = random ]; then seed=$(od -An -N4 -tu4 /dev/urandom | tr -d ' '); fi
  echo "seed $seed (replay: $0 ... $name --gen $seed $3 $4)"
  "$tool" gen --seed "$seed" --ops "$3" --kind "$4" >"$script"
  ;;
*) echo "diff.sh: expected --script FILE or --gen SEED OPS KIND" >&2; exit 2 ;;
esac
start=$(date +%s.%N)
"$sim" dump "$script" >"$work/$name.sim.jsonl"
"$oracle" "$script" >"$work/$name.oracle.jsonl"
"$tool" compare "$work/$name.sim.jsonl" "$work/$name.oracle.jsonl"
rm -f "$work/$name.sim.jsonl" "$work/$name.oracle.jsonl" # kept when they differ (set -e)
end=$(date +%s.%N)
echo "$(grep -vc '^ *\(#\|$\)' "$script") ops, $(awk "BEGIN{printf \"%.2f\", $end-$start}") s"
