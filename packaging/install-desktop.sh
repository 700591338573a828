#!/usr/bin/env bash
# Desktop integration for Telemetry Inspector (freedesktop: GNOME, KDE, Xfce, ...): the launcher
# (.desktop), AppStream metainfo, the hicolor SVG icon and the MIME types of the files it opens.
#
#   install-desktop.sh [--system] [--exec PATH] [--uninstall]
#
# Default: for the current user under ${XDG_DATA_HOME:-~/.local/share}; --system: /usr/local/share.
# --exec: the program the launcher starts (default: the bundle's telemetry-inspector when run from an
# unpacked bundle, else `telemetry-inspector` from PATH, e.g. a virtualenv's entry point).
# Works from the repository (packaging/install-desktop.sh) and from the bundle (./install-desktop.sh).
set -euo pipefail
APP_ID=com.memorysyndicate.TelemetryInspector
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

prefix="${XDG_DATA_HOME:-$HOME/.local/share}"
exec_path=""
uninstall=0
while [ $# -gt 0 ]; do
  case "$1" in
    --system) prefix=/usr/local/share ;;
    --exec) exec_path="$2"; shift ;;
    --uninstall) uninstall=1 ;;
    -h|--help) sed -n '2,10p' "$0"; exit 0 ;;
    *) echo "install-desktop: unknown option $1" >&2; exit 2 ;;
  esac
  shift
done

if [ -f "$here/share/applications/$APP_ID.desktop" ]; then      # unpacked bundle
  src_desktop="$here/share/applications/$APP_ID.desktop"
  src_metainfo="$here/share/metainfo/$APP_ID.metainfo.xml"
  src_icon="$here/share/icons/hicolor/scalable/apps/$APP_ID.svg"
  src_mime="$here/share/mime/packages/telemetry-inspector-mime.xml"
  : "${exec_path:=$here/telemetry-inspector}"
else                                                             # repository checkout
  repo="$(cd "$here/.." && pwd)"
  src_desktop="$repo/packaging/desktop/$APP_ID.desktop"
  src_metainfo="$repo/packaging/desktop/$APP_ID.metainfo.xml"
  src_icon="$repo/resources/icons/telemetry-inspector.svg"
  src_mime="$repo/packaging/desktop/telemetry-inspector-mime.xml"
  : "${exec_path:=telemetry-inspector}"
fi

dst_desktop="$prefix/applications/$APP_ID.desktop"
dst_metainfo="$prefix/metainfo/$APP_ID.metainfo.xml"
dst_icon="$prefix/icons/hicolor/scalable/apps/$APP_ID.svg"
dst_mime="$prefix/mime/packages/telemetry-inspector-mime.xml"

if [ "$uninstall" = 1 ]; then
  rm -f "$dst_desktop" "$dst_metainfo" "$dst_icon" "$dst_mime"
  echo "install-desktop: removed Telemetry Inspector's desktop files from $prefix"
else
  install -D -m 0644 "$src_metainfo" "$dst_metainfo"
  install -D -m 0644 "$src_icon" "$dst_icon"
  install -D -m 0644 "$src_mime" "$dst_mime"
  mkdir -p "$(dirname "$dst_desktop")"
  # Quote the program for the Exec key (spaces in an unpack folder), keep the file-list field code.
  quoted=$(printf '%s' "$exec_path" | sed 's/\\/\\\\\\\\/g; s/"/\\\\"/g')
  sed -e "s|^Exec=telemetry-inspector |Exec=\"$quoted\" |" -e "s|^TryExec=.*|TryExec=$exec_path|" \
      "$src_desktop" > "$dst_desktop.tmp"
  chmod 0644 "$dst_desktop.tmp"
  mv "$dst_desktop.tmp" "$dst_desktop"
  if command -v desktop-file-validate >/dev/null; then desktop-file-validate "$dst_desktop"; fi
  echo "install-desktop: installed under $prefix (launcher runs $exec_path)"
fi
# Refresh the desktop's caches where the tools exist (they are optional).
if command -v update-mime-database >/dev/null; then update-mime-database "$prefix/mime" >/dev/null 2>&1 || true; fi
if command -v update-desktop-database >/dev/null; then update-desktop-database -q "$prefix/applications" 2>/dev/null || true; fi
if command -v gtk-update-icon-cache >/dev/null; then gtk-update-icon-cache -q -t "$prefix/icons/hicolor" 2>/dev/null || true; fi
