#!/usr/bin/env bash
# Installs what gomaplab needs (once), builds it and starts it on the ready-made
# growth scenario (or the scenario given as an argument). With no display it
# says so and shows the terminal view instead.
set -euo pipefail
cd "$(dirname "$0")/.."
scripts/setup.sh
cmake --preset default > /dev/null
cmake --build --preset default --target gomaplab
exec build/gomaplab "$@"
