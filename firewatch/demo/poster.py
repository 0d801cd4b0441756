"""Price-list posters drawn at site start: the demo's sellers post their prices as pictures to
get past keyword filters, so only OCR can read them."""

from __future__ import annotations

import io
from functools import lru_cache

FONT = "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc"
WIDTH, LINE_HEIGHT, MARGIN = 640, 64, 40


@lru_cache(maxsize=32)
def poster_png(lines: tuple[str, ...]) -> bytes:
    """A PNG with ``lines`` in black on a light background, large enough to read reliably."""
    from PIL import Image, ImageDraw, ImageFont

    font = ImageFont.truetype(FONT, 40)
    image = Image.new("RGB", (WIDTH, 2 * MARGIN + LINE_HEIGHT * len(lines)), (255, 248, 230))
    draw = ImageDraw.Draw(image)
    for number, line in enumerate(lines):
        draw.text((MARGIN, MARGIN + number * LINE_HEIGHT), line, font=font, fill=(20, 20, 20))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return out.getvalue()
