"""What a blocked crawler really meets: an anti-spider captcha (modelled on Sogou's), a forum that
redirects to its login page, and an API that answers 429."""

from __future__ import annotations

from urllib.parse import quote

CAPTCHA_PAGE = """<!DOCTYPE HTML><html><head><meta charset="utf-8"><title>搜索</title></head><body>
<div class="header"><span class="s1">您的访问出错了</span></div>
<div class="content-box"><p class="p2">用户您好，您的访问过于频繁，为确认本次访问为正常用户行为，需要您协助验证。</p>
<form method="POST" id="seccodeForm" action="/antispider/"><input type="text" name="c" placeholder="请输入验证码" id="seccodeInput">
<img id="seccodeImage" src="/antispider/seccode.png" alt="请输入图中的验证码"></form></div></body></html>"""

LOGIN_PAGE = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>提示信息 - 龙城会员社区</title></head>
<body><div id="messagetext" class="alert_info"><p>您需要登录后才可以查看本版帖子，请先登录。</p></div>
<form method="post" action="/member.php?mod=logging&amp;action=login"><input name="username"><input name="password" type="password"></form>
</body></html>"""


def captcha_redirect(path_and_query: str) -> str:
    return "/antispider/?from=" + quote(path_and_query, safe="")


def login_redirect(path_and_query: str) -> str:
    return "/member.php?mod=logging&action=login&referer=" + quote(path_and_query, safe="")
