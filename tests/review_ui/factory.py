"""Realistic stored posts for the review UI's tests, benchmark and screenshot: sales in several
disguises and hard negatives, each with a classification whose spans index the original text."""

from __future__ import annotations

import hashlib
import random
from datetime import datetime, timedelta, timezone
from typing import Any

from sqlalchemy.orm import Session

from firewatch.core.store.models import Classification, Contact, Post, PostVersion, Source

# (title, text, district, [(rule, weight, description, [needles])], contacts)
SAMPLES: list[tuple[str, str, str, list[tuple[str, float, str, list[str]]], list[tuple[str, str]]]] = [
    ("过年烟花礼盒到货", "各种烟花爆竹都有，加微信 yh-0519-88 看图，同城配送，武进区送货上门，300元一箱。",
     "武进区", [("product", 0.4, "烟花爆竹商品词", ["烟花爆竹"]), ("contact", 0.2, "留有联系方式", ["微信 yh-0519-88"]),
               ("delivery", 0.3, "同城配送 / 送货上门", ["同城配送", "送货上门"]), ("price", 0.1, "标价", ["300元一箱"])],
     [("wechat", "yh-0519-88")]),
    ("🧨年货清单", "炮仗 电光花 加特林都有，v信 ck_pao888，新北区可送，价格私聊。",
     "新北区", [("product", 0.4, "烟花爆竹商品词（变体）", ["炮仗", "电光花", "加特林"]),
               ("contact", 0.2, "留有联系方式", ["v信 ck_pao888"]), ("delivery", 0.2, "配送到禁放区", ["新北区可送"])],
     [("wechat", "ck_pao888")]),
    ("", "过年那个响的有要的吗 大地红 138 5196 2233 天宁区自提", "天宁区",
     [("euphemism", 0.3, "隐语：过年那个响的", ["过年那个响的"]), ("product", 0.3, "烟花爆竹商品词", ["大地红"]),
      ("contact", 0.3, "手机号", ["138 5196 2233"])], [("phone", "13851962233")]),
    ("烟*花 批发", "烟*花 鞭*炮 批发零售，QQ 2746651190，钟楼区当天到。", "钟楼区",
     [("product", 0.4, "烟花爆竹商品词（拆字）", ["烟*花", "鞭*炮"]), ("contact", 0.2, "QQ 号", ["QQ 2746651190"]),
      ("delivery", 0.2, "当天送达", ["钟楼区当天到"])], [("qq", "2746651190")]),
    ("閃光煙花 冷光", "煙花 仙女棒 一箱288米，溧阳市同城闪送 vx: lyyh2026", "溧阳市",
     [("product", 0.4, "烟花爆竹商品词（繁体）", ["煙花", "仙女棒"]), ("price", 0.2, "标价（米=元）", ["一箱288米"]),
      ("contact", 0.2, "留有联系方式", ["vx: lyyh2026"])], [("wechat", "lyyh2026")]),
    ("小区门口有人卖鞭炮", "今天在小区门口看到有人摆摊卖鞭炮，这个不是禁止的吗？已经打12345举报了。", "经开区",
     [("product", 0.3, "烟花爆竹商品词", ["鞭炮"])], []),
    ("电子鞭炮出租", "婚庆电子鞭炮、电子烟花出租，环保无火药，金坛区可上门安装。", "金坛区",
     [("product", 0.2, "烟花爆竹商品词", ["电子鞭炮"])], []),
    ("闲置 新年小玩具一箱", "过年放的小玩具，响声大，一箱120，武进湖塘可面交，有意私信。", "武进区",
     [("euphemism", 0.3, "隐语：过年放的小玩具", ["过年放的小玩具"]), ("price", 0.2, "标价", ["一箱120"]),
      ("delivery", 0.2, "面交地点在禁放区", ["武进湖塘可面交"])], []),
    ("yh 现货", "yh bp 现货充足 组合烟花 礼花弹 价格表看图 加 V：czyh_0519 新北 天宁 钟楼 包送", "新北区",
     [("product", 0.4, "烟花爆竹商品词（拼音缩写）", ["yh bp", "组合烟花", "礼花弹"]),
      ("contact", 0.2, "留有联系方式", ["加 V：czyh_0519"]), ("delivery", 0.2, "配送到禁放区", ["包送"])],
     [("wechat", "czyh_0519")]),
    ("除夕夜哪里可以放烟花？", "想问下常州今年哪些地方允许燃放烟花爆竹，怕被罚款。", "",
     [("product", 0.2, "烟花爆竹商品词", ["烟花爆竹"])], []),
    ("春节礼炮 大量现货", "春节礼炮、冲天炮、窜天猴，电话 0519-8666 2233，经开区横林自提或送货。", "经开区",
     [("product", 0.4, "烟花爆竹商品词", ["礼炮", "冲天炮", "窜天猴"]),
      ("contact", 0.3, "固定电话", ["0519-8666 2233"]), ("delivery", 0.2, "送货", ["送货"])],
     [("phone", "051986662233")]),
]

