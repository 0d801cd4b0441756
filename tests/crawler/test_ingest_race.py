"""Two crawl workers sharing one database insert the same source or post at the same moment:
the second one's insert hits the unique constraint, and it must update the first one's row
instead of failing, without losing the rest of its uncommitted batch."""

from __future__ import annotations

import threading
from typing import Callable

from sqlalchemy import func, select

from firewatch.core.store import ingest
from firewatch.core.store.ingest import ensure_source, ingest_post
from firewatch.core.store.models import Post, PostVersion, Source


def _race(monkeypatch, lookup: str, racing: str, first: Callable, second: Callable, app_ctx):
    """``first`` runs uncommitted; ``second`` runs in another thread and looks the ``racing`` row
    up (and misses it) before ``first`` commits, so its insert must collide. Returns its result."""
    looked = threading.Event()
    original = getattr(ingest, lookup)

    def spying_lookup(*args, **kwargs):
        found = original(*args, **kwargs)
        if threading.current_thread().name == "second-worker" and racing in args and found is None:
            looked.set()
        return found

    monkeypatch.setattr(ingest, lookup, spying_lookup)
    outcome: dict = {}
    with app_ctx.sessions() as session_a, app_ctx.sessions() as session_b:
        first(session_a)

        def run_second():
            try:
                outcome["result"] = second(session_b)
                session_b.commit()
            except Exception as exc:  # reported by the assertion below
                outcome["error"] = exc

        thread = threading.Thread(target=run_second, name="second-worker")
        thread.start()
        assert looked.wait(20), f"the second worker never looked the row up: {outcome}"
        session_a.commit()
        thread.join(60)
    assert not thread.is_alive() and "error" not in outcome, outcome.get("error")
    return outcome["result"]


def test_two_workers_create_the_same_source(app_ctx, monkeypatch):
    result = _race(monkeypatch, "find_source", "shared-forum",
                   lambda s: ensure_source(s, "shared-forum", "forum"),
                   lambda s: ensure_source(s, "shared-forum", "forum").id, app_ctx)
    with app_ctx.sessions() as session:
        sources = session.scalars(select(Source).where(Source.name == "shared-forum")).all()
    assert [s.id for s in sources] == [result]


def test_two_workers_store_the_same_post(app_ctx, monkeypatch):
    # SQLite has one writer at a time: the second worker can only have read before it inserts.
    concurrent_writers = app_ctx.settings.database_url.startswith("postgresql")
    with app_ctx.sessions() as session:
        source_id = ensure_source(session, "shared-forum", "forum").id
        session.commit()

    def first(session):
        source = session.get(Source, source_id)
        ingest_post(session, source, {"id": "9", "url": "http://x/9", "title": "卖烟花", "text": "0519"})

    def second(session):
        source = session.get(Source, source_id)
        if concurrent_writers:  # an earlier post of the same uncommitted batch
            ingest_post(session, source, {"id": "7", "url": "http://x/7", "title": "礼花", "text": "同城"})
        result = ingest_post(session, source, {"id": "9", "url": "http://x/9", "title": "卖烟花", "text": "已售完"})
        ingest_post(session, source, {"id": "8", "url": "http://x/8", "title": "鞭炮", "text": "送货"})
        return result

    result = _race(monkeypatch, "find_post", "9", first, second, app_ctx)
    assert result.outcome == "updated" and result.version.version_no == 2
    with app_ctx.sessions() as session:
        keys = sorted(session.scalars(select(Post.key)))
        post = session.scalars(select(Post).where(Post.key == "9")).one()
        versions = session.scalar(select(func.count()).select_from(PostVersion).where(PostVersion.post_id == post.id))
    # the second worker's batch goes on (and keeps its earlier post) after the rolled-back insert
    assert keys == (["7", "8", "9"] if concurrent_writers else ["8", "9"])
    assert post.text == "已售完" and post.version_count == 2 and versions == 2
