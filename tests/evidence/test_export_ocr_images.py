"""A post flagged from the text in its picture: the picture's response record (written by the
crawler's OCR pipeline into the crawl WARC) goes into the case package with the page."""

from __future__ import annotations

import zipfile
from io import BytesIO
from pathlib import Path

import pytest
from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from firewatch.evidence.verify import verify_package
from firewatch.core.store.warc import WarcRecorder
from firewatch.core.store.models import PostVersion
from tests.evidence.conftest import png_bytes

pytestmark = pytest.mark.browser
IMAGE_URL = "http://127.0.0.1/data/attachment/forum/1.png"


def _add_image_to_first_post(app_ctx) -> bytes:
    """Append the picture to the post's crawl WARC and note it on the version, as OcrPipeline does."""
    image = png_bytes((10, 120, 40))
    with app_ctx.sessions() as session:
        version = session.scalars(select(PostVersion).order_by(PostVersion.id)).first()
        recorder = WarcRecorder(app_ctx.settings.in_home(version.warc_path))
        where = recorder.write_exchange(IMAGE_URL, status=200, body=image,
                                        response_headers=[("Content-Type", "image/png")])
        recorder.close()
        version.fields = {"ocr_images": [{"url": IMAGE_URL, "warc_path": where.path,
                                          "warc_offset": where.offset, "warc_record_id": where.record_id},
                                         {"url": IMAGE_URL + "?broken", "error": "HTTP 404"}]}
        session.commit()
    return image


def test_ocr_image_record_is_in_the_package(app_ctx, captured_case, tmp_path):
    from firewatch.evidence.export import export_case

    image = _add_image_to_first_post(app_ctx)
    package = export_case(app_ctx, captured_case, tmp_path / "out", actor="supervisor1")
    report = verify_package(package)
    assert report.ok, report.problems
    bodies = {}
    with zipfile.ZipFile(package) as wacz:
        for name in wacz.namelist():
            if name.startswith("archive/crawl-"):
                for record in ArchiveIterator(BytesIO(wacz.read(name))):
                    if record.rec_type == "response":
                        bodies[record.rec_headers.get_header("WARC-Target-URI")] = record.content_stream().read()
    assert bodies.get(IMAGE_URL) == image
