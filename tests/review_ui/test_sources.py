"""来源管理: admins list, view, edit, create and enable/disable YAML sources; every change is
validated with the crawler's schema, written atomically with a .bak, and audited."""

from __future__ import annotations

import hashlib
import os
import shutil
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import select

from firewatch.core.sources import resolve_sources
from firewatch.core.context import AppContext
from firewatch.core.settings import load_settings
from firewatch.core.store.models import AuditEvent, CrawlRun, Source, utcnow
from review_ui.app import create_app
from review_ui.source_files import with_enabled
from tests.conftest import CONFIG_DIR
from tests.review_ui.conftest import login

GOOD = """\
# 常州本地论坛（测试）
name: local-forum
platform: forum
start_urls: ["http://127.0.0.1:9/search?q={keyword}"]
keywords: [烟花]
listing:
  items: "li.post"   # one row per thread
  fields: {url: "a::attr(href)", title: "a::text"}
description: "<script>alert(1)</script> test"
"""


@pytest.fixture
def config_dir(tmp_path: Path) -> Path:
    """A copy of the repository's config, so edits never touch the real files."""
    folder = tmp_path / "config"
    shutil.copytree(CONFIG_DIR, folder)
    (folder / "sources" / "local-forum.yaml").write_text(GOOD, encoding="utf-8")
    return folder


@pytest.fixture
def sources_app(ui_app, app_ctx: AppContext, config_dir: Path) -> Iterator:
    """The review UI over the test database (accounts from ``ui_app``) and the copied config."""
    ctx = AppContext(load_settings(home=app_ctx.settings.home, db=app_ctx.settings.database_url,
                                   config=config_dir))
    yield create_app(ctx)
    ctx.close()


@pytest.fixture
def root(sources_app) -> Iterator[TestClient]:
    with login(sources_app, "root") as client:
        yield client


def sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_admin_sees_every_source_with_health_and_validity(root, config_dir, db):
    (config_dir / "sources" / "broken.yaml").write_text("name: broken\nplatform: forum\n", encoding="utf-8")
    source = db.scalars(select(Source).where(Source.name == "demo-forum")).one()
    source.name = "local-forum"
    db.add(CrawlRun(source_id=source.id, finished_at=utcnow() - timedelta(hours=1), status="captcha",
                    message="请输入验证码 at page 2"))
    db.commit()
    html = root.get("/admin/sources").text
    assert "来源管理" in html and "wechat-sogou" in html and "local-forum" in html
    assert "<code class=\"url\">http://127.0.0.1:9/search?q={keyword}</code>" in html
    assert 'href="http://127.0.0.1:9' not in html  # start URLs are text, never live links
    assert "验证码" in html and "请输入验证码 at page 2" in html  # last run status and message
    assert "配置有误：键 start_urls：缺少必填的键" in html  # the broken file, in Chinese, naming the key
    assert 'href="/admin/sources"' in root.get("/queue").text  # in the admin navigation


def test_officers_and_supervisors_are_refused(sources_app, config_dir):
    before = sha(config_dir / "sources" / "local-forum.yaml")
    for name in ("officer1", "boss"):
        with login(sources_app, name) as client:
            assert client.get("/admin/sources").status_code == 403
            assert client.get("/admin/sources/local-forum").status_code == 403
            response = client.post("/admin/sources/local-forum/enabled",
                                   data={"enabled": "0", "csrf_token": client.csrf})
            assert response.status_code == 403
            response = client.post("/admin/sources/local-forum", data={"content": GOOD + "\n",
                                                                       "csrf_token": client.csrf})
            assert response.status_code == 403
            assert 'href="/admin/sources"' not in client.get("/queue").text
    assert sha(config_dir / "sources" / "local-forum.yaml") == before


def test_post_without_csrf_token_changes_nothing(root, config_dir):
    path = config_dir / "sources" / "local-forum.yaml"
    before = sha(path)
    for url, data in (("/admin/sources/local-forum", {"content": GOOD.replace("forum\n", "tieba\n")}),
                      ("/admin/sources/local-forum/enabled", {"enabled": "0"}),
                      ("/admin/sources", {"name": "x", "content": GOOD})):
        response = root.post(url, data=data)
        assert response.status_code == 403 and "CSRF" in response.text
    assert sha(path) == before and not (config_dir / "sources" / "x.yaml").exists()


def test_view_escapes_the_yaml(root):
    html = root.get("/admin/sources/local-forum").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html and "<script>alert" not in html
    assert '<pre class="source-yaml">' in html


