"""Docs that tests keep honest: every setting is documented in docs/deploy.md."""

from pathlib import Path

from firewatch.core.settings import Settings

DOCS = Path(__file__).resolve().parents[2] / "docs"


def test_every_setting_is_documented():
    text = (DOCS / "deploy.md").read_text(encoding="utf-8")
    missing = [name for name in Settings.model_fields if f"`{name}`" not in text]
    assert missing == []


def test_cli_reference_is_current():
    from firewatch.cli.reference import render

    assert (DOCS / "cli.md").read_text(encoding="utf-8") == render(), (
        "docs/cli.md is stale: run `python -m firewatch.cli.reference > docs/cli.md`")
