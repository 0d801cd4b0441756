"""Dedupe and versioning in the store: (source, id) or canonical URL, never a duplicate."""

from __future__ import annotations

from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select

from firewatch.core.store.warc import WarcLocation
from firewatch.core.store.ingest import canonical_url, ensure_source, ingest_post, known_keys, post_key
from firewatch.core.store.models import Post, PostVersion


def test_keys():
    assert post_key({"id": " 42 ", "url": "http://x/1"}) == "42"
    assert post_key({"url": "http://X.test/t?b=2&a=1#frag"}) == canonical_url("http://x.test/t?a=1&b=2")
    assert canonical_url("http://x.test/t?b=2&a=1#frag") == "http://x.test/t?a=1&b=2"


def test_new_unchanged_updated(app_ctx):
    t0 = datetime(2026, 1, 20, tzinfo=timezone.utc)
    with app_ctx.sessions() as session:
        source = ensure_source(session, "s1", "forum")
        warc = WarcLocation("/w/a.warc.gz", 123, "<urn:uuid:1>")
        first = ingest_post(session, source, {"id": "7", "url": "http://x/7", "title": "卖烟花", "text": "0519"},
                            fetched_at=t0, warc=warc)
        same = ingest_post(session, source, {"id": "7", "url": "http://x/7?s=1", "title": "卖烟花", "text": "0519"},
                           fetched_at=t0 + timedelta(hours=1))
        changed = ingest_post(session, source, {"id": "7", "title": "卖烟花", "text": "已售完"},
                              fetched_at=t0 + timedelta(hours=2))
        session.commit()
        assert [first.outcome, same.outcome, changed.outcome] == ["new", "unchanged", "updated"]
        assert same.version is None and changed.version.version_no == 2
        post = session.scalars(select(Post)).one()
        assert post.text == "已售完" and post.version_count == 2
        assert post.first_seen_at == t0 and post.last_seen_at == t0 + timedelta(hours=2)
        v1 = session.scalars(select(PostVersion).where(PostVersion.version_no == 1)).one()
        assert (v1.warc_path, v1.warc_offset, v1.warc_record_id) == ("/w/a.warc.gz", 123, "<urn:uuid:1>")
        assert v1.text == "0519"


def test_url_identity_and_other_sources(app_ctx):
    with app_ctx.sessions() as session:
        a, b = ensure_source(session, "a", "forum"), ensure_source(session, "b", "tieba")
        ingest_post(session, a, {"url": "http://x/t?b=2&a=1", "title": "t"})
        again = ingest_post(session, a, {"url": "http://x/t?a=1&b=2#top", "title": "t"})
        other = ingest_post(session, b, {"url": "http://x/t?a=1&b=2", "title": "t"})
        session.commit()
        assert again.outcome == "unchanged" and other.outcome == "new"
        assert session.scalar(select(func.count()).select_from(Post)) == 2
        assert known_keys(session, a, [canonical_url("http://x/t?a=1&b=2"), "nope"]) == {"http://x/t?a=1&b=2"}
