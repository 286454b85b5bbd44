#!/usr/bin/env bash
# Installs every Debian package gomaplab needs: build, GUI, tests, fuzzing and the
# Go 1.19 oracle. Idempotent: packages already present are not fetched again.
# Runs as root, or through sudo when not root.
set -euo pipefail

PACKAGES=(
  # build
  g++ cmake ninja-build pkg-config git
  # GUI: Dear ImGui, GLFW, glad 2 (the loader generator), fmt, stb
  libimgui-dev libglfw3-dev python3-glad python3-jinja2 libfmt-dev libstb-dev
  # run-time GL for GLFW/ImGui (dlopened, ldd does not show them)
  libgl1 libglx-mesa0 libgl1-mesa-dri libgl-dev
  # libraries
  nlohmann-json3-dev libcli11-dev
  # tests and benchmarks
  libgtest-dev libgmock-dev libbenchmark-dev
  # headless GUI tests
  xvfb xauth
  # Simplified Chinese UI font
  fonts-noto-cjk fonts-dejavu-core libfreetype-dev
  # the real Go runtime, our ground truth
  golang-1.19-go golang-1.19-src
  # fuzzing and sanitizers
  clang-14 libclang-rt-14-dev
)

missing=()
for p in "${PACKAGES[@]}"; do
  if ! dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed"; then
    missing+=("$p")
  fi
done

if [ ${#missing[@]} -eq 0 ]; then
  echo "setup: all ${#PACKAGES[@]} packages already installed"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo"; else
    echo "setup: need root or sudo to install: ${missing[*]}" >&2; exit 1
  fi
fi
echo "setup: installing ${missing[*]}"
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}"
echo "setup: done"
