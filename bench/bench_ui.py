"""Review UI latency at scale: queue and post pages over N flagged posts (default 200,000), on
SQLite and PostgreSQL, p50/p95 per page against a trivial static route measured in the same run.

    .venv/bin/python bench/bench_ui.py                     # both backends, 200,000 posts
    .venv/bin/python bench/bench_ui.py --posts 20000 --backend sqlite

Requests go through the whole app in-process (FastAPI TestClient: middleware, session, CSRF
dependency, templates, database), without a network hop, so the figures are the server's cost.
"""

from __future__ import annotations

import argparse
import random
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from firewatch.core.context import AppContext  # noqa: E402
from firewatch.core.settings import load_settings  # noqa: E402
from firewatch.core.store.db import session_scope  # noqa: E402
from firewatch.core.store.models import Classification, Contact, Post, Source  # noqa: E402
from firewatch.core.users import create_user  # noqa: E402
from tests.review_ui.factory import PLATFORMS, SAMPLES  # noqa: E402

PG_BASE = "postgresql://postgres@127.0.0.1:5432/test"
CONFIG = Path(__file__).resolve().parent.parent / "config"
PASSWORD = "bench-password-1"
BATCH = 5000
DISTRICTS = ["武进区", "新北区", "天宁区", "钟楼区", "金坛区", "溧阳市", "经开区"]


def seed(ctx: AppContext, total: int, rng: random.Random) -> None:
    """``total`` flagged posts with a classification each and a contact on every third."""
    with session_scope(ctx.sessions) as session:
        create_user(session, "bench", PASSWORD, "officer")
        for platform in PLATFORMS:
            session.add(Source(name=f"bench-{platform}", platform=platform))
    with ctx.sessions() as session:
        source_ids = list(session.scalars(select(Source.id).order_by(Source.id)))
    now = datetime.now(timezone.utc)
    with ctx.engine.begin() as conn:
        for start in range(0, total, BATCH):
            ids = range(start + 1, min(start + BATCH, total) + 1)
            conn.execute(insert(Post), [_post(i, source_ids, now, rng) for i in ids])
            conn.execute(insert(Classification), [_classification(i) for i in ids])
            conn.execute(insert(Contact), [{"post_id": i, "kind": "wechat", "value": f"seller{i % 997}"}
                                           for i in ids if i % 3 == 0])
    if ctx.engine.dialect.name == "postgresql":
        with ctx.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("VACUUM ANALYZE"))  # what autovacuum does on a live server
            conn.execute(text("SELECT setval('posts_id_seq', :n)"), {"n": total})


def _post(i: int, source_ids: list[int], now: datetime, rng: random.Random) -> dict:
    title, body, district, _, _ = SAMPLES[i % len(SAMPLES)]
    seen_at = now - timedelta(seconds=rng.randrange(86400 * 60))
    return {"id": i, "source_id": source_ids[i % len(source_ids)], "key": f"k{i}",
            "platform": PLATFORMS[i % len(PLATFORMS)], "url": f"https://example.org/p/{i}",
            "title": f"{title} {i}", "text": body, "author": f"卖家{i % 5000}", "author_id": "",
            "author_url": "", "location": "", "price": "", "images": [], "published_at": seen_at,
            "first_seen_at": seen_at, "last_seen_at": seen_at, "version_count": 1,
            "score": round(rng.uniform(0.5, 1.0), 3), "flagged": True, "label": "sale",
            "district": DISTRICTS[i % len(DISTRICTS)], "status": "new" if i % 10 else "dismissed",
            "seen": i % 4 == 0}


def _classification(i: int) -> dict:
    title, body, _, rules, _ = SAMPLES[i % len(SAMPLES)]
    reasons = [{"rule": rule, "weight": weight, "description": description, "spans": []}
               for rule, weight, description, _ in rules]
    return {"post_id": i, "classifier_version": "bench", "score": 0.9, "flagged": True, "label": "sale",
            "result": {"reasons": reasons, "contacts": [], "prices": [], "places": []}}


