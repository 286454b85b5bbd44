// Command gomap-oracle runs an op script on a real Go 1.19 map and prints,
// after every op, what the runtime's hmap and bucket memory hold. It is the
// reference the gomaplab simulator is tested against. See README.md.
package main

// Package hashkey must be initialised before any other package builds a map:
// it replaces runtime.hashkey. Keep it first, in its own import declaration.
import _ "gomaplab/oracle/internal/hashkey"

import (
	"bufio"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"syscall"

	"gomaplab/oracle/internal/hashkey"
)

const usage = `usage: gomap-oracle [--every N] [--summary] [--digest] [FILE|-]

Runs the op script FILE (standard input if absent or "-") on a real Go map
and prints one JSON line per op. --every N prints the map state only for
every Nth op, dump ops and the last op; --summary leaves out the bucket
arrays; --digest adds "digest", an FNV-1a hash of both bucket arrays'
canonical content (docs/formats.md), to every op's line. The process re-executes itself with GODEBUG=cpu.aes=off and the
script's hash key (environment variable GOMAPLAB_HASHKEY) when needed.
`

// reexecMarker is set in the environment of the re-executed process.
const reexecMarker = "GOMAPLAB_ORACLE_REEXEC"

type options struct {
	every   int64
	summary bool
	digest  bool
	file    string // "" or "-" for standard input
}

func parseArgs(args []string) (options, error) {
	o := options{every: 1}
	haveFile := false
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "-h" || a == "--help" || a == "-help":
			fmt.Print(usage)
			os.Exit(0)
		case a == "--summary" || a == "-summary":
			o.summary = true
		case a == "--digest" || a == "-digest":
			o.digest = true
		case a == "--every" || a == "-every" || strings.HasPrefix(a, "--every=") || strings.HasPrefix(a, "-every="):
			var v string
			if j := strings.IndexByte(a, '='); j >= 0 {
				v = a[j+1:]
			} else {
				if i+1 >= len(args) {
					return o, fmt.Errorf("--every needs a number")
				}
				i++
				v = args[i]
			}
			n, err := strconv.ParseInt(v, 10, 64)
			if err != nil || n < 1 {
				return o, fmt.Errorf("--every needs a number >= 1, got %q", v)
			}
			o.every = n
		case a == "-" || !strings.HasPrefix(a, "-"):
			if haveFile {
				return o, fmt.Errorf("more than one script file given")
			}
			haveFile = true
			o.file = a
		default:
			return o, fmt.Errorf("unknown option %s", a)
		}
	}
	return o, nil
}

