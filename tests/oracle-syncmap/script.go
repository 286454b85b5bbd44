package main

import (
	"fmt"
	"strconv"
	"strings"
)

type keyKind int

const (
	kindString keyKind = iota
	kindInt64
)

var kindNames = [...]string{"string", "int64"}

type opCode int

const (
	opMake opCode = iota
	opStore
	opLoad
	opLoadOrStore
	opLoadAndDelete
	opDelete
	opRange
	opGC
	opDump
)

// op is one parsed script line.
type op struct {
	code  opCode
	text  string // the tokens joined by single spaces
	line  int
	kind  keyKind // make
	key   any     // the key, boxed once at parse time (string or int64)
	val   int64   // store, loadorstore
	limit int64   // range N: stop after N visits (0: all)
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
	ops []op
	err *scriptError
}

type token struct {
	s   string
	col int // 1-based
}

// tokenize splits a line into tokens, as the project's op scripts do: '#'
// outside a quoted token starts a comment; a token that starts with '"' or
// '`' runs to its closing quote (a '"' token honours backslash escapes).
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
		if (line[start] == '"' || line[start] == '`') && i < n && !isSpace(line[i]) && line[i] != '#' {
			return toks, i + 1, "expected a space after the quoted string " + line[start:i]
		}
		toks = append(toks, token{line[start:i], start + 1})
	}
}

func isSpace(c byte) bool {
	return c == ' ' || c == '\t' || c == '\r' || c == '\v' || c == '\f'
}

func parseKey(kind keyKind, tok string) (any, string) {
	switch kind {
	case kindInt64:
		v, err := strconv.ParseInt(tok, 10, 64)
		if err != nil {
			return nil, "expected an int64 key (decimal), got " + tok
		}
		return v, ""
	default:
		switch tok[0] {
		case '"':
			s, err := strconv.Unquote(tok)
			if err != nil {
				return nil, "expected a Go \"...\" string key, got " + tok
			}
			return s, ""
		case '`':
			return tok[1 : len(tok)-1], ""
		}
		return tok, ""
	}
}

const opList = "make, store, load, loadorstore, loadanddelete, delete, range, gc, dump"

// parseScript parses the whole script before anything runs.
func parseScript(file string, data []byte) *script {
	sc := &script{}
	haveMap := false
	var kind keyKind
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
		// nargs checks the argument count against the op's form.
		nargs := func(lo, hi int, form string) bool {
			n := len(toks) - 1
			if n < lo {
				plural := "s"
				if n == 1 {
					plural = ""
				}
				fail(len(strings.TrimRight(line, " \t\r\v\f"))+1, "expected `%s`, got %d argument%s", form, n, plural)
				return false
			}
			if n > hi {
				fail(toks[hi+1].col, "expected `%s`, got more arguments: %s", form, toks[hi+1].s)
				return false
			}
			return true
		}
		needMap := func() bool {
			if !haveMap {
				fail(toks[0].col, "expected `make syncmap string|int64` before %s", toks[0].s)
				return false
			}
			return true
		}
		keyArg := func(i int) bool {
			k, m := parseKey(kind, toks[i].s)
			if m != "" {
				fail(toks[i].col, "%s", m)
				return false
			}
			o.key = k
			return true
		}
		valArg := func(i int) bool {
			v, err := strconv.ParseInt(toks[i].s, 10, 64)
			if err != nil {
				fail(toks[i].col, "expected an int64 value (decimal), got %s", toks[i].s)
				return false
			}
			o.val = v
			return true
		}
		ok := true
		switch toks[0].s {
		case "make":
			o.code = opMake
			if !nargs(2, 2, "make syncmap string|int64") {
				return sc
			}
			if toks[1].s != "syncmap" {
				fail(toks[1].col, "expected syncmap (this oracle runs only sync.Map), got %s", toks[1].s)
				return sc
			}
			switch toks[2].s {
			case "string":
				o.kind = kindString
			case "int64":
				o.kind = kindInt64
			default:
				fail(toks[2].col, "expected a key kind (string, int64), got %s", toks[2].s)
				return sc
			}
			kind = o.kind
			haveMap = true
		case "store", "loadorstore":
			o.code = opStore
			if toks[0].s == "loadorstore" {
				o.code = opLoadOrStore
			}
			ok = needMap() && nargs(2, 2, toks[0].s+" KEY VALUE") && keyArg(1) && valArg(2)
		case "load", "loadanddelete", "delete":
			o.code = map[string]opCode{"load": opLoad, "loadanddelete": opLoadAndDelete, "delete": opDelete}[toks[0].s]
			ok = needMap() && nargs(1, 1, toks[0].s+" KEY") && keyArg(1)
		case "range":
			o.code = opRange
			ok = needMap() && nargs(0, 1, "range [N]")
			if ok && len(toks) == 2 {
				n, err := strconv.ParseInt(toks[1].s, 10, 64)
				if err != nil || n < 1 {
					fail(toks[1].col, "expected a count >= 1 after range (visit at most N keys), got %s", toks[1].s)
					return sc
				}
				o.limit = n
			}
		case "gc", "dump":
			o.code = opGC
			if toks[0].s == "dump" {
				o.code = opDump
			}
			ok = needMap() && nargs(0, 0, toks[0].s)
		default:
			fail(toks[0].col, "expected an op (%s), got %s", opList, toks[0].s)
			return sc
		}
		if !ok {
			return sc
		}
		sc.ops = append(sc.ops, o)
	}
	return sc
}

// appendJSONString writes s as a JSON string as the classic dump does: bytes
// 0x20-0x7e raw except '"' and '\\', every other byte as \u00xx.
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
