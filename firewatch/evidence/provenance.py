"""Where, when and with what a capture or export was made: the 地点, 时间 and 工具 of a 笔录.

Times are kept in UTC and shown in the configured zone (firewatch.core.clock); the clock source is
the machine's system clock, and whether it is NTP-synchronised is recorded when the system says so.
"""

from __future__ import annotations

import getpass
import platform
import socket
import sys
from datetime import datetime, timezone
from importlib import metadata
from pathlib import Path

import firewatch

LIBRARIES = ("playwright", "warcio", "wacz", "cryptography", "reportlab", "openpyxl", "sqlalchemy")


def utc_now() -> datetime:
    return datetime.now(timezone.utc)


def library_versions(extra: dict[str, str] | None = None) -> dict[str, str]:
    versions = {"firewatch": firewatch.__version__, "python": platform.python_version()}
    for name in LIBRARIES:
        try:
            versions[name] = metadata.version(name)
        except metadata.PackageNotFoundError:
            versions[name] = "not installed"
    versions.update(extra or {})
    return versions


def machine() -> dict[str, str]:
    """The collecting machine (the 提取地点 and 系统环境 of the 笔录)."""
    return {
        "hostname": socket.gethostname(),
        "fqdn": socket.getfqdn(),
        "machine_id": _read_first("/etc/machine-id"),
        "os": platform.platform(),
        "user": _user(),
        "python_executable": sys.executable,
        "clock": "system clock" + (", NTP synchronised" if _ntp_synchronised() else ""),
    }


def _user() -> str:
    try:
        return getpass.getuser()
    except (KeyError, OSError):
        return ""


def _read_first(path: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii").strip()
    except OSError:
        return ""


def _ntp_synchronised() -> bool:
    return Path("/run/systemd/timesync/synchronized").exists()
