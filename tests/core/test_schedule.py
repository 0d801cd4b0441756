"""Schedule: daily runs, lunar peak dates (checked against known Spring Festival dates), bad files."""

from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from firewatch.core.schedule import (
    ScheduleConfig,
    ScheduleError,
    is_due,
    load_schedule,
    peak_dates,
    planned_runs,
)

SHANGHAI = ZoneInfo("Asia/Shanghai")
REPO_SCHEDULE = __import__("pathlib").Path(__file__).resolve().parents[2] / "config" / "schedule.yaml"


def test_peak_dates_match_known_spring_festivals():
    # 春节 2026-02-17 and 2027-02-06 (public calendars).
    assert peak_dates(2026)[date(2026, 2, 16)] == "除夕"
    assert peak_dates(2026)[date(2026, 2, 17)] == "初一"
    assert peak_dates(2027) == {
        date(2027, 2, 5): "除夕", date(2027, 2, 6): "初一", date(2027, 2, 10): "初五",
        date(2027, 2, 13): "初八", date(2027, 2, 20): "十五",
    }


def test_daily_run_is_due_only_at_its_minute():
    config = ScheduleConfig(daily=[time(6, 30)])
    assert is_due(config, datetime(2026, 12, 1, 6, 30, tzinfo=SHANGHAI)) == "每日巡查"
    assert is_due(config, datetime(2026, 12, 1, 6, 31, tzinfo=SHANGHAI)) == ""


def test_peak_day_runs_every_n_hours():
    config = ScheduleConfig(daily=[], peak={"every_hours": 3, "days_before": 0})
    runs = planned_runs(config, datetime(2027, 2, 6, 0, 0, tzinfo=SHANGHAI), 1)
    assert [m.hour for m, _ in runs] == [0, 3, 6, 9, 12, 15, 18, 21]
    assert all("初一" in reason for _, reason in runs)
    assert planned_runs(config, datetime(2027, 2, 7, 0, 0, tzinfo=SHANGHAI), 1) == []


def test_days_before_new_years_eve_count_as_peak():
    config = ScheduleConfig(daily=[], peak={"every_hours": 12, "days_before": 2})
    runs = planned_runs(config, datetime(2027, 2, 2, 0, 0, tzinfo=SHANGHAI), 3)
    assert [(m.day, r) for m, r in runs] == [
        (3, "高峰加密巡查（除夕前2天）"), (3, "高峰加密巡查（除夕前2天）"),
        (4, "高峰加密巡查（除夕前1天）"), (4, "高峰加密巡查（除夕前1天）"),
    ]


def test_repository_schedule_loads():
    assert load_schedule(REPO_SCHEDULE).peak.days


@pytest.mark.parametrize("text, key", [
    ("daily: ['25:00']\n", "daily"),
    ("peak: {days: [初二]}\n", "peak.days"),
    ("timezone: Mars/Olympus\n", "timezone"),
    ("dayly: ['06:00']\n", "dayly"),
])
def test_bad_schedule_names_file_and_key(tmp_path, text, key):
    path = tmp_path / "schedule.yaml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ScheduleError) as info:
        load_schedule(path)
    assert "schedule.yaml" in str(info.value) and key in str(info.value)


def test_a_scheduled_run_captures_once():
    """The crawl captures what it flagged; a second `capture` command would screenshot twice."""
    from firewatch.core.schedule import crawl_commands

    with_capture = crawl_commands(["--home", "h"], capture=True)
    assert len(with_capture) == 1 and with_capture[0][-3:] == ["crawl", "--all", "--capture"]
    assert crawl_commands([], capture=False)[0][-1] == "--no-capture"