// godebugAESOff reports whether a GODEBUG value turns the AES hash off (the
// last cpu.aes or cpu.all setting wins, as in internal/cpu).
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
// GODEBUG=cpu.aes=off and runtime.hashkey[0] == key. A script read from
// standard input is handed over through an unlinked temporary file that
// becomes the new process's standard input.
func ensureEnvironment(key uint64, data []byte, fromStdin bool) {
	godebug := os.Getenv("GODEBUG")
	if godebugAESOff(godebug) && !hashkey.AESHash() && hashkey.Current() == key {
		return
	}
	fail := func(format string, a ...any) {
		fmt.Fprintf(os.Stderr, "gomap-oracle: "+format+"\n", a...)
		os.Exit(3)
	}
	if os.Getenv(reexecMarker) != "" {
		fail("re-executed but still AES hash=%v, GODEBUG=%q, hashkey=%#x (want %#x) %s",
			hashkey.AESHash(), godebug, hashkey.Current(), key, hashkey.EnvError)
	}
	if !godebugAESOff(godebug) {
		if godebug == "" {
			godebug = "cpu.aes=off"
		} else {
			godebug += ",cpu.aes=off"
		}
	}
	env := []string{
		"GODEBUG=" + godebug,
		hashkey.EnvVar + "=0x" + strconv.FormatUint(key, 16),
		reexecMarker + "=1",
	}
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
		f, err := os.CreateTemp("", "gomap-oracle-*.ops")
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

func main() {
	opts, err := parseArgs(os.Args[1:])
	if err != nil {
		fmt.Fprintf(os.Stderr, "gomap-oracle: %v\n%s", err, usage)
		os.Exit(2)
	}
	var data []byte
	name := opts.file
	fromStdin := opts.file == "" || opts.file == "-"
	if fromStdin {
		name = "<stdin>"
		data, err = io.ReadAll(os.Stdin)
	} else {
		data, err = os.ReadFile(opts.file)
	}
	if err != nil {
		fmt.Fprintf(os.Stderr, "gomap-oracle: %v\n", err)
		os.Exit(2)
	}
	sc := parseScript(name, data)
	ensureEnvironment(sc.key, data, fromStdin)

	out := bufio.NewWriterSize(os.Stdout, 1<<16)
	status := run(sc, opts, out)
	if err := out.Flush(); err != nil {
		fmt.Fprintf(os.Stderr, "gomap-oracle: %v\n", err)
		os.Exit(1)
	}
	if sc.err != nil {
		fmt.Fprintln(os.Stderr, sc.err)
		os.Exit(2)
	}
	os.Exit(status)
}

// run executes the ops and writes their lines.
func run(sc *script, opts options, out *bufio.Writer) int {
	var (
		r      mapRunner
		mt     *maptype
		d      dumper
		buf    []byte
		layout = map[mapKind]bool{}
	)
	last := int64(len(sc.ops))
	for i := range sc.ops {
		o := &sc.ops[i]
		idx := int64(i + 1)
		withState := idx%opts.every == 0 || idx == last || o.code == opDump
		buf = append(buf[:0], `{"op":`...)
		buf = appendJSONString(buf, o.text)

		var h *hmap
		if r != nil {
			_, h = mapWords(r.iface())
		}
		if o.hasKey() {
			kp := r.keyPtr(&o.key)
			buf = append(buf, `,"hash":"`...)
			buf = appendHex64(buf, hashOf(mt, h, kp))
			buf = append(buf, '"')
		}

		var panicked any
		func() {
			defer func() { panicked = recover() }()
			switch o.code {
			case opHashkey:
				withState = false
			case opMake:
				r = newRunner(o.kind)
				r.makeMap(int(o.hint))
			case opNil:
				r = newRunner(o.kind)
				r.setNil()
			case opSeed:
				h.hash0 = uint32(o.u)
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
			case opHash:
				withState = false
			case opDump:
			case opClear:
				r.clear()
			case opIter:
				buf = append(buf, `,"keys":`...)
				buf = r.appendIterKeys(buf)
			}
		}()
		if panicked != nil {
			buf = append(buf[:0], `{"op":`...)
			buf = appendJSONString(buf, o.text)
			buf = append(buf, `,"panic":`...)
			buf = appendJSONString(buf, fmt.Sprint(panicked))
			buf = append(buf, "}\n"...)
			out.Write(buf)
			if o.code == opMake {
				r = newRunner(o.kind) // the map variable stays nil
			}
			continue
		}
		if o.code == opMake || o.code == opNil {
			mt, h = mapWords(r.iface())
			if !layout[o.kind] {
				if err := checkLayout(o.kind, mt); err != nil {
					out.Flush()
					fmt.Fprintf(os.Stderr, "gomap-oracle: %v\n", err)
					return 3
				}
				layout[o.kind] = true
			}
			if h != nil {
				h.hash0 = uint32(o.u)
			}
			d = dumper{kind: o.kind, bs: uintptr(mt.bucketsize), keysize: uintptr(mt.keysize)}
		}
		if withState {
			_, h = mapWords(r.iface())
			buf = d.appendState(buf, h, !opts.summary, opts.digest)
		} else if opts.digest && o.code != opHashkey && o.code != opHash {
			// Between full states, the digest still proves every op's memory.
			_, h = mapWords(r.iface())
			var hv hmap
			if h != nil {
				hv = *h
			}
			buf = append(buf, `,"digest":"`...)
			buf = appendHex64(buf, d.digest(&hv))
			buf = append(buf, '"')
		}
		buf = append(buf, "}\n"...)
		if _, err := out.Write(buf); err != nil {
			return 1
		}
	}
	return 0
}
