"""The repository is one distribution, and our packages are the ones imported."""

from __future__ import annotations

import importlib
import importlib.metadata as md
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
PACKAGES = ["studio", "agents", "crews", "tools", "memory", "ui", "config"]


@pytest.mark.parametrize("name", PACKAGES)
def test_package_comes_from_this_repository(name):
    module = importlib.import_module(name)
    origin = Path(module.__file__).resolve()
    assert origin.is_relative_to(REPO / name), f"{name} was imported from {origin}, not from {REPO / name}"


@pytest.mark.parametrize("name", PACKAGES)
def test_no_other_distribution_ships_the_same_package(name):
    owners = md.packages_distributions().get(name, [])
    assert owners and set(owners) == {"auteur"}, f"top-level package {name!r} is provided by {owners}"


def test_packages_resolve_to_repository_from_another_directory(tmp_path):
    """Outside the repository (as the `auteur` command runs) the same folders are found."""
    code = "import importlib,sys;print('\\n'.join(importlib.import_module(n).__file__ for n in sys.argv[1:]))"
    out = subprocess.run([sys.executable, "-c", code, *PACKAGES], cwd=tmp_path, capture_output=True,
                         text=True, check=True).stdout.split()
    for name, path in zip(PACKAGES, out):
        assert Path(path).resolve().is_relative_to(REPO / name), (name, path)


def test_layout_has_the_documented_files():
    for rel in ("pyproject.toml", "docker-compose.yml", "README.md", ".ci/run", "bench"):
        assert (REPO / rel).exists(), rel


def test_studio_imports_nothing_of_ours_but_itself():
    """The domain core imports only the standard library and pydantic."""
    code = (
        "import sys, importlib, pkgutil, studio\n"
        "for m in pkgutil.walk_packages(studio.__path__, 'studio.'):\n"
        "    importlib.import_module(m.name)\n"
        "bad = sorted(n for n in sys.modules if n.split('.')[0] in "
        "{'agents','crews','tools','memory','ui','config','git','typer','rich'})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.strip()
    assert out == "", f"studio pulled in: {out}"
