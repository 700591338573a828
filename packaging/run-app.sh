#!/usr/bin/env bash
# One command: install what is needed, then launch Telemetry Inspector on the bundled demo profile.
# Extra arguments are passed to the app (e.g. a save or profile path).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/bootstrap.sh"
cd "$here"
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  echo "run-app: no display found; starting a virtual one (Xvfb :99). Set DISPLAY to use your own." >&2
  Xvfb :99 -screen 0 1600x1000x24 -nolisten tcp >/dev/null 2>&1 &
  export DISPLAY=:99
  sleep 0.5
fi
if [ $# -eq 0 ]; then
  set -- "$here/resources/demo/demo-profile.localStorage.json"
fi
exec .venv/bin/python -m inspector_app "$@"
