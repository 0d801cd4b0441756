"""The layering is a contract (pyproject.toml, import-linter): the core never imports the crawler,
evidence, the review UI or the CLI; classifiers/ imports nothing of the app; the review UI never
imports the crawler. The second test shows the contract really fails when such an import appears."""

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
PACKAGES = ("firewatch", "crawler", "review_ui", "classifiers")
LINT = Path(sys.executable).with_name("lint-imports")


def _lint(root: Path) -> subprocess.CompletedProcess:
    env = {**os.environ, "PYTHONPATH": str(root)}
    return subprocess.run([str(LINT), "--config", str(root / "pyproject.toml")], cwd=root, env=env,
                          capture_output=True, text=True, timeout=300)


def _copy(tmp_path: Path) -> Path:
    for package in PACKAGES:
        shutil.copytree(REPO / package, tmp_path / package,
                        ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
    shutil.copy(REPO / "pyproject.toml", tmp_path / "pyproject.toml")
    return tmp_path


def test_the_tree_keeps_its_floors():
    result = _lint(REPO)
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.mark.parametrize("module, line", [
    ("firewatch/core/health.py", "import crawler.runner"),
    ("classifiers/verdict.py", "from firewatch.core import settings"),
    ("review_ui/queue.py", "from crawler import extract"),
    ("crawler/runner.py", "import firewatch.evidence.export"),
])
def test_an_import_that_points_up_breaks_the_contract(tmp_path, module, line):
    root = _copy(tmp_path)
    target = root / module
    target.write_text(target.read_text(encoding="utf-8") + f"\n{line}\n", encoding="utf-8")
    result = _lint(root)
    assert result.returncode != 0
    assert "BROKEN" in result.stdout
