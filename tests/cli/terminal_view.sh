#!/usr/bin/env bash
# The terminal view (`gomaplab tui FILE`, and what the start command falls back
# to with no display) on an op script of each structure: the classic map, the
# Swiss map and sync.Map. Played to the end (stdin not a terminal) its final
# state must be the one `gomaplab dump` prints for the last op (dump is what
# the oracle tests compare with the real runtimes); stepped on a terminal
# (util-linux's `script` gives it one), its keys move the cursor by op and by
# event. Bad scripts: FILE:LINE:COL and exit 2.
set -u
bin=$1
src=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }
strip() { sed 's/\x1b\[[0-9;]*[a-zA-Z]//g' "$@"; }

# sync.Map: read, read.m's entries, dirty and misses as dump's last line has them.
m01=$src/assets/lessons/m01-delete-frees-the-value.ops
"$bin" tui "$m01" </dev/null >"$dir/sm" 2>"$dir/err" || fail "tui sync.Map: exit $?: $(cat "$dir/err")"
"$bin" dump "$m01" | tail -1 >"$dir/sm.json"
python3 - "$dir/sm" "$dir/sm.json" <<'PY' || fail "sync.Map terminal view disagrees with dump: $(cat "$dir/sm")"
import json, re, sys
text = open(sys.argv[1]).read()
d = json.loads(open(sys.argv[2]).read())
m = re.search(r"^read  -> readOnly #(\d+)  amended (\w+)  len\(read\.m\) (\d+)$", text, re.M)
assert m, "no read line"
assert int(m.group(1)) == d["read"] and m.group(2) == str(d["amended"]).lower() and int(m.group(3)) == len(d["m"]), m.groups()
for e in d["m"]:
    want = '%-24s -> entry #%-4d p = %s' % (json.dumps(e["k"]), e["e"], e["p"] if e["p"] != "value" else "&cell#%d" % e["c"])
    assert want in text, want
assert ("dirty nil" in text) == (d["dirty"] is None)
assert re.search(r"^misses %d" % d["misses"], text, re.M)
PY
grep -q "^gomaplab — sync.Map (Go 1.19)   step \([0-9]*\)/\1$" "$dir/sm" || fail "sync.Map: not at the last step: $(head -1 "$dir/sm")"

# Swiss: the header's fields and each table's counters as dump's last line has them.
s01=$src/assets/lessons/s01-grow-rebuilds-one-table.ops
"$bin" tui "$s01" </dev/null >"$dir/sw" 2>"$dir/err" || fail "tui Swiss: exit $?: $(cat "$dir/err")"
"$bin" dump "$s01" | tail -1 >"$dir/sw.json"
python3 - "$dir/sw" "$dir/sw.json" <<'PY' || fail "Swiss terminal view disagrees with dump: $(head -5 "$dir/sw")"
import json, re, sys
text = open(sys.argv[1]).read()
d = json.loads(open(sys.argv[2]).read())
m = re.search(r"^Map   used=(\d+) seed=(0x[0-9a-f]+) dirLen=(\d+) globalDepth=(\d+) writing=(\d+)", text, re.M)
assert m, "no Map line"
assert (int(m.group(1)), m.group(2), int(m.group(3)), int(m.group(4)), int(m.group(5))) == (
    d["used"], d["seed"], d["dirLen"], d["globalDepth"], d["writing"]), m.groups()
tables = re.findall(r"^table (\d+) \(directory ([\d,]+)\)  localDepth=(\d+) capacity=(\d+) used=(\d+) growthLeft=(\d+)", text, re.M)
assert len(tables) == len(d["tables"]), tables
for (pos, dirs, ld, cap, used, gl), t in zip(tables, d["tables"]):
    assert [int(x) for x in dirs.split(",")] == [i for i, p in enumerate(d["dir"]) if p == int(pos)], (pos, dirs)
    assert (int(ld), int(cap), int(used), int(gl)) == (t["localDepth"], t["capacity"], t["used"], t["growthLeft"])
# table 0's first group, slot by slot: H2 and key of a full slot, empty, tombstone
row = re.search(r"^ +group 0[ *]([^\n]*)$", text, re.M).group(1)
cells = row.split()
g = d["tables"][0]["groups"][0]
for i, c in enumerate(g["ctrl"]):
    cell = cells[i].lstrip(">")
    if c == 128: assert cell == "·empty", (i, cell)
    elif c == 254: assert cell == "×tomb", (i, cell)
    else: assert cell == "%02x:%d=%d" % (c, g["k"][i], g["v"][i]), (i, cell)
