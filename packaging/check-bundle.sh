#!/usr/bin/env bash
# Proves the bundle runs on a machine WITHOUT Python: a pristine Debian 12 (bookworm) root made by
# debootstrap, with only the system libraries Qt needs, Xvfb/xauth and xwd (x11-apps) — no python3.
# Inside it (chroot): --version, inspector-validate, inspector-export and inspector-playtest on a fixture, and the window
# opening on the demo profile under Xvfb; a screenshot of the X screen (xwd, inside the root) must
# show the loaded slots (checked outside the root by packaging/screencheck.py against the state the
# app reports with --report-state). Then start-up time to the first shown window, bundle vs
# `python -m inspector_app` (benchmarks/startup_bundle.py).
#
#   packaging/check-bundle.sh [BUNDLE.tar.gz]     (default: the newest dist/ tarball; built if none)
#
# Root only (debootstrap, chroot, mount). The root is cached as a tarball in .cache/bundle-check/
# (git-ignored), so a re-run only unpacks it; delete the tarball to rebuild it. Outputs (screenshot,
# state, timings) land in .cache/bundle-check/out/.
set -euo pipefail
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$repo"
say() { echo "check-bundle: $*" >&2; }
cache="$repo/.cache/bundle-check"
mkdir -p "$cache"
root_tar="$cache/debian12-qt-root.tar.gz"
root="$cache/root"
out="$cache/out"
display_no=$(( 60 + RANDOM % 30 ))
py="$repo/.venv/bin/python"
qt_libs=(libglib2.0-0 libegl1 libgl1 libx11-6 libdbus-1-3 libfontconfig1 libfreetype6 libxkbcommon0 fonts-dejavu-core
         xvfb xauth libxcb-cursor0 libxcb-icccm4 libxcb-image0 libxcb-keysyms1 libxcb-render-util0
         libxcb-shape0 libxcb-xkb1 libxkbcommon-x11-0 x11-apps)

[ "$(id -u)" = 0 ] || { say "needs root (debootstrap, chroot)"; exit 2; }
mkdir -p "$cache"
bundle="${1:-$(ls -t dist/telemetry-inspector-*-linux-*.tar.gz 2>/dev/null | head -1 || true)}"
if [ -z "$bundle" ]; then
  say "no bundle in dist/: building it"
  packaging/build-bundle.sh
  bundle="$(ls -t dist/telemetry-inspector-*-linux-*.tar.gz | head -1)"
fi
bundle="$(readlink -f "$bundle")"

pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  for p in "${pids[@]}"; do wait "$p" 2>/dev/null || true; done
  for m in "$root/proc" "$root/dev/pts"; do
    if mountpoint -q "$m" 2>/dev/null; then umount -l "$m" || true; fi
  done
}
trap cleanup EXIT

# --- the pristine root (cached) -------------------------------------------------------------------
if [ ! -f "$root_tar" ]; then
  command -v debootstrap >/dev/null || { say "installing debootstrap"; apt-get -o DPkg::Lock::Timeout=900 install -y -qq --no-install-recommends debootstrap >/dev/null; }
  mirror=$(sed -n 's/^URIs: *\(http[^ ]*debian\/*\)$/\1/p' /etc/apt/sources.list.d/debian.sources 2>/dev/null | head -1)
  : "${mirror:=$(awk '$1=="deb" && $2 ~ /debian\/?$/ {print $2; exit}' /etc/apt/sources.list 2>/dev/null)}"
  : "${mirror:=http://deb.debian.org/debian}"
  build="$cache/build-root"
  [ ! -d "$build/proc" ] || ! mountpoint -q "$build/proc" || umount -l "$build/proc"
  rm -rf --one-file-system "$build"
  say "debootstrap --variant=minbase bookworm from $mirror (cached afterwards)"
  debootstrap --variant=minbase bookworm "$build" "$mirror" >"$cache/debootstrap.log" 2>&1 \
    || { tail -20 "$cache/debootstrap.log" >&2; exit 1; }
  cp /etc/resolv.conf "$build/etc/resolv.conf"
  chroot "$build" apt-get update -qq
  DEBIAN_FRONTEND=noninteractive chroot "$build" apt-get install -y -qq --no-install-recommends "${qt_libs[@]}" >/dev/null
  chroot "$build" apt-get clean
  rm -rf "$build/var/lib/apt/lists/"*
  tar -C "$build" -czf "$root_tar.tmp" . && mv "$root_tar.tmp" "$root_tar"
  rm -rf --one-file-system "$build"
fi
say "fresh root from $(basename "$root_tar") ($(du -h "$root_tar" | cut -f1))"
[ ! -d "$root/proc" ] || ! mountpoint -q "$root/proc" || umount -l "$root/proc"
rm -rf --one-file-system "$root" "$out"
mkdir -p "$root" "$out"
tar -C "$root" -xzf "$root_tar"
if ls "$root"/usr/bin/python* "$root"/usr/local/bin/python* >/dev/null 2>&1; then
  say "FAILED: the root has a Python interpreter"; exit 1
