#!/usr/bin/env bash
# Differential test of the Swiss map (issue 13, section 3): runs one op script
# on the engine (`gomaplab dump --every N`) and on the real Go runtime
# (gomap-oracle-swiss-go1.26 or -go1.27, same --every) and compares their JSON
# lines exactly. The only field allowed to differ is `seed` on the line of an
# op that is followed by a `seed S` op: such an op (a `del` that empties the
# map, a `clear`) draws the seed from the runtime's random generator, which
# nothing outside the process can reproduce, and the script re-seeds at once.
#
#   diff.sh --work DIR --name NAME [--version go1.26|go1.27] [--every N]
#           [--engine GOMAPLAB] [--oracles DIR] [--self] [--no-bisect] [--replay-iter]
#           [--segments] [--check]
#           (--script FILE | --gen "GEN ARGS" --gen-tool GEN_SWISS_SCRIPT)
#
# The oracle is DIR/gomap-oracle-swiss-VERSION. A script that starts with
# `version go1.26|go1.27` picks the version itself (--version, if given, must
# agree); otherwise `version V` (V from --version, default go1.27) is put in
# front of it, so that the engine runs the same release as the oracle.
# --gen runs GEN_SWISS_SCRIPT with GEN ARGS (plus --version); "--seed random"
# in GEN ARGS takes GOMAPLAB_DIFF_SEED or a fresh seed and prints how to replay.
# Without --every, a script line `# every: N` sets it (default 1): the state
# is compared on every Nth op, every make and dump op and the last op; the
# other lines still carry op, hash, found/val and iter's keys.
# --self runs the oracle in place of the engine (proves the harness).
# A `hash` may differ on the line of an op whose key is NaN (put/get/del/hash
# NaN): hashing a NaN draws from the runtime's generator (spec 18, RNG-5).
# --replay-iter: each plain `iter` (random offsets) becomes `iter E D` with the
# offsets the real runtime drew (read from a first oracle run), and each
# `iter do ...` (a loop with a body) becomes `iter E D do ...` the same way.
# --segments runs each `make` and the ops after it as a script of its own.
# --check runs the engine with --check: its invariant checker after every op
# (spec 8.1/8.3, directory sharing, used counts; exit 3 when one breaks).
# On a difference it prints the op number, the script line, the op, the first
# differing field and both lines cut around it, then (with --every N > 1)
# bisects on prefixes of the script to find the first op whose state differs.
# Exit status: 0 equal, 1 different (or a tool failed), 2 usage.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
work="" name="" version="" every="" engine="" oracles="" self="" bisect=1 replay="" segments="" check="" script="" gen="" gentool=""
usage() { awk 'NR > 1 && /^#/ { sub(/^# ?/, ""); print; next } NR > 1 { exit }' "$0" >&2; exit 2; }
while [ $# -gt 0 ]; do
  case "$1" in
    --work) work=$2; shift 2 ;;
    --name) name=$2; shift 2 ;;
    --version) version=$2; shift 2 ;;
    --every) every=$2; shift 2 ;;
    --engine) engine=$2; shift 2 ;;
    --oracles) oracles=$2; shift 2 ;;
    --self) self=1; shift ;;
    --no-bisect) bisect=""; shift ;;
    --replay-iter) replay=1; shift ;;
    --segments) segments=1; shift ;;
    --check) check=--check; shift ;;
    --script) script=$2; shift 2 ;;
    --gen) gen=$2; shift 2 ;;
    --gen-tool) gentool=$2; shift 2 ;;
    -h|--help) usage ;;
    *) echo "diff.sh: unknown argument $1" >&2; usage ;;
  esac
done
[ -n "$work" ] && [ -n "$name" ] || { echo "diff.sh: --work and --name are required" >&2; usage; }
[ -n "$script" ] || [ -n "$gen" ] || { echo "diff.sh: give --script FILE or --gen ARGS" >&2; usage; }
case "$version" in ""|go1.26|go1.27) ;; *) echo "diff.sh: --version must be go1.26 or go1.27, got $version" >&2; exit 2 ;; esac
[ -n "$engine" ] || engine=$here/../../build/gomaplab
[ -n "$oracles" ] || oracles=$(dirname "$engine")
mkdir -p "$work"
run="$work/$name.run.ops"

