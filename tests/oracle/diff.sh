#!/usr/bin/env bash
# Differential test: runs one op script on the engine (gomaplab dump) and on the
# real Go 1.19 runtime (gomap-oracle), with the same output options, and
# compares the JSON lines (tests/support/jsonl_compare.cpp says what may differ).
#
#   diff.sh --tools BINDIR --work DIR --name NAME [--every N] [--check]
#           (--script FILE | --gen "GEN ARGS")
# A generated script's seed comes from GEN ARGS; "--seed random" picks one and
# prints it so that a failure can be replayed.
set -euo pipefail
tools="" work="" name="" every=1 check="" script="" gen=""
while [ $# -gt 0 ]; do
  case "$1" in
    --tools) tools=$2; shift 2 ;;
    --work) work=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    --check) check=--check; shift ;;
    --script) script=$2; shift 2 ;;
    --gen) gen=$2; shift 2 ;;
    *) echo "diff.sh: unknown argument $1" >&2; exit 2 ;;
  esac
done
mkdir -p "$work"
if [ -n "$gen" ]; then
  if [[ "$gen" == *"--seed random"* ]]; then
    seed=${GOMAPLAB_DIFF_SEED:-$(( ($(date +%s%N) / 1000) % 1000000007 ))}
    gen=${gen/--seed random/--seed $seed}
    echo "generated script: gen_script $gen   (replay with GOMAPLAB_DIFF_SEED=$seed)"
  fi
  script="$work/$name.ops"
  # shellcheck disable=SC2086
  "$tools/gen_script" $gen > "$script"
fi
"$tools/gomaplab" dump --digest --every "$every" $check "$script" > "$work/$name.engine.jsonl"
"$tools/gomap-oracle" --digest --every "$every" "$script" > "$work/$name.oracle.jsonl"
"$tools/jsonl_compare" "$work/$name.engine.jsonl" "$work/$name.oracle.jsonl"
# Keep the work directory small: outputs are only needed when a test fails.
rm -f "$work/$name.engine.jsonl" "$work/$name.oracle.jsonl"
