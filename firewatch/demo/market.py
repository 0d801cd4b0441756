"""A second-hand market with a JSON search API (paging, an end marker, HTML inside JSON values)
and a stable HTML page per item that a browser can open later for evidence."""

from __future__ import annotations

import html
import json
import zlib

from firewatch.demo.content import DemoContent, DemoPost

PER_PAGE = 8


def search(content: DemoContent, keyword: str, page: int) -> bytes:
    """`/api/market/search?q=烟花&page=2`: items tagged with the keyword, newest first."""
    found = [p for p in content.board("market") if keyword and keyword in p.tags]
    found.sort(key=lambda p: p.published, reverse=True)
    chunk = found[(page - 1) * PER_PAGE: page * PER_PAGE] if page >= 1 else []
    end = page * PER_PAGE >= len(found)
    payload = {
        "code": 0,
        "msg": "success",
        "data": {"query": keyword, "page": page, "end": end, "list": [_item(p) for p in chunk]},
    }
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def _item(post: DemoPost) -> dict:
    return {
        "item_id": str(post.id),
        "title": post.title,
        "desc_html": post.text,
        "price": post.price,
        "area": post.location,
        "pub_ts": int(post.published.timestamp()),
        "link": f"/market/item/{post.id}.html",
        "seller": {"nick": post.author, "uid": f"u{zlib.crc32(post.author.encode()) % 10**8}"},
        "pics": [f"/market/img/{post.id}-1.jpg"],
    }


def item_page(content: DemoContent, item_id: int) -> bytes | None:
    post = content.find("market", item_id)
    if post is None:
        return None
    page = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(post.title)} - 龙城闲置</title></head><body>"
        f'<article class="item" data-id="{post.id}"><h1>{html.escape(post.title)}</h1>'
        f'<div class="price">￥{html.escape(post.price)}</div><div class="area">{html.escape(post.location)}</div>'
        f'<div class="seller">{html.escape(post.author)}</div><time>{post.local_time}</time>'
        f'<div class="desc">{post.text}</div></article></body></html>'
    )
    return page.encode("utf-8")
