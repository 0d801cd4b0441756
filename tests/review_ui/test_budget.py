"""Time-boxed counting: a slow query is abandoned and the page is served without its figure."""

from __future__ import annotations

from sqlalchemy import text

from review_ui import queue
from review_ui.budget import within_budget

SLOW = text("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL SELECT x + 1 FROM c WHERE x < 100000000) "
            "SELECT count(*) FROM c")


def test_slow_query_is_abandoned_and_the_transaction_stays_usable(db):
    assert within_budget(db, SLOW, 50) is None
    assert within_budget(db, text("SELECT 42"), 1000) == [(42,)]
    assert db.execute(text("SELECT 1")).scalar() == 1


def test_queue_page_without_counts_when_counting_is_too_slow(officer, monkeypatch):
    monkeypatch.setattr(queue, "within_budget", lambda *args: None)
    html = officer.get("/queue?q=烟花").text
    assert "数量统计已省略" in html
