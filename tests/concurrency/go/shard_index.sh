#!/usr/bin/env bash
# A sharded map's shard indices on the real Go 1.19 runtime and on the
# simulator: racecheck shard_index (shard_index.go) prints, for each key, the
# shard hash/fnv's New32a over the key's bytes masked by N-1 gives; the
# simulator runs shard_index_*.race, one store per key in the same order, and
# its --events name the shard of each store's op_begin.
#
#   shard_index.sh RACECHECK GOMAPLAB SCENARIO_DIR
set -uo pipefail
racecheck=$1 gomaplab=$2 dir=$3
real=$(timeout 60 "$racecheck" shard_index 2>&1) || { echo "FAIL: racecheck shard_index: $real"; exit 1; }
sim=""
for s in string_4 string_64 int64_64; do
  out=$("$gomaplab" race "$dir/shard_index_$s.race" --events) || { echo "FAIL: gomaplab race shard_index_$s.race"; exit 1; }
  shards=$(printf '%s\n' "$out" | grep '"kind":"op_begin"' | sed -E 's/.*"shard":([0-9]+).*/\1/' | tr '\n' ' ' | sed 's/ $//')
  sim+="${s%_*} ${s##*_}: $shards"$'\n'
done
sim=${sim%$'\n'}
echo "real Go 1.19:"; printf '%s\n' "$real" | sed 's/^/  /'
echo "simulator:"; printf '%s\n' "$sim" | sed 's/^/  /'
[ "$real" = "$sim" ] || { echo "FAIL: the shard indices differ"; exit 1; }
echo "OK: the same shard for every key"
