"""The lexicon is data: bad edits fail loudly naming file and key; good edits change behaviour
and the classifier version."""

import pytest

from classifiers import LexiconError, load_classifier


def _replace(path, old, new):
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


@pytest.mark.parametrize("file, old, new, expected", [
    ("lexicon/products.yaml", "{term: 烟花, pinyin: true, initials: true}",
     "{term: 烟花, strength: sometimes}", ["products.yaml", "terms[0].strength"]),
    ("lexicon/products.yaml", "{variant: 燕花, canonical: 烟花}", "{variant: 燕花, canonical: 火箭}",
     ["products.yaml", "canonical", "火箭"]),
    ("lexicon/commerce.yaml", "sale_intent:", "sale_intnet:", ["commerce.yaml", "sale_intnet"]),
    ("lexicon/context.yaml", "buy_request:\n", "buy_request: 12\n", ["context.yaml", "buy_request"]),
    ("classifier.yaml", "threshold: 0.5", "threshold: 5", ["classifier.yaml", "threshold"]),
    ("classifier.yaml", "  price:", "  prize:", ["classifier.yaml", "rules.price"]),
    ("classifier.yaml", "    news:        {weight: -2.5,", "    news:        {weight: lots,",
     ["classifier.yaml", "benign.groups.news.weight"]),
    ("jurisdiction.yaml", "\ndistricts:", "\ndistrict:", ["jurisdiction.yaml", "district"]),
    ("lexicon/context.yaml", "\nlicensed_shop:", "\nlicenced_shop:", ["context.yaml", "licenced_shop"]),
    ("lexicon/products.yaml", "terms:\n", "terms: [\n", ["products.yaml", "YAML"]),
])
def test_bad_data_names_file_and_key(config_copy, file, old, new, expected):
    _replace(config_copy / file, old, new)
    with pytest.raises(LexiconError) as info:
        load_classifier(config_copy)
    for part in expected:
        assert part in str(info.value)


def test_missing_file_is_named(config_copy):
    (config_copy / "lexicon" / "context.yaml").unlink()
    with pytest.raises(LexiconError, match="context.yaml: file is missing"):
        load_classifier(config_copy)


def test_adding_a_term_changes_behaviour_and_version(config_copy):
    before = load_classifier(config_copy)
    text = "飞天魔王到货，私聊，送货上门"
    assert not before.classify(text).flagged
    _replace(config_copy / "lexicon" / "products.yaml", "terms:\n", "terms:\n  - {term: 飞天魔王}\n")
    after = load_classifier(config_copy)
    assert after.classify(text).flagged
    assert after.version != before.version


def test_threshold_comes_from_config(config_copy):
    text = "烟花现货"
    score = load_classifier(config_copy).classify(text).score
    _replace(config_copy / "classifier.yaml", "threshold: 0.5", f"threshold: {score + 0.01:.4f}")
    assert not load_classifier(config_copy).classify(text).flagged


def test_pinyin_is_computed_when_the_table_lacks_a_term(config_copy):
    """A new term marked pinyin: true works before pinyin.yaml is regenerated."""
    _replace(config_copy / "lexicon" / "products.yaml", "terms:\n", "terms:\n  - {term: 魔术弹, pinyin: true}\n")
    clf = load_classifier(config_copy)
    v = clf.classify("moshudan 现货 私聊")
    assert v.flagged and any(r.rule == "product_disguised" for r in v.reasons)


def test_search_keywords_and_version(clf):
    assert {"烟花", "鞭炮", "加特林"} <= set(clf.search_keywords)
    assert isinstance(clf.version, str) and 8 <= len(clf.version) <= 16
    assert load_classifier(clf.lexicon_dir).version == clf.version
