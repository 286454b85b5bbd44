package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"gomaplab/oracle/internal/hashkey"
	"gomaplab/oracle/internal/msize"
)

// mapKind is the key type of the map under test; the element is always int64.
type mapKind int

const (
	kindInt64 mapKind = iota
	kindInt32
	kindString
	kindFloat64
)

var kindNames = [...]string{"int64", "int32", "string", "float64"}

// bucketSize is the size of one bmap for map[K]int64 on amd64.
var bucketSize = [...]uint64{144, 112, 208, 144}

func parseKind(s string) (mapKind, bool) {
	for i, n := range kindNames {
		if s == n {
			return mapKind(i), true
		}
	}
	return 0, false
}

type opCode int

const (
	opHashkey opCode = iota
	opMake
	opNil
	opSeed
	opPut
	opDel
	opGet
	opHash
	opDump
	opClear
	opIter
)

// opCodes is built after package hashkey has installed the hash key.
var opCodes = map[string]opCode{
	"put": opPut, "del": opDel, "get": opGet, "hash": opHash,
	"dump": opDump, "clear": opClear, "iter": opIter,
}

// keyVal holds a parsed key; only the field of the map's kind is used.
type keyVal struct {
	i64 int64
	i32 int32
	f64 float64
	str string
}

type op struct {
	code opCode
	line int
	text string // source tokens joined by one space (the "op" field)
	kind mapKind
	hint int64
	u    uint64 // hashkey value, hash0 for make/seed
	key  keyVal
	val  int64
}

// hasKey reports whether the op carries a key (and prints its hash).
func (o *op) hasKey() bool {
	return o.code == opPut || o.code == opDel || o.code == opGet || o.code == opHash
}

type scriptError struct {
	file string
	line int
	msg  string
}

func (e *scriptError) Error() string { return fmt.Sprintf("%s:%d: %s", e.file, e.line, e.msg) }

// maxArrayBytes bounds the bucket array a make hint may request. Bigger
// requests would take gigabytes of memory (and output); the runtime itself
// only falls back to hint 0 above 2^48 bytes.
const maxArrayBytes = 1 << 31

// script holds the parsed ops. If the script has an error, ops holds the
// ops before it and err describes it.
type script struct {
	ops []op
	err *scriptError
	// key is hashkey[0] for the run: the last hashkey op, or the default.
	key uint64
}

