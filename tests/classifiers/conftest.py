from __future__ import annotations

from pathlib import Path

import pytest

from classifiers import Classifier, load_classifier

CONFIG_DIR = Path(__file__).resolve().parents[2] / "config"


@pytest.fixture(scope="session")
def clf() -> Classifier:
    return load_classifier(CONFIG_DIR)
