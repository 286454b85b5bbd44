// Command gomap-oracle-syncmap runs an op script on a real Go 1.19 sync.Map
// and prints, after every op, what the map's mu, read, dirty, misses and
// entries hold, read through unsafe. It is the reference a simulated
// sync.Map is tested against (docs/formats.md, "sync.Map JSON: the oracle's
// contract"). See README.md.
package main

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/debug"
	"strconv"
	"sync"
)

const usage = `usage: gomap-oracle-syncmap [FILE|-]

Runs the op script FILE (standard input if absent or "-") on a real Go 1.19
sync.Map and prints one JSON line per op (docs/formats.md, "sync.Map JSON").
Ops: make syncmap string|int64, store K V, load K, loadorstore K V,
loadanddelete K, delete K, range [N], gc, dump.
`

func main() {
	file := ""
	for _, a := range os.Args[1:] {
		switch {
		case a == "-h" || a == "--help":
			fmt.Print(usage)
			os.Exit(0)
		case a == "-" || a == "" || a[0] != '-':
			if file != "" {
				fmt.Fprintf(os.Stderr, "gomap-oracle-syncmap: more than one script file given\n%s", usage)
				os.Exit(2)
			}
			file = a
		default:
			fmt.Fprintf(os.Stderr, "gomap-oracle-syncmap: unknown option %s\n%s", a, usage)
			os.Exit(2)
		}
	}
	var data []byte
	var err error
	name := file
	if file == "" || file == "-" {
		name = "<stdin>"
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gomap-oracle-syncmap: %v\n", err)
		os.Exit(2)
	}
	if err := checkLayout(); err != nil {
		fmt.Fprintf(os.Stderr, "gomap-oracle-syncmap: %v\n", err)
		os.Exit(3)
	}
	// Only `gc` collects, so that runs are repeatable (the identities do not
	// depend on it: mirror.go, ids).
	debug.SetGCPercent(-1)
	runtime.GC()

	sc := parseScript(name, data)
	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	status := run(sc, out)
	if err := out.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "gomap-oracle-syncmap: %v\n", err)
		os.Exit(1)
	}
	if status == 0 && sc.err != nil {
		fmt.Fprintln(os.Stderr, sc.err)
		status = 2
	}
	os.Exit(status)
}

// run executes the ops and writes their lines.
func run(sc *script, out *bufio.Writer) int {
	var (
		m   *sync.Map
		id  *identities
		buf []byte
	)
	for i := range sc.ops {
		o := &sc.ops[i]
		buf = append(buf[:0], `{"op":`...)
		buf = appendJSONString(buf, o.text)
		var panicked any
		func() {
			defer func() { panicked = recover() }()
			switch o.code {
			case opMake:
				m = new(sync.Map)
				id = newIdentities()
			case opStore:
				m.Store(o.key, o.val)
			case opLoad:
				v, ok := m.Load(o.key)
				buf = append(buf, `,"found":`...)
				buf = appendBool(buf, ok)
				buf = append(buf, `,"val":`...)
				buf = appendValue(buf, v)
			case opLoadOrStore:
				v, loaded := m.LoadOrStore(o.key, o.val)
				buf = append(buf, `,"val":`...)
				buf = appendValue(buf, v)
				buf = append(buf, `,"loaded":`...)
				buf = appendBool(buf, loaded)
			case opLoadAndDelete:
				v, loaded := m.LoadAndDelete(o.key)
				buf = append(buf, `,"val":`...)
				buf = appendValue(buf, v)
				buf = append(buf, `,"loaded":`...)
				buf = appendBool(buf, loaded)
			case opDelete:
				m.Delete(o.key)
			case opRange:
				var keys, vals []byte
				n := int64(0)
				m.Range(func(k, v any) bool {
					if n > 0 {
						keys = append(keys, ',')
						vals = append(vals, ',')
					}
					keys = appendKey(keys, k)
					vals = appendValue(vals, v)
					n++
					return o.limit == 0 || n < o.limit
				})
				buf = append(buf, `,"keys":[`...)
				buf = append(buf, keys...)
				buf = append(buf, `],"vals":[`...)
				buf = append(buf, vals...)
				buf = append(buf, ']')
			case opGC:
				runtime.GC()
			case opDump:
			}
		}()
		if panicked != nil {
			buf = append(buf[:0], `{"op":`...)
			buf = appendJSONString(buf, o.text)
			buf = append(buf, `,"panic":`...)
			buf = appendJSONString(buf, fmt.Sprint(panicked))
		} else {
			buf = appendState(buf, m, id)
			id.endOp()
		}
		buf = append(buf, "}\n"...)
		if _, err := out.Write(buf); err != nil {
			return 1
		}
	}
	return 0
}

func appendInt(b []byte, v int64) []byte   { return strconv.AppendInt(b, v, 10) }
func appendUint(b []byte, v uint64) []byte { return strconv.AppendUint(b, v, 10) }
func appendBool(b []byte, v bool) []byte   { return strconv.AppendBool(b, v) }
