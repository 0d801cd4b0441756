"""Verify a case package: every member's SHA-256 and size against datapackage.json, every WARC
record digest, the manifest digest, and the Ed25519 signature. Each problem names its file.

Members are read straight from their ZIP entries (the CRC is not trusted to stop reading), so a
changed byte is reported as a changed file rather than as an unreadable archive.
"""

from __future__ import annotations

import base64
import hashlib
import json
import struct
import tempfile
import zipfile
import zlib
from dataclasses import dataclass, field
from pathlib import Path

from firewatch.evidence import signing, timestamp
from firewatch.evidence.wacz import DATAPACKAGE, DIGEST
from firewatch.core.store.warc import check_digests, records_without_digest

PUBLIC_KEY_MEMBER = "case/public-key.pem"
LOCAL_HEADER = struct.Struct("<IHHHHHIIIHH")


@dataclass
class VerifyReport:
    path: str
    problems: list[str] = field(default_factory=list)
    files_checked: int = 0
    warc_records_checked: int = 0
    manifest_hash: str = ""
    key_fingerprint: str = ""
    timestamp: str = ""  # RFC 3161 time and TSA, when the package carries a token

    @property
    def ok(self) -> bool:
        return not self.problems

    def problem(self, text: str) -> None:
        self.problems.append(text)


def verify_package(path: str | Path, trusted_key: str | None = None,
                   tsa_ca: str | None = None) -> VerifyReport:
    """Check everything; ``trusted_key`` (PEM text or ``sha256:`` fingerprint) pins the signer,
    ``tsa_ca`` (a PEM file; the CLI passes the `tsa_ca` setting) is the root an RFC 3161 token must chain to."""
    report = VerifyReport(str(path))
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        report.problem(f"{path}: 不是可读取的 WACZ/ZIP 文件（{exc}）")
        return report
    with archive:
        entries = {info.filename: info for info in archive.infolist()}
        manifest_bytes = _read(path, entries, DATAPACKAGE, report)
        digest_bytes = _read(path, entries, DIGEST, report)
        manifest = _json(DATAPACKAGE, manifest_bytes, report)
        digest = _json(DIGEST, digest_bytes, report)
        if manifest is None:
            return report
        if digest is not None:
            _check_digest_and_signature(manifest_bytes, manifest, digest, report)
            _check_published_key(path, entries, digest, trusted_key, report)
            _check_timestamp(digest, report, tsa_ca or "")
        _check_resources(path, entries, manifest, report)
    return report


def _read(path, entries: dict, name: str, report: VerifyReport) -> bytes | None:
    info = entries.get(name)
    if info is None:
        report.problem(f"{name}: 文件缺失")
        return None
    try:
        return member_bytes(path, info)
    except (ValueError, zlib.error, OSError) as exc:
        report.problem(f"{name}: 无法读取（{exc}）")
        return None


def member_bytes(path, info: zipfile.ZipInfo) -> bytes:
    """The stored content of one ZIP entry, read from its local header without a CRC check."""
    with open(path, "rb") as handle:
        handle.seek(info.header_offset)
        header = LOCAL_HEADER.unpack(handle.read(LOCAL_HEADER.size))
        if header[0] != 0x04034B50:
            raise ValueError("ZIP 本地文件头损坏")
        handle.seek(header[9] + header[10], 1)
        data = handle.read(info.compress_size)
    if info.compress_type == zipfile.ZIP_STORED:
        return data
    if info.compress_type == zipfile.ZIP_DEFLATED:
        return zlib.decompress(data, -15)
    raise ValueError(f"不支持的压缩方式 {info.compress_type}")


def _json(name: str, data: bytes | None, report: VerifyReport):
    if data is None:
        return None
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError) as exc:
        report.problem(f"{name}: 已被改动或损坏，不是有效的 JSON（{exc}）")
        return None


def _check_digest_and_signature(manifest_bytes: bytes, manifest: dict, digest: dict,
                                report: VerifyReport) -> None:
    actual = "sha256:" + hashlib.sha256(manifest_bytes).hexdigest()
    claimed = str(digest.get("hash", ""))
    report.manifest_hash = actual
    signed = digest.get("signedData") or {}
    if not signed:
        report.problem(f"{DIGEST}: 缺少签名（signedData）")
        if actual != claimed:
            report.problem(f"{DATAPACKAGE}: 与 {DIGEST} 记录的 SHA-256 不符")
        return
    key = _signer(signed, report)
    holds = (lambda text: key is not None and signing.signature_holds(
        key, text.encode("ascii", "replace"), str(signed.get("signature", ""))))
    if actual != claimed:
        if holds(claimed):
            report.problem(f"{DATAPACKAGE}: 已被改动（SHA-256 与已签名的 {DIGEST} 记录不符）")
        elif holds(actual):
            report.problem(f"{DIGEST}: 已被改动（hash 字段与 {DATAPACKAGE} 不符，签名仍对应原文件）")
        else:
            report.problem(f"{DATAPACKAGE} / {DIGEST}: 摘要不符且签名无效，两者至少有一个被改动")
    elif not holds(claimed):
        report.problem(f"{DIGEST}: 签名无效（signedData.signature 与公钥、摘要不符）")
    if signed.get("hash") != claimed:
        report.problem(f"{DIGEST}: signedData.hash 与 hash 字段不一致")
    if signed.get("created") != manifest.get("created"):
        report.problem(f"{DIGEST}: 签名时间与 {DATAPACKAGE} 的 created 不一致")


