#!/bin/sh
# Builds gomap-oracle into a temporary directory (offline, fresh Go caches
# unless GOCACHE/GOPATH are set) and checks it against recorded real output.
# Usage: tests/oracle/check.sh [GO]   (GO defaults to /usr/lib/go-1.19/bin/go)
set -eu
GO=${1:-/usr/lib/go-1.19/bin/go}
here=$(cd "$(dirname "$0")" && pwd)
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
: "${HOME:=$tmp/home}" "${GOCACHE:=$tmp/gocache}" "${GOPATH:=$tmp/gopath}"
export HOME GOCACHE GOPATH GOFLAGS=-mod=mod GOPROXY=off
cd "$here"
"$GO" vet ./...
"$GO" test ./internal/...
"$GO" build -o "$tmp/gomap-oracle" .
"$tmp/gomap-oracle" testdata/example.ops | tail -n 1 | cmp - testdata/example.last
"$tmp/gomap-oracle" - < testdata/example.ops | tail -n 1 | cmp - testdata/example.last
echo "gomap-oracle: example output is byte-identical"
