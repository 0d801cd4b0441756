"""A live table of the running crawls (rich), refreshed from the runs' counters."""

from __future__ import annotations

from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table


class ProgressDisplay:
    def __init__(self, crawlers: list[Any]):
        self.crawlers = crawlers
        self.live = Live(self._table(), console=Console(stderr=True), refresh_per_second=4,
                         get_renderable=self._table, transient=False)

    def start(self) -> None:
        self.live.start()

    def stop(self) -> None:
        self.live.stop()

    def _table(self) -> Table:
        table = Table("来源", "状态", "页", "条目", "新增", "更新", "错误", title="巡查爬取进度")
        for crawler in self.crawlers:
            run = getattr(getattr(crawler, "spider", None), "run", None)
            if run is None:
                continue
            state = run.summary.status if run.summary else (run.breaker_status or "进行中")
            table.add_row(run.config.name, state, str(run.pages), str(run.items), str(run.new_items),
                          str(run.updated_items), str(run.errors))
        return table
