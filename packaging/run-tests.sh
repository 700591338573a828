#!/usr/bin/env bash
# One command: install what is needed, then run the whole test suite offscreen.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/bootstrap.sh"
cd "$here"
export QT_QPA_PLATFORM=offscreen
# tests/conftest.py writes the id of the running test here: if the process dies of a signal
# (pytest reports nothing then), the log still says which test it was. faulthandler is on.
trace="$(mktemp "${TMPDIR:-/tmp}/inspector-test-trace.XXXXXX")"
trap 'rm -f "$trace"' EXIT
export TELEMETRY_INSPECTOR_TEST_TRACE="$trace"
rc=0
.venv/bin/python -m pytest "$@" || rc=$?
if [ "$rc" -gt 128 ]; then
    echo "run-tests.sh: pytest died of signal $((rc - 128)) while running: $(cat "$trace" 2>/dev/null || echo '?')" >&2
fi
exit "$rc"
