"""Helpers that change a package the way a careless or dishonest handler might."""

from __future__ import annotations

import base64
import gzip
import hashlib
import json
import shutil
import struct
import zipfile
import zlib
from pathlib import Path

from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from cryptography.hazmat.primitives import serialization


def data_offset(package: Path, member: str) -> tuple[int, int]:
    """Where ``member``'s stored bytes start in the ZIP file, and how many there are."""
    with zipfile.ZipFile(package) as archive:
        info = archive.getinfo(member)
    with open(package, "rb") as handle:
        handle.seek(info.header_offset)
        header = struct.unpack("<IHHHHHIIIHH", handle.read(30))
    return info.header_offset + 30 + header[9] + header[10], info.compress_size


def flip_byte(package: Path, out: Path, member: str, position: int | None = None) -> Path:
    """Copy ``package`` to ``out`` with one byte of ``member`` XOR-ed (default: the middle one)."""
    shutil.copyfile(package, out)
    start, size = data_offset(out, member)
    at = start + (size // 2 if position is None else position)
    with open(out, "r+b") as handle:
        handle.seek(at)
        byte = handle.read(1)[0]
        handle.seek(at)
        handle.write(bytes([byte ^ 0x01]))
    return out


def replace_char(package: Path, out: Path, member: str, after: bytes, alphabet: bytes) -> Path:
    """Change the first character following ``after`` in ``member`` to another of ``alphabet``,
    in place in the ZIP (one byte), so the JSON stays well formed."""
    shutil.copyfile(package, out)
    start, size = data_offset(out, member)
    with open(out, "r+b") as handle:
        handle.seek(start)
        data = handle.read(size)
        at = data.index(after) + len(after)
        replacement = next(c for c in alphabet if c != data[at])
        handle.seek(start + at)
        handle.write(bytes([replacement]))
    return out


def read_members(package: Path) -> dict[str, bytes]:
    with zipfile.ZipFile(package) as archive:
        return {name: archive.read(name) for name in archive.namelist()}


def write_members(members: dict[str, bytes], out: Path) -> Path:
    with zipfile.ZipFile(out, "w", compression=zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return out


def edit_gzip_warc(data: bytes, old: bytes, new: bytes) -> bytes:
    """Replace bytes inside a per-record gzip WARC, keeping one gzip member per record."""
    members = []
    while data:
        inflater = zlib.decompressobj(31)
        members.append(inflater.decompress(data))
        data = inflater.unused_data
    return b"".join(gzip.compress(m.replace(old, new)) for m in members)


def rehash_and_sign(members: dict[str, bytes], private: Ed25519PrivateKey | None = None) -> dict[str, bytes]:
    """Recompute datapackage.json and datapackage-digest.json for changed members, and sign
    with ``private`` (a forger's key unless the real one is given)."""
    manifest = json.loads(members["datapackage.json"])
    for resource in manifest["resources"]:
        body = members[resource["path"]]
        resource["hash"] = "sha256:" + hashlib.sha256(body).hexdigest()
        resource["bytes"] = len(body)
    manifest_bytes = json.dumps(manifest, ensure_ascii=False, indent=2).encode("utf-8")
    digest = json.loads(members["datapackage-digest.json"])
    digest["hash"] = digest["signedData"]["hash"] = "sha256:" + hashlib.sha256(manifest_bytes).hexdigest()
    private = private or Ed25519PrivateKey.generate()
    digest["signedData"]["signature"] = base64.b64encode(private.sign(digest["hash"].encode())).decode()
    digest["signedData"]["publicKey"] = base64.b64encode(private.public_key().public_bytes(
        serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)).decode()
    return dict(members, **{"datapackage.json": manifest_bytes,
                            "datapackage-digest.json": json.dumps(digest, indent=2).encode()})
