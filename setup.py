"""Build hook (the rest of the configuration is declarative, in pyproject.toml).

``resources/`` at the top of the checkout is the one source of the app's data files (demo data,
default budgets, icons). This copies it into the built package as ``inspector_app/_resources`` —
package data that :mod:`inspector_app.resources` reads through :mod:`importlib.resources`, so a wheel
installed under any prefix (``--prefix``, ``--user``, ``--target``) finds it. An editable install
reads ``resources/`` in place and gets no copy.
"""
from __future__ import annotations

from pathlib import Path

from setuptools import setup
from setuptools.command.build_py import build_py

HERE = Path(__file__).resolve().parent
RESOURCES = HERE / "resources"
NOT_SHIPPED = {"README.md", ".gitignore"}


def resource_files() -> list[Path]:
    return sorted(p for p in RESOURCES.rglob("*")
                  if p.is_file() and p.name not in NOT_SHIPPED and "__pycache__" not in p.parts)


class BuildPyWithResources(build_py):
    def run(self) -> None:
        super().run()
        if getattr(self, "editable_mode", False):
            return
        target = Path(self.build_lib) / "inspector_app" / "_resources"
        for src in resource_files():
            dst = target / src.relative_to(RESOURCES)
            self.mkpath(str(dst.parent))
            self.copy_file(str(src), str(dst))

    def get_outputs(self, include_bytecode: bool = True) -> list[str]:
        outputs = list(super().get_outputs(include_bytecode))
        if not getattr(self, "editable_mode", False):
            target = Path(self.build_lib) / "inspector_app" / "_resources"
            outputs += [str(target / p.relative_to(RESOURCES)) for p in resource_files()]
        return outputs


setup(cmdclass={"build_py": BuildPyWithResources})
