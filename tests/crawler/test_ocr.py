"""OCR reads Chinese price lists from real rendered images; junk images give an error, not a crash."""

import io

import pytest
from PIL import Image, ImageDraw, ImageFont

from crawler.ocr import OcrEngine

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"


@pytest.fixture(scope="module")
def engine():
    if not OcrEngine.available():
        pytest.fail("rapidocr-onnxruntime is a dependency and must be installed")
    return OcrEngine()


def _poster(lines) -> bytes:
    font = ImageFont.truetype(FONT, 28)
    image = Image.new("RGB", (560, 50 + 45 * len(lines)), "white")
    draw = ImageDraw.Draw(image)
    for i, line in enumerate(lines):
        draw.text((12, 12 + 45 * i), line, fill="black", font=font)
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()


def test_reads_a_price_list_poster(engine):
    result = engine.read(_poster(["新年烟花价目表", "加特林 36发 120元/箱", "微信 yanhua888 送货上门"]))
    text = result.text.replace(" ", "")
    assert result.error == ""
    assert "烟花价目表" in text and "120元/箱" in text and "yanhua888" in text


@pytest.mark.parametrize("data", [b"", b"\x89PNG\r\n\x1a\nnot really", b"GIF89a" + b"\x00" * 10])
def test_junk_images_give_an_error_not_an_exception(engine, data):
    result = engine.read(data)
    assert result.lines == [] and result.error


def test_oversized_images_are_refused_before_decoding(engine):
    big = io.BytesIO()
    Image.new("1", (6000, 6000)).save(big, format="PNG")
    result = engine.read(big.getvalue())
    assert "too large" in result.error
