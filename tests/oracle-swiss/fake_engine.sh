#!/usr/bin/env bash
# A stand-in for gomaplab in diff.sh's own tests (CTest swiss_diff.harness.*):
# runs the oracle $FAKE_ORACLE and edits its output with the sed program
# $FAKE_SED, so that the tests can check that diff.sh finds and reports a
# difference, an engine that stops early, and a seed that differs where no
# `seed` op follows.
#   FAKE_ORACLE=PATH FAKE_SED=PROGRAM fake_engine.sh dump --every N FILE
set -o pipefail
shift # "dump"
"$FAKE_ORACLE" "$@" | sed -e "$FAKE_SED"
