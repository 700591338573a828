#!/usr/bin/env bash
# Installs everything Telemetry Inspector needs on a fresh Debian 12 machine (root, Python 3.11):
# the apt system libraries Qt loads, a .venv beside the checkout and the package with its test extra.
# Idempotent: a second run only checks.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$here"

apt_packages=(
  python3 python3-venv ca-certificates
  libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0 fonts-dejavu-core
  xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
  libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0
)
missing=()
for p in "${apt_packages[@]}"; do
  dpkg -s "$p" >/dev/null 2>&1 || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "bootstrap: installing system packages: ${missing[*]}" >&2
    export DEBIAN_FRONTEND=noninteractive
    if ! { apt-get update -qq && apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null; }; then
      echo "bootstrap: WARNING: apt-get could not install: ${missing[*]} — Qt may fail to start (see README)" >&2
    fi
  else
    echo "bootstrap: missing system packages (install them as root): ${missing[*]}" >&2
  fi
fi

# --- Real browsers for tests/browser (marker "browser": the app reads what Chromium and Firefox
# write to localStorage). Debian's packages, ~300 MB; INSPECTOR_NO_BROWSERS=1 skips this block
# (the tests then skip, except under CI, where they must run).
if [ "${INSPECTOR_NO_BROWSERS:-0}" != 1 ]; then
  browsers=()
  command -v chromium >/dev/null || browsers+=(chromium)
  command -v firefox-esr >/dev/null || command -v firefox >/dev/null || browsers+=(firefox-esr)
  if [ ${#browsers[@]} -gt 0 ]; then
    if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
      echo "bootstrap: installing browsers for the browser tests: ${browsers[*]}" >&2
      export DEBIAN_FRONTEND=noninteractive
      { apt-get update -qq && apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends \
          "${browsers[@]}" >/dev/null; } \
        || echo "bootstrap: WARNING: could not install ${browsers[*]}: the browser tests will fail under CI" >&2
    else
      echo "bootstrap: browsers missing (install as root for the browser tests): ${browsers[*]}" >&2
    fi
  fi
fi
# --- end of the browsers block

py="${PYTHON:-python3}"
if [ ! -x .venv/bin/python ]; then
  "$py" -m venv .venv
fi
# packaging/constraints.txt pins every version CI installs (constraints only constrain: a dependency
# added to pyproject.toml but not yet pinned still installs, unpinned, with a warning).
constraints=packaging/constraints.txt
stamp=.venv/.installed-$(cat pyproject.toml "$constraints" 2>/dev/null | sha256sum | cut -c1-16)
if [ ! -f "$stamp" ]; then
  .venv/bin/python -m pip install -q --upgrade pip >/dev/null 2>&1 || true
  cflag=()
  if [ -f "$constraints" ]; then cflag=(-c "$constraints"); fi
  .venv/bin/python -m pip install -q "${cflag[@]}" -e ".[test,dev]"
  unpinned=$(.venv/bin/python -m pip freeze --exclude-editable | cut -d= -f1 | tr 'A-Z_' 'a-z-' | sort \
             | comm -23 - <(grep -v '^#' "$constraints" 2>/dev/null | cut -d= -f1 | tr 'A-Z_' 'a-z-' | sort) || true)
  if [ -n "$unpinned" ]; then
    echo "bootstrap: WARNING: not pinned in $constraints (run packaging/freeze-constraints.sh): $(echo $unpinned)" >&2
  fi
  rm -f .venv/.installed-*
  touch "$stamp"
fi

# Byte-compile the app once: PYTHONDONTWRITEBYTECODE=1 (set in this environment) stops Python from
# caching bytecode, so without this every start recompiles the package (+0.37 s). Python still
# *reads* these caches with the variable set; -O/-OO runs would need their own (opt-1/opt-2) files.
.venv/bin/python -m compileall -q -j 0 inspector_app >/dev/null || true

