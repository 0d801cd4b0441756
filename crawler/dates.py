"""Turn the date strings Chinese sites show ("2025-1-20 12:30", "3 小时前", "昨天 10:05",
"1月5日", unix timestamps) into UTC datetimes. A time without a zone is local time in ``zone``
(the ``timezone`` setting; Asia/Shanghai unless configured otherwise)."""

from __future__ import annotations

import re
from datetime import datetime, timedelta, timezone
from zoneinfo import ZoneInfo

DEFAULT_ZONE = ZoneInfo("Asia/Shanghai")
_ABSOLUTE = re.compile(
    r"(?:(\d{4})\s*[-/.年]\s*)?(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?"
    r"(?:\s*T?\s*(\d{1,2}):(\d{2})(?::(\d{2}))?)?"
)
_RELATIVE = re.compile(r"(\d+)\s*(秒|分钟|小时|天|周)前")
_UNITS = {"秒": "seconds", "分钟": "minutes", "小时": "hours", "天": "days", "周": "weeks"}
_DAYS_AGO = {"今天": 0, "昨天": 1, "前天": 2}


def parse_date(value: object, now: datetime | None = None, zone: ZoneInfo = DEFAULT_ZONE) -> datetime | None:
    """A UTC datetime, or None when the value does not look like a date."""
    now = (now or datetime.now(timezone.utc)).astimezone(zone)
    if isinstance(value, (int, float)) or (isinstance(value, str) and re.fullmatch(r"\d{10}(\d{3})?", value.strip())):
        stamp = float(value)
        return datetime.fromtimestamp(stamp / 1000 if stamp > 1e11 else stamp, timezone.utc)
    text = str(value or "").strip()
    if not text:
        return None
    if text == "刚刚":
        return now.astimezone(timezone.utc)
    relative = _RELATIVE.search(text)
    if relative:
        delta = timedelta(**{_UNITS[relative.group(2)]: int(relative.group(1))})
        return (now - delta).astimezone(timezone.utc)
    for word, days in _DAYS_AGO.items():
        if text.startswith(word):
            clock = re.search(r"(\d{1,2}):(\d{2})", text)
            hour, minute = (int(clock.group(1)), int(clock.group(2))) if clock else (0, 0)
            day = (now - timedelta(days=days)).replace(hour=hour, minute=minute, second=0, microsecond=0)
            return day.astimezone(timezone.utc)
    return _absolute(text, now)


def _absolute(text: str, now: datetime) -> datetime | None:
    match = _ABSOLUTE.search(text)
    if not match:
        return None
    year, month, day, hour, minute, second = match.groups()
    try:
        moment = datetime(
            int(year) if year else now.year, int(month), int(day),
            int(hour or 0), int(minute or 0), int(second or 0), tzinfo=now.tzinfo,
        )
    except ValueError:
        return None
    if not year and moment > now + timedelta(days=1):
        moment = moment.replace(year=moment.year - 1)  # "12月30日" seen in January
    return moment.astimezone(timezone.utc)
