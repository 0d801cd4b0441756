"""When to crawl: daily runs plus extra runs on the lunar peak dates (除夕, 初一, 初五, 初八, 十五).

One rule, ``is_due(config, moment)``, decides both what ``firewatch schedule`` runs (checked once a
minute by APScheduler) and what ``--plan`` prints, so the plan shown is the plan run.
"""

from __future__ import annotations

import subprocess
import sys
from datetime import date, datetime, time, timedelta
from functools import lru_cache
from pathlib import Path
from zoneinfo import ZoneInfo

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

LUNAR_PEAK_DAYS = {"除夕": (12, 0), "初一": (1, 1), "初五": (1, 5), "初八": (1, 8), "十五": (1, 15)}


class ScheduleError(ValueError):
    """A schedule file that cannot be used; the message names the file and key."""


class PeakConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    days: list[str] = Field(default_factory=lambda: list(LUNAR_PEAK_DAYS))
    every_hours: int = Field(3, ge=1, le=24)
    days_before: int = Field(0, ge=0, le=60)

    @field_validator("days")
    @classmethod
    def _known_days(cls, days: list[str]) -> list[str]:
        unknown = [d for d in days if d not in LUNAR_PEAK_DAYS]
        if unknown:
            raise ValueError(f"unknown lunar day(s) {unknown}; use {list(LUNAR_PEAK_DAYS)}")
        return days


class ScheduleConfig(BaseModel):
    model_config = ConfigDict(extra="forbid")
    timezone: str = "Asia/Shanghai"
    daily: list[time] = Field(default_factory=lambda: [time(6, 30)])
    peak: PeakConfig = Field(default_factory=PeakConfig)
    capture: bool = True

    @field_validator("timezone")
    @classmethod
    def _zone(cls, name: str) -> str:
        try:
            ZoneInfo(name)
        except (KeyError, ValueError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise ValueError(f"unknown time zone {name!r}") from exc
        return name

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)


def load_schedule(path: Path) -> ScheduleConfig:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
        return ScheduleConfig.model_validate(data)
    except FileNotFoundError as exc:
        raise ScheduleError(f"{path}: file not found") from exc
    except yaml.YAMLError as exc:
        raise ScheduleError(f"{path}: not valid YAML: {exc}") from exc
    except ValidationError as exc:
        problems = "; ".join(f"{'.'.join(map(str, e['loc']))}: {e['msg']}" for e in exc.errors())
        raise ScheduleError(f"{path}: {problems}") from exc


@lru_cache(maxsize=16)
def peak_dates(lunar_year: int) -> dict[date, str]:
    """Solar dates of the peak days around the Spring Festival that starts ``lunar_year``."""
    from lunardate import LunarDate

    new_year = LunarDate(lunar_year, 1, 1).to_solar_date()
    found = {}
    for name, (month, day) in LUNAR_PEAK_DAYS.items():
        found[new_year - timedelta(days=1) if month == 12 else LunarDate(lunar_year, month, day).to_solar_date()] = name
    return found


def peak_day_name(config: ScheduleConfig, day: date) -> str:
    """The peak this day belongs to ('' if none), including the days before 除夕."""
    for year in (day.year, day.year + 1):
        dates = {d: n for d, n in peak_dates(year).items() if n in config.peak.days}
        if day in dates:
            return dates[day]
        eve = next((d for d, n in peak_dates(year).items() if n == "除夕"), None)
        if eve and "除夕" in config.peak.days and timedelta(0) < eve - day <= timedelta(days=config.peak.days_before):
            return f"除夕前{(eve - day).days}天"
    return ""


def is_due(config: ScheduleConfig, moment: datetime) -> str:
    """Why a crawl is due at this minute ('' when none is)."""
    local = moment.astimezone(config.zone)
    minute = local.time().replace(second=0, microsecond=0)
    if minute in config.daily:
        return "每日巡查"
    peak = peak_day_name(config, local.date())
    if peak and local.minute == 0 and local.hour % config.peak.every_hours == 0:
        return f"高峰加密巡查（{peak}）"
    return ""


def planned_runs(config: ScheduleConfig, start: datetime, days: int) -> list[tuple[datetime, str]]:
    """Every due minute from ``start`` for ``days`` days, in local time."""
    moment = start.astimezone(config.zone).replace(second=0, microsecond=0)
    end = moment + timedelta(days=days)
    runs = []
    while moment < end:
        reason = is_due(config, moment)
        if reason:
            runs.append((moment, reason))
        moment += timedelta(minutes=1)
    return runs


def crawl_commands(global_args: list[str], capture: bool) -> list[list[str]]:
    """One crawl of every source; it captures the newly flagged posts itself when ``capture``
    (the schedule's choice, whatever the capture_after_crawl setting says)."""
    base = [sys.executable, "-m", "firewatch", *global_args]
    return [base + ["crawl", "--all", "--capture" if capture else "--no-capture"]]


def run_forever(config: ScheduleConfig, global_args: list[str], log) -> None:
    """Check once a minute; run the crawl (and capture) in subprocesses when due."""
    from apscheduler.schedulers.blocking import BlockingScheduler

    def tick() -> None:
        reason = is_due(config, datetime.now(config.zone))
        if not reason:
            return
        log(f"{datetime.now(config.zone):%Y-%m-%d %H:%M} 开始{reason}")
        for command in crawl_commands(global_args, config.capture):
            code = subprocess.call(command)
            log(f"  {' '.join(command[3:])} 退出码 {code}")

    scheduler = BlockingScheduler(timezone=config.zone)
    scheduler.add_job(tick, "cron", second=0, max_instances=1, coalesce=True)
    scheduler.start()
