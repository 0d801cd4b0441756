"""OCR text (price lists posted as pictures) is a third field: evidence found only there flags
the post, and its spans say "ocr" and index the OCR string."""

import pytest

from tests.classifiers.conftest import all_spans, assert_spans_index_original
from tests.classifiers.test_spans import DISGUISES

POSTER = "春节烟花价目表\n加特林 36发 120元/箱\n微信 hy_cz2027 送货上门"


def test_evidence_only_in_ocr_flags_the_post(clf):
    text = "新年到了 看图"
    assert not clf.classify(text).flagged
    verdict = clf.classify(text, ocr=POSTER)
    assert verdict.flagged
    spans = all_spans(verdict.to_dict())
    assert {s["field"] for s in spans} == {"ocr", "text"}
    assert {s["text"] for s in spans if s["field"] == "text"} == {"看图"}   # the pointer to the picture
    assert "ocr_price_list" in {r.rule for r in verdict.reasons}
    assert {"kind": "wechat", "value": "hy_cz2027"}.items() <= verdict.contacts[0].items()
    assert_spans_index_original(verdict.to_dict(), text, ocr=POSTER)


def test_spans_of_all_three_fields(clf):
    title, text, ocr = "过年烟花", "出售鞭炮，电话13812345678", POSTER
    verdict = clf.classify(text, title=title, ocr=ocr).to_dict()
    assert {s["field"] for s in all_spans(verdict)} == {"title", "text", "ocr"}
    assert_spans_index_original(verdict, text, title, ocr)


@pytest.mark.parametrize("disguise", range(len(DISGUISES)))
def test_ocr_spans_after_disguise(clf, disguise):
    ocr = DISGUISES[disguise](POSTER)
    verdict = clf.classify("看图", ocr=ocr).to_dict()
    assert all_spans(verdict), "expected some evidence"
    assert_spans_index_original(verdict, "看图", ocr=ocr)


def test_benign_image_text_does_not_flag(clf):
    notice = "关于禁止燃放烟花爆竹的通告\n市区范围内全年禁止燃放烟花爆竹\n举报电话 12345"
    assert not clf.classify("转发通知", ocr=notice).flagged


def test_ocr_field_never_raises(clf):
    for value in (None, b"\xff\xfe", 12345, "\ud800" * 3, "x" * 10):
        clf.classify("看图", ocr=value)


def test_evidence_in_text_is_not_near_a_product_in_ocr_at_the_same_offset(clf):
    # A product early in the image and a phone early in an unrelated text share offsets but not a
    # field: the phone must not count as sale evidence for the product.
    verdict = clf.classify("电话13912345678 小区停车位出租", ocr="加特林").to_dict()
    assert not any(r["rule"] == "contact" for r in verdict["reasons"])
