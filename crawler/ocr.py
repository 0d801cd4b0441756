"""Text in images (price lists, WeChat QR posters) read offline with RapidOCR.

Sellers post price lists as pictures to get past keyword filters; the text read here is
classified like any other text and shown to officers marked as OCR. Images are hostile input:
size and pixel limits apply, and an unreadable image gives empty text, never an exception.
"""

from __future__ import annotations

import io
import logging
import threading
from dataclasses import dataclass, field

log = logging.getLogger(__name__)

MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_PIXELS = 25_000_000
MIN_CONFIDENCE = 0.6


@dataclass
class OcrResult:
    lines: list[tuple[str, float]] = field(default_factory=list)
    error: str = ""

    @property
    def text(self) -> str:
        return "\n".join(line for line, _ in self.lines)


class OcrEngine:
    """Loads the ONNX models once (about a second) and reads images one at a time."""

    def __init__(self, min_confidence: float = MIN_CONFIDENCE):
        self.min_confidence = min_confidence
        self._engine = None
        self._lock = threading.Lock()

    @staticmethod
    def available() -> bool:
        try:
            import rapidocr_onnxruntime  # noqa: F401
        except ImportError:
            return False
        return True

    def read(self, data: bytes) -> OcrResult:
        problem = _check_image(data)
        if problem:
            return OcrResult(error=problem)
        try:
            with self._lock:
                raw, _elapsed = self._get_engine()(data)
        except Exception as exc:  # a broken image must not stop a crawl; the error is kept
            log.warning("OCR failed: %s", exc)
            return OcrResult(error=f"OCR failed: {exc}")
        lines = [(str(text), float(score)) for _box, text, score in (raw or [])
                 if float(score) >= self.min_confidence and str(text).strip()]
        return OcrResult(lines=lines)

    def _get_engine(self):
        if self._engine is None:
            from rapidocr_onnxruntime import RapidOCR

            self._engine = RapidOCR()
        return self._engine


def _check_image(data: bytes) -> str:
    if not data:
        return "empty image"
    if len(data) > MAX_IMAGE_BYTES:
        return f"image larger than {MAX_IMAGE_BYTES} bytes"
    from PIL import Image, UnidentifiedImageError

    try:
        with Image.open(io.BytesIO(data)) as image:
            width, height = image.size
    except (UnidentifiedImageError, OSError, ValueError) as exc:
        return f"not an image: {exc}"
    if width * height > MAX_PIXELS:
        return f"image of {width}x{height} pixels is too large"
    return ""
