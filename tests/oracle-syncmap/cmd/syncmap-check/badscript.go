package main

import (
	"bytes"
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
)

// testBadScript: a bad script gets FILE:LINE:COL: what was expected on
// standard error and exit status 2; the lines of the ops before the error
// are printed (as gomaplab dump does, docs/formats.md).
func testBadScript() {
	dir, err := os.MkdirTemp("", "syncmap-check-*")
	if err != nil {
		errorf("cannot make a temporary directory: %v", err)
		return
	}
	defer os.RemoveAll(dir)
	file := filepath.Join(dir, "s.ops")
	cases := []struct {
		script, stderr string
		lines          int
	}{
		{"store a 1\n", "1:1: expected `make syncmap string|int64` before store", 0},
		{"make classic int64\n", "1:6: expected syncmap (this oracle runs only sync.Map), got classic", 0},
		{"make syncmap float64\n", "1:14: expected a key kind (string, int64), got float64", 0},
		{"make syncmap\n", "1:13: expected `make syncmap string|int64`, got 1 argument", 0},
		{"make syncmap string\nstore a\n", "2:8: expected `store KEY VALUE`, got 1 argument", 1},
		{"make syncmap string\nstore a x\n", "2:9: expected an int64 value (decimal), got x", 1},
		{"make syncmap int64\nstore 1 1\nload b\n", "3:6: expected an int64 key (decimal), got b", 2},
		{"make syncmap int64\nload 9223372036854775808\n", "2:6: expected an int64 key (decimal), got 9223372036854775808", 1},
		{"make syncmap string\nload \"abc\n", "2:6: unterminated \"...\" string", 1},
		{"make syncmap string\ndelete a b\n", "2:10: expected `delete KEY`, got more arguments: b", 1},
		{"make syncmap string\nrange 0\n", "2:7: expected a count >= 1 after range (visit at most N keys), got 0", 1},
		{"make syncmap string\ngc now\n", "2:4: expected `gc`, got more arguments: now", 1},
		{"make syncmap string\nswap a 1\n", "2:1: expected an op (make, store, load, loadorstore, loadanddelete, delete, range, gc, dump), got swap", 1},
	}
	for _, c := range cases {
		if err := os.WriteFile(file, []byte(c.script), 0o644); err != nil {
			errorf("cannot write %s: %v", file, err)
			return
		}
		cmd := exec.Command(oracle, file)
		var stdout, stderr bytes.Buffer
		cmd.Stdout, cmd.Stderr = &stdout, &stderr
		err := cmd.Run()
		code := 0
		var ee *exec.ExitError
		if errors.As(err, &ee) {
			code = ee.ExitCode()
		} else if err != nil {
			errorf("cannot run the oracle: %v", err)
			return
		}
		lines := strings.Count(stdout.String(), "\n")
		if want := file + ":" + c.stderr + "\n"; code != 2 || stderr.String() != want || lines != c.lines {
			errorf("script %q: exit %d, %d lines, stderr %q\n      want exit 2, %d lines, stderr %q", c.script, code, lines, stderr.String(), c.lines, want)
		}
	}
}