def _signer(signed: dict, report: VerifyReport):
    try:
        key = signing.load_public(str(signed.get("publicKey", "")))
    except ValueError as exc:
        report.problem(f"{DIGEST}: 公钥无法读取（{exc}）")
        return None
    report.key_fingerprint = signing.fingerprint(key)
    return key


def _check_published_key(path, entries: dict, digest: dict, trusted_key: str | None,
                         report: VerifyReport) -> None:
    if not report.key_fingerprint:
        return
    if PUBLIC_KEY_MEMBER in entries:
        try:
            pem = member_bytes(path, entries[PUBLIC_KEY_MEMBER])
            packaged = signing.fingerprint(signing.load_public(pem))
        except ValueError:
            packaged = ""  # a changed key file is reported by its hash check
        if packaged and packaged != report.key_fingerprint:
            report.problem(f"{PUBLIC_KEY_MEMBER}: 与签名所用公钥不一致")
    if trusted_key:
        expected = trusted_key.strip() if trusted_key.strip().startswith("sha256:") else \
            signing.fingerprint(signing.load_public(trusted_key))
        if expected != report.key_fingerprint:
            report.problem(f"{DIGEST}: 签名公钥 {report.key_fingerprint} 不是指定的公钥 {expected}")


def _check_timestamp(digest: dict, report: VerifyReport, ca_file: str) -> None:
    token_b64 = (digest.get("signedData") or {}).get("timeSignature")
    if not token_b64 or not report.manifest_hash:
        return
    try:
        token = base64.b64decode(token_b64, validate=True)
    except ValueError:
        report.problem(f"{DIGEST}: 可信时间戳（timeSignature）不是有效的 base64")
        return
    check = timestamp.check_token(token, report.manifest_hash.removeprefix("sha256:"), ca_file)
    if not check.ok:
        report.problem(f"{DIGEST}: 可信时间戳无效：{check.message}")
        return
    trust = "TSA 证书链已核验" if check.trusted else "未核验 TSA 证书链（未提供 TSA 根证书）"
    report.timestamp = f"{check.time}（{check.tsa}；{trust}）"


def _check_resources(path, entries: dict, manifest: dict, report: VerifyReport) -> None:
    listed = {}
    for resource in manifest.get("resources") or []:
        listed[str(resource.get("path", ""))] = resource
    for name in sorted(set(entries) - set(listed) - {DATAPACKAGE, DIGEST}):
        if not name.endswith("/"):
            report.problem(f"{name}: 不在 {DATAPACKAGE} 的文件清单中")
    for name, resource in listed.items():
        data = _read(path, entries, name, report)
        if data is None:
            continue
        report.files_checked += 1
        expected = str(resource.get("hash", ""))
        if expected != "sha256:" + hashlib.sha256(data).hexdigest() or resource.get("bytes") != len(data):
            report.problem(f"{name}: 已被改动（SHA-256 或大小与 {DATAPACKAGE} 不符）")
        if name.startswith("archive/") and ".warc" in name:
            _check_warc(name, data, report)


def _check_warc(name: str, data: bytes, report: VerifyReport) -> None:
    with tempfile.NamedTemporaryFile(suffix=".warc.gz" if name.endswith(".gz") else ".warc") as temp:
        temp.write(data)
        temp.flush()
        try:
            problems = check_digests(temp.name)
            problems += [f"{record}: 没有 WARC-Block-Digest" for record in records_without_digest(temp.name)]
            report.warc_records_checked += _count_records(temp.name)
        except Exception as exc:  # noqa: BLE001 - any read failure means the WARC is damaged
            report.problem(f"{name}: WARC 无法完整读取（{type(exc).__name__}: {exc}）")
            return
    for problem in problems:
        report.problem(f"{name}: WARC 记录校验值不符 {problem}")


def _count_records(warc_path: str) -> int:
    from warcio.archiveiterator import ArchiveIterator

    with open(warc_path, "rb") as stream:
        return sum(1 for _ in ArchiveIterator(stream))
