#!/usr/bin/env bash
# Fetches the real Go 1.26 and Go 1.27 toolchains (Debian trixie-backports'
# golang-1.2x-go and golang-1.2x-src, statically linked, run on Debian 12) into
# DEST/go1.26 and DEST/go1.27, for the Swiss-map oracle (tests/oracle-swiss).
#
#   scripts/fetch-go-swiss.sh DEST        # e.g. build/go-swiss
#
# GOROOT of each is DEST/go1.2x/usr/lib/go-1.2x (swiss-map-spec section 22).
# A private apt configuration is used: its own sources list (one deb line for
# trixie-backports, the archive URL taken from this machine's own apt sources),
# an empty sources.list.d, its own lists, cache and dpkg status. Nothing is
# installed into the system and the system's sources are not touched. The
# InRelease signature is checked with Debian's archive keyring; there is no
# unsigned fallback. Idempotent: a toolchain that is present and reports its
# version is kept. Exit 0 when both are ready, 1 (with a message) otherwise.
#
# Environment: GOMAPLAB_DEBIAN_MIRROR overrides the archive URL (tests use an
# unreachable one to check the failure path).
set -euo pipefail

VERSIONS=(1.26 1.27)
KEYRING=/usr/share/keyrings/debian-archive-keyring.gpg
SUITE=trixie-backports

die() { echo "fetch-go-swiss: $*" >&2; exit 1; }

[ $# -eq 1 ] || die "usage: $0 DEST"
dest=$1
mkdir -p "$dest"
dest=$(cd "$dest" && pwd)

works() { # works VERSION: the toolchain in dest runs, is that version and has its sources
  local v=$1 root=$dest/go$1/usr/lib/go-$1
  [ -x "$root/bin/go" ] && [ -f "$root/src/internal/runtime/maps/map.go" ] || return 1
  GOROOT=$root GOTOOLCHAIN=local "$root/bin/go" version 2>/dev/null | grep -q " go$v\."
}

missing=()
for v in "${VERSIONS[@]}"; do works "$v" || missing+=("$v"); done
if [ ${#missing[@]} -eq 0 ]; then
  echo "fetch-go-swiss: ${VERSIONS[*]/#/go} already in $dest"
  exit 0
fi

command -v apt-get >/dev/null && command -v dpkg-deb >/dev/null || die "apt-get and dpkg-deb are needed (Debian)"
[ -r "$KEYRING" ] || die "$KEYRING is missing (apt-get install debian-archive-keyring)"

# The archive URL: the machine's own Debian mirror (the URI serving a bookworm
# suite other than -security), unless overridden.
mirror=${GOMAPLAB_DEBIAN_MIRROR:-}
if [ -z "$mirror" ]; then
  for f in /etc/apt/sources.list.d/*.sources; do
    [ -r "$f" ] || continue
    mirror=$(awk '
      /^[ \t]*$/ { if (uri != "" && suites ~ /(^| )bookworm( |$)/) { print uri; exit } uri=""; suites=""; next }
      tolower($1) == "uris:" { uri=$2 }
      tolower($1) == "suites:" { suites=""; for (i = 2; i <= NF; i++) suites = suites " " $i }
      END { if (uri != "" && suites ~ /(^| )bookworm( |$)/) print uri }' "$f" | head -n 1)
    [ -n "$mirror" ] && break
  done
fi
if [ -z "$mirror" ]; then
  for f in /etc/apt/sources.list /etc/apt/sources.list.d/*.list; do
    [ -r "$f" ] || continue
    mirror=$(awk '$1 == "deb" { u = ($2 ~ /^\[/) ? $3 : $2; s = ($2 ~ /^\[/) ? $4 : $3;
                  if (s == "bookworm") { print u; exit } }' "$f")
    [ -n "$mirror" ] && break
  done
fi
[ -n "$mirror" ] || die "found no Debian archive URL in /etc/apt/sources.list(.d); set GOMAPLAB_DEBIAN_MIRROR"

# The private apt configuration.
apt=$dest/apt
rm -rf "$apt/etc"
mkdir -p "$apt/etc/sources.list.d" "$apt/etc/preferences.d" "$apt/lists/partial" \
         "$apt/cache/archives/partial" "$apt/debs"
echo "deb [signed-by=$KEYRING] $mirror $SUITE main" > "$apt/etc/sources.list"
: > "$apt/status"
arch=$(dpkg --print-architecture)
opts=(
  -o "Dir::Etc::SourceList=$apt/etc/sources.list"
  -o "Dir::Etc::SourceParts=$apt/etc/sources.list.d"
  -o "Dir::Etc::PreferencesParts=$apt/etc/preferences.d"
  -o "Dir::State::Lists=$apt/lists"
  -o "Dir::Cache=$apt/cache"
  -o "Dir::State::status=$apt/status"
  -o "APT::Architecture=$arch" -o "APT::Architectures=$arch"
  -o "Acquire::Languages=none" -o "Acquire::IndexTargets::deb::Contents-deb::DefaultEnabled=false"
  -o "Acquire::Retries=0" -o "Acquire::http::Timeout=${GOMAPLAB_FETCH_TIMEOUT:-15}"
  -o "Acquire::AllowInsecureRepositories=false"
)
# As root apt would hand the download to the _apt user, who cannot write here.
[ "$(id -u)" -eq 0 ] && opts+=(-o "APT::Sandbox::User=root")

echo "fetch-go-swiss: apt-get update ($mirror $SUITE, private configuration in $apt)"
if ! apt-get -q "${opts[@]}" update > "$apt/update.log" 2>&1 || grep -q '^[EW]: ' "$apt/update.log"; then
  sed 's/^/  /' "$apt/update.log" >&2
  die "cannot read $SUITE from $mirror (no network, the archive is unreachable, or its signature did not verify: apt's messages above say which). The Swiss-map oracle tests need it; the rest of the build does not."
fi

pkgs=()
for v in "${missing[@]}"; do pkgs+=("golang-$v-go" "golang-$v-src"); done
echo "fetch-go-swiss: apt-get download ${pkgs[*]}"
rm -f "$apt/debs"/*.deb
if ! (cd "$apt/debs" && apt-get -q "${opts[@]}" download "${pkgs[@]}") > "$apt/download.log" 2>&1; then
  sed 's/^/  /' "$apt/download.log" >&2
  die "apt-get download ${pkgs[*]} failed"
fi

for v in "${missing[@]}"; do
  tmp=$dest/go$v.tmp
  rm -rf "$tmp"
  mkdir -p "$tmp"
  for p in go src; do
    deb=$(ls "$apt/debs"/golang-"$v"-"$p"_*.deb 2>/dev/null | head -n 1)
    [ -n "$deb" ] || die "golang-$v-$p was not downloaded"
    dpkg-deb -x "$deb" "$tmp"
  done
  rm -rf "$dest/go$v"
  mv "$tmp" "$dest/go$v"
  works "$v" || die "the unpacked go$v in $dest/go$v does not run"
  echo "fetch-go-swiss: $(GOROOT=$dest/go$v/usr/lib/go-$v GOTOOLCHAIN=local "$dest/go$v/usr/lib/go-$v/bin/go" version) in $dest/go$v"
done
rm -f "$apt/debs"/*.deb
