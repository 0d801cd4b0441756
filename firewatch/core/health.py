"""Source health for IT staff and the dashboard alike: every configured source and every source
the database has crawled, judged on its most recent finished run, with what a person must do."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta, timezone

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firewatch.core.store.models import CrawlRun, Source

NEVER = "never"
DISABLED = "disabled"
# What is wrong and what to do about it, with the command where there is one.
NEEDS_PERSON = {
    "captcha": "遇到验证码：请人工登录网站处理验证后运行 firewatch login {name} 重新保存登录状态，"
               "或暂停该来源稍后再试（系统不会自动破解验证码）",
    "login_required": "登录已失效：运行 firewatch login {name}（无图形界面的服务器用 "
                      "--import-cookies 导入浏览器导出的 Cookie）重新保存登录状态",
    "blocked": "被网站封禁：在来源文件中调大 politeness.delay、调小 concurrency，或暂停该来源一两天",
    "rate_limited": "访问过于频繁：已暂停；在来源文件中调大 politeness.delay，下次按计划重试",
    "error": "抓取出错：查看运行说明和日志 FIREWATCH_HOME/logs/crawl.log",
    "interrupted": "上次抓取被中断：下次运行会接着抓取；若反复出现请查看日志",
}
SELECTOR_DRIFT = ("疑似选择器失效：页面正常但解析不到帖子；用 firewatch crawl --check {name} --listing "
                  "保存的页面 检查并修正来源文件中的选择器")
NEVER_CRAWLED = "从未抓取：运行 firewatch crawl {name}，或检查定时任务"
STALE = "超过 {hours} 小时未抓取：检查定时任务（firewatch schedule）是否在运行"


@dataclass
class SourceHealth:
    source: str
    platform: str
    last_status: str
    last_run_at: datetime | None
    items: int
    message: str
    problem: str
    configured: bool = True  # False: known from earlier runs, no longer in the sources folder

    @property
    def ok(self) -> bool:
        return not self.problem

    def to_dict(self) -> dict:
        return {"source": self.source, "platform": self.platform, "last_status": self.last_status,
                "last_run_at": self.last_run_at, "items": self.items, "message": self.message,
                "ok": self.ok, "problem": self.problem, "configured": self.configured}


def source_health(session: Session, configured: list[str], stale_after: timedelta,
                  now: datetime | None = None, disabled: frozenset[str] = frozenset()) -> list[SourceHealth]:
    """One entry per configured source (in the given order), then every other source the
    database has runs of: a crawl of a YAML path (the demo's) is health to report too. A
    source in ``disabled`` (``enabled: false`` in its file) is reported, never a problem."""
    now = now or datetime.now(timezone.utc)
    runs = _latest_finished_runs(session)
    platforms = dict(session.execute(select(Source.name, Source.platform)).all())
    others = sorted(name for name in runs if name not in set(configured))
    entries = [(name, True) for name in configured] + [(name, False) for name in others]
    judged = [_judge(name, platforms.get(name, ""), runs.get(name), stale_after, now, known)
              for name, known in entries]
    for entry in judged:
        if entry.source in disabled:
            entry.problem = ""
            entry.last_status = entry.last_status if entry.last_run_at else DISABLED
    return judged


def _latest_finished_runs(session: Session) -> dict[str, CrawlRun]:
    latest = (select(CrawlRun.source_id, func.max(CrawlRun.id).label("run_id"))
              .where(CrawlRun.finished_at.is_not(None)).group_by(CrawlRun.source_id).subquery())
    rows = session.execute(select(Source.name, CrawlRun).join(latest, latest.c.source_id == Source.id)
                           .join(CrawlRun, CrawlRun.id == latest.c.run_id))
    return {name: run for name, run in rows}


def _judge(name: str, platform: str, run: CrawlRun | None, stale_after: timedelta, now: datetime,
           configured: bool) -> SourceHealth:
    if run is None:
        return SourceHealth(name, platform, NEVER, None, 0, "", NEVER_CRAWLED.format(name=name), configured)
    problem = NEEDS_PERSON.get(run.status, "").format(name=name)
    if not problem and run.status == "empty" and "选择器" in (run.message or ""):
        problem = SELECTOR_DRIFT.format(name=name)
    if not problem and configured and now - run.finished_at > stale_after:
        problem = STALE.format(hours=int(stale_after.total_seconds() // 3600))
    return SourceHealth(name, platform, run.status, run.finished_at, run.items, run.message, problem, configured)
