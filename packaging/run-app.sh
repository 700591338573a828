#!/usr/bin/env bash
# One command: install what is needed, then launch Telemetry Inspector on the bundled demo profile.
# Extra arguments are passed to the app (e.g. a save or profile path).
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
"$here/packaging/bootstrap.sh"
cd "$here"
if [ $# -eq 0 ]; then
  set -- "$here/resources/demo/demo-profile.localStorage.json"
fi
if [ -z "${DISPLAY:-}" ] && [ -z "${WAYLAND_DISPLAY:-}" ] && [ -z "${QT_QPA_PLATFORM:-}" ]; then
  # No screen (a server, CI, a container): run on a virtual X display that is torn down with the app.
  echo "run-app: no display found; running on a virtual X server (xvfb-run). Set DISPLAY to use your own." >&2
  exec xvfb-run -a -s "-screen 0 1600x1000x24 -nolisten tcp" .venv/bin/python -m inspector_app "$@"
fi
exec .venv/bin/python -m inspector_app "$@"
