package main

import (
	"fmt"
	"math"
	"strconv"
	"strings"

	"Gomaplab/oracleswiss/internal/hashkey"
)

type mapKind int

const (
	kindInt64 mapKind = iota
	kindInt32
	kindString
	kindFloat64
)

var kindNames = [...]string{"int64", "int32", "string", "float64"}

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
	opVersion opCode = iota
	opHashkey
	opMake
	opSeed
	opPut
	opGet
	opDel
	opHash
	opDump
	opClear
	opIter
)

type keyVal struct {
	i64 int64
	i32 int32
	f64 float64
	str string
}

type op struct {
	code opCode
	text string // the tokens joined by single spaces
	line int
	kind mapKind
	hint int64
	u    uint64 // seed (make, seed)
	key  keyVal
	val  int64
	// iter: explicit offsets
	haveOffsets bool
	entryOff    uint64
	dirOff      uint64
	// iter ... do OP [; OP]...: a range loop with a body
	loop bool
	body []bodyOp
}

// bodyOp is one op of a loop body: put, del, get, clear or seed. Its key is
// a literal, or the key just yielded (current) plus delta on integer keys.
type bodyOp struct {
	code    opCode
	current bool
	delta   int64
	key     keyVal
	val     int64
	u       uint64
}

// keyFor is the key the op acts on when the loop has just yielded k (Go's
// wrapping arithmetic for k+N and k-N).
func (b *bodyOp) keyFor(k keyVal) keyVal {
	if !b.current {
		return b.key
	}
	k.i64 += b.delta
	k.i32 = int32(int64(k.i32) + b.delta)
	return k
}

func (o *op) hasKey() bool {
	return o.code == opPut || o.code == opGet || o.code == opDel || o.code == opHash
}

type scriptError struct {
	file      string
	line, col int
	msg       string
}

func (e *scriptError) Error() string {
	return fmt.Sprintf("%s:%d:%d: %s", e.file, e.line, e.col, e.msg)
}

// script holds the parsed ops. If the script has an error, ops holds the ops
// before it and err describes it.
type script struct {
	ops     []op
	err     *scriptError
	key     [4]uint64 // hashkey for the run: the last hashkey op, or the default
	version string    // "go1.26" or "go1.27": the last version op, or "go1.27"
}

type token struct {
	s   string
	col int // 1-based
}

