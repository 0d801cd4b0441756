"""Source health for IT staff: the last run of every configured source, and what needs a person."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firewatch.core.store.models import CrawlRun, Source

NEEDS_PERSON = {
    "captcha": "遇到验证码：请人工登录或稍后再试，不要自动破解",
    "login_required": "登录已失效：请用 firewatch login 重新保存登录状态",
    "blocked": "被网站封禁：降低频率或暂停该来源",
    "rate_limited": "访问过于频繁：已暂停，下次按计划重试",
    "error": "抓取出错：查看日志",
}


@dataclass
class SourceHealth:
    source: str
    last_status: str
    last_run_at: datetime | None
    message: str
    problem: str

    @property
    def ok(self) -> bool:
        return not self.problem

    def to_dict(self) -> dict:
        return {"source": self.source, "last_status": self.last_status, "last_run_at": self.last_run_at,
                "message": self.message, "ok": self.ok, "problem": self.problem}


def source_health(session: Session, names: list[str], stale_after: timedelta,
                  now: datetime | None = None) -> list[SourceHealth]:
    """One entry per configured source name, judged on its most recent finished run."""
    now = now or datetime.now(timezone.utc)
    latest = (select(CrawlRun.source_id, func.max(CrawlRun.id).label("run_id"))
              .where(CrawlRun.finished_at.is_not(None)).group_by(CrawlRun.source_id).subquery())
    rows = session.execute(
        select(Source.name, CrawlRun).join(latest, latest.c.source_id == Source.id)
        .join(CrawlRun, CrawlRun.id == latest.c.run_id)
    ).all()
    runs = {name: run for name, run in rows}
    return [_judge(name, runs.get(name), stale_after, now) for name in names]


def _judge(name: str, run: CrawlRun | None, stale_after: timedelta, now: datetime) -> SourceHealth:
    if run is None:
        return SourceHealth(name, "never", None, "", "从未抓取")
    problem = NEEDS_PERSON.get(run.status, "")
    if not problem and now - run.finished_at > stale_after:
        problem = f"超过 {int(stale_after.total_seconds() // 3600)} 小时未抓取：检查定时任务"
    return SourceHealth(name, run.status, run.finished_at, run.message, problem)
