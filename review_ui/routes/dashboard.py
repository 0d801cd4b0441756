"""The dashboard (statistics at a glance) and its XLSX summary for the 工作总结."""

from __future__ import annotations

from datetime import date, datetime, timedelta

from fastapi import APIRouter, Request
from fastapi.responses import Response

from firewatch.core import audit
from review_ui import charts
from review_ui.auth import CurrentUser, DbSession, Supervisor, client_ip
from firewatch.core.labels import RUN_STATUS_BAD, platform_name
from review_ui.queue import QueueError
from review_ui.routes.queue import zone_of
from firewatch.core.health import source_health
from firewatch.core.sources import configured_sources
from firewatch.core.stats import Period, dashboard
from review_ui.summary import summary_workbook
from review_ui.templating import render

router = APIRouter()
DEFAULT_DAYS = 30
MAX_DAYS = 366
STALE_AFTER = timedelta(hours=36)
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def period_of(request: Request, date_from: str, date_to: str) -> Period:
    zone = zone_of(request)
    try:
        end = date.fromisoformat(date_to) if date_to else datetime.now(zone).date()
        start = date.fromisoformat(date_from) if date_from else end - timedelta(days=DEFAULT_DAYS - 1)
    except ValueError:
        raise QueueError("日期格式应为 年-月-日，例如 2026-01-28") from None
    if start > end or (end - start).days >= MAX_DAYS:
        raise QueueError(f"统计期间须为 1 至 {MAX_DAYS} 天")
    return Period(start, end, zone)


def cached_dashboard(request: Request, session, period: Period):
    """The figures for ``period``, reused for a minute: at 200,000 posts they take ~0.5 s."""
    key = (period.start, period.end)
    settings = request.app.state.ctx.settings

    def compute():
        configured = configured_sources(settings.sources_dir)
        health = source_health(session, [s.name for s in configured], STALE_AFTER,
                               disabled=frozenset(s.name for s in configured if not s.config.enabled))
        return dashboard(session, period, health)

    return request.app.state.dashboard_cache.get_or_compute(key, compute)


@router.get("/dashboard")
def dashboard_page(request: Request, session: DbSession, user: CurrentUser,
                   date_from: str = "", date_to: str = "") -> Response:
    board = cached_dashboard(request, session, period_of(request, date_from, date_to))
    return render(
        request, "dashboard.html", board=board, bad_states=RUN_STATUS_BAD,
        day_chart=charts.columns(board.per_day, "每日发现数"),
        platform_chart=charts.bars([(platform_name(p), n) for p, n in board.per_platform], "各平台发现数"),
        district_chart=charts.bars(board.per_district, "各区域发现数"),
        rule_chart=charts.split_bars([(r.description or r.rule, r.confirmed, r.dismissed)
                                      for r in board.rules[:12]], "规则确认 / 排除"),
    )


@router.get("/dashboard/summary.xlsx")
def summary_export(request: Request, session: DbSession, user: Supervisor,
                   date_from: str = "", date_to: str = "") -> Response:
    period = period_of(request, date_from, date_to)
    body = summary_workbook(cached_dashboard(request, session, period),
                            unit=request.app.state.ctx.settings.unit)
    audit.record(session, "summary.export", actor=user.username, object_type="summary",
                 ip=client_ip(request),
                 details={"from": period.start.isoformat(), "to": period.end.isoformat()})
    name = f"firewatch-summary-{period.start.isoformat()}-{period.end.isoformat()}.xlsx"
    return Response(body, media_type=XLSX, headers={"Content-Disposition": f'attachment; filename="{name}"'})