// tokenize splits a line into tokens. '#' outside a quoted token starts a
// comment. A token that starts with '"' or '`' runs to its closing quote (a
// '"' token honours backslash escapes) and may contain spaces.
func tokenize(line string) ([]token, int, string) {
	var toks []token
	i, n := 0, len(line)
	for {
		for i < n && isSpace(line[i]) {
			i++
		}
		if i >= n || line[i] == '#' {
			return toks, 0, ""
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
				return toks, start + 1, "unterminated \"...\" string"
			}
			i++
		case '`':
			i++
			for i < n && line[i] != '`' {
				i++
			}
			if i >= n {
				return toks, start + 1, "unterminated `...` string"
			}
			i++
		default:
			for i < n && !isSpace(line[i]) && line[i] != '#' {
				i++
			}
		}
		if (line[start] == '"' || line[start] == '`') && i < n && line[i] == ';' {
			i++ // a loop body's separator glued to a quoted key (parseBody splits it off)
		}
		if (line[start] == '"' || line[start] == '`') && i < n && !isSpace(line[i]) && line[i] != '#' {
			return toks, i + 1, "expected a space after the quoted string " + line[start:i]
		}
		toks = append(toks, token{line[start:i], start + 1})
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

// parseInt64 parses a signed decimal or 0x-hexadecimal int64.
func parseInt64(s string) (int64, bool) {
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

// parseScript parses the whole script before anything runs (the hashkey and
// version must be known before the process is set up).
func parseScript(file string, data []byte) *script {
	sc := &script{key: hashkey.Default, version: "go1.27"}
	haveMap := false
	var kind mapKind
	lines := strings.Split(string(data), "\n")
	for ln, line := range lines {
		fail := func(col int, format string, a ...any) {
			sc.err = &scriptError{file, ln + 1, col, fmt.Sprintf(format, a...)}
		}
		toks, col, msg := tokenize(line)
		if msg != "" {
			fail(col, "%s", msg)
			return sc
		}
		if len(toks) == 0 {
			continue
		}
		words := make([]string, len(toks))
		for i, t := range toks {
			words[i] = t.s
		}
		o := op{text: strings.Join(words, " "), line: ln + 1}
		// nargs checks the argument count: between lo and hi.
		nargs := func(lo, hi int, what string) bool {
			n := len(toks) - 1
			if n < lo || n > hi {
				c := len(line) + 1
				if n > hi {
					c = toks[hi+1].col
				}
				fail(c, "expected %s", what)
				return false
			}
			return true
		}
		needMap := func() bool {
			if !haveMap {
				fail(toks[0].col, "expected `make swiss KIND HINT [SEED]` before %s", toks[0].s)
				return false
			}
			return true
		}
		keyArg := func(i int) bool {
			if m := parseKey(kind, toks[i].s, &o.key); m != "" {
				fail(toks[i].col, "%s", m)
				return false
			}
			return true
		}
		u64Arg := func(i int, dst *uint64, what string) bool {
			v, ok := hashkey.ParseUint64(toks[i].s)
			if !ok {
				fail(toks[i].col, "expected %s (uint64, decimal or 0x hex), got %s", what, toks[i].s)
				return false
			}
			*dst = v
			return true
		}
		switch toks[0].s {
		case "version":
			o.code = opVersion
			if !nargs(1, 1, "`version go1.26` or `version go1.27`") {
				return sc
			}
			if toks[1].s != "go1.26" && toks[1].s != "go1.27" {
				fail(toks[1].col, "expected go1.26 or go1.27, got %s", toks[1].s)
				return sc
			}
			if haveMap {
				fail(toks[0].col, "expected `version` before the first make")
				return sc
			}
			sc.version = toks[1].s
		case "hashkey":
			o.code = opHashkey
			if !nargs(4, 4, "`hashkey K0 K1 K2 K3`") {
				return sc
			}
			if haveMap {
				fail(toks[0].col, "expected `hashkey` before the first make")
				return sc
			}
			var k [4]uint64
			for i := range k {
				if !u64Arg(i+1, &k[i], "a hashkey word") {
					return sc
				}
			}
			sc.key = k
		case "make":
			o.code = opMake
			if !nargs(3, 4, "`make swiss KIND HINT [SEED]`") {
				return sc
			}
			if toks[1].s != "swiss" {
				fail(toks[1].col, "expected swiss (this oracle runs only the Swiss map), got %s", toks[1].s)
				return sc
			}
			k, ok := parseKind(toks[2].s)
			if !ok {
				fail(toks[2].col, "expected a key kind (int64, int32, string, float64), got %s", toks[2].s)
				return sc
			}
			h, ok := parseInt64(toks[3].s)
			if !ok {
				fail(toks[3].col, "expected a hint (int64), got %s", toks[3].s)
				return sc
			}
			if len(toks) == 5 && !u64Arg(4, &o.u, "a seed") {
				return sc
			}
			o.kind, o.hint = k, h
			kind, haveMap = k, true
		case "seed":
			o.code = opSeed
			if !nargs(1, 1, "`seed S`") || !needMap() || !u64Arg(1, &o.u, "a seed") {
				return sc
			}
		case "put":
			o.code = opPut
			if !nargs(2, 2, "`put KEY VAL`") || !needMap() || !keyArg(1) {
				return sc
			}
			v, err := strconv.ParseInt(toks[2].s, 10, 64)
			if err != nil {
				fail(toks[2].col, "expected an int64 value (decimal), got %s", toks[2].s)
				return sc
			}
			o.val = v
		case "get", "del", "hash":
			o.code = map[string]opCode{"get": opGet, "del": opDel, "hash": opHash}[toks[0].s]
			if !nargs(1, 1, "`"+toks[0].s+" KEY`") || !needMap() || !keyArg(1) {
				return sc
			}
		case "dump", "clear":
			o.code = opDump
			if toks[0].s == "clear" {
				o.code = opClear
			}
			if !nargs(0, 0, "no arguments after "+toks[0].s) || !needMap() {
				return sc
			}
		case "iter":
			o.code = opIter
			do := 0
			for i, t := range toks {
				if t.s == "do" {
					do = i
					break
				}
			}
			if do > 0 {
				if !needMap() {
					return sc
				}
				if do != 1 && do != 3 {
					fail(toks[do].col, "expected `iter do OP` or `iter ENTRYOFFSET DIROFFSET do OP`")
					return sc
				}
				if do == 3 {
					if !u64Arg(1, &o.entryOff, "an entry offset") || !u64Arg(2, &o.dirOff, "a directory offset") {
						return sc
					}
					o.haveOffsets = true
				}
				o.loop = true
				if msg, col := parseBody(kind, toks[do+1:], toks[do], &o); msg != "" {
					fail(col, "%s", msg)
					return sc
				}
				break
			}
			if len(toks) == 2 {
				fail(len(line)+1, "expected `iter` or `iter ENTRYOFFSET DIROFFSET`")
				return sc
			}
			if !nargs(0, 2, "`iter` or `iter ENTRYOFFSET DIROFFSET`") || !needMap() {
				return sc
			}
			if len(toks) == 3 {
				if !u64Arg(1, &o.entryOff, "an entry offset") || !u64Arg(2, &o.dirOff, "a directory offset") {
					return sc
				}
				o.haveOffsets = true
			}
		default:
			fail(toks[0].col, "expected an op (version, hashkey, make, seed, put, get, del, hash, dump, clear, iter), got %s", toks[0].s)
			return sc
		}
		sc.ops = append(sc.ops, o)
	}
	return sc
}

// appendFloatKey writes a float64 key: a JSON number in Go's shortest 'g'
// form, or the strings "NaN", "+Inf", "-Inf" and "-0".
func appendFloatKey(b []byte, f float64) []byte {
	switch {
	case math.IsNaN(f):
		return append(b, `"NaN"`...)
	case math.IsInf(f, 1):
		return append(b, `"+Inf"`...)
	case math.IsInf(f, -1):
		return append(b, `"-Inf"`...)
	case f == 0 && math.Signbit(f):
		return append(b, `"-0"`...)
	}
	return strconv.AppendFloat(b, f, 'g', -1, 64)
}

// appendJSONString writes s as a JSON string: bytes 0x20..0x7e as they are
// except '"' and '\\' (escaped with a backslash); every other byte as \u00xx,
// one escape per byte (the classic dump's encoding).
func appendJSONString(b []byte, s string) []byte {
	const hex = "0123456789abcdef"
	b = append(b, '"')
	for i := 0; i < len(s); i++ {
		c := s[i]
		switch {
		case c == '"' || c == '\\':
			b = append(b, '\\', c)
		case c >= 0x20 && c <= 0x7e:
			b = append(b, c)
		default:
			b = append(b, '\\', 'u', '0', '0', hex[c>>4], hex[c&15])
		}
	}
	return append(b, '"')
}

// parseBody parses the ops after `do`, separated by `;` (a token of its own,
// or glued to the end of an unquoted token). It returns an error message and
// its column, or "".
func parseBody(kind mapKind, toks []token, do token, o *op) (string, int) {
	var body []token
	for _, t := range toks {
		from := 0
		var quote byte
		for c := 0; c < len(t.s); c++ {
			ch := t.s[c]
			switch {
			case quote != 0:
				if ch == '\\' && quote == '"' {
					c++
				} else if ch == quote {
					quote = 0
				}
			case ch == '"' || ch == '`':
				quote = ch
			case ch == ';':
				if c > from {
					body = append(body, token{t.s[from:c], t.col + from})
				}
				body = append(body, token{";", t.col + c})
				from = c + 1
			}
		}
		if from < len(t.s) {
			body = append(body, token{t.s[from:], t.col + from})
		}
	}
	const ops = "a body op (put KEY VAL, del KEY, get KEY, clear, seed S)"
	for i := 0; ; {
		j := i
		for j < len(body) && body[j].s != ";" {
			j++
		}
		if j == i {
			c := do.col + len(do.s)
			where := "after 'do'"
			if j < len(body) {
				c = body[j].col
			} else if i > 0 {
				c = body[i-1].col + len(body[i-1].s)
			}
			if i > 0 {
				where = "after ';'"
			}
			return "expected " + ops + " " + where, c
		}
		g := body[i:j]
		var b bodyOp
		want := func(n int, usage string) (string, int) {
			if len(g) == n {
				return "", 0
			}
			c := g[len(g)-1].col + len(g[len(g)-1].s)
			if len(g) > n {
				c = g[n].col
			}
			return fmt.Sprintf("expected '%s' in the loop body, got %d arguments", usage, len(g)-1), c
		}
		key := func(t token) (string, int) {
			integer := kind == kindInt64 || kind == kindInt32
			if t.s == "k" {
				b.current = true
				return "", 0
			}
			if len(t.s) > 2 && t.s[0] == 'k' && (t.s[1] == '+' || t.s[1] == '-') && kind != kindString {
				if !integer {
					return "k+N and k-N work on integer keys only, got " + t.s, t.col
				}
				n, err := strconv.ParseInt(t.s[2:], 10, 64)
				if err != nil || t.s[2] == '+' || t.s[2] == '-' {
					return "expected k+N or k-N with N a decimal number, got " + t.s, t.col + 2
				}
				b.current = true
				b.delta = n
				if t.s[1] == '-' {
					b.delta = -n
				}
				return "", 0
			}
			if m := parseKey(kind, t.s, &b.key); m != "" {
				return m + " (or k, the key just yielded)", t.col
			}
			return "", 0
		}
		var m string
		var c int
		switch g[0].s {
		case "put":
			b.code = opPut
			if m, c = want(3, "put KEY VAL"); m == "" {
				if m, c = key(g[1]); m == "" {
					v, err := strconv.ParseInt(g[2].s, 10, 64)
					if err != nil {
						m, c = "expected an int64 value (decimal), got "+g[2].s, g[2].col
					}
					b.val = v
				}
			}
		case "del", "get":
			b.code = opDel
			if g[0].s == "get" {
				b.code = opGet
			}
			if m, c = want(2, g[0].s+" KEY"); m == "" {
				m, c = key(g[1])
			}
		case "clear":
			b.code = opClear
			m, c = want(1, "clear")
		case "seed":
			b.code = opSeed
			if m, c = want(2, "seed S"); m == "" {
				v, ok := hashkey.ParseUint64(g[1].s)
				if !ok {
					m, c = "expected a seed (uint64, decimal or 0x hex), got "+g[1].s, g[1].col
				}
				b.u = v
			}
		default:
			m, c = "expected "+ops+", got "+g[0].s, g[0].col
		}
		if m != "" {
			return m, c
		}
		o.body = append(o.body, b)
		if j >= len(body) {
			return "", 0
		}
		i = j + 1
	}
}
