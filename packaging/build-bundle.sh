#!/usr/bin/env bash
# Builds the self-contained one-folder bundle (PyInstaller) and its release tarball:
#   dist/telemetry-inspector/                               the app; runs without Python
#     telemetry-inspector [PATH...] | --version | validate ... | export ...
#     inspector-validate, inspector-export, inspector-playtest  launchers for the headless commands
#     install-desktop.sh, share/                            launcher, metainfo, icon, MIME types
#     licenses/                                             third-party licence texts and notices
#   dist/telemetry-inspector-<version>-linux-x86_64.tar.gz  the release artifact
# Needs the dev extra (pyinstaller) in .venv: packaging/bootstrap.sh installs it.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
py="${PYTHON:-$repo/.venv/bin/python}"
version="$("$py" -c 'import inspector_app; print(inspector_app.__version__)')"
app_id="$("$py" -c 'import inspector_app; print(inspector_app.APP_ID)')"
out="$repo/dist/telemetry-inspector"
tarball="$repo/dist/telemetry-inspector-$version-linux-$(uname -m).tar.gz"
started=$(date +%s)

echo "build-bundle: PyInstaller one-folder build of telemetry-inspector $version" >&2
rm -rf "$out" "$tarball"
TI_REPO="$repo" "$py" -m PyInstaller --noconfirm --clean --log-level WARN \
  --distpath "$repo/dist" --workpath "$repo/build/bundle" packaging/bundle/telemetry-inspector.spec

# Launchers for the headless commands (console programs beside the app, as in a pip install).
for cmd in validate export playtest; do
  cat > "$out/inspector-$cmd" <<SH
#!/bin/sh
# Telemetry Inspector: headless $cmd (same as: telemetry-inspector $cmd ...)
exec "\$(dirname "\$(readlink -f "\$0")")/telemetry-inspector" $cmd "\$@"
SH
  chmod 0755 "$out/inspector-$cmd"
done

# Desktop integration files, in the layout install-desktop.sh expects inside a bundle.
install -D -m 0644 "packaging/desktop/$app_id.desktop" "$out/share/applications/$app_id.desktop"
install -D -m 0644 "packaging/desktop/$app_id.metainfo.xml" "$out/share/metainfo/$app_id.metainfo.xml"
install -D -m 0644 resources/icons/telemetry-inspector.svg "$out/share/icons/hicolor/scalable/apps/$app_id.svg"
install -D -m 0644 packaging/desktop/telemetry-inspector-mime.xml "$out/share/mime/packages/telemetry-inspector-mime.xml"
install -m 0755 packaging/install-desktop.sh "$out/install-desktop.sh"

# Licences: regenerated from what was just bundled, so texts and versions match.
"$py" packaging/collect-licenses.py "$out/licenses" >/dev/null
install -m 0644 LICENSE "$out/LICENSE"
cat > "$out/README.txt" <<TXT
Telemetry Inspector $version — self-contained Linux build (no Python needed)

  ./telemetry-inspector [FILE...]        open saves, browser profiles, summaries, metric folders
  ./telemetry-inspector --version
  ./inspector-validate PATH... [--json]  check saves headless (exit 0 good, 2 bad input)
  ./inspector-export INPUT --out DIR     write the report artifacts headless
  ./inspector-playtest FOLDER --out DIR  a whole playtest (one profile per player) as one report
  ./install-desktop.sh                   add the launcher, icon and file types to your desktop

Needs the usual desktop libraries (on Debian/Ubuntu: libgl1 libegl1 libfontconfig1 libxkbcommon-x11-0
libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0 libxcb-shape0
libxcb-xkb1 libdbus-1-3 and a font). Licences of the bundled components: licenses/.
TXT

tar -C "$repo/dist" -czf "$tarball" telemetry-inspector
echo "build-bundle: $(du -sh "$out" | cut -f1) in $out; tarball $(du -h "$tarball" | cut -f1) $tarball ($(( $(date +%s) - started )) s)" >&2
