"""Dashboard figures over a date range: flagged posts per day/platform/district, decisions per
officer, how often each rule's flags were confirmed or dismissed, and source health."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timedelta, timezone
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from firewatch.core.health import SourceHealth
from firewatch.core.store.models import Post, Review, User
from firewatch.core.store.queries import newest_classifications
from firewatch.core.review.statuses import SALE_STATUSES



@dataclass
class Period:
    start: date
    end: date  # inclusive
    zone: ZoneInfo

    @property
    def bounds(self) -> tuple[datetime, datetime]:
        first = datetime.combine(self.start, time(), tzinfo=self.zone).astimezone(timezone.utc)
        last = datetime.combine(self.end + timedelta(days=1), time(), tzinfo=self.zone)
        return first, last.astimezone(timezone.utc)

    def days(self) -> list[date]:
        return [self.start + timedelta(days=n) for n in range((self.end - self.start).days + 1)]


@dataclass
class RuleRate:
    rule: str
    description: str
    confirmed: int = 0
    dismissed: int = 0

    @property
    def decided(self) -> int:
        return self.confirmed + self.dismissed

    @property
    def dismiss_rate(self) -> float:
        return self.dismissed / self.decided if self.decided else 0.0


@dataclass
class Dashboard:
    period: Period
    per_day: list[tuple[str, int]]
    per_platform: list[tuple[str, int]]
    per_district: list[tuple[str, int]]
    per_officer: list[tuple[str, dict[str, int]]]
    rules: list[RuleRate]
    sources: list[SourceHealth]
    totals: dict[str, int] = field(default_factory=dict)


def _local_day(session: Session, column, zone: ZoneInfo):
    if session.get_bind().dialect.name == "postgresql":
        return func.date(func.timezone(zone.key, column))
    hours = int(datetime.now(zone).utcoffset().total_seconds() // 3600)  # Asia/Shanghai: no DST
    return func.date(column, f"{hours:+d} hours")


def _flagged_in(period: Period):
    first, last = period.bounds
    return (Post.flagged == True, Post.first_seen_at >= first, Post.first_seen_at < last)  # noqa: E712


def per_day(session: Session, period: Period) -> list[tuple[str, int]]:
    day = _local_day(session, Post.first_seen_at, period.zone)
    rows = dict(session.execute(select(day, func.count()).where(*_flagged_in(period)).group_by(day)).all())
    found = {str(key)[:10]: count for key, count in rows.items()}
    return [(d.isoformat(), found.get(d.isoformat(), 0)) for d in period.days()]


def per_column(session: Session, period: Period, column) -> list[tuple[str, int]]:
    rows = session.execute(select(column, func.count()).where(*_flagged_in(period))
                           .group_by(column).order_by(func.count().desc()))
    return [(value or "未知", count) for value, count in rows]


def per_officer(session: Session, period: Period) -> list[tuple[str, dict[str, int]]]:
    first, last = period.bounds
    rows = session.execute(
        select(User.display_name, User.username, Review.decision, func.count())
        .join(User, User.id == Review.user_id)
        .where(Review.created_at >= first, Review.created_at < last)
        .group_by(User.display_name, User.username, Review.decision))
    table: dict[str, dict[str, int]] = {}
    for display, username, decision, count in rows:
        table.setdefault(display or username, {})[decision] = count
    return sorted(table.items(), key=lambda item: -sum(item[1].values()))


def rule_rates(session: Session, period: Period) -> list[RuleRate]:
    """Per rule: flagged posts officers confirmed (sale) versus dismissed, in the period."""
    statuses = dict(session.execute(select(Post.id, Post.status).where(
        *_flagged_in(period), Post.status.in_([*SALE_STATUSES, "dismissed"]))).all())
    rates: dict[str, RuleRate] = {}
    for post_id, row in newest_classifications(session, list(statuses)).items():
        for reason in {r.get("rule", ""): r for r in (row.result or {}).get("reasons", [])}.values():
            # The description names the matched words after "："; the rule's name is before it.
            rate = rates.setdefault(reason.get("rule", ""), RuleRate(
                reason.get("rule", ""), str(reason.get("description", "")).split("：", 1)[0]))
            if statuses[post_id] == "dismissed":
                rate.dismissed += 1
            else:
                rate.confirmed += 1
    return sorted(rates.values(), key=lambda r: (-r.dismiss_rate, -r.decided))


def dashboard(session: Session, period: Period, sources: list[SourceHealth]) -> Dashboard:
    """The figures for ``period``; ``sources`` is the source health the caller judged."""
    days = per_day(session, period)
    officers = per_officer(session, period)
    decisions: Counter[str] = Counter()
    for _, counts in officers:
        decisions.update(counts)
    return Dashboard(
        period=period, per_day=days, per_platform=per_column(session, period, Post.platform),
        per_district=per_column(session, period, Post.district), per_officer=officers,
        rules=rule_rates(session, period), sources=sources,
        totals={"flagged": sum(count for _, count in days), **decisions},
    )

