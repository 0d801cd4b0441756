"""Normalisation folds disguises and keeps a map back to the original characters."""

import pytest

from classifiers.normalize import Normaliser

EMOJI = {"🎆": "烟花", "🧨": "鞭炮", "💥": "炮", "➕": "+"}


@pytest.fixture(scope="module")
def norm():
    return Normaliser(EMOJI)


@pytest.mark.parametrize("raw, expected", [
    ("烟*花", "烟花"),
    ("烟 花", "烟花"),
    ("鞭/炮", "鞭炮"),
    ("加*特*林", "加特林"),
    ("烟\u200b花", "烟花"),
    ("烟\ufeff花", "烟花"),
    ("烟.花.爆.竹", "烟花爆竹"),
    ("烟🌸花", "烟花"),                # decorative emoji between characters
    ("煙花爆竹", "烟花爆竹"),          # traditional → simplified (OpenCC)
    ("ＹＨ　１３８", "yh 138"),        # full width → half width, case folded
    ("YanHua", "yanhua"),
    ("yan*hua", "yanhua"),           # obfuscators between latin letters
    ("🎆🧨", "烟花鞭炮"),
    ("鞭💥", "鞭炮"),
    ("➕V", "+v"),
    ("㈤元", "(五)元"),               # NFKC expansion changes length
    ("𝐲𝐡", "yh"),                     # mathematical bold letters
    ("yān huā", "yan hua"),           # pinyin tone marks
    ("烟，花，爆，竹", "烟花爆竹"),      # lone characters split by punctuation
    ("烟、花 到货", "烟花到货"),
])
def test_folds(norm, raw, expected):
    assert norm(raw).text == expected


@pytest.mark.parametrize("raw", [
    "我抽烟，花钱",      # sentence punctuation is kept: 烟，花 is not 烟花
    "wx: fw_2024",      # underscores in IDs are kept
    "价格1.5元",         # decimal points between digits are kept
    "《烟花》这首歌",     # title marks are kept
])
def test_keeps_meaningful_punctuation(norm, raw):
    assert norm(raw).text == raw


@pytest.mark.parametrize("raw, piece", [
    ("出售烟*花现货", "烟花"),
    ("出售煙花現貨", "烟花"),
    ("ｙｈ现货", "yh"),
    ("🎆🎆到货", "烟花烟花"),
    ("加\u200b特\u200b林", "加特林"),
    ("㈤元㈥元烟 花", "烟花"),
    ("\ud800烟 花\udfff", "烟花"),
])
def test_span_maps_back_to_original(norm, raw, piece):
    n = norm(raw)
    start = n.text.index(piece)
    o_start, o_end = n.span(start, start + len(piece))
    assert norm(raw[o_start:o_end]).text == piece


def test_lone_surrogates_and_controls_become_spaces(norm):
    n = norm("a\ud800b\x00c")
    assert n.text == "a b c" and len(n.text) == 5


def test_unchanged_text_maps_identically(norm):
    n = norm("今天天气不错")
    assert n.text == "今天天气不错" and n.span(2, 4) == (2, 4)
