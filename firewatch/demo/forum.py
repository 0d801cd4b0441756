"""A Discuz!-style local forum served in GBK, with pagination, thread pages, a members-only board
that robots.txt disallows, and the markup real Discuz boards use (tbody#normalthread_*, a.xst,
td.t_f, div.pg a.nxt)."""

from __future__ import annotations

import html
import zlib
from math import ceil

from firewatch.demo.content import DemoContent, DemoPost
from firewatch.demo.poster import poster_png

PER_PAGE = 10
ROBOTS = "User-agent: *\nDisallow: /forum/private/\nDisallow: /forum/search.php\n"
CONTENT_TYPE = "text/html"  # no charset in the header: the page's <meta> declares GBK


def encode(page: str) -> bytes:
    # GBK has no emoji: like Discuz, write them as character references.
    return page.encode("gbk", errors="xmlcharrefreplace")


def _shell(title: str, body: str) -> str:
    return (
        '<!DOCTYPE html><html><head><meta http-equiv="Content-Type" content="text/html; charset=gbk">'
        f"<title>{html.escape(title)} - 龙城生活论坛 - Powered by Discuz!</title></head>"
        '<body><div id="hd"><a href="/forum/">龙城生活论坛</a> <a href="/forum/member.php">登录</a> '
        '<a href="/forum/register.php">立即注册</a></div>'
        f'<div id="wp" class="wp">{body}</div><div id="ft">Powered by Discuz! X3.4</div></body></html>'
    )


def list_page(content: DemoContent, page: int) -> bytes | None:
    posts = content.board("forum")
    pages = ceil(len(posts) / PER_PAGE)
    if page < 1 or page > pages:
        return None
    rows = []
    if page == 1:
        rows += [_row(p, f"/forum/private/thread-{p.id}-1-1.html") for p in content.board("private")]
    chunk = posts[(page - 1) * PER_PAGE: page * PER_PAGE]
    rows += [_row(p, f"thread-{p.id}-1-1.html") for p in chunk]
    pager = "".join(
        f'<strong>{n}</strong>' if n == page else f'<a href="forum-2-{n}.html">{n}</a>' for n in range(1, pages + 1)
    )
    if page < pages:
        pager += f'<a href="forum-2-{page + 1}.html" class="nxt">下一页</a>'
    body = (
        '<div id="pt">首页 › 龙城生活 › 二手交易</div>'
        '<table summary="forum_2" id="threadlisttableid">' + "".join(rows) + "</table>"
        f'<div class="pg">{pager}</div>'
    )
    return encode(_shell("二手交易", body))


def _row(post: DemoPost, href: str) -> str:
    return (
        f'<tbody id="normalthread_{post.id}"><tr><th class="common">'
        f'<a href="{href}" onclick="atarget(this)" class="s xst">{html.escape(post.title)}</a></th>'
        f'<td class="by"><cite><a href="space-uid-{zlib.crc32(post.author.encode()) % 90000 + 1000}.html">'
        f"{html.escape(post.author)}</a></cite><em><span>{post.local_time}</span></em></td>"
        '<td class="num"><a class="xi2">3</a><em>120</em></td></tr></tbody>'
    )


def thread_page(content: DemoContent, thread_id: int) -> bytes | None:
    post = content.find("forum", thread_id)
    if post is None:
        return None
    body = (
        f'<h1 class="ts"><span id="thread_subject">{html.escape(post.title)}</span></h1>'
        f'<div id="post_{post.id}"><table class="plhin"><tr><td class="pls">'
        f'<div class="authi"><a class="xw1">{html.escape(post.author)}</a></div></td>'
        f'<td class="plc"><div class="authi"><em id="authorposton{post.id}">发表于 {post.local_time}</em></div>'
        f'<table cellspacing="0"><tr><td class="t_f" id="postmessage_{post.id}">\r\n'
        f"{html.escape(post.text)}<br />\r\n{_attachment(post)}</td></tr></table></td></tr></table></div>"
    )
    return encode(_shell(post.title, body))


def _attachment(post: DemoPost) -> str:
    """A Discuz-style picture attachment (relative URL) for posts whose price list is an image."""
    if not post.image:
        return ""
    return f'<img id="aimg_{post.id}" class="zoom" src="data/attachment/forum/{post.id}.png" alt="" />'


def attachment_png(content: DemoContent, post_id: int) -> bytes | None:
    post = content.find("forum", post_id)
    if post is None or not post.image:
        return None
    return poster_png(tuple(post.image))


def private_page(content: DemoContent, thread_id: int) -> bytes | None:
    post = content.find("private", thread_id)
    if post is None:
        return None
    return encode(_shell(post.title, f'<td class="t_f">{html.escape(post.text)}</td>'))


def draw_attachments(content: DemoContent) -> None:
    for post in content.board("forum"):
        attachment_png(content, post.id)
