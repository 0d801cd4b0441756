"""Export a real captured case and check the package with firewatch and independent readers."""

from __future__ import annotations

import json
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

from firewatch.evidence.verify import verify_package

pytestmark = pytest.mark.browser
BIN = Path(sys.executable).parent


def test_export_then_verify_passes(package):
    report = verify_package(package)
    assert report.ok, report.problems
    assert report.files_checked >= 12 and report.warc_records_checked >= 8
    assert report.key_fingerprint.startswith("sha256:")


def test_wacz_validate_accepts_package(package):
    result = subprocess.run([str(BIN / "wacz"), "validate", "-f", str(package)],
                            capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "Validation succeeded" in result.stdout


def _open(package):
    archive = zipfile.ZipFile(package)
    return archive, json.loads(archive.read("datapackage.json"))


def test_pdf_has_correct_chinese_and_each_screenshot(package, tmp_path):
    from io import BytesIO

    from PIL import Image, ImageChops
    from pypdf import PdfReader

    archive, manifest = _open(package)
    reader = PdfReader(BytesIO(archive.read("case/record.pdf")))
    text = "".join(page.extract_text() for page in reader.pages)
    for expected in ("电子数据提取笔录", "武进区烟花爆竹网络销售案", "非法经营烟花爆竹", "常公(武)行案字〔2026〕0127号",
                     "常州市公安局武进分局湖塘派出所", "张伟", "李娜", "王强", "进入步骤", "电子数据清单",
                     "/thread/1", "/thread/2", "赵敏：confirm（应急管理） 价目表与送货上门，确认为销售",
                     "访问方式未登录，以公开访问方式打开", "采集计算机", "从页面 http://127.0.0.1/search?q=烟花", "原始网络数据",
                     manifest["firewatch"]["key_fingerprint"][:40]):
        assert expected in text.replace("\n", ""), expected
    for resource in manifest["resources"]:
        if resource["path"] not in ("case/record.pdf", "case/inventory.xlsx"):
            assert resource["hash"][7:39] in text.replace("\n", ""), resource["path"]  # hash in the 清单
    for post_no in (1, 2):
        shot = Image.open(BytesIO(archive.read(f"case/post-{post_no}-screenshot.png"))).convert("RGB")
        embedded = [image.image.convert("RGB") for page in reader.pages for image in page.images]
        top_slices = [im for im in embedded if im.width == shot.width
                      and not ImageChops.difference(im, shot.crop((0, 0, im.width, im.height))).getbbox()]
        assert top_slices, f"screenshot of post {post_no} not found in the PDF"
    fonts = subprocess.run(["pdffonts", "-"], input=archive.read("case/record.pdf"), capture_output=True)
    if fonts.returncode == 0:  # pdffonts reads stdin on newer poppler only
        assert b"WenQuanYi" in fonts.stdout


def test_pdf_renders_chinese_glyphs(package, tmp_path):
    from PIL import Image

    archive, _ = _open(package)
    pdf = tmp_path / "record.pdf"
    pdf.write_bytes(archive.read("case/record.pdf"))
    subprocess.run(["pdftoppm", "-r", "50", "-f", "1", "-l", "1", "-png", str(pdf), str(tmp_path / "p")],
                   check=True, timeout=60)
    fonts = subprocess.run(["pdffonts", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert "WenQuanYi" in fonts and " yes " in fonts  # CJK font embedded
    page = Image.open(next(tmp_path.glob("p*.png"))).convert("L")
    title_band = page.crop((0, 0, page.width, page.height // 12))
    assert title_band.getextrema()[0] < 100  # the title is drawn (not blank, not tofu-less)


def test_fallback_font_when_cjk_font_missing(tmp_path):
    from io import BytesIO

    from pypdf import PdfReader

    from firewatch.evidence.record_pdf import FALLBACK_FONT, RecordContent, font_name, render_record

    assert font_name(str(tmp_path / "missing.ttc")) == FALLBACK_FONT
    content = RecordContent(title="电子数据提取笔录", case_info=[("案由", "非法经营烟花爆竹")], posts=[],
                            members=[], integrity=[], public_key_pem="")
    pdf = render_record(content, font_path=str(tmp_path / "missing.ttc"))
    assert "非法经营烟花爆竹" in PdfReader(BytesIO(pdf)).pages[0].extract_text()


def test_xlsx_lists_the_same_files_and_hashes_as_the_manifest(package):
    from io import BytesIO

    from openpyxl import load_workbook

    archive, manifest = _open(package)
    sheet = load_workbook(BytesIO(archive.read("case/inventory.xlsx")))["电子数据清单"]
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0][:6] == ("序号", "文件名", "类别", "文件格式", "大小（字节）", "SHA-256 完整性校验值")
    listed = {row[1]: (row[4], row[5]) for row in rows[1:]}
    expected = {r["path"]: (r["bytes"], r["hash"][7:]) for r in manifest["resources"]
                if r["path"] not in ("case/record.pdf", "case/inventory.xlsx")}
    assert listed == expected
    categories = {row[1]: row[2] for row in rows[1:]}
    assert categories["case/post-1-screenshot.png"] == "网页截图"
    assert categories[next(p for p in listed if p.startswith("archive/crawl-"))] == "原始网络数据"


def test_package_layout_pages_index_and_audit(app_ctx, package, captured_case):
    from firewatch.core.audit import events_for, verify_chain

    archive, manifest = _open(package)
    names = archive.namelist()
    assert all(info.compress_type == zipfile.ZIP_STORED for info in archive.infolist())
    assert {r["path"] for r in manifest["resources"]} == set(names) - {"datapackage.json", "datapackage-digest.json"}
    pages = [json.loads(line) for line in archive.read("pages/pages.jsonl").decode().splitlines()]
    assert pages[0]["format"] == "json-pages-1.0" and len(pages) == 3
    assert all(page["url"].startswith("http://127.0.0.1") and page["ts"].endswith("Z") for page in pages[1:])
    index = archive.read("indexes/index.cdxj").decode().splitlines()
    assert index == sorted(index) and any("/thread/1" in line and '"status": 200' in line for line in index)
    case_json = json.loads(archive.read("case/case.json"))
    assert case_json["case"]["investigators"] == ["张伟", "李娜"]
    assert case_json["posts"][0]["versions"][0]["packaged"]["file"].startswith("archive/crawl-")
    audit_json = json.loads(archive.read("case/audit.json"))
    assert {"case.create", "case.add_post", "post.confirm"} <= {event["action"] for event in audit_json}
    reviews = json.loads(archive.read("case/reviews.json"))
    assert [(r["user"], r["decision"]) for r in reviews] == [("officer1", "confirm"), ("supervisor1", "approve")]
    digest = json.loads(archive.read("datapackage-digest.json"))
    with app_ctx.sessions() as session:
        exports = [e for e in events_for(session, "case", [str(captured_case)]) if e.action == "case.export"]
        assert len(exports) == 1 and exports[0].details["manifest_hash"] == digest["hash"]
        assert exports[0].actor == "supervisor1"
        assert verify_chain(session).ok


def test_key_is_created_once_with_private_mode_0600(app_ctx, package, captured_case, tmp_path):
    from firewatch.evidence.export import export_case

    private = Path(app_ctx.settings.keys_dir) / signing_names()[0]
    assert private.stat().st_mode & 0o777 == 0o600
    second = export_case(app_ctx, captured_case, package.parent)
    third = export_case(app_ctx, captured_case, package.parent)
    assert len({package, second, third}) == 3 and all(p.is_file() for p in (package, second, third))
    first_key = json.loads(zipfile.ZipFile(package).read("datapackage-digest.json"))["signedData"]["publicKey"]
    second_key = json.loads(zipfile.ZipFile(second).read("datapackage-digest.json"))["signedData"]["publicKey"]
    assert first_key == second_key


def signing_names():
    from firewatch.evidence.signing import PRIVATE_NAME, PUBLIC_NAME

    return PRIVATE_NAME, PUBLIC_NAME
