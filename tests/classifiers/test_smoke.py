"""First end-to-end checks of the public API."""

from classifiers import load_classifier
from tests.classifiers.conftest import CONFIG_DIR


def test_plain_sale_is_flagged_with_reasons(clf):
    v = clf.classify("出售烟花爆竹，现货，送货上门，微信 abc_12345，价格150元/箱").to_dict()
    assert v["flagged"] and v["label"] == "sale"
    rules = {r["rule"] for r in v["reasons"]}
    assert {"product", "sale_intent", "contact", "delivery", "price"} <= rules
    assert v["contacts"][0]["kind"] == "wechat" and v["contacts"][0]["value"] == "abc_12345"


def test_song_and_poem_are_not_products(clf):
    for text in ("周杰伦的烟花易冷真好听", "烟花三月下扬州，春天真美"):
        assert not clf.classify(text).flagged


def test_version_is_stable_and_short():
    a, b = load_classifier(CONFIG_DIR), load_classifier(CONFIG_DIR)
    assert a.version == b.version and 8 <= len(a.version) <= 16
