"""Write a WACZ package: members, the CDXJ index, datapackage.json, the signed digest, the ZIP.

Layout follows WACZ 1.2.0 (archive/, indexes/index.cdxj, pages/pages.jsonl, datapackage.json
listing every other file with ``sha256:`` hash and byte size, datapackage-digest.json) plus a
``case/`` folder, which the spec allows when listed in the manifest. Extra folders stay one level
deep because py-wacz's validator matches members by their last two path parts.

The manifest is labelled ``profile: data-package`` / ``wacz_version: 1.1.1``: that is what
py-wacz 0.6 (``wacz validate``, the independent reader) and browsertrix write and accept; the
1.2.0 text asks for ``profile: wacz``, which py-wacz's frictionless check rejects.

The signature follows the WACZ signing draft's anonymous form: ``signedData`` in
datapackage-digest.json holds the manifest hash, the Ed25519 signature over the ASCII bytes of
that hash string, the public key (base64 DER SubjectPublicKeyInfo) and, when a timestamping
authority is configured, an RFC 3161 ``timeSignature`` over the manifest's SHA-256.
"""

from __future__ import annotations

import base64
import hashlib
import json
import os
import zipfile
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from surt import surt
from warcio.archiveiterator import ArchiveIterator
from warcio.timeutils import iso_date_to_timestamp

import firewatch
from firewatch.evidence.signing import ALGORITHM, SigningKey

DATAPACKAGE = "datapackage.json"
DIGEST = "datapackage-digest.json"
INDEX = "indexes/index.cdxj"
PAGES = "pages/pages.jsonl"
WACZ_LABEL = {"profile": "data-package", "wacz_version": "1.1.1"}
SIGNING_SPEC_VERSION = "0.1.0"
INDEXED_TYPES = {"response", "resource", "revisit", "metadata"}


@dataclass
class Member:
    path: str
    size: int
    sha256: str
    category: str  # 类别, for the 电子数据清单
    fmt: str  # 文件格式
    description: str = ""


class PackageStage:
    """A folder where members are written before zipping; remembers each member's hash."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.members: list[Member] = []

    def path(self, member_path: str) -> Path:
        target = self.root / member_path
        target.parent.mkdir(parents=True, exist_ok=True)
        return target

    def add_bytes(self, member_path: str, data: bytes, category: str, fmt: str,
                  description: str = "") -> Member:
        self.path(member_path).write_bytes(data)
        return self.register(member_path, category, fmt, description)

    def register(self, member_path: str, category: str, fmt: str, description: str = "") -> Member:
        """Record a member already written at ``path(member_path)``."""
        size, digest = file_sha256(self.root / member_path)
        member = Member(member_path, size, digest, category, fmt, description)
        self.members.append(member)
        return member


def file_sha256(path: Path) -> tuple[int, str]:
    hasher, size = hashlib.sha256(), 0
    with open(path, "rb") as handle:
        for block in iter(lambda: handle.read(1 << 16), b""):
            hasher.update(block)
            size += len(block)
    return size, hasher.hexdigest()


def cdxj_lines(stage: PackageStage) -> list[str]:
    """One CDXJ line per response/resource record of every WARC under archive/, sorted."""
    lines = []
    for member in stage.members:
        if member.path.startswith("archive/"):
            lines.extend(_index_warc(stage.root / member.path, member.path.split("/", 1)[1]))
    return sorted(lines)


def _index_warc(path: Path, filename: str) -> list[str]:
    lines = []
    with open(path, "rb") as stream:
        iterator = ArchiveIterator(stream)
        for record in iterator:
            iterator.read_to_end(record)
            if record.rec_type not in INDEXED_TYPES:
                continue
            url = record.rec_headers.get_header("WARC-Target-URI") or ""
            fields = {"url": url, "mime": _mime(record), "filename": filename,
                      "offset": iterator.get_record_offset(), "length": iterator.get_record_length(),
                      "digest": record.rec_headers.get_header("WARC-Payload-Digest") or "",
                      "recordDigest": record.rec_headers.get_header("WARC-Block-Digest") or ""}
            if record.http_headers and record.rec_type == "response":
                fields["status"] = int(record.http_headers.get_statuscode() or 0)
            stamp = iso_date_to_timestamp(record.rec_headers.get_header("WARC-Date"))
            lines.append(f"{_key(url)} {stamp} {json.dumps(fields, ensure_ascii=False)}")
    return lines


def _key(url: str) -> str:
    if url.startswith(("http://", "https://")):
        return surt(url)
    return url


def _mime(record) -> str:
    if record.http_headers and record.rec_type == "response":
        value = record.http_headers.get_header("Content-Type") or ""
    else:
        value = record.rec_headers.get_header("Content-Type") or ""
    return value.split(";")[0].strip()


def datapackage(stage: PackageStage, created: str, title: str, extra: dict) -> bytes:
    resources = [{"name": m.path.lower(), "path": m.path, "hash": f"sha256:{m.sha256}", "bytes": m.size}
                 for m in stage.members]
    body = {**WACZ_LABEL, "title": title, "created": created, "modified": created,
            "software": f"firewatch {firewatch.__version__}", **extra, "resources": resources}
    return json.dumps(body, ensure_ascii=False, indent=2).encode("utf-8")


def signed_digest(manifest: bytes, created: str, key: SigningKey, time_signature: bytes = b"") -> bytes:
    """datapackage-digest.json; ``time_signature`` is an RFC 3161 TimeStampResp over the manifest."""
    digest = "sha256:" + hashlib.sha256(manifest).hexdigest()
    signed = {"hash": digest, "created": created, "software": f"firewatch {firewatch.__version__}",
              "version": SIGNING_SPEC_VERSION, "signatureAlgorithm": ALGORITHM,
              "signature": key.sign(digest.encode("ascii")), "publicKey": key.public_b64,
              "keyFingerprint": key.fingerprint}
    if time_signature:
        signed["timeSignature"] = base64.b64encode(time_signature).decode("ascii")
    body = {"path": DATAPACKAGE, "hash": digest, "signedData": signed}
    return json.dumps(body, indent=2).encode("utf-8")


def write_zip(stage: PackageStage, manifest: bytes, digest: bytes, out_path: Path, created: datetime) -> None:
    """All members STORED (WARCs must be; the rest are small or already compressed)."""
    stamp = created.astimezone(timezone.utc).timetuple()[:6]
    partial = out_path.with_name(out_path.name + ".part")
    with zipfile.ZipFile(partial, "w", compression=zipfile.ZIP_STORED, allowZip64=True) as archive:
        for member in stage.members:
            info = _entry(member.path, stamp)
            with open(stage.root / member.path, "rb") as source, archive.open(info, "w") as target:
                for block in iter(lambda: source.read(1 << 16), b""):
                    target.write(block)
        archive.writestr(_entry(DATAPACKAGE, stamp), manifest)
        archive.writestr(_entry(DIGEST, stamp), digest)
    os.replace(partial, out_path)


def _entry(name: str, stamp: tuple) -> zipfile.ZipInfo:
    info = zipfile.ZipInfo(name, stamp)
    info.external_attr = 0o644 << 16  # readable files when unzipped, not 0600
    return info
