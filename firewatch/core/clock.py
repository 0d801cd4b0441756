"""Times as officers and case files read them: stored in UTC, shown in the configured time zone
(the ``timezone`` setting, 常州 is Asia/Shanghai) and always labelled with that zone."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

# How a zone is named in Chinese documents; other zones are named by their IANA key.
ZONE_NAMES = {"Asia/Shanghai": "北京时间", "Asia/Chongqing": "北京时间", "PRC": "北京时间"}


def zone_named(name: str) -> ZoneInfo:
    """The zone ``name``; ValueError naming it when there is none."""
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}") from exc


@dataclass(frozen=True)
class LocalClock:
    zone: ZoneInfo

    @classmethod
    def named(cls, name: str) -> "LocalClock":
        return cls(zone_named(name))

    @property
    def label(self) -> str:
        return ZONE_NAMES.get(self.zone.key, self.zone.key)

    def local(self, moment: datetime) -> datetime:
        return moment.astimezone(self.zone)

    def text(self, moment: datetime | None, fmt: str = "%Y-%m-%d %H:%M:%S") -> str:
        """``2026-01-27 09:30:00 (北京时间)``; empty for no time."""
        if moment is None:
            return ""
        return f"{self.local(moment).strftime(fmt)} ({self.label})"

    def both(self, moment: datetime) -> dict[str, str]:
        """The same instant as RFC 3339 UTC and as local time, with the zone's name."""
        return {
            "utc": moment.astimezone(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z"),
            "local": self.local(moment).isoformat(timespec="milliseconds"),
            "timezone": self.zone.key,
        }

    def today(self) -> str:
        """Today's local date as YYYYMMDD (package and file names carry the local date)."""
        return datetime.now(self.zone).strftime("%Y%m%d")