fi
say "no python in the root: $(ls "$root/usr/bin" | grep -ci python || true) python binaries"

# --- the bundle and the inputs --------------------------------------------------------------------
tar -C "$root/opt" -xzf "$bundle"
app=/opt/telemetry-inspector
shared="${TELEMETRY_INSPECTOR_SHARED:-$repo/../shared}"
mkdir -p "$root/inputs"
if [ -d "$shared/fixtures/game/saves" ]; then
  cp "$shared/fixtures/game/saves/save_slot2.midgame.json" "$root/inputs/save.json"
else
  cp resources/demo/saves/save_slot2.json "$root/inputs/save.json"
fi
mount -t proc proc "$root/proc"
clean_env=(env -i PATH=/usr/bin:/bin HOME=/root LANG=C.UTF-8)
run() { chroot "$root" "${clean_env[@]}" "$@"; }
# Background programs are started with chroot directly (not through run(), whose subshell would be
# the PID we get): chroot execs env, env execs the program, so $! is the program and kill reaches it.

say "1/4 --version"
version_out=$(run "$app/telemetry-inspector" --version)
echo "$version_out"
[[ "$version_out" == "telemetry-inspector "* ]] || { say "FAILED: --version printed: $version_out"; exit 1; }

say "2/4 inspector-validate on a fixture"
run "$app/inspector-validate" /inputs/save.json

say "3/4 inspector-export on a fixture"
run "$app/inspector-export" /inputs/save.json --out /tmp/export >"$out/export.log"
ls "$root/tmp/export"
[ -n "$(ls "$root"/tmp/export/*summary*.json 2>/dev/null)" ] || { say "FAILED: no summary JSON exported"; exit 1; }
say "3b/4 inspector-playtest on the same fixture (one player)"
run "$app/inspector-playtest" /inputs/save.json --out /tmp/playtest --no-cache --format md,csv,json >"$out/playtest.log"
[ -f "$root/tmp/playtest/playtest-report.md" ] || { say "FAILED: no playtest report"; exit 1; }

say "4/4 the window on the demo profile under Xvfb :$display_no"
chroot "$root" "${clean_env[@]}" Xvfb ":$display_no" -screen 0 1440x900x24 -nolisten tcp -noreset >"$out/xvfb.log" 2>&1 &
pids+=($!)
for _ in $(seq 100); do [ -S "$root/tmp/.X11-unix/X$display_no" ] && break; sleep 0.1; done
[ -S "$root/tmp/.X11-unix/X$display_no" ] || { say "FAILED: Xvfb did not start"; cat "$out/xvfb.log" >&2; exit 1; }
demo="$app/_internal/inspector_app/_resources/demo/demo-profile.localStorage.json"
chroot "$root" "${clean_env[@]}" DISPLAY=":$display_no" QT_QPA_PLATFORM=xcb XDG_RUNTIME_DIR=/tmp \
  "$app/telemetry-inspector" "$demo" --report-state /tmp/state.json >"$out/app.log" 2>&1 &
app_pid=$!
pids=("$app_pid" "${pids[@]}")
for _ in $(seq 600); do [ -f "$root/tmp/state.json" ] && break; kill -0 "$app_pid" 2>/dev/null || break; sleep 0.1; done
[ -f "$root/tmp/state.json" ] || { say "FAILED: the app never reported a loaded window"; cat "$out/app.log" >&2; exit 1; }
cp "$root/tmp/state.json" "$out/state.json"
# The state is written once the window shows the loaded profile; the X server shows the repainted
# slot list a frame or so later: look again until the screen shows the slots (at most ~30 s).
for try in $(seq 150); do
  run DISPLAY=":$display_no" xwd -root -silent >"$out/screen.xwd"
  if "$py" packaging/screencheck.py "$out/screen.xwd" "$out/state.json" "$out/bundle-window.png" >"$out/screencheck.log"; then
    break
  fi
  kill -0 "$app_pid" 2>/dev/null || break
  sleep 0.2
done
cat "$out/screencheck.log"
grep -q "^screencheck: OK" "$out/screencheck.log" || { say "FAILED: the screen does not show the slots ($out/bundle-window.png)"; cat "$out/app.log" >&2; exit 1; }
kill "$app_pid"; wait "$app_pid" 2>/dev/null || true

size=$(du -sh "$root$app" | cut -f1)
say "bundle: $size unpacked, $(du -h "$bundle" | cut -f1) tarball ($(basename "$bundle"))"
if [ "${CHECK_BUNDLE_SKIP_TIMING:-}" != 1 ]; then
  say "start-up to the first shown window: bundle vs python -m inspector_app (interleaved, on this host)"
  "$py" benchmarks/startup_bundle.py --bundle "$root$app/telemetry-inspector" --runs "${STARTUP_RUNS:-3}" \
    || say "WARNING: the start-up measurement failed (the checks above passed)"
fi
say "OK — screenshot: $out/bundle-window.png"
