"""Products named without a firework word, and firework words that name something else
(classifiers/mentions.py)."""

import pytest


def rules(verdict) -> set[str]:
    return {r.rule for r in verdict.reasons}


@pytest.mark.parametrize("text", [
    "满天星 36发 5箱起拿 45一箱\n富贵牡丹 100发 150\n腊月二十前订的送到家",   # box names, catalogue lines
    "1.2寸100发 160\n1.5寸49发 128\n奔牛 孟河 可以送 私信",                  # calibres and shot counts
    "不报名字 只说效果：36发 红闪+金柳 80一箱 郑陆可送",                      # effect names
    "浏阳直发，物流单统一写日用百货，先转账后发货",                          # the production town
    "醴陵老厂 自家生产 整箱出 常州有中转 到了通知你自提",
    "年货到了 响的亮的都有 可以自提也可以送 数量不多",                        # what it does
])
def test_products_without_a_firework_word(clf, text):
    verdict = clf.classify(text)
    assert verdict.flagged, [(r.rule, r.weight) for r in verdict.reasons]


def test_a_catalogue_line_is_its_own_reason(clf):
    verdict = clf.classify("满天星 36发 45一箱 私聊")
    assert "catalogue_line" in rules(verdict)


@pytest.mark.parametrize("text, label", [
    ("烟花红包封面 序列号免费送 前100名 评论区扣1", "legal_alternative"),
    ("儿童手持加特林泡泡机 32孔 拍下48小时发货", "legal_alternative"),
    ("羽绒服清仓 价格炸裂🎆 像放烟花一样 一件不留", "none"),
    ("电子冷焰火机 不含火药 不是烟花 上门安装 一台一晚380", "legal_alternative"),
    ("LED烟花灯🎆挂阳台 USB供电 纯灯光不点火 链接在评论区", "legal_alternative"),
    ("老家寄来的浏阳特产 豆豉 腊肉 蒸菜料 可以送货上门 微信下单", "none"),
    ("婚礼剩下的满天星干花 一大束 20元 湖塘自取", "none"),
])
def test_firework_words_that_name_other_goods_are_not_offers(clf, text, label):
    verdict = clf.classify(text)
    assert not verdict.flagged, [(r.rule, r.weight) for r in verdict.reasons]
    assert verdict.label == label


def test_slogans_quoted_in_a_report_do_not_count(clf):
    report = ("记者调查：“大管加特林36元，可配送”“工厂直发，假一赔十”……微商拒绝透露实体店地址，"
              "只用“送货上门”“快递到付”完成交易。")
    assert not clf.classify(report).flagged
    seller = "大管加特林36元，可配送，工厂直发，假一赔十，送货上门，快递到付"
    assert clf.classify(seller).flagged


def test_one_quoted_word_in_an_offer_still_counts(clf):
    assert clf.classify("浏阳“特产”到货，私聊，同城送货上门").flagged


@pytest.mark.parametrize("text", [
    "这个东西不能写字 写了就被删 懂的来 看背景图 湖塘这边可以送",        # evasion, pointer, delivery
    "先付款再安排 不接受到付 这东西你们懂的 付了款拉群通知送货时间",
    "我们是正规持证零售点 今年可以微信下单了 送货上门 不用跑店里",       # licensed, but it delivers
])
def test_goods_left_unnamed_on_purpose(clf, text):
    verdict = clf.classify(text)
    assert verdict.flagged and "unnamed_offer" in rules(verdict), [(r.rule, r.weight) for r in verdict.reasons]


def test_evasion_alone_is_not_an_offer(clf):
    assert not clf.classify("你懂的 哈哈哈").flagged
    assert not clf.classify("持证经营 欢迎到店选购").flagged


def test_an_offer_written_all_in_pinyin(clf):
    verdict = clf.classify("wu jin hu tang zi ti, jia ge si liao", title="yanhua baozhu you huo")
    assert verdict.flagged and {"sale_intent", "contact_cue", "delivery"} <= rules(verdict)


def test_homophones_of_the_production_town(clf):
    assert clf.classify("老铁们 六阳的宝贝到了 私信发价 常州都送").flagged
