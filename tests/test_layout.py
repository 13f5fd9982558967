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


def test_docker_compose_wires_the_studio_workers_redis_and_qdrant():
    import yaml
    from typer.testing import CliRunner

    from config.settings import Settings
    from ui.cli import app

    compose = yaml.safe_load((REPO / "docker-compose.yml").read_text())
    services = compose["services"]
    assert {"studio", "worker", "redis", "qdrant"} <= set(services)
    for name in ("studio", "worker", "slack"):
        svc = services[name]
        assert "workspace:/workspace" in svc["volumes"], f"{name} must share the workspace"
        env = svc["environment"]
        settings = Settings.from_env({k: str(v) for k, v in env.items()})
        assert settings.jobs == "celery" and settings.redis_url == "redis://redis:6379/0"
        assert settings.qdrant_url == "http://qdrant:6333" and str(settings.workspace) == "/workspace"
        # Each service runs a real `auteur` command with options it accepts.
        result = CliRunner().invoke(app, [svc["command"][0], "--help"])
        assert result.exit_code == 0, (name, result.output)
        for opt in (o for o in svc["command"][1:] if o.startswith("--")):
            assert opt in result.output, (name, opt)
    gpu = services["worker"]["deploy"]["resources"]["reservations"]["devices"][0]
    assert gpu["driver"] == "nvidia" and "gpu" in gpu["capabilities"]
    assert "cu" in services["worker"]["build"]["args"]["TORCH_INDEX_URL"]