def timed(client, path: str, repeat: int) -> list[float]:
    samples = []
    for _ in range(repeat):
        started = time.perf_counter()
        response = client.get(path)
        samples.append((time.perf_counter() - started) * 1000)
        if response.status_code != 200:
            raise RuntimeError(f"{path}: HTTP {response.status_code}")
    return samples


def p95(samples: list[float]) -> float:
    return statistics.quantiles(samples, n=20)[-1]


def deep_cursor(client, pages: int) -> str:
    """Follow the queue's next links ``pages`` times; returns the cursor reached."""
    import re

    html, cursor = client.get("/queue").text, ""
    for _ in range(pages):
        cursor = re.search(r'after=([^"]+)" rel="next"', html).group(1).replace("&amp;", "&")
        html = client.get(f"/queue?status=new&after={cursor}").text
    return cursor


def measure(ctx: AppContext, total: int, repeat: int) -> list[tuple[str, list[float]]]:
    from fastapi.testclient import TestClient

    from review_ui.app import create_app
    from tests.review_ui.conftest import csrf_of

    client = TestClient(create_app(ctx))
    token = csrf_of(client, "/login")
    client.post("/login", data={"username": "bench", "password": PASSWORD, "csrf_token": token})
    rng = random.Random(7)
    cursor = deep_cursor(client, 40)
    counts = client.app.state.count_cache
    cold = counts.clear  # recount on every request, as if every request changed something
    cases = [
        ("baseline: static file", lambda: "/static/app.css", None),
        ("queue, first page", lambda: "/queue", None),
        ("queue, first page, counts recomputed", lambda: "/queue", cold),
        ("queue, page 41 (keyset)", lambda: f"/queue?status=new&after={cursor}", cold),
        ("queue, platform+district filter", lambda: "/queue?platform=douyin&district=武进区", cold),
        ("queue, all statuses", lambda: "/queue?status=all", cold),
        ("queue, text search 微信", lambda: "/queue?q=微信", cold),
        ("post page (claims, audits: a write)", lambda: f"/posts/{rng.randrange(1, total + 1)}", None),
    ]
    results = []
    for name, path, before in cases:
        timed(client, path(), 3)  # warm-up
        samples = []
        for _ in range(repeat):
            if before:
                before()
            samples.append(timed(client, path(), 1)[0])
        results.append((name, samples))
    return results


def report(backend: str, total: int, results: list[tuple[str, list[float]]]) -> None:
    base = p95(results[0][1])
    print(f"\n{backend}, {total:,} flagged posts")
    print(f"{'page':38} {'p50 ms':>8} {'p95 ms':>8} {'p95 / baseline':>15}")
    for name, samples in results:
        print(f"{name:38} {statistics.median(samples):8.1f} {p95(samples):8.1f} {p95(samples) / base:15.1f}")


def run_backend(backend: str, total: int, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as home:
        url, cleanup = _database(backend, Path(home))
        ctx = AppContext(load_settings(home=Path(home), db=url, config=CONFIG))
        try:
            started = time.perf_counter()
            seed(ctx, total, random.Random(1))
            print(f"[{backend}] seeded {total:,} posts in {time.perf_counter() - started:.0f} s", flush=True)
            report(backend, total, measure(ctx, total, repeat))
        finally:
            ctx.close()
            cleanup()


def _database(backend: str, home: Path):
    if backend == "sqlite":
        return f"sqlite:///{home / 'bench.db'}", lambda: None
    admin_url = make_url(PG_BASE).set(drivername="postgresql+psycopg")
    name = f"fw_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))

    def drop() -> None:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()

    return admin_url.set(database=name).render_as_string(hide_password=False), drop


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--posts", type=int, default=200_000)
    parser.add_argument("--repeat", type=int, default=60, help="timed requests per page")
    parser.add_argument("--backend", choices=["sqlite", "postgresql", "both"], default="both")
    args = parser.parse_args()
    for backend in (["sqlite", "postgresql"] if args.backend == "both" else [args.backend]):
        run_backend(backend, args.posts, args.repeat)


if __name__ == "__main__":
    main()
