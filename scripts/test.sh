#!/usr/bin/env bash
# Installs what gomaplab needs (once), builds it and runs every test:
#   1. the release build: unit tests, differential tests against the real Go
#      1.19 runtime (random 200k-op scripts with a fresh seed each run), CLI
#      checks, GUI tests under Xvfb, concurrency lessons and real Go races;
#   2. the same suite (but the GUI tests and the five longest differential
#      scripts, which add no code paths) under
#      AddressSanitizer + UndefinedBehaviorSanitizer;
#   3. both libFuzzer targets for a bounded time (FUZZ_SECONDS, default 60 each).
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
jobs=$(nproc)
fuzz_seconds=${FUZZ_SECONDS:-60}

echo "== release build and tests"
cmake --preset default > /dev/null
cmake --build --preset default -j "$jobs"
ctest --preset default

echo "== sanitizers (address, undefined)"
cmake --preset sanitize > /dev/null
cmake --build --preset sanitize -j "$jobs"
ctest --preset sanitize -E 'oracle\.(random|grow_string|float64_mixed|growth_b10)|gui\.'

echo "== fuzzing (${fuzz_seconds}s per target)"
cmake --preset fuzz > /dev/null
cmake --build --preset fuzz -j "$jobs"
corpus=$(mktemp -d)
trap 'rm -rf "$corpus"' EXIT
mkdir -p "$corpus/script" "$corpus/ops" "$corpus/swiss"
cp tests/oracle/scripts/emptyrest.ops tests/oracle/scripts/hints.ops assets/scenarios/*.ops "$corpus/script/" 2>/dev/null || true
for t in fuzz_opscript:script fuzz_ops:ops fuzz_swiss:swiss; do
  name=${t%%:*}; dir=${t##*:}
  build-fuzz/tests/fuzz/$name -max_total_time="$fuzz_seconds" -rss_limit_mb=4096 -max_len=4096 \
    -artifact_prefix="$corpus/" -print_final_stats=0 "$corpus/$dir" 2>&1 | tail -n 1
done
echo "all test stages passed"
