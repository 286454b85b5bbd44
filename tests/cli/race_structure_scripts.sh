#!/usr/bin/env bash
# `gomaplab dump` of an op script whose map lives in races (issue 12, section 2:
# the sharded and copy-on-write maps' verbs in op scripts too): one goroutine
# runs the ops, one JSON line per op with the state fields of `race --states`.
# The expectations are derived here, not copied from the program: the shard of
# a key is FNV-1a 32 of its bytes masked by N-1 (the scenario's rule, spec
# 13.4), a copy-on-write store publishes a new version holding every key so
# far, and valuecas's CompareAndSwap panics with Go's text (syncmap-spec 10.6).
set -u
bin=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail() { echo "FAIL: $*" >&2; exit 1; }

printf '# a sharded map on one goroutine\nmake sharded 4 string\nstore apple 1\nstore banana 2\nstore cherry 3\nload apple\ndelete banana\n' >"$dir/sh.ops"
"$bin" dump "$dir/sh.ops" >"$dir/sh.json" 2>"$dir/err" || fail "sharded: exit $?: $(cat "$dir/err")"
python3 - "$dir/sh.json" <<'PY' || fail "sharded: $(cat "$dir/sh.json")"
import json, sys
def fnv(s):
    h = 2166136261
    for b in s.encode():
        h = ((h ^ b) * 16777619) & 0xffffffff
    return h
lines = [json.loads(l) for l in open(sys.argv[1])]
ops = ["store apple 1", "store banana 2", "store cherry 3", "load apple", "delete banana"]
assert [l["op"] for l in lines] == ops, [l["op"] for l in lines]
keys = set()
for l, op in zip(lines, ops):
    verb, key = op.split()[:2]
    if verb == "store": keys.add(key)
    if verb == "delete": keys.discard(key)
    want = [0, 0, 0, 0]
    for k in keys: want[fnv(k) & 3] += 1
    shards = l["shards"]
    assert [s["shard"] for s in shards] == [0, 1, 2, 3]
    assert [s["count"] for s in shards] == want, (op, [s["count"] for s in shards], want)
    for s in shards:  # every lock released between ops
        assert s["mutex"] == {"state": 0, "readerCount": 0, "readerWait": 0}, (op, s["mutex"])
PY

printf 'make cow ptrcas string\nstore a 1\nstore b 2\nload a\nstore a 5\n' >"$dir/cow.ops"
"$bin" dump "$dir/cow.ops" >"$dir/cow.json" 2>"$dir/err" || fail "cow: exit $?: $(cat "$dir/err")"
python3 - "$dir/cow.json" <<'PY' || fail "cow: $(cat "$dir/cow.json")"
import json, sys
lines = [json.loads(l) for l in open(sys.argv[1])]
assert [l["op"] for l in lines] == ["store a 1", "store b 2", "load a", "store a 5"]
want = [{"a": 1}, {"a": 1, "b": 2}, {"a": 1, "b": 2}, {"a": 5, "b": 2}]
for l, m in zip(lines, want):
    c = l["cow"]
    assert c["variant"] == "ptrcas"
    assert {k: int(v) for k, v in c["published"]["m"].items()} == m, (l["op"], c["published"])
    assert c["held"] == [] or all(h["old"] is None and h["copy"] is None for h in c["held"]), c["held"]
    assert c["casFailures"] == 0
ids = [l["cow"]["published"]["id"] for l in lines]
assert ids[1] == ids[0] + 1 and ids[2] == ids[1] and ids[3] == ids[2] + 1, ids  # a load publishes nothing
PY

# valuecas: the first CompareAndSwap after a Store compares two maps: Go's panic, exit 1.
printf 'make cow valuecas string\nstore a 1\nstore b 2\n' >"$dir/vc.ops"
"$bin" dump "$dir/vc.ops" >"$dir/vc.json" 2>"$dir/err"; rc=$?
[ $rc -eq 1 ] || fail "valuecas: exit $rc"
grep -q "comparing uncomparable type map\[string\]int" "$dir/err" || fail "valuecas: $(cat "$dir/err")"
grep -qF "$dir/vc.ops:3  // store b 2" "$dir/err" || fail "valuecas traceback: not the script's line: $(cat "$dir/err")"
[ "$(wc -l <"$dir/vc.json")" -eq 1 ] || fail "valuecas: want the first store's line only: $(cat "$dir/vc.json")"

# Bad scripts: the script's own line and column, exit 2.
printf 'make sharded 4 string\nstore a 1\nput a 2\n' >"$dir/bad.ops"
"$bin" dump "$dir/bad.ops" >/dev/null 2>"$dir/err"; rc=$?
[ $rc -eq 2 ] || fail "bad verb: exit $rc"
grep -q "^$dir/bad.ops:3:1: " "$dir/err" || fail "bad verb: $(cat "$dir/err")"
printf '# x\n\nmake sharded 3 string\n' >"$dir/bad2.ops"
"$bin" dump "$dir/bad2.ops" >/dev/null 2>"$dir/err"; rc=$?
[ $rc -eq 2 ] || fail "sharded 3: exit $rc"
grep -q "^$dir/bad2.ops:3:" "$dir/err" || fail "sharded 3: $(cat "$dir/err")"
# The other commands read classic, Swiss and sync.Map scripts: they say where this one runs.
"$bin" events "$dir/sh.ops" >/dev/null 2>"$dir/err"; rc=$?
[ $rc -eq 2 ] || fail "events on a sharded script: exit $rc"
grep -q "^$dir/sh.ops:2:6: .*a sharded map lives in races (its op script runs with 'gomaplab dump FILE'" "$dir/err" ||
  fail "events on a sharded script: $(cat "$dir/err")"
echo ok