# How strongly the classifier would flag each sample (negatives just over the threshold).
SAMPLE_SCORES = [0.95, 0.9, 0.85, 0.9, 0.88, 0.56, 0.52, 0.8, 0.86, 0.5, 0.92]

PLATFORMS = ["weibo", "douyin", "xiaohongshu", "tieba", "xianyu", "forum"]
AUTHORS = ["常州烟花小王", "武进年货铺", "新北便利店老板", "天宁小李", "钟楼批发部", "阿强年货", "路过的网友"]


def ensure_sources(session: Session) -> list[Source]:
    sources = []
    for platform in PLATFORMS:
        source = Source(name=f"demo-{platform}", platform=platform)
        session.add(source)
        sources.append(source)
    session.flush()
    return sources


def _spans(title: str, text: str, needles: list[str]) -> list[dict[str, Any]]:
    spans = []
    for needle in needles:
        for field, body in (("title", title), ("text", text)):
            start = body.find(needle)
            if start >= 0:
                spans.append({"start": start, "end": start + len(needle), "text": needle, "field": field})
    return spans


def make_post(session: Session, source: Source, *, title: str, text: str, district: str = "",
              reasons: list[dict[str, Any]] | None = None, contacts: list[tuple[str, str]] = (),
              score: float = 0.9, flagged: bool = True, status: str = "new", author: str = "卖家",
              url: str = "", first_seen_at: datetime | None = None, key: str | None = None,
              with_version: bool = True) -> Post:
    """One stored post with its newest classification (and a first version)."""
    now = first_seen_at or datetime.now(timezone.utc)
    post = Post(source_id=source.id, key=key or hashlib.sha1(f"{title}{text}{now}".encode()).hexdigest(),
                platform=source.platform, url=url or f"https://example.org/p/{random.randrange(10**9)}",
                title=title, text=text, author=author, score=score, flagged=flagged, status=status,
                district=district, first_seen_at=now, last_seen_at=now, published_at=now - timedelta(hours=3))
    session.add(post)
    session.flush()
    if with_version:
        session.add(PostVersion(post_id=post.id, version_no=1, title=title, text=text, url=post.url,
                                content_hash=hashlib.sha256((title + text).encode()).hexdigest(),
                                fetched_at=now))
    result = {"reasons": reasons or [], "contacts": [{"kind": k, "value": v} for k, v in contacts],
              "prices": [], "places": [{"name": district, "district": district}] if district else []}
    session.add(Classification(post_id=post.id, classifier_version="test", score=score, flagged=flagged,
                               result=result))
    for kind, value in contacts:
        session.add(Contact(post_id=post.id, kind=kind, value=value))
    session.flush()
    return post


def sample_post(session: Session, sources: list[Source], index: int, *, now: datetime | None = None,
                rng: random.Random | None = None) -> Post:
    """The index-th realistic sample, varied in platform, score, author and time."""
    rng = rng or random.Random(index)
    title, text, district, rules, contacts = SAMPLES[index % len(SAMPLES)]
    reasons = [{"rule": rule, "weight": weight, "description": description,
                "spans": _spans(title, text, needles)} for rule, weight, description, needles in rules]
    now = now or datetime.now(timezone.utc)
    return make_post(session, sources[index % len(sources)], title=title, text=text, district=district,
                     reasons=reasons, contacts=contacts,
                     score=round(min(0.99, SAMPLE_SCORES[index % len(SAMPLES)] + rng.uniform(-0.05, 0.04)), 2),
                     author=AUTHORS[index % len(AUTHORS)], key=f"sample-{index}",
                     first_seen_at=now - timedelta(minutes=rng.randrange(60 * 24 * 7)))
