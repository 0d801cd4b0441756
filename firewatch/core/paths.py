"""Files of the data folder (FIREWATCH_HOME) as the store names them.

The store keeps paths relative to the home (``warc/forum-….warc.gz``, ``captures/post-3/…``), so
a home restored or moved elsewhere still finds its files. Reading one back goes through
``resolve_in_home``, which refuses anything outside the home: a path in the database, a source
file or a request must never make firewatch read or serve another file of the machine.
"""

from __future__ import annotations

from pathlib import Path


class OutsideHomeError(ValueError):
    """A stored path that points outside the data folder; the message is Chinese, for officers."""


def resolve_in_home(home: Path | str, stored: Path | str) -> Path:
    """The absolute path of ``stored`` (relative to the home, or absolute inside it)."""
    if not str(stored).strip():
        raise OutsideHomeError("没有文件路径")
    root = Path(home).resolve()
    path = Path(stored)
    full = (path if path.is_absolute() else root / path).resolve()
    if not full.is_relative_to(root):
        raise OutsideHomeError(f"{stored}：不在数据目录 {root} 中，拒绝读取")
    return full


def relative_to_home(home: Path | str, path: Path | str) -> str:
    """How the store names a file of the home: relative to it (``path`` must lie inside)."""
    full = resolve_in_home(home, path)
    return full.relative_to(Path(home).resolve()).as_posix()
