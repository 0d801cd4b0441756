"""Fixtures for evidence tests: a real local HTTP server with post pages, and posts whose crawl
responses are real WARC records written with WarcRecorder, as the crawler writes them."""

from __future__ import annotations

import hashlib
import threading
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from io import BytesIO
from pathlib import Path

import pytest
from PIL import Image

from firewatch.core.store.warc import WarcRecorder
from firewatch.core.settings import Settings
from firewatch.core.store.models import Post, PostVersion, Source

POST_TEXT = "正月初五 烟花爆竹 批发零售，加微信 yh8888 送货上门，同城配送，价格私聊"


def post_html(post_no: int, text: str = POST_TEXT) -> bytes:
    html = f"""<!DOCTYPE html>
<html lang="zh-CN"><head><meta charset="utf-8"><title>帖子 {post_no} - 龙城论坛</title>
<style>body{{font-family:sans-serif;margin:24px}} .post{{border:1px solid #999;padding:12px}}</style>
</head><body>
<h1>龙城论坛 · 二手交易</h1>
<div class="post" id="post-{post_no}"><p class="author">卖家：常州小王</p>
<p class="text">{text}</p><img src="/img/{post_no}.png" width="120" height="60" alt="价目表"></div>
<div style="height:1600px">（长页面，用于整页截图）</div>
<p id="footer">页脚 {post_no}</p>
<script>var p=document.createElement('p');p.id='js-made';p.textContent='由页面脚本生成';
document.body.appendChild(p);
// Anything that changes this DOM once parsing is done (an injected style, mark, attribute)
// is counted on <html data-foreign-mutations>; a clean capture leaves it absent.
document.addEventListener('DOMContentLoaded',function(){{new MutationObserver(function(list){{var n=list.filter(function(m){{
  return m.attributeName!=='data-foreign-mutations';}}).length;
  if(n){{var r=document.documentElement;
    r.setAttribute('data-foreign-mutations',String(n+Number(r.getAttribute('data-foreign-mutations')||0)));}}
}}).observe(document.documentElement,{{subtree:true,childList:true,attributes:true,characterData:true}});}});
</script>
</body></html>"""
    return html.encode("utf-8")


def png_bytes(color=(200, 30, 30)) -> bytes:
    out = BytesIO()
    Image.new("RGB", (120, 60), color).save(out, format="PNG")
    return out.getvalue()


@dataclass
class PageServer:
    base: str
    routes: dict = field(default_factory=dict)  # path -> (status, type, body) or f(headers)
    hits: list[str] = field(default_factory=list)

    def url(self, path: str) -> str:
        return self.base + path


@pytest.fixture
def page_server():
    """A threaded HTTP server on 127.0.0.1 with a free port; tests add routes to ``routes``."""
    state = PageServer(base="")

    class Handler(BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802 - http.server's naming
            state.hits.append(self.path)
            route = state.routes.get(self.path, (404, "text/plain", b"not found"))
            status, ctype, body = route(self.headers) if callable(route) else route
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, *args):
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    state.base = f"http://127.0.0.1:{server.server_address[1]}"
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield state
    server.shutdown()
    server.server_close()


def serve_post(server: PageServer, post_no: int, text: str = POST_TEXT) -> str:
    server.routes[f"/thread/{post_no}"] = (200, "text/html; charset=utf-8", post_html(post_no, text))
    server.routes[f"/img/{post_no}.png"] = (200, "image/png", png_bytes())
    return server.url(f"/thread/{post_no}")


def make_post(session, settings: Settings, url: str, *, post_no: int, text: str = POST_TEXT,
              status: str = "new", flagged: bool = True, warc_name: str = "crawl-run-1.warc.gz",
              source_name: str = "longcheng-forum") -> Post:
    """A stored post whose version points at a real response record in a crawl WARC."""
    source = session.query(Source).filter_by(name=source_name).one_or_none()
    if source is None:
        source = Source(name=source_name, platform="forum", fetch="http")
        session.add(source)
        session.flush()
    fetched = datetime(2026, 1, 27, 1, 30, tzinfo=timezone.utc) + timedelta(minutes=post_no)
    recorder = WarcRecorder(Path(settings.warc_dir) / warc_name, info={"operator": "test crawl"})
    body = post_html(post_no, text)
    loc = recorder.write_exchange(url, status=200, fetched_at=fetched,
                                  response_headers=[("Content-Type", "text/html; charset=utf-8")],
                                  body=body, request_headers=[("Referer", "http://127.0.0.1/search?q=烟花")])
    recorder.close()
    post = Post(source_id=source.id, key=str(post_no), platform="forum", url=url,
                title=f"帖子 {post_no}", text=text, author="常州小王", flagged=True if flagged else False,
                score=0.9, status=status, first_seen_at=fetched, last_seen_at=fetched)
    session.add(post)
    session.flush()
    session.add(PostVersion(post_id=post.id, version_no=1, title=post.title, text=text,
                            content_hash=hashlib.sha256(text.encode()).hexdigest(), fetched_at=fetched,
                            url=url, warc_path=loc.path, warc_record_id=loc.record_id,
                            warc_offset=loc.offset))
    session.flush()
    return post


COMPLETE_FIELDS = dict(cause="非法经营烟花爆竹", case_number="常公(武)行案字〔2026〕0127号",
                       unit="常州市公安局武进分局湖塘派出所", investigators=["张伟", "李娜"],
                       witness="王强")


@pytest.fixture
def captured_case(app_ctx, page_server):
    """A case of two approved, captured posts (real Chromium), ready for export; returns its id."""
    from firewatch.core.review.cases import CaseFields, create_case
    from firewatch.evidence.capture import capture_pending

    with app_ctx.sessions() as session:
        ids = [make_post(session, app_ctx.settings, serve_post(page_server, n), post_no=n,
                         status="approved").id for n in (1, 2)]
        session.commit()
    summary = capture_pending(app_ctx)
    assert summary.ok == 2, summary.errors
    with app_ctx.sessions() as session:
        _review(session, ids[0])
        case = create_case(session, CaseFields("武进区烟花爆竹网络销售案", **COMPLETE_FIELDS), ids,
                           actor="supervisor1")
        session.commit()
        return case.id


@pytest.fixture
def package(app_ctx, captured_case, tmp_path):
    from firewatch.evidence.export import export_case

    return export_case(app_ctx, captured_case, tmp_path / "out", actor="supervisor1")


def _review(session, post_id: int) -> None:
    """An officer's confirmation and a supervisor's approval, as the review UI records them."""
    from firewatch.core import audit
    from firewatch.core.store.models import Review, User

    officer = User(username="officer1", password_hash="x", role="officer", display_name="赵敏")
    boss = User(username="supervisor1", password_hash="x", role="supervisor", display_name="钱军")
    session.add_all([officer, boss])
    session.flush()
    session.add(Review(post_id=post_id, user_id=officer.id, decision="confirm", department="应急管理",
                       note="价目表与送货上门，确认为销售"))
    session.add(Review(post_id=post_id, user_id=boss.id, decision="approve"))
    audit.record(session, "post.confirm", actor="officer1", object_type="post", object_id=post_id,
                 details={"department": "应急管理"})
