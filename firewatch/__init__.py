"""firewatch — 烟花爆竹网络销售巡查系统: the application shell (CLI, settings, store, evidence, demo)."""

__version__ = "0.1.0"
