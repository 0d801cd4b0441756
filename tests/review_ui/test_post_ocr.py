"""The post page shows the text read from a post's images in its own block, with the spans the
classifier found there highlighted and escaped like the title and text."""

from __future__ import annotations

from bs4 import BeautifulSoup
from sqlalchemy import select

from classifiers import load_classifier
from firewatch.core.store.models import PostVersion, Source
from tests.conftest import CONFIG_DIR
from tests.review_ui.factory import make_post

OCR = "春节烟花价目表\n加特林 36发 120元/箱\n<script>alert(1)</script> 微信 hy_cz2027 送货上门"


def _ocr_post(db, text: str = "新年到了 看图"):
    verdict = load_classifier(CONFIG_DIR).classify(text, title="看图", ocr=OCR).to_dict()
    assert verdict["flagged"]
    post = make_post(db, db.scalars(select(Source)).first(), title="看图", text=text,
                     reasons=verdict["reasons"], score=verdict["score"])
    post.ocr_text = OCR
    version = db.scalars(select(PostVersion).where(PostVersion.post_id == post.id)).one()
    version.ocr_text = OCR
    version.fields = {"ocr_images": [{"url": "https://example.org/a.png", "warc_path": "x.warc.gz"},
                                     {"url": "https://example.org/b.png", "error": "HTTP 404"}]}
    db.commit()
    return post, verdict


def test_ocr_block_highlights_the_classifier_spans(officer, db):
    post, verdict = _ocr_post(db)
    soup = BeautifulSoup(officer.get(f"/posts/{post.id}").text, "html.parser")
    block = soup.select_one("section.ocr")
    assert block.select_one("h3").get_text() == "图片文字（OCR识别）"
    expected = sorted({(s["start"], s["text"]) for r in verdict["reasons"] for s in r["spans"]
                       if s["field"] == "ocr"})
    marks = [m.get_text() for m in block.select(".post-text mark")]
    assert marks == [text for _, text in expected]
    assert "加特林" in marks and "送货上门" in marks
    # the block's text is the OCR text itself, newlines kept
    assert block.select_one(".post-text").get_text() == OCR
    assert "识别自 1 张图片，1 张无法读取" in block.get_text()
    # nothing from the OCR field is highlighted in the post's own text (only the text's own
    # evidence, such as the 看图 pointer to the picture)
    own = {s["text"] for r in verdict["reasons"] for s in r["spans"] if s["field"] == "text"}
    assert {m.get_text() for m in soup.select_one("div.post-text").select("mark")} == own


def test_hostile_ocr_text_is_escaped(officer, db):
    post, _ = _ocr_post(db)
    html = officer.get(f"/posts/{post.id}").text
    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html


def test_no_ocr_block_without_ocr_text(officer, db):
    post = make_post(db, db.scalars(select(Source)).first(), title="烟花", text="出售")
    db.commit()
    soup = BeautifulSoup(officer.get(f"/posts/{post.id}").text, "html.parser")
    assert soup.select_one("section.ocr") is None
