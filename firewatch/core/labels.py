"""The Chinese words officers and IT staff read for statuses, decisions, roles, platforms and crawl
states: one table for the review UI, the CLI and the evidence documents."""

from __future__ import annotations

STATUS = {
    "new": "待处理",
    "confirmed": "已确认",
    "dismissed": "已排除",
    "escalated": "已上报",
    "referred": "已移交",
    "approved": "已审批",
}

DECISION = {
    "confirm": "确认违规销售",
    "dismiss": "排除（非销售）",
    "escalate": "上报",
    "refer": "移交部门",
    "approve": "审批通过",
    "note": "备注",
}

ROLE = {"officer": "巡查员", "supervisor": "负责人", "admin": "管理员"}

PLATFORM = {
    "weibo": "微博",
    "douyin": "抖音",
    "xiaohongshu": "小红书",
    "tieba": "贴吧",
    "xianyu": "闲鱼",
    "wechat": "微信",
    "58": "58同城",
    "forum": "论坛",
    "kuaishou": "快手",
}

RUN_STATUS = {
    "ok": "正常",
    "empty": "无结果",
    "blocked": "被封禁",
    "captcha": "遇到验证码",
    "login_required": "登录失效",
    "rate_limited": "访问受限",
    "error": "出错",
    "running": "运行中",
    "interrupted": "已中断",
    "never": "从未运行",
    "disabled": "已停用",
}
RUN_STATUS_BAD = frozenset({"blocked", "captcha", "login_required", "rate_limited", "error"})

CONTACT_KIND = {"phone": "电话", "wechat": "微信", "qq": "QQ", "author": "作者"}

FIELD = {"title": "标题", "text": "正文", "ocr": "图片文字（OCR识别）"}


def platform_name(code: str) -> str:
    return PLATFORM.get(code, code or "未知")
