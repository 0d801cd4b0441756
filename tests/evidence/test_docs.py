"""docs/evidence.md's verification script, run as written, with standard tools only."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
import zipfile
from pathlib import Path

import pytest

from tests.evidence.tamper import flip_byte, read_members, write_members

pytestmark = pytest.mark.browser
DOC = Path(__file__).resolve().parents[2] / "docs" / "evidence.md"


def verify_script() -> str:
    text = DOC.read_text(encoding="utf-8")
    block = re.search(r"<!-- verify-script:start -->\s*```sh\n(.*?)```\s*<!-- verify-script:end -->", text, re.S)
    assert block, "verification script markers missing from docs/evidence.md"
    return block.group(1)


def run_script(package: Path, workdir: Path) -> subprocess.CompletedProcess:
    workdir.mkdir()
    return subprocess.run(["bash", "-c", verify_script()], cwd=workdir, env={"PACKAGE": str(package),
                          "PATH": "/usr/bin:/bin"}, capture_output=True, text=True, timeout=120)


@pytest.mark.skipif(not all(shutil.which(t) for t in ("jq", "openssl", "unzip", "sha256sum")),
                    reason="standard tools missing")
def test_documented_script_verifies_and_detects_changes(package, tmp_path):
    good = run_script(package, tmp_path / "good")
    assert good.returncode == 0, good.stdout + good.stderr
    assert "Signature Verified Successfully" in good.stdout
    assert "datapackage.json: OK" in good.stdout and "case/record.pdf: OK" in good.stdout
    fingerprint = json.loads(zipfile.ZipFile(package).read("datapackage-digest.json"))["signedData"]["keyFingerprint"]
    assert f"signer fingerprint: {fingerprint}" in good.stdout

    flipped = run_script(flip_byte(package, tmp_path / "x.wacz", "case/post-1-screenshot.png"), tmp_path / "x")
    assert flipped.returncode != 0  # unzip itself notices the raw byte change (bad CRC)
    assert "case/post-1-screenshot.png" in flipped.stdout + flipped.stderr

    members = read_members(package)  # a changed file re-zipped with a fresh CRC
    members["case/post-1-screenshot.png"] = members["case/post-1-screenshot.png"][:-1] + b"\x00"
    rezipped = run_script(write_members(members, tmp_path / "r.wacz"), tmp_path / "r")
    assert rezipped.returncode != 0 and "case/post-1-screenshot.png: FAILED" in rezipped.stdout

    digest = json.loads(members["datapackage-digest.json"])
    signature = digest["signedData"]["signature"]
    digest["signedData"]["signature"] = ("B" if signature[0] != "B" else "C") + signature[1:]
    members = read_members(package)
    members["datapackage-digest.json"] = json.dumps(digest, indent=2).encode()
    forged = run_script(write_members(members, tmp_path / "s.wacz"), tmp_path / "s")
    assert forged.returncode != 0 and "Signature Verification Failure" in forged.stdout + forged.stderr
    assert "case/record.pdf: OK" in forged.stdout  # files still match; only the signature fails
