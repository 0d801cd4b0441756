"""Every span indexes the original field string: field[start:end] == text, whatever was done to
the text (separators, traditional characters, full width, emoji, zero-width characters)."""

import random

import pytest

from tests.classifiers.conftest import all_spans, assert_spans_index_original

DISGUISES = [
    lambda s: "*".join(s),
    lambda s: " ".join(s),
    lambda s: "\u200b".join(s),
    lambda s: "\ufeff".join(s),
    lambda s: "/".join(s),
    lambda s: s.replace("烟", "煙").replace("价", "價").replace("货", "貨"),
    lambda s: s.translate({c: c + 0xFEE0 for c in range(0x21, 0x7F)}),   # full width
    lambda s: s.replace("烟花", "🎆").replace("鞭炮", "🧨"),
    lambda s: s.replace("花", "花\ufe0f"),
    lambda s: "㈤" + s + "①②",
    lambda s: "\ud800" + s + "\udfff",
    lambda s: s.upper(),
]

BASES = [
    "出售烟花爆竹，现货，送货上门，微信 abc_12345，价格150元/箱",
    "加特林36发 88米/箱，常州武进湖塘可送，电话13812345678",
    "求购鞭炮，天宁区哪里有卖？",
    "电子鞭炮 无火药 包邮，qq 123456789",
]


@pytest.mark.parametrize("base", BASES)
@pytest.mark.parametrize("disguise", range(len(DISGUISES)))
def test_spans_after_disguise(clf, base, disguise):
    text = DISGUISES[disguise](base)
    verdict = clf.classify(text, title=DISGUISES[disguise]("烟花")).to_dict()
    assert_spans_index_original(verdict, text, DISGUISES[disguise]("烟花"))
    assert all_spans(verdict), "expected some evidence"


def test_spans_on_the_labelled_set(clf, labelled):
    checked = 0
    for record in labelled:
        verdict = clf.classify(record["text"], title=record["title"]).to_dict()
        assert_spans_index_original(verdict, record["text"], record["title"])
        checked += len(all_spans(verdict))
    assert checked > 1000


def test_spans_on_random_noise_around_offers(clf):
    rng = random.Random(7)
    alphabet = "烟花鞭炮加特林现货出售私聊微信 *./\u200b🎆🧨ＡＢ１２3x_-，。！煙貨①㈤\ufe0f"
    for _ in range(300):
        text = "".join(rng.choice(alphabet) for _ in range(rng.randint(1, 60)))
        title = "".join(rng.choice(alphabet) for _ in range(rng.randint(0, 10)))
        verdict = clf.classify(text, title=title).to_dict()
        assert_spans_index_original(verdict, text, title)
