"""What a caller knows about a post besides its own fields, passed into ``classify``.

A comment is decidable only with the post it answers ("私你了", "还有两箱"); a post found by the
search keyword 烟花 is about fireworks even when the hit was in a tag the crawl did not see; a
seller whose earlier sales were confirmed is handled strictly (the patrol plan's repeat
offenders). The classifier stays a pure library: callers look these up and pass them in.

    ctx = PostContext(parent=ParentPost(title="出烟花", text="加特林 36发 私聊"),
                      found_by="烟花",
                      seller_history=(EarlierSale(id="p17", matched="phone", value="139…"),))
    clf.classify("还有两箱", context=ctx)

``context_from_record`` reads the same keys from a JSON line (``firewatch classify`` input).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

IDENTIFIER_KINDS = ("phone", "wechat", "qq", "account")
RECORD_KEYS = ("parent", "thread_title", "found_by", "seller_history")
MAX_HISTORY = 50   # earlier sales read per post; a count says the rest


@dataclass(frozen=True)
class ParentPost:
    """The post a comment or reply answers (spans in it say "parent" and "parent_title")."""

    text: str = ""
    title: str = ""
    id: str | None = None


@dataclass(frozen=True)
class EarlierSale:
    """One earlier post by the same seller that an officer confirmed as a sale.

    ``matched`` names the identifier the caller found it by (phone, wechat, qq, account) and
    ``value`` its value; when they are empty and ``text`` is given, the classifier finds the
    shared phone, WeChat or QQ itself."""

    id: str | None = None
    text: str = ""
    title: str = ""
    matched: str = ""
    value: str = ""


@dataclass(frozen=True)
class PostContext:
    parent: ParentPost | None = None
    thread_title: str = ""
    found_by: str = ""                          # the search keyword that found the post
    seller_history: tuple[EarlierSale, ...] = field(default_factory=tuple)
    seller_sales: int = 0                       # a bare count, when the caller has only that

    @property
    def earlier_sales(self) -> int:
        return max(self.seller_sales, len(self.seller_history))

    def __bool__(self) -> bool:
        return bool(self.parent and (self.parent.text or self.parent.title) or self.thread_title
                    or self.found_by or self.earlier_sales)


def context_from_record(record: dict[str, Any]) -> PostContext | None:
    """The context keys of one input line: ``parent: {title, text, id}``, ``thread_title``,
    ``found_by``, ``seller_history: [{id, text, matched, value}]`` or a count. Values of the
    wrong type are ignored (the post is still classified on its own)."""
    if not any(key in record for key in RECORD_KEYS):
        return None
    ctx = PostContext(parent=_parent(record.get("parent")), thread_title=_text(record.get("thread_title")),
                      found_by=_text(record.get("found_by")), **_history(record.get("seller_history")))
    return ctx if ctx else None


def _parent(value: Any) -> ParentPost | None:
    if isinstance(value, str):
        return ParentPost(text=value)
    if not isinstance(value, dict):
        return None
    return ParentPost(text=_text(value.get("text")), title=_text(value.get("title")),
                      id=_id(value.get("id")))


def _history(value: Any) -> dict[str, Any]:
    if isinstance(value, bool):
        return {}
    if isinstance(value, (int, float)):
        return {"seller_sales": max(0, int(value))}
    if isinstance(value, dict):   # {count, posts}
        return {**_history(value.get("posts") or []), **_history(value.get("count", 0))}
    if not isinstance(value, list):
        return {}
    sales = tuple(_earlier(item) for item in value[:MAX_HISTORY])
    return {"seller_history": tuple(s for s in sales if s is not None), "seller_sales": len(value)}


def _earlier(item: Any) -> EarlierSale | None:
    if isinstance(item, str):
        return EarlierSale(text=item)
    if not isinstance(item, dict):
        return None
    matched = _text(item.get("matched")).strip().lower()
    return EarlierSale(id=_id(item.get("id")), text=_text(item.get("text")), title=_text(item.get("title")),
                       matched=matched if matched in IDENTIFIER_KINDS else "", value=_text(item.get("value")))


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _id(value: Any) -> str | None:
    return None if value is None or isinstance(value, (dict, list)) else str(value)
