// Command gomap-oracle-swiss runs an op script on a real Go 1.26 or 1.27 map
// (the Swiss table of internal/runtime/maps) and prints, after every op, what
// the runtime's Map header, directory, tables and groups hold. It is the
// reference the simulator's Swiss map is tested against. See README.md.
package main

// Package hashkey must be initialised before any other package builds a map:
// it replaces the runtime's hashkey. Its module path sorts first.
import _ "Gomaplab/oracleswiss/internal/hashkey"

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"syscall"

	"Gomaplab/oracleswiss/internal/hashkey"
)

const usage = `usage: gomap-oracle-swiss [--every N] [FILE|-]

Runs the op script FILE (standard input if absent or "-") on a real Go map
and prints one JSON line per op (docs/formats.md, "Swiss map JSON").
--every N prints the map state only for every Nth op, make and dump ops and
the last op (other lines keep op, hash, found/val and keys/offsets). The
process re-executes itself with GODEBUG=cpu.aes=off and the script's hashkey
(environment variable GOMAPLAB_SWISS_HASHKEY) when needed.
`

// reexecMarker is set in the environment of the re-executed process.
const reexecMarker = "GOMAPLAB_SWISS_ORACLE_REEXEC"

// maxAlloc is the largest group allocation a make may ask for: bigger makes
// are refused as script errors instead of exhausting memory.
const maxAlloc = 1 << 30

func godebugAESOff(v string) bool {
	off := false
	for _, f := range strings.Split(v, ",") {
		switch f {
		case "cpu.aes=off", "cpu.all=off":
			off = true
		case "cpu.aes=on":
			off = false
		}
	}
	return off
}

// ensureEnvironment re-executes the program, if needed, so that it runs with
// GODEBUG=cpu.aes=off and the runtime's hashkey == key.
func ensureEnvironment(key [4]uint64, data []byte, fromStdin bool) {
	godebug := os.Getenv("GODEBUG")
	if godebugAESOff(godebug) && !hashkey.AESHash() && hashkey.Current() == key {
		return
	}
	fail := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "gomap-oracle-swiss: "+format+"\n", a...)
		os.Exit(3)
	}
	if os.Getenv(reexecMarker) != "" {
		fail("re-executed but still AES hash=%v, GODEBUG=%q, hashkey=%s (want %s) %s",
			hashkey.AESHash(), godebug, hashkey.Format(hashkey.Current()), hashkey.Format(key), hashkey.EnvError)
	}
	if !godebugAESOff(godebug) {
		if godebug == "" {
			godebug = "cpu.aes=off"
		} else {
			godebug += ",cpu.aes=off"
		}
	}
	env := []string{"GODEBUG=" + godebug, hashkey.EnvVar + "=" + hashkey.Format(key), reexecMarker + "=1"}
	for _, e := range os.Environ() {
		if strings.HasPrefix(e, "GODEBUG=") || strings.HasPrefix(e, hashkey.EnvVar+"=") || strings.HasPrefix(e, reexecMarker+"=") {
			continue
		}
		env = append(env, e)
	}
	exe, err := os.Executable()
	if err != nil {
		fail("cannot find own executable to re-execute: %v", err)
	}
	if fromStdin {
		f, err := os.CreateTemp("", "gomap-oracle-swiss-*.ops")
		if err != nil {
			fail("cannot create a temporary file for the script: %v", err)
		}
		if _, err := f.Write(data); err != nil {
			fail("cannot write %s: %v", f.Name(), err)
		}
		if _, err := f.Seek(0, io.SeekStart); err != nil {
			fail("cannot rewind %s: %v", f.Name(), err)
		}
		os.Remove(f.Name())
		if err := syscall.Dup3(int(f.Fd()), 0, 0); err != nil {
			fail("cannot make the script standard input: %v", err)
		}
	}
	err = syscall.Exec(exe, os.Args, env)
	fail("cannot re-execute %s: %v", exe, err)
}

// toolchain is "go1.26" or "go1.27": the release this binary was built with.
func toolchain() string {
	v := runtime.Version() // e.g. go1.27.4
	if i := strings.IndexByte(v[2:], '.'); i >= 0 {
		if j := strings.IndexByte(v[3+i:], '.'); j >= 0 {
			return v[:3+i+j]
		}
	}
	return v
}

func main() {
	file := ""
	every := int64(1)
	args := os.Args[1:]
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-h" || a == "--help":
			fmt.Print(usage)
			os.Exit(0)
		case a == "--every":
			n, err := int64(0), error(nil)
			if i+1 < len(args) {
				i++
				n, err = strconv.ParseInt(args[i], 10, 64)
			}
			if n < 1 || err != nil {
				fmt.Fprintf(os.Stderr, "gomap-oracle-swiss: --every needs a number >= 1\n%s", usage)
				os.Exit(2)
			}
			every = n
		case a == "-" || !strings.HasPrefix(a, "-"):
			if file != "" {
				fmt.Fprintf(os.Stderr, "gomap-oracle-swiss: more than one script file given\n%s", usage)
				os.Exit(2)
			}
			file = a
		default:
			fmt.Fprintf(os.Stderr, "gomap-oracle-swiss: unknown option %s\n%s", a, usage)
			os.Exit(2)
		}
	}
	var data []byte
	var err error
	name := file
	fromStdin := file == "" || file == "-"
	if fromStdin {
		name = "<stdin>"
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(file)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gomap-oracle-swiss: %v\n", err)
		os.Exit(2)
	}
	sc := parseScript(name, data)
	ensureEnvironment(sc.key, data, fromStdin)

	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	status := run(sc, name, every, out)
	if err := out.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "gomap-oracle-swiss: %v\n", err)
		os.Exit(1)
	}
	if status == 0 && sc.err != nil {
		fmt.Fprintln(os.Stderr, sc.err)
		status = 2
	}
	os.Exit(status)
}

