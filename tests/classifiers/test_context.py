"""Context as evidence (classifiers/context.py): a comment decided with its parent, the search
keyword, the seller's confirmed sales, an OCR'd price list the text points to. Synthetic threads
stand in for the platforms' comment trees until the crawler stores them."""

import pytest

from classifiers.context import EarlierSale, ParentPost, PostContext, context_from_record
from tests.classifiers.conftest import assert_spans_index_original

SALE_POST = ParentPost(title="加特林现货 常州可送", text="99一箱 要的私 湖塘钟楼天宁都能送", id="p1")
BUYER_POST = ParentPost(title="求助 常州哪里还能买到烟花", text="想给孩子放一点 有没有渠道")
NAIL_POST = ParentPost(title="跨年烟花美甲", text="金色碎钻像炸开的烟花 想做的姐妹评论区留言")
ORANGE_POST = ParentPost(title="赣南脐橙 自家果园", text="不甜包退 常州同城送")


def rules(verdict) -> dict:
    return {r.rule: r for r in verdict.reasons}


@pytest.mark.parametrize("reply, parent", [
    ("私你了", SALE_POST),
    ("还有两箱 要的抓紧", SALE_POST),
    ("可以送到奔牛的 下午有车过去", SALE_POST),
    ("我这有 湖塘可以送 私我", BUYER_POST),
    ("看我主页 同城", BUYER_POST),
])
def test_a_seller_answering_in_comments_is_flagged_only_with_its_parent(clf, reply, parent):
    assert not clf.classify(reply).flagged
    verdict = clf.classify(reply, context=PostContext(parent=parent))
    assert verdict.flagged and verdict.label == "sale", [(r.rule, r.weight) for r in verdict.reasons]
    assert "thread_product" in rules(verdict)
    spans = [s for r in verdict.reasons for s in r.spans if s.field in ("parent", "parent_title")]
    assert spans, "the parent's product is highlighted in the parent"
    fields = {"parent": parent.text, "parent_title": parent.title}
    for span in spans:
        assert fields[span.field][span.start:span.end] == span.text


@pytest.mark.parametrize("reply, parent", [
    ("私你了", NAIL_POST),               # nails shaped like fireworks
    ("还有两箱 要的抓紧", ORANGE_POST),   # oranges
    ("多少钱一箱？能送到新北吗", SALE_POST),   # a buyer under a sale
    ("举报了 这种是违法的", SALE_POST),
    ("好漂亮", SALE_POST),
])
def test_the_same_words_under_other_posts_or_from_buyers_are_not_sales(clf, reply, parent):
    verdict = clf.classify(reply, context=PostContext(parent=parent))
    assert not verdict.flagged, [(r.rule, r.weight) for r in verdict.reasons]


def test_a_reply_to_a_buyer_says_so(clf):
    verdict = clf.classify("我这有 私我", context=PostContext(parent=BUYER_POST))
    reason = rules(verdict)["reply_to_buyer"]
    assert {s.field for s in reason.spans} <= {"parent", "parent_title"} and reason.spans


def test_thread_title_alone_anchors_a_reply(clf):
    verdict = clf.classify("还有两箱 私我", context=PostContext(thread_title="过年鞭炮出售"))
    assert verdict.flagged
    assert any(s.field == "thread_title" for s in rules(verdict)["thread_product"].spans)


def test_found_by_counts_only_when_the_post_does_not_show_the_keyword(clf):
    text = "新货到了，价格私聊，同城可送"
    hidden = clf.classify(text, context=PostContext(found_by="烟花"))
    assert hidden.flagged and "found_by" in rules(hidden)
    assert rules(hidden)["found_by"].spans[0].field == "found_by"
    shown = clf.classify("小金鱼 活体 一块钱一条 同城自提", platform="xianyu",
                         context=PostContext(found_by="小金鱼"))
    assert not shown.flagged and "found_by" not in rules(shown)
    refused = clf.classify("居民搬家 全市可上门", ocr="不接：烟花爆竹 煤气罐",
                           context=PostContext(found_by="烟花爆竹"))
    assert not refused.flagged


def test_seller_history_names_the_shared_identifier_and_the_earlier_post(clf):
    history = (EarlierSale(id="p17", text="烟花出售 电话13912345678"),)
    text = "老规矩 今年的到了 电话 139 1234 5678"
    alone = clf.classify(text)
    verdict = clf.classify(text, context=PostContext(seller_history=history))
    assert verdict.score > alone.score and verdict.flagged
    reason = rules(verdict)["seller_history"]
    assert reason.refs == [{"post": "p17", "matched": "phone", "value": "13912345678"}]
    assert [s.text for s in reason.spans] == ["139 1234 5678"]
    assert verdict.to_dict()["reasons"][-1].get("refs") or any("refs" in r for r in verdict.to_dict()["reasons"])


def test_seller_history_does_not_make_other_goods_fireworks(clf):
    ctx = PostContext(seller_history=(EarlierSale(text="剩两箱加特林 原价转 牛塘自提"),))
    assert not clf.classify("九成新 150 湖塘自提", title="闲置婴儿推车", platform="xianyu", context=ctx).flagged
    assert not clf.classify("今天腊八 喝了碗粥", context=ctx).flagged


def test_more_confirmed_sales_weigh_more(clf):
    text = "那两个字打不出来 要的私我"
    one = clf.classify(text, context=PostContext(seller_sales=1))
    three = clf.classify(text, context=PostContext(seller_sales=3))
    assert 0 < one.score < three.score


def test_ocr_price_list_with_a_pointer(clf):
    text, ocr = "内容看图 私聊", "套餐A：仙女棒×5 小金鱼×3 / 套餐B：加特林×1 168元"
    verdict = clf.classify(text, ocr=ocr)
    assert verdict.flagged and "ocr_price_list" in rules(verdict)
    assert_spans_index_original(verdict.to_dict(), text, ocr=ocr)


def test_context_from_record_reads_the_jsonl_keys_and_ignores_bad_values():
    ctx = context_from_record({"parent": {"title": "t", "text": "x", "id": 7}, "thread_title": "tt",
                               "found_by": "烟花", "seller_history": [{"id": "a", "matched": "QQ", "value": "123"}, "txt", 5]})
    assert ctx.parent == ParentPost(text="x", title="t", id="7") and ctx.thread_title == "tt"
    assert ctx.seller_history[0] == EarlierSale(id="a", matched="qq", value="123")
    assert ctx.seller_history[1].text == "txt" and ctx.earlier_sales == 3
    assert context_from_record({"seller_history": 4}).earlier_sales == 4
    assert context_from_record({"parent": 12, "found_by": ["x"], "seller_history": True}) is None
    assert context_from_record({}) is None


@pytest.mark.parametrize("context", [PostContext(parent=ParentPost(text="\ud800" * 5)), "nonsense", 12,
                                     PostContext(found_by="🎆" * 1000, seller_sales=10 ** 9)])
def test_context_never_raises(clf, context):
    verdict = clf.classify("还有两箱", context=context)
    assert verdict.label != "error"
