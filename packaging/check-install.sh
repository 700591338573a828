#!/usr/bin/env bash
# Packaging the standard way, checked: builds the sdist and, from it, the wheel (dist/), installs the
# wheel into a FRESH virtualenv (dependencies pinned by packaging/constraints.txt) and runs the
# installed entry points there: telemetry-inspector --version, inspector-validate and
# inspector-export (and inspector-playtest) on a fixture; then reinstalls from the sdist and runs them again.
#   packaging/check-install.sh            prints the venv's bin folder on the last line (for the e2e test)
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
say() { echo "check-install: $*" >&2; }
py="$repo/.venv/bin/python"
venv="$repo/.cache/install-check/venv"
work="$repo/.cache/install-check/work"
shared="${TELEMETRY_INSPECTOR_SHARED:-$repo/../shared}"
if [ -f "$shared/fixtures/game/saves/save_slot2.midgame.json" ]; then
  fixture="$shared/fixtures/game/saves/save_slot2.midgame.json"
else
  fixture="$repo/resources/demo/saves/save_slot2.json"
fi

mkdir -p "$repo/.cache"
say "building sdist and wheel (the wheel from the sdist)"
rm -rf dist/telemetry_inspector-* "$work"
"$py" -m build --no-isolation --outdir dist . >"$repo/.cache/build.log" 2>&1 || { tail -30 "$repo/.cache/build.log" >&2; exit 1; }
wheel=$(ls dist/telemetry_inspector-*.whl)
sdist=$(ls dist/telemetry_inspector-*.tar.gz)
say "built $(basename "$sdist") and $(basename "$wheel")"

say "fresh virtualenv: $venv"
rm -rf "$venv"
base_python=$("$py" -c 'import sys; print(sys._base_executable)')
"$base_python" -m venv "$venv"
"$venv/bin/python" -m pip install -q -c packaging/constraints.txt "$wheel"

run_entry_points() {
  local label="$1"
  mkdir -p "$work"
  (cd "$work"   # away from the checkout: only the installed package can be imported
    "$venv/bin/telemetry-inspector" --version
    "$venv/bin/inspector-validate" "$fixture"
    rm -rf "$work/export-$label"
    "$venv/bin/inspector-export" "$fixture" --out "$work/export-$label" >/dev/null
    ls "$work/export-$label" | grep -q 'summary.*\.json$'
    rm -rf "$work/playtest-$label"
    "$venv/bin/inspector-playtest" "$fixture" --out "$work/playtest-$label" --no-cache --format md,csv,json >/dev/null
    [ -f "$work/playtest-$label/playtest-report.md" ]
    "$venv/bin/python" -c 'import inspector_app, inspector_app.resources as r
assert "site-packages" in inspector_app.__file__, inspector_app.__file__
assert r.resource_path("demo", "demo-profile.localStorage.json").is_file(), r.resources_dir()
print("resources:", r.resources_dir())')
  say "$label: entry points ran (--version, validate, export, playtest, resources)"
}
run_entry_points wheel
"$venv/bin/python" -m pip install -q --no-deps --force-reinstall "$sdist"
run_entry_points sdist
echo "$venv/bin"