# ---- the script -------------------------------------------------------------------
if [ -n "$gen" ]; then
  [ -n "$gentool" ] || { echo "diff.sh: --gen needs --gen-tool" >&2; exit 2; }
  if [[ "$gen" == *"--seed random"* ]]; then
    seed=${GOMAPLAB_DIFF_SEED:-$(( ($(date +%s%N) / 1000) % 1000000007 ))}
    gen=${gen/--seed random/--seed $seed}
    echo "generated script: gen_swiss_script $gen --version ${version:-go1.27}"
    echo "  replay: GOMAPLAB_DIFF_SEED=$seed ctest --test-dir build -R '^swiss_diff\\.$name\$' --output-on-failure"
  fi
  script="$work/$name.ops"
  # shellcheck disable=SC2086
  "$gentool" $gen --version "${version:-go1.27}" > "$script"
fi
[ -r "$script" ] || { echo "diff.sh: cannot read $script" >&2; exit 2; }
# Without --every, a `# every: N` comment line of the script gives it (default 1).
[ -n "$every" ] || every=$(awk '/^# every: [0-9]+[ \t]*$/ { print $3; exit }' "$script")
every=${every:-1}
case "$every" in *[!0-9]*|0) echo "diff.sh: --every needs a number >= 1, got $every" >&2; exit 2 ;; esac
# The first op (skipping blank and comment lines): a version op picks the release.
first=$(awk '{ sub(/^[ \t\r]+/, "") } $0 != "" && substr($0, 1, 1) != "#" { print; exit }' "$script")
added=0
if [[ "$first" =~ ^version[[:space:]]+(go1\.2[67])([[:space:]]|#|$) ]]; then
  sv=${BASH_REMATCH[1]}
  if [ -n "$version" ] && [ "$version" != "$sv" ]; then
    echo "diff.sh: $script starts with \`version $sv\` but the test asks for $version" >&2
    exit 2
  fi
  version=$sv
  cp "$script" "$run"
else
  version=${version:-go1.27}
  { echo "version $version"; cat "$script"; } > "$run"
  added=1
fi
oracle="$oracles/gomap-oracle-swiss-$version"
[ -x "$oracle" ] || { echo "diff.sh: no oracle $oracle (build the gomap_oracle_swiss target)" >&2; exit 1; }
if [ -n "$self" ]; then
  engcmd=("$oracle")
else
  [ -x "$engine" ] || { echo "diff.sh: no engine $engine" >&2; exit 1; }
  engcmd=("$engine" dump $check)
fi

# ---- running both sides -----------------------------------------------------------------
E="$work/$name.engine.jsonl" O="$work/$name.oracle.jsonl"
# runboth SCRIPT EVERY: leaves the outputs in $E/$O, the exit statuses in erc/orc.
# With --segments (for an engine that takes one `make` per script), a script
# with several makes is run as segments: the ops before the first make
# (version, hashkey) and then one make with the ops after it, up to the next.
# Both sides run the same segments (a make resets the map in the oracle too);
# the segments' lines, without the repeated header ops, are put together again,
# so line N is still op N. Without it the whole script runs at once.
runboth() {
  erc=0 orc=0
  local segs
  segs=$(awk -v P="$work/$name.seg." '
    { t = $0; sub(/^[ \t\r\v\f]+/, "", t) }
    t ~ /^make[ \t]/ { n++; f = P n ".ops"; printf "%s", head > f; h = hops }
    n == 0 && t != "" && substr(t, 1, 1) != "#" { head = head $0 "\n"; hops++ }
    n > 0 { print > f }
    END { print n " " hops }' "$1")
  read -r nseg hops <<< "$segs"
  if [ "$nseg" -le 1 ] || [ -z "$segments" ]; then
    rm -f "$work/$name.seg."*.ops
    "${engcmd[@]}" --every "$2" "$1" > "$E" 2> "$E.err" || erc=$?
    "$oracle" --every "$2" "$1" > "$O" 2> "$O.err" || orc=$?
    return
  fi
  : > "$E"; : > "$O"; : > "$E.err"; : > "$O.err"
  local i
  for ((i = 1; i <= nseg; i++)); do
    local seg="$work/$name.seg.$i.ops" skip=$hops
    [ "$i" = 1 ] && skip=0
    "${engcmd[@]}" --every "$2" "$seg" > "$E.seg" 2>> "$E.err" || erc=$?
    "$oracle" --every "$2" "$seg" > "$O.seg" 2>> "$O.err" || orc=$?
    tail -n +$((skip + 1)) "$E.seg" >> "$E"
    tail -n +$((skip + 1)) "$O.seg" >> "$O"
    [ "$erc" = 0 ] && [ "$orc" = 0 ] || break
  done
  rm -f "$work/$name.seg."*.ops "$E.seg" "$O.seg"
}

# The comparison (awk): op number, script line, op, first differing field, both
# lines cut around it. Prints "equal NLINES MASKED" or "differ OP LASTSTATE" on
# stdout, the report on stderr.
cmp_awk='
function firstdiff(a, b,   lo, hi, mid) {
  hi = length(a) < length(b) ? length(a) : length(b)
  if (substr(a, 1, hi) == substr(b, 1, hi)) return hi + 1
  lo = 0
  while (hi - lo > 1) { mid = int((lo + hi) / 2); if (substr(a, 1, mid) == substr(b, 1, mid)) lo = mid; else hi = mid }
  return hi
}
# The JSON path of the value that holds column p of s, e.g. .tables[1].groups[3].k[5].
function jpath(s, p,   i, c, d, instr, st, last, kind, key, idx, out, j) {
  d = 0; instr = 0; last = ""
  for (i = 1; i < p; i++) {
    c = substr(s, i, 1)
    if (instr) {
      if (c == "\\") i++
      else if (c == "\"") { instr = 0; last = substr(s, st + 1, i - st - 1) }
      continue
    }
    if (c == "\"") { instr = 1; st = i }
    else if (c == "{") { d++; kind[d] = "o"; key[d] = "" }
    else if (c == "[") { d++; kind[d] = "a"; idx[d] = 0 }
    else if (c == "}" || c == "]") d--
    else if (c == "," && kind[d] == "a") idx[d]++
    else if (c == ":") key[d] = last
  }
  out = ""
  for (j = 1; j <= d; j++) out = out (kind[j] == "o" ? "." key[j] : "[" idx[j] "]")
  return out == "" ? "(top level)" : out
}
function cut(s, p,   head) {
  head = 110
  if (length(s) <= head + 150 || p <= head) return substr(s, 1, head + 150) (length(s) > head + 150 ? " ..." : "")
  return substr(s, 1, head) " ... " substr(s, p - 60, 150) (length(s) > p + 90 ? " ..." : "")
}
function report(i, e, o, why,   p) {
  printf "%s (%s): op %d (%s:%d): %s\n", NAME, VER, i, SNAME, opline[i] - ADDED, optext[i] > "/dev/stderr"
  if (why != "") { printf "  %s\n", why > "/dev/stderr"; return }
  p = firstdiff(e, o)
  printf "  first difference at %s (column %d)\n", jpath(o, p), p > "/dev/stderr"
  printf "  engine: %s\n  oracle: %s\n", cut(e, p), cut(o, p) > "/dev/stderr"
  if (EVERY > 1) printf "  (with --every %d the states were last compared equal at op %d)\n", EVERY, laststate > "/dev/stderr"
}
BEGIN {
  n = 0
  while ((getline l < S) > 0) {
    ln++; t = l; sub(/^[ \t\r\v\f]+/, "", t)
    if (t == "" || substr(t, 1, 1) == "#") continue
    n++; opline[n] = ln; sub(/[ \t\r\v\f]+$/, "", t); optext[n] = t; isseed[n] = (t ~ /^seed[ \t]/)
    isnan[n] = (t ~ /^(put|get|del|hash)[ \t]+NaN([ \t#]|$)/)
  }
  masked = 0; failed = 0; laststate = 0; lines = 0
}
{
  e = $0; i = NR; lines = i
  if ((getline o < O) <= 0) { o = ""; report(i, e, o, "the oracle printed no line for it (it stopped after op " (i - 1) ")"); failed = 1; exit }
  if (e != o && isseed[i + 1]) {
    e2 = e; o2 = o
    sub(/"seed":"0x[0-9a-f]*"/, "\"seed\":\"drawn\"", e2); sub(/"seed":"0x[0-9a-f]*"/, "\"seed\":\"drawn\"", o2)
    if (e2 == o2) { masked++; e = o }
  }
  if (e != o && isnan[i]) {
    e2 = e; o2 = o
    sub(/"hash":"0x[0-9a-f]*"/, "\"hash\":\"drawn\"", e2); sub(/"hash":"0x[0-9a-f]*"/, "\"hash\":\"drawn\"", o2)
    if (e2 == o2) { masked++; e = o }
  }
  if (e != o) { report(i, e, o, ""); failed = 1; exit }
  if (index(e, "\"used\":")) laststate = i
}
END {
  if (failed) { print "differ", i, laststate, (index(e, "\"used\":") || index(o, "\"used\":")) && e != "" ? "state" : "line"; exit }
  if ((getline o < O) > 0) {
    report(lines + 1, "", o, "the engine printed no line for it (it stopped after op " lines ")")
    print "differ", lines + 1, laststate, "short"; exit
  }
  print "equal", lines, masked
}'
compare() { # compare SCRIPT
  awk -v S="$1" -v O="$O" -v SNAME="$(basename "$script")" -v NAME="$name" -v VER="$version" -v ADDED="$added" -v EVERY="$every" "$cmp_awk" "$E"
}
errs() { # the sides' complaints
  [ "$erc" = 0 ] || { echo "  the engine exited with status $erc:"; head -c 2000 "$E.err" | sed 's/^/    /'; }
  [ "$orc" = 0 ] || { echo "  the oracle exited with status $orc:"; head -c 2000 "$O.err" | sed 's/^/    /'; }
}

if [ -n "$replay" ]; then
  # Plain `iter` draws two random offsets in the runtime; the engine cannot draw
  # the same. Run the oracle first, read each iter's "offsets", and give them to
  # both sides as `iter E D`. The oracle's own drawn order must equal its replayed
  # order (its `iter E D` puts the runtime's iterator back to the state after
  # Init), so the engine is compared with the order the runtime itself chose.
  "$oracle" --every 1000000000 "$run" > "$work/$name.drawn.jsonl" 2> "$O.err" ||
    { echo "diff.sh: the oracle failed on $run:" >&2; cat "$O.err" >&2; exit 1; }
  awk -v D="$work/$name.drawn.jsonl" '
    { t = $0; sub(/^[ \t\r\v\f]+/, "", t) }
    t != "" && substr(t, 1, 1) != "#" {
      if ((getline l < D) <= 0) { print "diff.sh: the oracle printed fewer lines than ops" > "/dev/stderr"; exit 1 }
      if (t ~ /^iter[ \t]*(#.*)?$/ || t ~ /^iter[ \t]+do[ \t]/) {
        if (!match(l, /"offsets":\[[0-9]+,[0-9]+\]/)) { print "diff.sh: no offsets in " substr(l, 1, 200) > "/dev/stderr"; exit 1 }
        o = substr(l, RSTART + 11, RLENGTH - 12); sub(/,/, " ", o)
        if (t ~ /^iter[ \t]+do[ \t]/) { sub(/^iter[ \t]+/, "", t); print "iter " o " " t }
        else print "iter " o
        n++; next
      }
    }
    { print }
    END { print n + 0 > "/dev/stderr" }' "$run" > "$run.replay" 2> "$work/$name.nreplay" ||
    { cat "$work/$name.nreplay" >&2; exit 1; }
  mv "$run.replay" "$run"
  "$oracle" --every 1000000000 "$run" > "$work/$name.replayed.jsonl" 2>> "$O.err" || true
  keys() { grep -o '"keys":\[[^]]*\],"offsets":\[[0-9]*,[0-9]*\]' "$1"; }
  if ! cmp -s <(keys "$work/$name.drawn.jsonl") <(keys "$work/$name.replayed.jsonl"); then
    echo "diff.sh: the oracle's replayed iteration differs from the order it drew (oracle bug):" >&2
    diff <(keys "$work/$name.drawn.jsonl") <(keys "$work/$name.replayed.jsonl") | head -c 2000 >&2
    exit 1
  fi
  echo "$name ($version): $(cat "$work/$name.nreplay") plain iters replayed with the runtime's drawn offsets (the oracle's replay gives its drawn order)"
  rm -f "$work/$name.drawn.jsonl" "$work/$name.replayed.jsonl" "$work/$name.nreplay"
fi
runboth "$run" "$every"
if [ "$erc" = 0 ] && [ "$orc" = 0 ] && cmp -s "$E" "$O"; then
  echo "$name ($version): $(wc -l < "$E") lines byte-identical (--every $every)"
  rm -f "$E" "$O" "$E.err" "$O.err"
  exit 0
fi
verdict="" a=0 b=0 where=""
read -r verdict a b where < <(compare "$run" 2> "$work/$name.report" || true) || true
[ -n "$verdict" ] || echo "diff.sh: the comparison itself failed (awk); outputs kept" >&2
if [ "$verdict" = equal ] && [ "$erc" = 0 ] && [ "$orc" = 0 ]; then
  echo "$name ($version): $a lines equal, byte for byte except $b seed(s) drawn by the runtime's generator (re-seeded by the next op) or hashes of NaN keys (drawn too) (--every $every)"
  rm -f "$E" "$O" "$E.err" "$O.err" "$work/$name.report"
  exit 0
fi
cat "$work/$name.report" >&2
[ "$verdict" != equal ] || echo "$name ($version): the $a lines are equal, but:" >&2
errs >&2
if [ "$verdict" = differ ] && [ "$where" = state ] && [ -n "$bisect" ] && [ "$every" -gt 1 ] && [ "$orc" = 0 ] && [ "$b" -lt $((a - 1)) ]; then
  # The state at op k of the whole run is the last line of a run of its first k
  # ops; find the first k after the last equal state whose state differs.
  lo=$b hi=$a
  prefix="$work/$name.prefix.ops"
  cut_at() { awk -v K="$1" '{ t = $0; sub(/^[ \t\r\v\f]+/, "", t) } t != "" && substr(t, 1, 1) != "#" { if (++n > K) exit } { print }' "$run" > "$prefix"; }
  keepE=$E keepO=$O
  E="$work/$name.bisect.engine.jsonl" O="$work/$name.bisect.oracle.jsonl"
  echo "bisecting ops $((lo + 1))..$hi (each step runs a prefix of the script on both sides)" >&2
  while [ $((hi - lo)) -gt 1 ]; do
    mid=$(( (lo + hi) / 2 ))
    cut_at "$mid"
    runboth "$prefix" 1000000000
    # Only the last line matters; earlier ones are compared too (cheap) but a
    # difference there cannot be new. Pad the prefix with the next op's seed flag.
    if tail -n 1 "$E" > "$E.last" && tail -n 1 "$O" > "$O.last" && [ "$erc" = 0 ] &&
       { cmp -s "$E.last" "$O.last" ||
         { nxt=$(awk -v K=$((mid + 1)) '{ t = $0; sub(/^[ \t\r\v\f]+/, "", t) } t != "" && substr(t, 1, 1) != "#" { if (++n == K) { print t; exit } }' "$run");
           [[ "$nxt" =~ ^seed[[:space:]] ]] &&
           [ "$(sed 's/"seed":"0x[0-9a-f]*"/"seed":"drawn"/' "$E.last")" = "$(sed 's/"seed":"0x[0-9a-f]*"/"seed":"drawn"/' "$O.last")" ]; }; }; then
      lo=$mid
    else
      hi=$mid
    fi
  done
  cut_at "$hi"
  runboth "$prefix" 1000000000
  echo "the first op whose state differs:" >&2
  every=1 compare "$prefix" > /dev/null 2> "$work/$name.bisect.report" || true
  # Report only the last line's difference (the prefix run prints state on it).
  tail -n 1 "$E" > "$E.1"; tail -n 1 "$O" > "$O.1"
  if cmp -s "$E.1" "$O.1"; then
    cat "$work/$name.bisect.report" >&2
  else
    awk -v S="$prefix" -v O="$O.1" -v SNAME="$(basename "$script")" -v NAME="$name" -v VER="$version" -v ADDED="$added" -v EVERY=1 -v START="$((hi - 1))" \
      "$(printf '%s' "$cmp_awk" | sed 's/i = NR; lines = i/i = NR + START; lines = i/')" "$E.1" 2>&1 >/dev/null | grep -v '^  (with --every' >&2 || true
  fi
  rm -f "$E.last" "$O.last" "$E.1" "$O.1"
  E=$keepE O=$keepO
fi
echo "outputs kept: $E $O (script: $run)" >&2
exit 1