// tokenize splits a line into tokens. '#' outside a quoted token starts a
// comment. A token that starts with '"' or '`' runs to the matching closing
// quote (a '"' token honours backslash escapes) and may contain spaces.
func tokenize(line string) ([]string, string) {
	var toks []string
	i := 0
	n := len(line)
	for {
		for i < n && (line[i] == ' ' || line[i] == '\t' || line[i] == '\r' || line[i] == '\v' || line[i] == '\f') {
			i++
		}
		if i >= n || line[i] == '#' {
			return toks, ""
		}
		start := i
		switch line[i] {
		case '"':
			i++
			for i < n && line[i] != '"' {
				if line[i] == '\\' && i+1 < n {
					i++
				}
				i++
			}
			if i >= n {
				return toks, "unterminated \"...\" string"
			}
			i++
		case '`':
			i++
			for i < n && line[i] != '`' {
				i++
			}
			if i >= n {
				return toks, "unterminated `...` string"
			}
			i++
		default:
			for i < n && !isSpace(line[i]) && line[i] != '#' {
				i++
			}
		}
		if (line[start] == '"' || line[start] == '`') && i < n && !isSpace(line[i]) && line[i] != '#' {
			return toks, "expected a space after the quoted string " + line[start:i]
		}
		toks = append(toks, line[start:i])
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// parseUint parses a decimal or 0x-hexadecimal unsigned number of at most
// bits bits.
func parseUint(s string, bits int) (uint64, bool) {
	v, ok := hashkey.ParseUint64(s)
	if !ok || (bits < 64 && v>>uint(bits) != 0) {
		return 0, false
	}
	return v, true
}

// parseHint parses a signed decimal or 0x-hexadecimal int64.
func parseHint(s string) (int64, bool) {
	neg := false
	t := s
	if t != "" && (t[0] == '-' || t[0] == '+') {
		neg = t[0] == '-'
		t = t[1:]
	}
	if t == "" || t[0] == '-' || t[0] == '+' {
		return 0, false
	}
	m, ok := hashkey.ParseUint64(t)
	if !ok {
		return 0, false
	}
	if neg {
		if m > 1<<63 {
			return 0, false
		}
		return int64(-m), true
	}
	if m >= 1<<63 {
		return 0, false
	}
	return int64(m), true
}

func parseKey(kind mapKind, tok string, k *keyVal) string {
	switch kind {
	case kindInt64:
		v, err := strconv.ParseInt(tok, 10, 64)
		if err != nil {
			return "expected an int64 key (decimal), got " + tok
		}
		k.i64 = v
	case kindInt32:
		v, err := strconv.ParseInt(tok, 10, 32)
		if err != nil {
			return "expected an int32 key (decimal), got " + tok
		}
		k.i32 = int32(v)
	case kindFloat64:
		v, err := strconv.ParseFloat(tok, 64)
		if err != nil {
			return "expected a float64 key (number, NaN, Inf, +Inf, -Inf, -0), got " + tok
		}
		k.f64 = v
	case kindString:
		switch tok[0] {
		case '"':
			s, err := strconv.Unquote(tok)
			if err != nil {
				return "expected a Go \"...\" string key, got " + tok
			}
			k.str = s
		case '`':
			k.str = tok[1 : len(tok)-1]
		default:
			k.str = tok
		}
	}
	return ""
}

// makeArrayBytes returns the bucket array size makemap allocates for hint.
func makeArrayBytes(kind mapKind, hint int64) uint64 {
	bs := bucketSize[kind]
	if hint < 0 {
		return 0
	}
	h := uint64(hint)
	if h != 0 && (h*bs/bs != h || h*bs > 1<<48) {
		return 0 // makemap: overflow or more than maxAlloc -> hint 0
	}
	b := uint8(0)
	for h > 8 && h > 13*((uint64(1)<<b)/2) {
		b++
	}
	if b == 0 {
		return 0
	}
	return msize.ArrayBuckets(b, bs) * bs
}

// parseScript parses the whole script.
func parseScript(file string, data []byte) *script {
	sc := &script{key: hashkey.Default}
	haveMap := false
	isNil := false
	var kind mapKind
	lineNo := 0
	text := string(data)
	for len(text) > 0 {
		lineNo++
		var line string
		if i := strings.IndexByte(text, '\n'); i >= 0 {
			line, text = text[:i], text[i+1:]
		} else {
			line, text = text, ""
		}
		// Lesson lines (title, narration, expect: gomaplab's docs/formats.md) say
		// nothing to the map; their free text may hold quotes and '#'.
		if f := strings.Fields(line); len(f) > 0 && (f[0] == "title" || f[0] == "narration" || f[0] == "expect") {
			continue
		}
		toks, terr := tokenize(line)
		fail := func(msg string) *script {
			sc.err = &scriptError{file, lineNo, msg}
			return sc
		}
		if terr != "" {
			return fail(terr)
		}
		if len(toks) == 0 {
			continue
		}
		o := op{line: lineNo, text: strings.Join(toks, " ")}
		args := toks[1:]
		nargs := func(min, max int, usage string) string {
			if len(args) < min || len(args) > max {
				return "expected `" + usage + "`"
			}
			return ""
		}
		needMap := func() string {
			if !haveMap {
				return "expected `make KIND HINT [HASH0]` or `nil KIND` before " + toks[0]
			}
			return ""
		}
		var msg string
		switch toks[0] {
		case "hashkey":
			o.code = opHashkey
			if msg = nargs(1, 1, "hashkey K"); msg == "" {
				if haveMap {
					msg = "hashkey must come before the first make or nil"
				} else if v, ok := parseUint(args[0], 64); !ok {
					msg = "expected a uint64 (decimal or 0x hex) after hashkey, got " + args[0]
				} else {
					o.u = v
				}
			}
		case "make":
			o.code = opMake
			if msg = nargs(2, 3, "make KIND HINT [HASH0]"); msg == "" {
				k, ok := parseKind(args[0])
				if !ok {
					msg = "expected a map kind (int64, int32, string, float64), got " + args[0]
					break
				}
				o.kind = k
				h, ok := parseHint(args[1])
				if !ok {
					msg = "expected an int64 hint (decimal or 0x hex), got " + args[1]
					break
				}
				o.hint = h
				if len(args) == 3 {
					v, ok := parseUint(args[2], 32)
					if !ok {
						msg = "expected a uint32 hash0 (decimal or 0x hex), got " + args[2]
						break
					}
					o.u = v
				}
				if sz := makeArrayBytes(k, h); sz > maxArrayBytes {
					msg = fmt.Sprintf("hint %d needs a %d-byte bucket array; the oracle refuses more than %d bytes", h, sz, maxArrayBytes)
				}
			}
		case "nil":
			o.code = opNil
			if msg = nargs(1, 1, "nil KIND"); msg == "" {
				k, ok := parseKind(args[0])
				if !ok {
					msg = "expected a map kind (int64, int32, string, float64), got " + args[0]
				}
				o.kind = k
			}
		case "seed":
			o.code = opSeed
			if msg = needMap(); msg == "" {
				if msg = nargs(1, 1, "seed HASH0"); msg == "" {
					if isNil {
						msg = "seed needs a map made with make, not a nil map"
					} else if v, ok := parseUint(args[0], 32); !ok {
						msg = "expected a uint32 hash0 (decimal or 0x hex) after seed, got " + args[0]
					} else {
						o.u = v
					}
				}
			}
		case "put", "del", "get", "hash":
			o.code = opCodes[toks[0]]
			if msg = needMap(); msg != "" {
				break
			}
			if o.code == opPut {
				msg = nargs(2, 2, "put KEY VAL")
			} else {
				msg = nargs(1, 1, toks[0]+" KEY")
			}
			if msg != "" {
				break
			}
			o.kind = kind
			if msg = parseKey(kind, args[0], &o.key); msg != "" {
				break
			}
			if o.code == opPut {
				v, err := strconv.ParseInt(args[1], 10, 64)
				if err != nil {
					msg = "expected an int64 value (decimal), got " + args[1]
				}
				o.val = v
			}
		case "dump", "clear", "iter":
			o.code = opCodes[toks[0]]
			if msg = needMap(); msg == "" {
				msg = nargs(0, 0, toks[0])
			}
			o.kind = kind
		default:
			msg = "expected an op (hashkey, make, nil, seed, put, del, get, hash, dump, clear, iter), got " + toks[0]
		}
		if msg != "" {
			return fail(msg)
		}
		switch o.code {
		case opHashkey:
			sc.key = o.u
		case opMake, opNil:
			haveMap = true
			isNil = o.code == opNil
			kind = o.kind
		}
		sc.ops = append(sc.ops, o)
	}
	return sc
}

// floatKeyString is the key encoding of a float64 key (inside quotes).
func floatKeyString(f float64) string {
	switch {
	case math.IsNaN(f):
		return "NaN"
	case math.IsInf(f, 1):
		return "+Inf"
	case math.IsInf(f, -1):
		return "-Inf"
	}
	return strconv.FormatFloat(f, 'g', -1, 64) // "-0" for negative zero
}
