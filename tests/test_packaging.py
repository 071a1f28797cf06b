"""setup.cfg: the package builds without setuptools warnings and ships its data files (templates, static
files, the divisions dataset)."""

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def test_wheel_builds_without_package_data_warnings_and_ships_the_data(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md"):
        shutil.copy(ROOT / name, source / name)
    for package in ("search", "indexer", "webui"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-v", "-w", str(tmp_path / "dist"), str(source)],
        capture_output=True, text=True, timeout=600)
    assert done.returncode == 0, done.stderr
    output = done.stdout + done.stderr
    assert "absent from the `packages` configuration" not in output
    (wheel,) = (tmp_path / "dist").glob("*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    expected = {"indexer/data/pca-code.json", "webui/templates/base.html", "webui/templates/search.html",
                "webui/static/style.css", "webui/static/app.js"}
    assert expected == expected & names


@pytest.mark.slow
def test_make_install_prints_no_setuptools_warnings(tmp_path):
    source = tmp_path / "src"
    source.mkdir()
    for name in ("setup.cfg", "pyproject.toml", "README.md", "Makefile"):
        shutil.copy(ROOT / name, source / name)
    for package in ("search", "indexer", "webui"):
        shutil.copytree(ROOT / package, source / package, ignore=shutil.ignore_patterns("__pycache__"))
    done = subprocess.run(["make", "-C", str(source), "install", f"PYTHON={sys.executable}"], capture_output=True,
                          text=True, timeout=1200)
    output = done.stdout + done.stderr
    # (setuptools' own note on every editable install, "Editable installation", is no warning about us)
    assert (0, False, False) == (done.returncode, "Package would be ignored" in output,
                                 "absent from the `packages` configuration" in output)
