"""Short probe posts written while widening the lexicon (tests/classifiers/probes.txt): each
must keep its verdict. Lines starting with '!' are known misses, kept visible as strict xfails
so that fixing one is noticed."""

from pathlib import Path

import pytest

PROBES = Path(__file__).with_name("probes.txt")


def _probes():
    for n, line in enumerate(PROBES.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip() or line.startswith("#"):
            continue
        known_miss = line.startswith("!")
        label, text = line.lstrip("!").split("|", 1)
        text = text.replace("\\n", "\n")
        marks = [pytest.mark.xfail(strict=True, reason="known miss")] if known_miss else []
        yield pytest.param(int(label), text, id=f"line{n}", marks=marks)


@pytest.mark.parametrize("label, text", list(_probes()))
def test_probe(clf, label, text):
    verdict = clf.classify(text)
    assert verdict.flagged == bool(label), [(r.rule, r.weight) for r in verdict.reasons]
