"""Writes packaging/licenses/: the licence texts the bundle must carry, taken from the installed
distributions' metadata (dist-info licence files), the system's copies of the GNU licences
(/usr/share/common-licenses, for PySide6/Qt, whose wheels ship no licence file) and the Python
runtime's own LICENSE, plus THIRD-PARTY-NOTICES.md generated from inspector_app/notices.py.

Run by packaging/build-bundle.sh (so the texts match what is bundled) and committed, so the repo
shows what a release carries.  Usage: python packaging/collect-licenses.py [OUT_DIR]
"""
from __future__ import annotations

import shutil
import sys
import sysconfig
from importlib import metadata
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(REPO))

from inspector_app import __version__  # noqa: E402
from inspector_app.notices import COMPONENTS, PYTHON, notice_of, version_of  # noqa: E402

GNU = Path("/usr/share/common-licenses")
GNU_TEXTS = {"LGPL-3.0-only": ["LGPL-3", "GPL-3"]}   # the LGPL-3.0 is the GPL-3.0 plus its exceptions


def _dist_license_files(dist: str) -> list[tuple[str, bytes]]:
    files = metadata.distribution(dist).files or []
    out = []
    for f in files:
        parts = Path(str(f)).parts
        if len(parts) >= 2 and parts[0].endswith(".dist-info") and parts[1] == "licenses":
            out.append(("/".join(parts[2:]), f.locate().read_bytes()))
    return out


def main(argv: list[str]) -> int:
    out = Path(argv[1]) if len(argv) > 1 else REPO / "packaging" / "licenses"
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    lines = [f"# Third-party notices — Telemetry Inspector {__version__}", "",
             "Telemetry Inspector is proprietary software of The Memory Syndicate studio (see LICENSE).",
             "It ships with the components below; each folder here holds the licence texts of one of them,",
             "copied from the installed distribution (or the system's copy of the GNU licences).", ""]
    for comp in (*COMPONENTS, PYTHON):
        version = version_of(comp.dist)
        folder = out / f"{(comp.dist or 'Python')}-{version}"
        folder.mkdir()
        texts = _dist_license_files(comp.dist) if comp.dist else []
        if not comp.dist:
            lic = Path(sysconfig.get_paths()["stdlib"]) / "LICENSE.txt"
            texts = [("LICENSE.txt", lic.read_bytes())] if lic.exists() else []
        for spdx, names in GNU_TEXTS.items():
            if comp.license == spdx:
                texts += [(n, (GNU / n).read_bytes()) for n in names if (GNU / n).exists()]
        if not texts:
            print(f"collect-licenses: no licence text found for {comp.name}", file=sys.stderr)
            return 1
        for name, data in texts:
            target = folder / name
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_bytes(data)
        lines += [f"## {comp.name} {version}", "",
                  f"- Licence: {comp.license}", f"- Source: {comp.url}",
                  f"- Texts: `{folder.name}/` ({', '.join(n for n, _ in texts)})"]
        if comp.note:
            lines += ["", notice_of(comp)]
        lines.append("")
    (out / "THIRD-PARTY-NOTICES.md").write_text("\n".join(lines), encoding="utf-8")
    print(f"collect-licenses: wrote {out}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
