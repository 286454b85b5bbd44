#!/bin/sh
# Bad op scripts: the oracle prints the lines of the ops before the error, then
# FILE:LINE:COL: what was expected on stderr, and exits 2.
set -u
oracle=$1
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
fail=0
check() { # check SCRIPT EXPECTED-STDERR EXPECTED-LINES
  printf '%s' "$1" > "$dir/s.ops"
  "$oracle" "$dir/s.ops" > "$dir/out" 2> "$dir/err"
  rc=$?
  lines=$(wc -l < "$dir/out")
  if [ "$rc" -ne 2 ] || [ "$(cat "$dir/err")" != "$dir/s.ops:$2" ] || [ "$lines" -ne "$3" ]; then
    echo "FAIL: script $(printf '%s' "$1" | tr '\n' '|'): exit $rc, $lines lines, stderr: $(cat "$dir/err")"
    echo "      want exit 2, $3 lines, stderr: $dir/s.ops:$2"
    fail=1
  fi
}
check 'make swiss int64 0
put 1 x
' '2:7: expected an int64 value (decimal), got x' 1
check 'put 1 1
' '1:1: expected `make swiss KIND HINT [SEED]` before put' 0
check 'make classic int64 0
' '1:6: expected swiss (this oracle runs only the Swiss map), got classic' 0
check 'make swiss int16 0
' '1:12: expected a key kind (int64, int32, string, float64), got int16' 0
check 'make swiss int32 0
put 2147483648 1
' '2:5: expected an int32 key (decimal), got 2147483648' 1
check 'make swiss string 0
put "abc 1
' '2:5: unterminated "..." string' 1
check 'make swiss int64 0
iter 5
' '2:7: expected `iter` or `iter ENTRYOFFSET DIROFFSET`' 1
check 'version go1.25
' '1:9: expected go1.26 or go1.27, got go1.25' 0
check 'make swiss int64 0
hashkey 1 2 3 4
' '2:1: expected `hashkey` before the first make' 1
check 'make swiss int64 0
dump 1
' '2:6: expected no arguments after dump' 1
check 'make swiss int64 0
frob
' '2:1: expected an op (version, hashkey, make, seed, put, get, del, hash, dump, clear, iter), got frob' 1
check 'make swiss int64 0
iter do put k 1; frob 2
' "2:18: expected a body op (put KEY VAL, del KEY, get KEY, clear, seed S), got frob" 1
check 'make swiss int64 0
iter 3 do del k
' "2:8: expected \`iter do OP\` or \`iter ENTRYOFFSET DIROFFSET do OP\`" 1
check 'make swiss float64 0
iter do del k+1
' '2:13: k+N and k-N work on integer keys only, got k+1' 1
check 'make swiss int64 0
iter do put k 1;
' "2:17: expected a body op (put KEY VAL, del KEY, get KEY, clear, seed S) after ';'" 1
[ $fail -eq 0 ] && echo "ok: 15 bad scripts rejected with FILE:LINE:COL"
exit $fail
