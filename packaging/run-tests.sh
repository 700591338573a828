#!/usr/bin/env bash
# One command: install what is needed, then run the whole test suite offscreen.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/bootstrap.sh"
cd "$here"
export QT_QPA_PLATFORM=offscreen
exec .venv/bin/python -m pytest "$@"
