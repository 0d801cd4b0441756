"""Any input gets a verdict, never an exception, and the verdict is plain JSON."""

import json
import random

import pytest

from tests.classifiers.conftest import assert_spans_index_original

rng = random.Random(2026)
INPUTS = {
    "empty": "",
    "none": None,
    "number": 12345,
    "bytes": bytes(rng.randrange(256) for _ in range(5000)),
    "binary_junk": "".join(chr(rng.randrange(0, 0xD800)) for _ in range(20000)),
    "astral_junk": "".join(chr(rng.randrange(0x10000, 0x110000)) for _ in range(5000)),
    "lone_surrogates": "\ud800\udfff烟花\udc00出售\ud83d",
    "emoji_only": "🎆🎇🧨💥🔥" * 200,
    "controls": "".join(chr(c) for c in range(32)) * 10,
    "whitespace": " \t\n\u3000" * 1000,
    "combining": "烟\u0301花\u0308" * 100,
}


@pytest.mark.parametrize("name", sorted(INPUTS))
def test_any_input_gets_a_verdict(clf, name):
    value = INPUTS[name]
    verdict = clf.classify(value, title=value, platform=value).to_dict()
    assert 0.0 <= verdict["score"] <= 1.0
    assert verdict["label"] in ("sale", "buy_request", "legal_alternative", "benign", "none")
    json.dumps(verdict, ensure_ascii=True)
    if isinstance(value, str):
        assert_spans_index_original(verdict, value, value)


def test_one_megabyte_post(clf):
    text = ("烟花爆竹现货出售，加特林、仙女棒都有，同城送货上门，微信 cz12yh。今天常州天气不错。" * 25000)[:1_000_000]
    verdict = clf.classify(text).to_dict()
    assert verdict["flagged"]
    assert len(verdict["contacts"]) <= 100
    assert all(len(r["spans"]) <= 50 for r in verdict["reasons"])
    assert_spans_index_original(verdict, text)


def test_one_megabyte_of_plain_text(clf):
    text = "今天天气不错，我们去公园散步了。" * 62500
    verdict = clf.classify(text)
    assert verdict.label == "none" and not verdict.flagged


def test_a_crash_inside_gives_a_flagged_error_verdict(caplog):
    """A bug must not hide a seller: the post goes to a person, and the log says why."""
    from tests.classifiers.conftest import CONFIG_DIR
    from classifiers import load_classifier

    broken = load_classifier(CONFIG_DIR)

    def explode(*_args, **_kwargs):
        raise RuntimeError("matcher exploded")

    broken.matcher.has_candidate = explode
    with caplog.at_level("ERROR", logger="classifiers.classifier"):
        verdict = broken.classify("烟花出售 13912345678")
    assert verdict.failed and verdict.label == "error" and verdict.flagged
    assert verdict.reasons[0].rule == "classifier_error"
    assert "matcher exploded" in verdict.reasons[0].description
    assert "classifier failed" in caplog.text
