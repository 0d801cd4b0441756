"""RFC 3161 timestamps from a real (local, OpenSSL) timestamping authority over the manifest."""

from __future__ import annotations

import base64
import hashlib
import json
import re
import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from firewatch.evidence import timestamp
from firewatch.evidence.export import ExportError, export_case
from firewatch.evidence.verify import verify_package
from tests.evidence.local_tsa import make_ca, serve_tsa
from tests.evidence.tamper import read_members, write_members

pytestmark = [pytest.mark.browser,
              pytest.mark.skipif(shutil.which("openssl") is None, reason="openssl missing")]
BIN = Path(sys.executable).parent
DOC = Path(__file__).resolve().parents[2] / "docs" / "evidence.md"


@pytest.fixture
def tsa(app_ctx, tmp_path_factory, monkeypatch):
    local, stop = serve_tsa(tmp_path_factory.mktemp("tsa"))
    app_ctx.settings.tsa_url = local.url
    monkeypatch.delenv("FIREWATCH_TSA_CA", raising=False)
    yield local
    stop()


@pytest.fixture
def stamped(app_ctx, captured_case, tsa, tmp_path):
    return export_case(app_ctx, captured_case, tmp_path / "out")


def _digest(package: Path) -> dict:
    return json.loads(zipfile.ZipFile(package).read("datapackage-digest.json"))


def test_package_carries_a_token_over_the_manifest(stamped, tsa):
    assert tsa.requests, "the TSA was never asked"
    token = base64.b64decode(_digest(stamped)["signedData"]["timeSignature"])
    manifest = zipfile.ZipFile(stamped).read("datapackage.json")
    assert timestamp.check_token(token, hashlib.sha256(manifest).hexdigest(), str(tsa.ca)).ok
    assert not timestamp.check_token(token, hashlib.sha256(b"other").hexdigest(), str(tsa.ca)).ok

    trusted = verify_package(stamped, tsa_ca=str(tsa.ca))
    assert trusted.ok, trusted.problems
    assert "firewatch test TSA" in trusted.timestamp and "TSA 证书链已核验" in trusted.timestamp
    untrusted = verify_package(stamped, tsa_ca="")
    assert untrusted.ok and "未核验 TSA 证书链" in untrusted.timestamp
    validate = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(stamped)], capture_output=True,
                              text=True, timeout=120)
    assert validate.returncode == 0, validate.stdout


def test_wrong_root_or_swapped_token_fails(stamped, tsa, tmp_path):
    other_root = make_ca(tmp_path / "other", "someone else")
    report = verify_package(stamped, tsa_ca=str(other_root))
    assert not report.ok and report.problems[0].startswith("datapackage-digest.json: 可信时间戳无效")

    # A token for some other data, put in place of the real one (the signature does not cover it).
    foreign = timestamp.request_token(tsa.url, hashlib.sha256(b"another package").hexdigest())
    members = read_members(stamped)
    digest = json.loads(members["datapackage-digest.json"])
    digest["signedData"]["timeSignature"] = base64.b64encode(foreign).decode()
    members["datapackage-digest.json"] = json.dumps(digest, indent=2).encode()
    swapped = verify_package(write_members(members, tmp_path / "swapped.wacz"), tsa_ca=str(tsa.ca))
    assert any("可信时间戳无效" in p for p in swapped.problems), swapped.problems


def test_unreachable_tsa_refuses_export(app_ctx, captured_case, monkeypatch, tmp_path):
    app_ctx.settings.tsa_url = "http://127.0.0.1:9/tsa"
    with pytest.raises(ExportError, match="无法取得可信时间戳"):
        export_case(app_ctx, captured_case, tmp_path / "out")
    assert list((tmp_path / "out").iterdir()) == []


def test_documented_openssl_timestamp_check(stamped, tsa, tmp_path):
    block = re.search(r"<!-- timestamp-script:start -->\s*```sh\n(.*?)```\s*<!-- timestamp-script:end -->",
                      DOC.read_text(encoding="utf-8"), re.S)
    assert block, "timestamp script markers missing from docs/evidence.md"
    work = tmp_path / "work"
    work.mkdir()
    with zipfile.ZipFile(stamped) as archive:
        archive.extractall(work)
    env = {"PATH": "/usr/bin:/bin", "TSA_ROOT": str(tsa.ca)}
    good = subprocess.run(["bash", "-c", block.group(1)], cwd=work, env=env, capture_output=True, text=True)
    assert good.returncode == 0 and "Verification: OK" in good.stdout, good.stdout + good.stderr
    assert "Time stamp:" in good.stdout
    (work / "datapackage.json").write_bytes((work / "datapackage.json").read_bytes() + b" ")
    bad = subprocess.run(["bash", "-c", block.group(1)], cwd=work, env=env, capture_output=True, text=True)
    assert bad.returncode != 0


def test_cli_verify_reports_the_timestamp(stamped, tsa, cli_env):
    command = [str(BIN / "firewatch"), "verify", str(stamped), "--tsa-ca", str(tsa.ca)]
    result = subprocess.run(command, env=cli_env, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "可信时间戳：" in result.stdout and "TSA 证书链已核验" in result.stdout