@pytest.mark.parametrize("bad, key", [
    (GOOD + "crawl_speed: 3\n", "键 crawl_speed：未知的键"),
    (GOOD.replace("li.post", "li[[post"), "listing.items"),
    (GOOD.replace("platform: forum\n", ""), "platform"),
    (GOOD.replace("name: local-forum", "name: other-name"), "name"),
    ("name: local-forum\nplatform: [unclosed\n", "文件"),
])
def test_bad_yaml_is_refused_naming_the_key_and_nothing_is_written(root, config_dir, db, bad, key):
    path = config_dir / "sources" / "local-forum.yaml"
    before, events = sha(path), db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1))
    response = root.post("/admin/sources/local-forum", data={"content": bad, "csrf_token": root.csrf})
    assert response.status_code == 400
    assert "配置有误" in response.text and key in response.text, response.text
    assert sha(path) == before and not path.with_name(path.name + ".bak").exists()
    assert sorted(p.name for p in path.parent.iterdir()) == ["local-forum.yaml", "wechat-sogou.yaml"]
    assert db.scalar(select(AuditEvent.id).order_by(AuditEvent.id.desc()).limit(1)) == events


def test_good_edit_is_saved_with_a_backup_and_audited(root, config_dir, db):
    path = config_dir / "sources" / "local-forum.yaml"
    before = sha(path)
    edited = GOOD.replace("max_pages", "x").replace("platform: forum", "platform: tieba  # 改为贴吧")
    response = root.post("/admin/sources/local-forum", data={"content": edited, "sha256": before,
                                                            "csrf_token": root.csrf})
    assert response.status_code == 303, response.text
    assert path.read_text(encoding="utf-8") == edited
    assert path.with_name("local-forum.yaml.bak").read_text(encoding="utf-8") == GOOD
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "source.update")).one()
    assert (event.actor, event.object_type, event.object_id) == ("root", "source", "local-forum")
    assert event.details["sha256_before"] == before and event.details["sha256_after"] == sha(path)
    assert resolve_sources(["local-forum"], path.parent)[0].config.platform == "tieba"


def test_saving_keeps_the_file_mode_and_normalises_browser_line_ends(root, config_dir):
    path = config_dir / "sources" / "local-forum.yaml"
    path.chmod(0o640)
    edited = GOOD.replace("platform: forum", "platform: tieba").replace("\n", "\r\n")
    response = root.post("/admin/sources/local-forum", data={"content": edited, "csrf_token": root.csrf})
    assert response.status_code == 303
    assert path.stat().st_mode & 0o777 == 0o640
    assert b"\r" not in path.read_bytes()


def test_source_pages_carry_no_inline_script(root):
    for url in ("/admin/sources", "/admin/sources/local-forum", "/admin/sources/new"):
        html = root.get(url).text
        assert html.count("<script") == 1 and '<script src="/static/app.js" defer>' in html, url
        assert " onclick" not in html and " style=" not in html, url


def test_edit_of_a_file_changed_meanwhile_is_refused(root, config_dir):
    path = config_dir / "sources" / "local-forum.yaml"
    response = root.post("/admin/sources/local-forum", data={"content": GOOD.replace("forum\n", "tieba\n"),
                                                            "sha256": "0" * 64, "csrf_token": root.csrf})
    assert response.status_code == 409 and path.read_text(encoding="utf-8") == GOOD


def test_disable_then_crawl_all_skips_it(root, config_dir, db):
    folder = config_dir / "sources"
    assert "local-forum" in {s.name for s in resolve_sources([], folder, all_sources=True)}
    response = root.post("/admin/sources/local-forum/enabled", data={"enabled": "0", "csrf_token": root.csrf})
    assert response.status_code == 303
    text = (folder / "local-forum.yaml").read_text(encoding="utf-8")
    assert text == GOOD + "enabled: false\n"  # only the key added; comments kept
    chosen = {s.name for s in resolve_sources([], folder, all_sources=True)}
    assert "local-forum" not in chosen and "wechat-sogou" in chosen
    assert "已停用" in root.get("/admin/sources").text
    root.post("/admin/sources/local-forum/enabled", data={"enabled": "1", "csrf_token": root.csrf})
    assert (folder / "local-forum.yaml").read_text(encoding="utf-8") == GOOD + "enabled: true\n"
    assert "local-forum" in {s.name for s in resolve_sources([], folder, all_sources=True)}
    actions = db.scalars(select(AuditEvent.action).where(AuditEvent.object_type == "source")).all()
    assert actions == ["source.disable", "source.enable"]


