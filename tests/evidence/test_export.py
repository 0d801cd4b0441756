"""Export a real captured case and check the package with firewatch and independent readers."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from firewatch.evidence.verify import verify_package

pytestmark = pytest.mark.browser
BIN = Path(sys.executable).parent


def test_export_then_verify_passes(package):
    report = verify_package(package)
    assert report.ok, report.problems
    assert report.files_checked >= 12 and report.warc_records_checked >= 8
    assert report.key_fingerprint.startswith("sha256:")


def test_wacz_validate_accepts_package(package):
    result = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(package)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded" in result.stdout
