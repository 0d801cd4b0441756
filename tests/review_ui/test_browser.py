"""Real Chromium against a real ``firewatch serve`` process on a free port: keyboard triage,
approval, case building and export; hostile posts run nothing; CSRF-less POSTs are refused."""

from __future__ import annotations

import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from sqlalchemy import select

from firewatch.core.store.db import session_scope
from firewatch.core.store.models import Case, Post
from firewatch.core.users import create_user
from tests.review_ui.conftest import PASSWORD
from tests.review_ui.factory import ensure_sources, make_post, sample_post

pytestmark = pytest.mark.browser

PAYLOADS = [
    ("<script>window.__pwned = 1; alert('t')</script>烟花", '<img src=x onerror="window.__pwned=2;alert(2)">加微信'),
    ('"><svg onload="window.__pwned=3">', "<iframe src=\"javascript:alert(4)\"></iframe>鞭炮 到付"),
]


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def server(app_ctx, cli_env) -> Iterator[str]:
    """``firewatch serve`` on a free port, with accounts, realistic posts and hostile ones."""
    with session_scope(app_ctx.sessions) as session:
        create_user(session, "officer1", PASSWORD, "officer", display_name="巡查员小张")
        create_user(session, "boss", PASSWORD, "supervisor", display_name="负责人老李")
        sources = ensure_sources(session)
        for index in range(5):
            sample_post(session, sources, index).score = 0.95 - index / 100
        for title, text in PAYLOADS:
            reasons = [{"rule": "x", "weight": 0.1, "description": "<img src=y onerror=alert(5)>", "spans": []}]
            make_post(session, sources[0], title=title, text=text, score=0.3, reasons=reasons,
                      url="javascript:alert(6)", author="<b onmouseover=alert(7)>作者</b>")
    port = _free_port()
    process = subprocess.Popen([sys.executable, "-m", "firewatch", "serve", "--port", str(port)],
                               env=cli_env, stdout=subprocess.PIPE, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(base, process)
        yield base
    finally:
        process.terminate()
        process.wait(timeout=20)


def _wait_until_up(base: str, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise RuntimeError(f"server exited: {process.stdout.read().decode(errors='replace')}")
        try:
            if httpx.get(f"{base}/login", timeout=1).status_code == 200:
                return
        except httpx.HTTPError:
            time.sleep(0.2)
    raise RuntimeError("server did not start in 60 s")


@pytest.fixture
def browser(app_ctx):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        executable = app_ctx.settings.resolved_chromium()
        if executable is None and not Path(playwright.chromium.executable_path).exists():
            pytest.skip("no Chromium found (neither /usr/bin/chromium nor Playwright's own)")
        chromium = playwright.chromium.launch(
            headless=True, executable_path=executable,
            args=["--no-sandbox", "--disable-gpu", "--disable-background-networking"])
        yield chromium
        chromium.close()


class Watch:
    """Collects every dialog, page error and console message: hostile content must cause none."""

    def __init__(self, page):
        self.events: list[str] = []
        page.on("dialog", lambda dialog: (self.events.append(f"dialog: {dialog.message}"), dialog.dismiss()))
        page.on("pageerror", lambda error: self.events.append(f"pageerror: {error}"))
        page.on("console", lambda message: self.events.append(f"console: {message.text}"))


def _login(browser, base: str, username: str):
    page = browser.new_page(viewport={"width": 1400, "height": 900})
    watch = Watch(page)
    page.goto(f"{base}/queue")
    page.fill('input[name="username"]', username)
    page.fill('input[name="password"]', PASSWORD)
    page.click('button[type="submit"]')
    page.wait_for_url(f"{base}/queue")
    return page, watch


def _status_of(page, index: int) -> str:
    return page.locator("#queue tr.row").nth(index).locator("[data-status]").inner_text()


def _tab_count(page, status: str) -> int:
    return int(page.locator(f'nav.tabs [data-tab="{status}"] [data-count]').inner_text())


def test_keyboard_triage_approval_case_and_export(server, browser, app_ctx):
    page, watch = _login(browser, server, "officer1")
    waiting, confirmed_before = _tab_count(page, "new"), _tab_count(page, "confirmed")
    page.keyboard.press("j")
    page.keyboard.press("k")
    page.keyboard.press("c")  # first row: confirm
    page.keyboard.press("d")  # at once: the cursor already moved on, so the second row is dismissed
    page.wait_for_selector("#queue tr.row:nth-child(1).decided")
    page.wait_for_selector("#queue tr.row:nth-child(2).decided")
    assert _status_of(page, 0) == "已确认"
    assert _status_of(page, 1) == "已排除"
    # The tabs' numbers follow the keyboard decisions without a reload.
    assert (_tab_count(page, "new"), _tab_count(page, "confirmed")) == (waiting - 2, confirmed_before + 1)
    assert _tab_count(page, "dismissed") == 1
    page.keyboard.press("Enter")  # open the third row
    page.wait_for_url("**/posts/*")
    page.keyboard.press("?")
    assert page.locator("#help").is_visible()
    page.keyboard.press("?")
    page.keyboard.press("c")  # confirm on the post page: goes on to the next post
    page.wait_for_url("**/posts/*")
    assert "帖子" in page.locator(".flash").inner_text()
    with app_ctx.sessions() as session:
        confirmed = session.scalars(select(Post.id).where(Post.status == "confirmed")).all()
    assert len(confirmed) == 2

    boss, boss_watch = _login(browser, server, "boss")
    for post_id in confirmed:
        boss.goto(f"{server}/posts/{post_id}")
        boss.click('button[value="approve"]')
        boss.wait_for_load_state()
    boss.goto(f"{server}/cases")
    boss.fill("#f-title", "天宁区售卖烟花案")
    boss.fill("#f-inv", "张三、李四")
    boss.fill("#f-witness", "王五")
    for post_id in confirmed:
        boss.check(f"#cp-{post_id}")
    boss.click('#new-case button[type="submit"]')
    boss.wait_for_url("**/cases/*")
    assert len(boss.locator("#case-posts tr").all()) == 3  # header + two posts
    boss.click("text=生成证据包")
    boss.wait_for_selector("#exports a")
    with boss.expect_download() as download_info:
        boss.locator("#exports a", has_text=".wacz").first.click()
    assert download_info.value.suggested_filename.endswith(".wacz")
    with app_ctx.sessions() as session:
        assert session.scalars(select(Case)).one().title == "天宁区售卖烟花案"
    assert watch.events == [] and boss_watch.events == []


def test_script_payloads_render_as_text_and_run_nothing(server, browser, app_ctx):
    page, watch = _login(browser, server, "officer1")
    page.goto(f"{server}/queue?status=all")
    assert "<script>window.__pwned = 1" in page.locator("#queue").inner_text()
    with app_ctx.sessions() as session:
        hostile = session.scalars(select(Post.id).where(Post.url == "javascript:alert(6)")).all()
    for post_id in hostile:
        page.goto(f"{server}/posts/{post_id}")
        body = page.locator("article.evidence").inner_text()
        assert "<" in body and ("onerror" in body or "onload" in body)
        assert page.locator('a[href^="javascript:"]').count() == 0
        assert page.locator("article.evidence img, article.evidence iframe, article.evidence svg").count() == 0
    page.goto(f"{server}/dashboard")
    assert page.evaluate("window.__pwned") is None
    assert watch.events == []


def test_post_without_csrf_token_is_refused_in_the_browser(server, browser, app_ctx):
    page, _ = _login(browser, server, "officer1")
    with app_ctx.sessions() as session:
        post_id = session.scalars(select(Post.id).order_by(Post.id)).first()
    status = page.evaluate(
        """async (id) => (await fetch('/posts/' + id + '/decide', {method: 'POST',
            body: new URLSearchParams({action: 'dismiss'})})).status""", post_id)
    assert status == 403
    forged = page.evaluate(
        """async (id) => (await fetch('/posts/' + id + '/decide', {method: 'POST',
            headers: {'X-CSRF-Token': 'forged'}, body: new URLSearchParams({action: 'dismiss'})})).status""",
        post_id)
    assert forged == 403
    with app_ctx.sessions() as session:
        assert session.get(Post, post_id).status == "new"