def test_enabled_line_edit_keeps_comments_and_other_keys():
    text = "name: a\nenabled: true   # 平时启用\nocr:\n  enabled: true\n"
    assert with_enabled(text, False) == "name: a\nenabled: false   # 平时启用\nocr:\n  enabled: true\n"
    assert with_enabled("name: a", False) == "name: a\nenabled: false\n"


def test_create_from_the_template(root, config_dir, db):
    page = root.get("/admin/sources/new?name=xianyu-cz").text
    assert "name: xianyu-cz" in page and "enabled: false" in page
    content = GOOD.replace("local-forum", "xianyu-cz")
    response = root.post("/admin/sources", data={"name": "xianyu-cz", "content": content, "csrf_token": root.csrf})
    assert response.status_code == 303 and response.headers["location"] == "/admin/sources/xianyu-cz"
    path = config_dir / "sources" / "xianyu-cz.yaml"
    assert path.read_text(encoding="utf-8") == content and path.stat().st_mode & 0o777 == 0o644
    event = db.scalars(select(AuditEvent).where(AuditEvent.action == "source.create")).one()
    assert event.details["sha256_before"] == "" and event.details["sha256_after"] == sha(path)
    again = root.post("/admin/sources", data={"name": "xianyu-cz", "content": content, "csrf_token": root.csrf})
    assert again.status_code == 400 and "已存在" in again.text
    reserved = root.post("/admin/sources", data={"name": "new", "content": GOOD.replace("local-forum", "new"),
                                                 "csrf_token": root.csrf})
    assert reserved.status_code == 400 and not (config_dir / "sources" / "new.yaml").exists()


def test_path_traversal_is_refused(root, config_dir, tmp_path):
    for name in ("../x", "..", "a/b", "X", ".hidden", "sources/../../x"):
        content = GOOD.replace("local-forum", name)
        response = root.post("/admin/sources", data={"name": name, "content": content, "csrf_token": root.csrf})
        assert response.status_code == 400 and "来源名称不合规" in response.text, name
    for url in ("/admin/sources/..%2Fx", "/admin/sources/..%2F..%2Fsettings",
                "/admin/sources/%2E%2E/enabled"):
        assert root.get(url).status_code in (400, 404, 405), url
        assert root.post(url, data={"content": GOOD, "enabled": "0",
                                    "csrf_token": root.csrf}).status_code in (400, 404, 405), url
    assert not (config_dir / "x.yaml").exists() and not (tmp_path / "x.yaml").exists()
    assert sorted(p.name for p in (config_dir / "sources").iterdir()) == ["local-forum.yaml", "wechat-sogou.yaml"]


def test_a_second_file_with_the_same_name_is_refused(root, config_dir):
    (config_dir / "sources" / "old-file.yaml").write_text(GOOD.replace("local-forum", "twin"), encoding="utf-8")
    response = root.post("/admin/sources", data={"name": "twin", "content": GOOD.replace("local-forum", "twin"),
                                                 "csrf_token": root.csrf})
    assert response.status_code == 400 and "old-file.yaml 中的来源重名" in response.text
    assert not (config_dir / "sources" / "twin.yaml").exists()


def test_a_failed_write_leaves_the_file_and_the_audit_trail_as_they_were(root, config_dir, db, monkeypatch):
    import review_ui.source_files as files

    path = config_dir / "sources" / "local-forum.yaml"
    real_replace = os.replace

    def disk_full(src, dst):
        if Path(dst) == path:
            raise OSError(28, "No space left on device")
        return real_replace(src, dst)

    monkeypatch.setattr(files.os, "replace", disk_full)
    response = root.post("/admin/sources/local-forum/enabled", data={"enabled": "0", "csrf_token": root.csrf})
    assert response.status_code == 500 and "写入来源文件失败" in response.text
    assert path.read_text(encoding="utf-8") == GOOD
    assert not [p for p in path.parent.iterdir() if p.name.startswith(".")]  # no temp file left
    assert db.scalars(select(AuditEvent).where(AuditEvent.object_type == "source")).all() == []


def test_errors_are_described_in_chinese_with_the_key():
    from firewatch.core.sources import SourceConfigError
    from review_ui.source_files import describe_error

    assert describe_error(SourceConfigError("a.yaml", "start_urls", "required key is missing (and 2 more)")) \
        == "配置有误：键 start_urls：缺少必填的键（required key is missing）；另有 2 处错误"
    assert describe_error(SourceConfigError("a.yaml", "", "not valid UTF-8 YAML: x")).startswith(
        "配置有误：文件：不是有效的 UTF-8 YAML")
