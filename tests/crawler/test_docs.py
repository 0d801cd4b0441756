"""docs/sources.md stays honest: every schema key is documented and every example validates."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from firewatch.core.sources import Browser, Detail, Listing, Ocr, PageParam, Politeness, SourceConfig, load_source

DOC = Path(__file__).resolve().parents[2] / "docs" / "sources.md"


@pytest.mark.parametrize("model", [SourceConfig, Listing, PageParam, Detail, Browser, Politeness, Ocr])
def test_every_key_is_documented(model):
    text = DOC.read_text(encoding="utf-8")
    for key in model.model_fields:
        assert f"| `{key}` |" in text, f"{model.__name__}.{key} missing from docs/sources.md"


def test_examples_are_valid_sources(tmp_path):
    blocks = re.findall(r"```yaml\n(.*?)```", DOC.read_text(encoding="utf-8"), re.S)
    assert len(blocks) >= 3
    for number, block in enumerate(blocks):
        path = tmp_path / f"example{number}.yaml"
        path.write_text(block, encoding="utf-8")
        assert load_source(path).config.name == yaml.safe_load(block)["name"]
