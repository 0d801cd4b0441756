"""RFC 3161 trusted timestamps over the package manifest, through the ``openssl ts`` tool.

When ``FIREWATCH_TSA_URL`` names a timestamping authority, export asks it to stamp the SHA-256 of
datapackage.json and stores the whole TimeStampResp (base64) in ``signedData.timeSignature``.
Verification re-checks the token against the manifest hash: against ``FIREWATCH_TSA_CA`` (or
``--tsa-ca``) when given, which also proves who the TSA is; otherwise only against the
certificates inside the token, which proves the token is intact but not whom to trust.

OpenSSL's command-line tool is used on purpose: a court can repeat the same check with the same
command (docs/evidence.md) without firewatch.
"""

from __future__ import annotations

import re
import subprocess
import tempfile
from dataclasses import dataclass
from pathlib import Path

TIMEOUT_SECONDS = 30


class TimestampError(RuntimeError):
    """The TSA could not be reached or refused; the message is Chinese."""


@dataclass(frozen=True)
class TokenCheck:
    ok: bool
    time: str = ""
    tsa: str = ""
    trusted: bool = False
    message: str = ""


def request_token(url: str, sha256_hex: str) -> bytes:
    """A granted TimeStampResp (DER) for ``sha256_hex`` from the TSA at ``url``."""
    import httpx

    query = _openssl(["ts", "-query", "-digest", sha256_hex, "-sha256", "-cert"])
    try:
        response = httpx.post(url, content=query, timeout=TIMEOUT_SECONDS,
                              headers={"Content-Type": "application/timestamp-query"})
    except httpx.HTTPError as exc:
        raise TimestampError(f"无法连接时间戳服务 {url}：{exc}") from exc
    if response.status_code != 200:
        raise TimestampError(f"时间戳服务 {url} 返回 HTTP {response.status_code}")
    text = _reply_text(response.content)
    if "Status: Granted" not in text:
        raise TimestampError(f"时间戳服务 {url} 拒绝了请求：{_field(text, 'Status')}")
    if _imprint(text) != sha256_hex.lower():
        raise TimestampError(f"时间戳服务 {url} 返回的时间戳不是针对本证据包的")
    return response.content


def check_token(token: bytes, sha256_hex: str, ca_file: str = "") -> TokenCheck:
    """Does ``token`` stamp ``sha256_hex``, with a valid signature (chained to ``ca_file`` if given)?"""
    try:
        text = _reply_text(token)
    except TimestampError as exc:
        return TokenCheck(False, message=str(exc))
    info = {"time": _field(text, "Time stamp"), "tsa": _field(text, "TSA")}
    with tempfile.TemporaryDirectory() as folder:
        response = Path(folder) / "response.tsr"
        response.write_bytes(token)
        if ca_file:
            trust = ["-CAfile", ca_file]
        else:
            certs = Path(folder) / "token-certs.pem"
            _embedded_certs(response, certs)
            trust = ["-CAfile", str(certs), "-partial_chain"]
        result = subprocess.run(["openssl", "ts", "-verify", "-digest", sha256_hex, "-in", str(response),
                                 *trust], capture_output=True, text=True, timeout=TIMEOUT_SECONDS)
    if "Verification: OK" not in result.stdout:
        reason = (result.stderr.strip().splitlines() or ["verification failed"])[-1]
        return TokenCheck(False, message=f"时间戳与证据包不符或签名无效（{reason}）", **info)
    return TokenCheck(True, trusted=bool(ca_file), **info)


def _embedded_certs(response: Path, out: Path) -> None:
    token = response.with_suffix(".token")
    _openssl(["ts", "-reply", "-in", str(response), "-token_out", "-out", str(token)])
    _openssl(["pkcs7", "-inform", "DER", "-in", str(token), "-print_certs", "-out", str(out)])


def _reply_text(token: bytes) -> str:
    with tempfile.NamedTemporaryFile(suffix=".tsr") as handle:
        handle.write(token)
        handle.flush()
        return _openssl(["ts", "-reply", "-in", handle.name, "-text"]).decode("utf-8", "replace")


def _openssl(args: list[str]) -> bytes:
    try:
        result = subprocess.run(["openssl", *args], capture_output=True, timeout=TIMEOUT_SECONDS)
    except FileNotFoundError as exc:
        raise TimestampError("找不到 openssl 程序，无法处理 RFC 3161 时间戳") from exc
    if result.returncode != 0:
        detail = result.stderr.decode("utf-8", "replace").strip().splitlines()
        raise TimestampError(f"openssl {args[0]} {args[1]} 失败：{detail[-1] if detail else result.returncode}")
    return result.stdout


def _field(text: str, name: str) -> str:
    match = re.search(rf"^{re.escape(name)}: (.*)$", text, re.M)
    return match.group(1).strip() if match else ""


def _imprint(text: str) -> str:
    """The hashed message in ``openssl ts -text`` output (its hex dump, joined)."""
    block = re.search(r"Message data:\n((?:\s+[0-9a-f]{4} - .*\n)+)", text)
    if not block:
        return ""
    hex_bytes = []
    for line in block.group(1).splitlines():
        dump = line.split(" - ", 1)[1][:48]  # 16 bytes, "xx xx ... xx-xx ..." before the ASCII column
        hex_bytes.extend(re.findall(r"[0-9a-f]{2}", dump))
    return "".join(hex_bytes)
