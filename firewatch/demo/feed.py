"""A lifestyle feed in the style of Xiaohongshu: the page is an empty shell that JavaScript fills
from a JSON endpoint as the reader scrolls, so only a browser sees the posts. Each note also has
a server-rendered page at a stable URL for evidence capture."""

from __future__ import annotations

import html
import json

from firewatch.demo.content import DemoContent

BATCH = 6

SHELL = """<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8"><title>发现 - 龙城生活圈</title>
<style>section.note-item{height:260px;margin:12px;border:1px solid #eee;padding:8px}</style></head>
<body><h1>发现</h1><div id="feed"></div><div id="status">加载中…</div>
<script>
let cursor = 0, loading = false, done = false;
function esc(s){const d=document.createElement('div');d.textContent=s;return d.innerHTML;}
async function more(){
  if (loading || done) return; loading = true;
  const r = await fetch('/feed/api/notes?cursor=' + cursor);
  const data = await r.json();
  for (const n of data.notes) {
    const s = document.createElement('section');
    s.className = 'note-item'; s.dataset.id = n.id;
    s.innerHTML = '<a class="title" href="/feed/note/' + n.id + '">' + esc(n.title) + '</a>' +
      '<p class="desc">' + esc(n.desc) + '</p><span class="author">' + esc(n.user) + '</span>' +
      '<time>' + esc(n.time) + '</time>';
    document.getElementById('feed').appendChild(s);
  }
  if (data.next === null) { done = true; document.getElementById('status').textContent = '- THE END -'; }
  else { cursor = data.next; document.getElementById('status').textContent = ''; }
  loading = false;
}
window.addEventListener('scroll', () => {
  if (window.innerHeight + window.scrollY >= document.body.scrollHeight - 50) more();
});
more();
</script></body></html>"""


def shell() -> bytes:
    return SHELL.encode("utf-8")


def notes(content: DemoContent, cursor: int) -> bytes:
    posts = content.board("feed")
    chunk = posts[cursor: cursor + BATCH]
    following = cursor + BATCH if cursor + BATCH < len(posts) else None
    payload = {
        "notes": [{"id": p.id, "title": p.title, "desc": p.text, "user": p.author, "time": p.local_time}
                  for p in chunk],
        "next": following,
    }
    return json.dumps(payload, ensure_ascii=False).encode("utf-8")


def note_page(content: DemoContent, note_id: int) -> bytes | None:
    post = content.find("feed", note_id)
    if post is None:
        return None
    page = (
        '<!DOCTYPE html><html lang="zh-CN"><head><meta charset="utf-8">'
        f"<title>{html.escape(post.title)} - 龙城生活圈</title></head><body>"
        f'<div class="note" id="note-{post.id}"><h1 class="title">{html.escape(post.title)}</h1>'
        f'<div class="author">{html.escape(post.author)}</div><time>{post.local_time}</time>'
        f'<p class="desc">{html.escape(post.text)}</p></div></body></html>'
    )
    return page.encode("utf-8")