// makeGroupBytes is the size of the groups makemap allocates for hint
// (spec 5.3-5.4), or 0 when the runtime returns an empty map instead.
func makeGroupBytes(hint int64, groupSize uint64) uint64 {
	if hint <= 8 {
		return 0
	}
	h := uint64(hint)
	if h > (^uint64(0))/8 {
		return 0
	}
	target := h * 8 / 7
	dirSize := uint64(1)
	for dirSize < (target+1023)/1024 {
		dirSize <<= 1
	}
	if dirSize > (1<<48)/(1024*groupSize) {
		return 0
	}
	perTable := uint64(8)
	for perTable < target/dirSize {
		perTable <<= 1
	}
	return dirSize * perTable / 8 * groupSize
}

// run executes the ops and writes their lines.
func run(sc *script, file string, every int64, out *bufio.Writer) int {
	var (
		r    mapRunner
		mt   *mapTypeHead
		m    *swissMap
		lay  layout
		kind mapKind
		buf  []byte
	)
	for i := range sc.ops {
		o := &sc.ops[i]
		buf = append(buf[:0], `{"op":`...)
		buf = appendJSONString(buf, o.text)
		if o.hasKey() {
			buf = append(buf, `,"hash":"`...)
			buf = appendHex64(buf, uint64(mt.hasher(r.keyPtr(&o.key), m.seed)))
			buf = append(buf, '"')
		}
		idx := int64(i + 1)
		withState := idx%every == 0 || idx == int64(len(sc.ops)) || o.code == opDump || o.code == opMake
		var panicked any
		func() {
			defer func() { panicked = recover() }()
			switch o.code {
			case opVersion:
				withState = false
				if have := toolchain(); have != o.text[len("version "):] {
					out.Flush()
					fmt.Fprintf(os.Stderr, "%s:%d:9: the script asks for %s but this oracle was built with %s\n",
						file, o.line, o.text[len("version "):], runtime.Version())
					os.Exit(3)
				}
			case opHashkey:
				withState = false
			case opMake:
				gs := uint64([...]uint64{136, 136, 200, 136}[o.kind])
				if n := makeGroupBytes(o.hint, gs); n > maxAlloc {
					out.Flush()
					fmt.Fprintf(os.Stderr, "%s:%d:1: make with hint %d would allocate %d bytes of groups (more than %d): refused\n",
						file, o.line, o.hint, n, maxAlloc)
					os.Exit(2)
				}
				kind = o.kind
				r = newRunner(kind)
				r.makeMap(int(o.hint))
				mt, m = mapWords(r.iface())
				l, err := checkLayout(kind, mt)
				if err != nil {
					out.Flush()
					fmt.Fprintf(os.Stderr, "gomap-oracle-swiss: %v\n", err)
					os.Exit(3)
				}
				lay = l
				m.seed = uintptr(o.u)
			case opSeed:
				m.seed = uintptr(o.u)
			case opPut:
				r.put(&o.key, o.val)
			case opDel:
				r.del(&o.key)
			case opGet:
				v, ok := r.get(&o.key)
				buf = append(buf, `,"found":`...)
				buf = strconv.AppendBool(buf, ok)
				buf = append(buf, `,"val":`...)
				buf = strconv.AppendInt(buf, v, 10)
			case opHash, opDump:
			case opClear:
				r.clear()
			case opIter:
				if !o.loop {
					buf = appendIter(buf, kind, r.iface(), o.haveOffsets, o.entryOff, o.dirOff, nil)
					break
				}
				// A range loop with a body: the body's ops run on the map
				// between the iterator's Next calls.
				var gets []string
				anyGet := false
				for _, bo := range o.body {
					anyGet = anyGet || bo.code == opGet
				}
				buf = appendIter(buf, kind, r.iface(), o.haveOffsets, o.entryOff, o.dirOff, func(k reflect.Value) {
					cur := keyOf(kind, k)
					for bi := range o.body {
						bo := &o.body[bi]
						key := bo.keyFor(cur)
						switch bo.code {
						case opPut:
							r.put(&key, bo.val)
						case opDel:
							r.del(&key)
						case opGet:
							if v, ok := r.get(&key); ok {
								gets = append(gets, strconv.FormatInt(v, 10))
							} else {
								gets = append(gets, "null")
							}
						case opClear:
							r.clear()
						case opSeed:
							m.seed = uintptr(bo.u)
						}
					}
				})
				if anyGet {
					buf = append(buf, `,"gets":[`...)
					buf = append(buf, strings.Join(gets, ",")...)
					buf = append(buf, ']')
				}
			}
		}()
		if panicked != nil {
			buf = append(buf[:0], `{"op":`...)
			buf = appendJSONString(buf, o.text)
			buf = append(buf, `,"panic":`...)
			buf = appendJSONString(buf, fmt.Sprint(panicked))
		} else if withState {
			buf = appendState(buf, kind, &lay, mt.groupSize, m)
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
