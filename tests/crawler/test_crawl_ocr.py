"""A real crawl over HTTP of posts whose sale is only in a picture: the images are fetched through
Scrapy (User-Agent, robots.txt), kept in the WARC, read with OCR and classified as field "ocr";
broken images are counted and never stop the run."""

from __future__ import annotations

from sqlalchemy import select
from warcio.archiveiterator import ArchiveIterator

from classifiers import load_classifier
from firewatch.demo.poster import poster_png
from firewatch.core.store.models import Classification, CrawlRun, Post, PostVersion
from tests.conftest import CONFIG_DIR
from tests.crawler.conftest import Page, run_crawl, write_source

POSTER = poster_png(("春节烟花价目表", "加特林 36发 120元/箱", "微信 hy_cz2027 送货上门"))
PNG = {"Content-Type": "image/png"}
LISTING = {"items": "li.post", "fields": {"id": "./@data-id", "title": "a::text", "url": "a::attr(href)",
                                          "text": "p ::text", "images": "img::attr(src)"}}


def _listing(posts: list[tuple[str, str, list[str]]]) -> bytes:
    items = "".join(f'<li class="post" data-id="{i}"><a href="/t/{i}">新年</a><p>{text}</p>'
                    + "".join(f'<img src="{src}">' for src in images) + "</li>"
                    for i, text, images in posts)
    return f"<html><body><ul>{items}</ul></body></html>".encode()


def _source(tmp_path, base_url: str, **ocr) -> str:
    return str(write_source(tmp_path, {"name": "ocr-forum", "platform": "forum", "listing": LISTING,
                                       "start_urls": [f"{base_url}/list"], "ocr": {"enabled": True, **ocr}}))


def _warc_uris(path: str) -> dict[str, bytes]:
    with open(path, "rb") as stream:
        return {r.rec_headers.get_header("WARC-Target-URI"): r.content_stream().read()
                for r in ArchiveIterator(stream) if r.rec_type == "response"}


def test_sale_only_in_image_is_read_flagged_and_archived(app_ctx, cli_env, page_server, tmp_path):
    page_server.pages["/list"] = Page(body=_listing([
        ("1", "新年到了 看图", ["img/price.png"]),            # relative: resolves against the page
        ("2", "新年到了 看图", []),
        ("3", "看图", ["/img/missing.png", "/img/not-an-image.png", "/img/secret.png", "/img/price.png"]),
        ("4", "看图", ["/img/hotlink.png"]),                 # 403 on an image: not a blocked source
    ]))
    page_server.pages["/img/hotlink.png"] = Page(status=403, body=b"Forbidden", headers=PNG)
    page_server.pages["/robots.txt"] = Page(body=b"User-agent: *\nDisallow: /img/secret\n",
                                            headers={"Content-Type": "text/plain"})
    page_server.pages["/img/secret.png"] = Page(body=POSTER, headers=PNG)
    page_server.pages["/img/price.png"] = Page(body=POSTER, headers=PNG)
    page_server.pages["/img/not-an-image.png"] = Page(body=b"<html>oops</html>", headers=PNG)
    result = run_crawl(cli_env, _source(tmp_path, page_server.base_url))
    assert result.code == 0, result.stderr
    summary = result.summaries["ocr-forum"]
    assert summary["status"] == "ok" and summary["items"] == 4
    assert "图片文字识别 2 张，失败 4 张" in summary["message"]
    assert summary["pages"] == 1  # the listing; images are not pages

    with app_ctx.sessions() as session:
        posts = {p.key: p for p in session.scalars(select(Post))}
        reasons = session.scalars(select(Classification).where(Classification.post_id == posts["1"].id)
                                  ).one().result["reasons"]
        version = session.scalars(select(PostVersion).where(PostVersion.post_id == posts["1"].id)).one()
        run = session.scalars(select(CrawlRun)).one()
    assert "加特林" in posts["1"].ocr_text and "hy_cz2027" in posts["1"].ocr_text
    assert version.ocr_text == posts["1"].ocr_text
    assert posts["1"].flagged and posts["3"].flagged and not posts["2"].flagged
    ocr_spans = [s for r in reasons for s in r["spans"] if s["field"] == "ocr"]
    assert ocr_spans and all(posts["1"].ocr_text[s["start"]:s["end"]] == s["text"] for s in ocr_spans)

    image_url = page_server.base_url + "/img/price.png"
    assert _warc_uris(app_ctx.settings.in_home(run.warc_path))[image_url] == POSTER
    assert version.fields["ocr_images"][0]["url"] == image_url
    assert version.fields["ocr_images"][0]["warc_path"] == run.warc_path
    errors = {i["url"].rsplit("/", 1)[1] for i in session_versions(app_ctx, posts["3"].id) if i.get("error")}
    assert errors == {"missing.png", "not-an-image.png", "secret.png"}
    # fetched through Scrapy: the crawler's User-Agent, and robots.txt asked first
    assert "/robots.txt" in page_server.requests and "/img/secret.png" not in page_server.requests
    agents = {a for r, a in zip(page_server.requests, page_server.agents) if r.startswith("/img/")}
    assert len(agents) == 1 and "firewatch" in agents.pop().lower()


def session_versions(app_ctx, post_id: int) -> list[dict]:
    with app_ctx.sessions() as session:
        version = session.scalars(select(PostVersion).where(PostVersion.post_id == post_id)).one()
        return version.fields.get("ocr_images", [])


def test_max_images_and_unchanged_posts_are_not_read_again(app_ctx, cli_env, page_server, tmp_path):
    images = [f"/img/{n}.png" for n in range(5)]
    page_server.pages["/list"] = Page(body=_listing([("1", "看图", images)]))
    for path in images:
        page_server.pages[path] = Page(body=POSTER, headers=PNG)
    source = _source(tmp_path, page_server.base_url, max_images=2)
    assert run_crawl(cli_env, source).code == 0
    fetched = [r for r in page_server.requests if r.startswith("/img/")]
    assert fetched == images[:2]
    page_server.requests.clear()
    assert run_crawl(cli_env, source).code == 0
    assert not [r for r in page_server.requests if r.startswith("/img/")]


def test_demo_forum_posts_with_price_list_pictures_are_flagged(app_ctx, cli_env, demo_site, demo_sources):
    result = run_crawl(cli_env, str(demo_sources["demo-forum"]))
    assert result.code == 0, result.stderr
    assert "图片文字识别 3 张，失败 0 张" in result.summaries["demo-forum"]["message"]
    pictured = {p.key: p for p in _posts_with_images(app_ctx)}
    assert set(pictured) == {"normalthread_1037", "normalthread_1038", "normalthread_1039"}
    clf = load_classifier(CONFIG_DIR)
    for post in pictured.values():
        assert post.flagged and post.ocr_text, post.key
        assert not clf.classify(post.text, title=post.title).flagged, "the sale must be only in the image"
    assert "hy_cz2027" in pictured["normalthread_1037"].ocr_text
    assert pictured["normalthread_1037"].images == [
        demo_site.base_url + "/forum/data/attachment/forum/1037.png"]


def _posts_with_images(app_ctx) -> list[Post]:
    with app_ctx.sessions() as session:
        return [p for p in session.scalars(select(Post)) if p.images]
