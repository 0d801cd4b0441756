"""Changing any single byte of any kind of member makes verification fail and name the file;
independent readers (wacz validate, warcio check) agree."""

from __future__ import annotations

import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from firewatch.evidence import signing
from firewatch.evidence.verify import verify_package
from tests.evidence.tamper import (edit_gzip_warc, flip_byte, read_members, rehash_and_sign, replace_char,
                                   write_members)

pytestmark = pytest.mark.browser
BIN = Path(sys.executable).parent
HEX = b"0123456789abcdef"
B64 = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/"


def _member(package: Path, prefix: str) -> str:
    with zipfile.ZipFile(package) as archive:
        return next(name for name in archive.namelist() if name.startswith(prefix))


def _named(report, name: str) -> bool:
    return any(problem.startswith(name) or f" {name}" in problem for problem in report.problems)


def test_single_byte_change_in_each_kind_of_member_is_named(package, tmp_path):
    cases = {
        "crawl WARC": (_member(package, "archive/crawl-"), None),
        "capture WARC": (_member(package, "archive/capture-"), None),
        "PDF": ("case/record.pdf", None),
        "XLSX": ("case/inventory.xlsx", None),
        "screenshot": (_member(package, "case/post-1-screenshot"), None),
        "DOM": (_member(package, "case/post-1-dom"), None),
        "index": ("indexes/index.cdxj", None),
        "pages": ("pages/pages.jsonl", None),
    }
    for kind, (member, _) in cases.items():
        changed = flip_byte(package, tmp_path / f"{kind}.wacz", member)
        report = verify_package(changed)
        assert not report.ok, kind
        assert _named(report, member), (kind, report.problems)
        assert len(report.problems) <= 3, (kind, report.problems)  # names the file, not everything


def test_changed_manifest_digest_and_signature_are_named(package, tmp_path):
    manifest = replace_char(package, tmp_path / "m.wacz", "datapackage.json", b'"hash": "sha256:', HEX)
    report = verify_package(manifest)
    assert not report.ok and _named(report, "datapackage.json"), report.problems
    assert "已被改动" in report.problems[0]

    digest = replace_char(package, tmp_path / "d.wacz", "datapackage-digest.json", b'"hash": "sha256:', HEX)
    report = verify_package(digest)
    assert not report.ok and _named(report, "datapackage-digest.json"), report.problems

    signature = replace_char(package, tmp_path / "s.wacz", "datapackage-digest.json", b'"signature": "', B64)
    report = verify_package(signature)
    assert not report.ok and any("签名无效" in p for p in report.problems), report.problems
    assert all(p.startswith("datapackage-digest.json") for p in report.problems), report.problems


def test_missing_and_unlisted_members_are_named(package, tmp_path):
    members = read_members(package)
    dropped = dict(members)
    del dropped["case/record.pdf"]
    report = verify_package(write_members(dropped, tmp_path / "dropped.wacz"))
    assert report.problems == ["case/record.pdf: 文件缺失"]

    extra = dict(members, **{"case/extra.txt": b"added later"})
    report = verify_package(write_members(extra, tmp_path / "extra.wacz"))
    assert any(p.startswith("case/extra.txt") for p in report.problems)


def test_repackaged_forgery_fails_on_signature_and_pinned_key(app_ctx, package, tmp_path):
    members = read_members(package)
    crawl = _member(package, "archive/crawl-")
    members[crawl] = edit_gzip_warc(members[crawl], "烟花爆竹".encode(), "电子鞭炮".encode())
    forged = write_members(rehash_and_sign(members), tmp_path / "forged.wacz")
    report = verify_package(forged)
    # Every file hash now matches, but the WARC record's own digest does not.
    assert any(p.startswith(crawl) and "WARC 记录校验值不符" in p for p in report.problems), report.problems
    # Stripping the digests instead is reported too.
    stripped = dict(members)
    stripped[crawl] = edit_gzip_warc(read_members(package)[crawl], b"WARC-Block-Digest: ", b"X-Removed-Digest: ")
    report = verify_package(write_members(rehash_and_sign(stripped), tmp_path / "stripped.wacz"))
    assert any(p.startswith(crawl) and "没有 WARC-Block-Digest" in p for p in report.problems), report.problems
    real_key = signing.load_or_create(app_ctx.settings.keys_dir)
    pinned = verify_package(forged, trusted_key=real_key.public_pem)
    assert any("不是指定的公钥" in p for p in pinned.problems)
    # The honest package passes when pinned to the installation key.
    assert verify_package(package, trusted_key=real_key.fingerprint).ok


def test_independent_readers_agree(package, tmp_path):
    def wacz_validate(path: Path) -> int:
        return subprocess.run([str(BIN / "wacz"), "validate", "-f", str(path)], capture_output=True,
                              text=True, timeout=120).returncode

    assert wacz_validate(package) == 0
    assert wacz_validate(flip_byte(package, tmp_path / "pdf.wacz", "case/record.pdf")) != 0
    members = read_members(package)
    warcs = [name for name in members if name.startswith("archive/")]
    for name in warcs:
        (tmp_path / Path(name).name).write_bytes(members[name])
    check = subprocess.run([str(BIN / "warcio"), "check", "-v", *[str(tmp_path / Path(n).name) for n in warcs]],
                           capture_output=True, text=True, timeout=120)
    assert check.returncode == 0, check.stdout + check.stderr
    assert check.stdout.count("digest pass") >= 8 and "digest fail" not in check.stdout
    crawl = _member(package, "archive/crawl-")
    doctored = tmp_path / "doctored.warc.gz"
    doctored.write_bytes(edit_gzip_warc(members[crawl], "烟花爆竹".encode(), "电子鞭炮".encode()))
    check = subprocess.run([str(BIN / "warcio"), "check", str(doctored)], capture_output=True, text=True,
                           timeout=60)
    assert check.returncode != 0
