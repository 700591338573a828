#!/usr/bin/env bash
# One command: install what is needed, then run the whole test suite offscreen.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/bootstrap.sh"
cd "$here"
export QT_QPA_PLATFORM=offscreen
# The whole suite runs in one worker process per core (pytest-xdist; tests/conftest.py, docs/testing.md);
# pass -n 0 for one process. tests/conftest.py writes the id of the running test to $trace (a worker
# to $trace.gwN): if pytest dies of a signal (it reports nothing then), the log still says which test
# it was. A crashed xdist worker is named by xdist itself. faulthandler is on.
trace="$(mktemp "${TMPDIR:-/tmp}/inspector-test-trace.XXXXXX")"
trap 'rm -f "$trace" "$trace".*' EXIT
export TELEMETRY_INSPECTOR_TEST_TRACE="$trace"
rc=0
.venv/bin/python -m pytest "$@" || rc=$?
if [ "$rc" -gt 128 ]; then
    running=$(cat "$trace" "$trace".* 2>/dev/null | tr '\n' ' ')
    echo "run-tests.sh: pytest died of signal $((rc - 128)) while running: ${running:-?}" >&2
fi
exit "$rc"
