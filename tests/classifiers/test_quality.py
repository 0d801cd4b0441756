"""The labelled set: its shape (as the issue asks) and the classifier's quality on it, on the
development part and on the holdout part that rules were not tuned on."""

from collections import Counter

import pytest

from classifiers.evaluate import evaluate

REQUIRED_CATEGORIES = {
    "plain_sale", "disguise_separator", "disguise_pinyin", "disguise_emoji", "traditional",
    "homophone", "euphemism", "price_list", "buy_request", "ban_notice", "news_arrest",
    "safety_tip", "where_legal_question", "report_seller", "song_poem", "legal_alternative",
    "figurative", "licensed_shop_notice",
}


def test_labelled_set_shape(labelled):
    assert len(labelled) >= 400
    assert sum(r["label"] for r in labelled) / len(labelled) >= 0.40
    assert all({"id", "platform", "title", "text", "label", "category"} <= set(r) for r in labelled)
    assert len({r["id"] for r in labelled}) == len(labelled)
    assert REQUIRED_CATEGORIES <= set(Counter(r["category"] for r in labelled))
    holdout = [r for r in labelled if r["split"] == "holdout"]
    assert 0.15 <= len(holdout) / len(labelled) <= 0.25


@pytest.mark.parametrize("split", ["dev", "holdout"])
def test_quality_on_each_split(clf, labelled, split):
    metrics = evaluate(clf, [r for r in labelled if r["split"] == split]).metrics()
    assert metrics["precision"] >= 0.95 and metrics["f1"] >= 0.95, metrics
