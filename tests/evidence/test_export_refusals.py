"""Export refuses incomplete cases, unapproved posts and evidence changed since capture, in
Chinese, writing nothing but an audit event."""

from __future__ import annotations

from pathlib import Path

import pytest

from firewatch.core.audit import events_for
from firewatch.core.review.cases import CaseFields, create_case
from firewatch.core.context import AppContext
from firewatch.evidence.export import ExportError, export_case
from firewatch.core.settings import load_settings
from firewatch.core.store.models import Capture, PostVersion
from tests.evidence.conftest import COMPLETE_FIELDS, make_post


def _case(app_ctx, fields: CaseFields, statuses=("approved",)) -> int:
    """A case whose posts were confirmed when added and now stand at ``statuses`` (an officer
    may take a confirmation back after the post went into a case)."""
    with app_ctx.sessions() as session:
        posts = [make_post(session, app_ctx.settings, f"http://127.0.0.1:9/thread/{n}", post_no=n,
                           status="confirmed") for n in range(1, len(statuses) + 1)]
        case = create_case(session, fields, [post.id for post in posts])
        for post, status in zip(posts, statuses):
            post.status = status
        session.commit()
        return case.id


def _refusals(app_ctx, case_id) -> list:
    with app_ctx.sessions() as session:
        return [e for e in events_for(session, "case", [str(case_id)]) if e.action == "case.export_refused"]


def test_incomplete_case_fields_are_refused(app_ctx, tmp_path):
    case_id = _case(app_ctx, CaseFields("标题", cause="非法经营", investigators=["张伟"]))
    with pytest.raises(ExportError) as refused:
        export_case(app_ctx, case_id, tmp_path / "out")
    message = str(refused.value)
    assert "侦查(执法)人员不少于二人" in message and "见证人" in message
    assert not (tmp_path / "out").exists()
    assert len(_refusals(app_ctx, case_id)) == 1


def test_unapproved_posts_are_refused_by_name(app_ctx, tmp_path):
    case_id = _case(app_ctx, CaseFields("标题", **COMPLETE_FIELDS), statuses=("approved", "confirmed", "new"))
    with pytest.raises(ExportError) as refused:
        export_case(app_ctx, case_id, tmp_path / "out")
    assert "以下帖子尚未经负责人审批：#2" in str(refused.value)
    assert "以下帖子未被确认为销售：#3" in str(refused.value) and "#1" not in str(refused.value)


def test_missing_case_and_empty_case(app_ctx, tmp_path):
    with pytest.raises(ExportError, match="案件 999 不存在"):
        export_case(app_ctx, 999, tmp_path)
    with app_ctx.sessions() as session:
        case_id = create_case(session, CaseFields("空案件", **COMPLETE_FIELDS), []).id
        session.commit()
    with pytest.raises(ExportError, match="案件中没有帖子"):
        export_case(app_ctx, case_id, tmp_path)


def test_without_approval_rule_and_without_capture_exports_raw_evidence(app_ctx, tmp_path):
    ctx = AppContext(load_settings(home=app_ctx.settings.home, db=app_ctx.settings.database_url,
                                   config=app_ctx.settings.config, require_approval=False))
    case_id = _case(ctx, CaseFields("标题", **COMPLETE_FIELDS), statuses=("confirmed",))
    from firewatch.evidence.verify import verify_package
    import zipfile
    from io import BytesIO
    from pypdf import PdfReader

    package = export_case(ctx, case_id, tmp_path / "out")
    assert verify_package(package).ok
    pdf = zipfile.ZipFile(package).read("case/record.pdf")
    text = "".join(p.extract_text() for p in PdfReader(BytesIO(pdf)).pages).replace("\n", "")
    assert "未能取得网页截图：尚未进行浏览器采集" in text
    ctx.close()


def test_raw_warc_missing_or_capture_changed_since_capture_is_refused(app_ctx, tmp_path):
    case_id = _case(app_ctx, CaseFields("标题", **COMPLETE_FIELDS))
    with app_ctx.sessions() as session:
        folder = app_ctx.settings.captures_dir / "cap"
        folder.mkdir(parents=True)
        (folder / "screenshot.png").write_bytes(b"changed after capture")
        session.add(Capture(post_id=1, status="ok", screenshot_path=str(folder / "screenshot.png"),
                            meta={"sha256": {"screenshot.png": "0" * 64}}))
        session.commit()
    with pytest.raises(ExportError, match="与采集时记录的校验值不符"):
        export_case(app_ctx, case_id, tmp_path / "out")
    with app_ctx.sessions() as session:
        session.query(Capture).delete()
        version = session.query(PostVersion).one()
        version.warc_offset += 7
        session.commit()
    with pytest.raises(ExportError, match="原始网络数据记录无法读取"):
        export_case(app_ctx, case_id, tmp_path / "out")
    warc = next(Path(app_ctx.settings.warc_dir).glob("*.warc.gz"))
    warc.unlink()
    with pytest.raises(ExportError, match="原始网络数据文件缺失"):
        export_case(app_ctx, case_id, tmp_path / "out")
    assert len(_refusals(app_ctx, case_id)) == 3
    assert list((tmp_path / "out").iterdir()) == []  # no package, no leftover staging folder
