from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from classifiers import Classifier, load_classifier

REPO = Path(__file__).resolve().parents[2]
CONFIG_DIR = REPO / "config"
LABELLED = REPO / "tests" / "data" / "labeled_posts.jsonl"


@pytest.fixture(scope="session")
def clf() -> Classifier:
    return load_classifier(CONFIG_DIR)


@pytest.fixture(scope="session")
def labelled() -> list[dict]:
    with open(LABELLED, encoding="utf-8") as fh:
        return [json.loads(line) for line in fh if line.strip()]


@pytest.fixture
def config_copy(tmp_path: Path) -> Path:
    """A private copy of the classifier configuration that a test may edit."""
    target = tmp_path / "config"
    (target / "lexicon").mkdir(parents=True)
    for path in (CONFIG_DIR / "lexicon").glob("*.yaml"):
        shutil.copy(path, target / "lexicon" / path.name)
    for name in ("jurisdiction.yaml", "classifier.yaml"):
        shutil.copy(CONFIG_DIR / name, target / name)
    return target


def all_spans(verdict: dict) -> list[dict]:
    """Every span-like record in a verdict: reason spans, contacts, prices, places."""
    spans = [s for r in verdict["reasons"] for s in r["spans"]]
    return spans + verdict["contacts"] + verdict["prices"] + verdict["places"]


def assert_spans_index_original(verdict: dict, text: str, title: str = "", ocr: str = "") -> None:
    fields = {"text": text, "title": title, "ocr": ocr}
    for span in all_spans(verdict):
        value = fields[span["field"]]
        assert 0 <= span["start"] < span["end"] <= len(value), span
        assert value[span["start"]:span["end"]] == span["text"], span
