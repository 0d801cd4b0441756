"""The ``firewatch`` command. Each command family lives in its own module and registers itself
on ``app``; heavy libraries (Scrapy, Playwright, jieba) are imported inside commands so that
``firewatch --help`` stays fast."""

from __future__ import annotations

from pathlib import Path
from typing import Optional

import typer

from firewatch.cli.common import set_overrides

app = typer.Typer(
    help="firewatch — 烟花爆竹网络销售巡查系统 (patrol for illegal online fireworks sales)",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


@app.callback()
def _root(
    home: Optional[Path] = typer.Option(None, help="Data folder (FIREWATCH_HOME, default ./var)"),
    db: Optional[str] = typer.Option(None, help="SQLAlchemy URL (FIREWATCH_DB)"),
    config: Optional[Path] = typer.Option(None, help="Config folder (FIREWATCH_CONFIG, default ./config)"),
) -> None:
    set_overrides(home=home, db=db, config=config)


def _register() -> None:
    # Import order is the order in `--help`.
    from firewatch.cli import (  # noqa: F401
        store_cmds,
    )
    for name in ("demo_cmd", "crawl_cmds", "classify_cmds", "lexicon_cmds", "evidence_cmds", "ui_cmds", "ops_cmds"):
        try:
            __import__(f"firewatch.cli.{name}")
        except ModuleNotFoundError as exc:
            if exc.name != f"firewatch.cli.{name}":
                raise


_register()


def main() -> None:
    app()
