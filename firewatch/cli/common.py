"""What every command shares: the global flag overrides, the app context, JSON-lines output."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from typing import Any

import typer

from firewatch.core.context import AppContext
from firewatch.core.settings import SettingsError

_overrides: dict[str, Any] = {}

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_BAD_INPUT = 2
EXIT_BLOCKED = 3


def set_overrides(**overrides: Any) -> None:
    _overrides.clear()
    _overrides.update({k: v for k, v in overrides.items() if v is not None})


def app_context() -> AppContext:
    """The context for this invocation; a bad settings file exits 2 with its message."""
    try:
        return AppContext.from_overrides(**_overrides)
    except (SettingsError, ValueError) as exc:
        fail(f"配置错误 (settings): {exc}", EXIT_BAD_INPUT)
        raise  # unreachable


def fail(message: str, code: int = EXIT_FAILURE) -> None:
    typer.echo(message, err=True)
    raise typer.Exit(code)


def _default(value: Any) -> Any:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"not JSON serialisable: {type(value).__name__}")


def dumps(record: dict[str, Any]) -> str:
    return json.dumps(record, ensure_ascii=False, default=_default)


def write_jsonl(records, stream=None) -> None:
    stream = stream or sys.stdout
    for record in records:
        stream.write(dumps(record) + "\n")