PY

# The classic map, as before: the final hmap line.
"$bin" tui "$src/assets/scenarios/growth.ops" </dev/null >"$dir/cl" 2>"$dir/err" || fail "tui classic: $(cat "$dir/err")"
grep -q "^hmap  count=" "$dir/cl" || fail "classic: no hmap line"

# On a terminal: 'n' twice goes to the end of the second op (store k 1000,
# its last event Store's return), Right one event further (into the next op),
# Left back, 'p' to before the op, 'q' quits with 0.
if command -v script >/dev/null; then
  (sleep 0.8; printf 'n'; sleep 0.3; printf 'n'; sleep 0.3; printf '\033[C'; sleep 0.3; printf '\033[D'; sleep 0.3
   printf 'p'; sleep 0.3; printf 'q') |
    timeout 20 script -qfc "'$bin' tui '$m01'" /dev/null >"$dir/tty" 2>&1 || fail "interactive: exit $?: $(strip "$dir/tty" | tail -5)"
  strip "$dir/tty" | grep -E "^gomaplab — sync.Map|^op    |^now   " >"$dir/frames"
  # six frames: the start, n, n, Right, Left, p
  [ "$(grep -c "^gomaplab" "$dir/frames")" -eq 6 ] || fail "interactive: want 6 frames: $(cat "$dir/frames")"
  python3 - "$dir/frames" "$m01" "$bin" <<'PY' || fail "interactive frames: $(cat "$dir/frames")"
import json, re, subprocess, sys
frames = open(sys.argv[1]).read().split("gomaplab — ")[1:]
pos = [int(re.search(r"step (\d+)/", f).group(1)) for f in frames]
# the events of the script, op by op, from `gomaplab events` (make's step is the session's own)
ev = [json.loads(l) for l in subprocess.run([sys.argv[3], "events", sys.argv[2]], capture_output=True, text=True).stdout.splitlines()]
ops = sorted(set(e["op"] for e in ev))
last_of_first_method = max(i for i, e in enumerate(ev) if e["op"] == ops[0])
# step counts are 1-based and include make's step before the events
want_n2 = 1 + last_of_first_method + 1
assert pos[0] == 0 and pos[1] == 1, pos            # before make; n: the end of make (one step)
assert pos[2] == want_n2, (pos, want_n2)            # n: the end of the first method
assert pos[3] == want_n2 + 1 and pos[4] == want_n2, pos
assert pos[5] == 1, pos                             # p: before that op = after make
assert "op    store k 1000" in frames[2] and "Store returns" in frames[2], frames[2]
PY
fi

# A race scenario: its title and narration, then one run with its schedule and
# the verdict on its expect line (the lanes are the GUI's).
r14e=$src/assets/lessons/14e-syncmap-gc-roots.race
"$bin" tui "$r14e" </dev/null >"$dir/race" 2>"$dir/err"; rc=$?
[ $rc -eq 0 ] || fail "tui race: exit $rc: $(cat "$dir/err")"
title=$(sed -n 's/^title en //p' "$r14e")
grep -qF "# $title" "$dir/race" || fail "tui race: no title: $(head -3 "$dir/race")"
grep -q "^-- expected: clean: met$" "$dir/race" || fail "tui race: no verdict: $(tail -3 "$dir/race")"
grep -q "is a race scenario: here its narration" "$dir/err" || fail "tui race: stderr $(cat "$dir/err")"

# Bad scripts: FILE:LINE:COL and exit 2, for each structure's wrong verb.
printf 'make syncmap string\nstore k 1\nput k 2\n' >"$dir/bad-sm.ops"
"$bin" tui "$dir/bad-sm.ops" </dev/null >/dev/null 2>"$dir/err"; rc=$?
[ $rc -eq 2 ] || fail "bad sync.Map script: exit $rc"
grep -q "bad-sm.ops:3:1: expected an op of sync.Map" "$dir/err" || fail "bad sync.Map script: $(cat "$dir/err")"
printf 'make swiss int64 0\nput 1 2\nstore 1 2\n' >"$dir/bad-sw.ops"
"$bin" tui "$dir/bad-sw.ops" </dev/null >/dev/null 2>"$dir/err"; rc=$?
[ $rc -eq 2 ] || fail "bad Swiss script: exit $rc"
grep -q "bad-sw.ops:3:1: expected an op of the Swiss map" "$dir/err" || fail "bad Swiss script: $(cat "$dir/err")"
echo ok
