"""Open one page in headless Chromium and keep what it showed: screenshot, DOM, responses.

Nothing is injected into the captured page: no scripts, no styles, no scrolling by script. The
screenshot comes from Chromium's own full-page capture (caret left as the page has it) and the
DOM is read over the DevTools protocol (``DOM.getOuterHTML``), which runs no JavaScript in the
page. Responses are read as Chromium received them, after content decoding.
"""

from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import datetime
from typing import Iterator

from firewatch.evidence.provenance import utc_now

LAUNCH_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking"]
VIEWPORT = {"width": 1280, "height": 900}
NAVIGATION_TIMEOUT_MS = 30_000
SETTLE_TIMEOUT_MS = 5_000


@dataclass
class Exchange:
    """One HTTP response the page received, with the request that asked for it."""

    url: str
    method: str
    status: int
    request_headers: list[tuple[str, str]]
    response_headers: list[tuple[str, str]]
    body: bytes
    received_at: datetime


@dataclass
class PageCapture:
    url: str
    started_at: datetime
    finished_at: datetime | None = None
    final_url: str = ""
    status: int | None = None
    title: str = ""
    screenshot: bytes = b""
    dom: bytes = b""
    exchanges: list[Exchange] = field(default_factory=list)
    user_agent: str = ""
    error: str = ""


@contextmanager
def chromium(executable_path: str | None) -> Iterator[object]:
    """A headless Chromium for a batch of captures (started once, closed on exit)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=executable_path, args=LAUNCH_ARGS, headless=True
        )
        try:
            yield browser
        finally:
            browser.close()


def capture_page(browser, url: str, storage_state: str | None = None,
                 timezone_id: str = "Asia/Shanghai") -> PageCapture:
    """Load ``url`` in a fresh browser context and record what Chromium showed and received.

    ``storage_state`` is a logged-in session saved by ``firewatch login`` for the post's source;
    ``timezone_id`` (the ``timezone`` setting) is the zone the page sees, as a local officer's would."""
    result = PageCapture(url=url, started_at=utc_now())
    context = browser.new_context(viewport=VIEWPORT, locale="zh-CN", timezone_id=timezone_id,
                                  storage_state=storage_state)
    try:
        page = context.new_page()
        seen: list[tuple[object, datetime]] = []
        page.on("response", lambda response: seen.append((response, utc_now())))
        _load(page, url, result)
        if not result.error:
            result.screenshot = page.screenshot(full_page=True, type="png", caret="initial",
                                                animations="allow")
            result.dom = _outer_html(context, page).encode("utf-8")
            result.final_url = page.url
        result.exchanges = _exchanges(seen)
        result.user_agent = _user_agent(result.exchanges)
    except Exception as exc:  # noqa: BLE001 - any browser failure is recorded, then retried later
        result.error = result.error or f"{type(exc).__name__}: {exc}"
    finally:
        context.close()
        result.finished_at = utc_now()
    return result


def _load(page, url: str, result: PageCapture) -> None:
    from playwright.sync_api import Error as PlaywrightError
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        response = page.goto(url, wait_until="load", timeout=NAVIGATION_TIMEOUT_MS)
    except PlaywrightError as exc:
        result.error = f"无法打开页面: {str(exc).splitlines()[0]}"
        return
    result.status = response.status if response is not None else None
    try:
        page.wait_for_load_state("networkidle", timeout=SETTLE_TIMEOUT_MS)
    except PlaywrightTimeout:
        pass  # pages that poll forever are captured as they stand after the settle time
    result.title = page.title()


def _outer_html(context, page) -> str:
    session = context.new_cdp_session(page)
    try:
        root = session.send("DOM.getDocument", {"depth": -1})
        return session.send("DOM.getOuterHTML", {"nodeId": root["root"]["nodeId"]})["outerHTML"]
    finally:
        session.detach()


def _exchanges(seen: list[tuple[object, datetime]]) -> list[Exchange]:
    exchanges = []
    for response, received_at in seen:
        try:
            body = response.body()
        except Exception:  # noqa: BLE001 - redirects and evicted bodies have none to keep
            body = b""
        request = response.request
        exchanges.append(Exchange(
            url=response.url, method=request.method, status=response.status,
            request_headers=_pairs(request.headers_array()),
            response_headers=_pairs(response.headers_array()),
            body=body, received_at=received_at,
        ))
    return exchanges


def _pairs(headers: list[dict[str, str]]) -> list[tuple[str, str]]:
    return [(item["name"], item["value"]) for item in headers]


def _user_agent(exchanges: list[Exchange]) -> str:
    for exchange in exchanges:
        for name, value in exchange.request_headers:
            if name.lower() == "user-agent":
                return value
    return ""
