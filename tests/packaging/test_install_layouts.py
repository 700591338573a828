"""Issue 10 #6: the wheel carries resources/ as package data, so an install under any prefix finds
it (it used to look under ``sys.prefix/share`` and lost everything after ``pip install --prefix`` or
``--user``); the sdist is a complete source release (package, resources, tests, docs, packaging).

Builds once per session (PEP 517 with the dev extra's setuptools), or reuses
the artifacts in ``$TELEMETRY_INSPECTOR_DIST`` (what ``packaging/check-install.sh`` built)."""
from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import zipfile
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
pytestmark = pytest.mark.slow


def _run(argv, **kw) -> subprocess.CompletedProcess[str]:
    out = subprocess.run(argv, capture_output=True, text=True, timeout=600, check=False, **kw)
    assert out.returncode == 0, f"{argv}\n{out.stdout[-3000:]}\n{out.stderr[-3000:]}"
    return out


@pytest.fixture(scope="session")
def dist_dir(tmp_path_factory) -> Path:
    given = os.environ.get("TELEMETRY_INSPECTOR_DIST")
    if given:
        return Path(given)
    out = tmp_path_factory.mktemp("dist")
    probe = subprocess.run([sys.executable, "-m", "build", "--version"], capture_output=True, cwd=out, check=False)
    if probe.returncode != 0:                   # pypa/build drives the PEP 517 build
        if os.environ.get("CI"):
            pytest.fail("pypa/build is not installed (the dev extra)")
        pytest.skip("pypa/build not installed")
    # sdist first, then the wheel built *from the sdist*: proves the sdist is complete. No isolation:
    # the dev extra's setuptools builds it (an isolated build re-downloads setuptools twice, ~30 s).
    _run([sys.executable, "-m", "build", "--no-isolation", "--outdir", str(out), str(REPO)])
    return out


def _one(dist: Path, pattern: str) -> Path:
    found = sorted(dist.glob(pattern))
    assert len(found) == 1, f"expected one {pattern} in {dist}: {found}"
    return found[0]


def test_the_wheel_carries_resources_as_package_data_and_both_scripts(dist_dir):
    wheel = _one(dist_dir, "telemetry_inspector-*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = set(zf.namelist())
        entry_points = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/entry_points.txt"))
        metadata = next(zf.read(n).decode() for n in names if n.endswith(".dist-info/METADATA"))
    expected = {p.relative_to(REPO / "resources").as_posix() for p in (REPO / "resources").rglob("*.json")}
    shipped = {n.removeprefix("inspector_app/_resources/") for n in names if n.startswith("inspector_app/_resources/")}
    assert expected and expected <= shipped
    assert not any(n.startswith(("tests/", "share/", "resources/")) for n in names)
    assert "inspector_app/py.typed" in names
    for script in ("telemetry-inspector = inspector_app.__main__:main",
                   "inspector-export = inspector_app.cli.export:main",
                   "inspector-validate = inspector_app.cli.validate:main",
                   "inspector-playtest = inspector_app.cli.playtest:main"):
        assert script in entry_points
    assert "Classifier: Private :: Do Not Upload" in metadata
    assert "License-Expression: LicenseRef-Proprietary" in metadata and "License-File: LICENSE" in metadata
    assert "Author: " in metadata and "Project-URL: " in metadata


def test_the_sdist_is_a_complete_source_release(dist_dir):
    sdist = _one(dist_dir, "telemetry_inspector-*.tar.gz")
    with tarfile.open(sdist) as tf:
        names = {n.split("/", 1)[1] for n in tf.getnames() if "/" in n}
    for required in ("pyproject.toml", "setup.py", "MANIFEST.in", "LICENSE", "README.md", ".ci/run",
                     "resources/budgets.default.json", "resources/demo/demo-profile.localStorage.json",
                     "tests/conftest.py", "tests/packaging/test_install_layouts.py",
                     "docs/architecture.md", "packaging/bootstrap.sh", "packaging/run-tests.sh",
                     "packaging/constraints.txt", "inspector_app/__main__.py"):
        assert required in names, f"{required} missing from {sdist.name}"
    assert not any("__pycache__" in n or n.startswith((".cache/", "build/")) for n in names)


LOOKUP = ("import sys, inspector_app, inspector_app.resources as r\n"
          "demo = r.resource_path('demo', 'demo-profile.localStorage.json')\n"
          "budgets = r.resource_path('budgets.default.json')\n"
          "print(inspector_app.__file__); print(demo); print(demo.is_file() and budgets.is_file())\n")


@pytest.mark.parametrize("layout", ["--prefix", "--target"])
def test_resources_are_found_after_installing_under_any_prefix(dist_dir, tmp_path, layout):
    before = _installed_project()
    wheel = _one(dist_dir, "telemetry_inspector-*.whl")
    dest = tmp_path / layout.strip("-")
    # --ignore-installed: pip must neither look at nor uninstall the running environment's own copy
    # (with --prefix it would otherwise remove the developer's editable install).
    _run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--no-index", "--ignore-installed",
          "--no-warn-script-location", layout, str(dest), str(wheel)])
    site = [p for p in dest.rglob("inspector_app") if p.is_dir() and (p / "__init__.py").exists()]
    assert len(site) == 1, site
    # Run from an unrelated folder with only the install on the path ahead of the venv (whose
    # editable finder comes after PYTHONPATH), so the checkout's resources/ cannot be what is found.
    env = {**os.environ, "PYTHONPATH": str(site[0].parent)}
    out = _run([sys.executable, "-c", LOOKUP], cwd=tmp_path, env=env).stdout.splitlines()
    assert Path(out[0]).is_relative_to(dest), out
    assert Path(out[1]).is_relative_to(site[0] / "_resources"), out
    assert out[2] == "True"
    assert _installed_project() == before, "installing elsewhere changed the running environment"


def _installed_project() -> str:
    out = subprocess.run([sys.executable, "-m", "pip", "show", "-f", "telemetry-inspector"], capture_output=True,
                         text=True, timeout=120, check=False)
    return out.stdout
