"""What gets flagged and what does not, with the reasons officers see."""

import pytest


def rules(verdict) -> set[str]:
    return {r.rule for r in verdict.reasons}


@pytest.mark.parametrize("text", [
    "出售烟花爆竹，现货，送货上门，微信 abc_12345，价格150元/箱",
    "烟*花 加*特*林 现货 vx: fw8888  一百二十元一箱",
    "煙花 鞭炮 批發 電話13812345678",
    "yh bp 现货 同城配送 私聊",
    "🎆🧨现货 滴滴我 138 1234 5678",
    "ｙｈ　１５０元／箱　武进可送",
    "燕花到货了，品种齐全，需要的私聊",
    "浏阳yan花 源头工厂 直播间下单包邮",
    "过年那个响的，懂的来，同城送货上门",
    "加特林36发 88米/箱 49发 128米/箱，要的私",
    "电子鞭炮配冷烟花填充物，真响，一套99，包邮",
    "本店持证经营，烟花现推出送货上门服务，常州市区包送",
    "加特林88米，仙女棒5米，私聊",
    "烟，花，爆，竹 现货 私聊",
    "火因花 现货 私聊",
    "yān huā 到货 私聊",
])
def test_disguised_and_plain_offers_are_flagged(clf, text):
    v = clf.classify(text)
    assert v.flagged and v.label == "sale", [(r.rule, r.weight) for r in v.reasons]


@pytest.mark.parametrize("text, label", [
    ("周杰伦的烟花易冷真好听", "benign"),
    ("烟花三月下扬州，周末去看琼花", "benign"),
    ("我抽烟花钱，你管得着吗", "none"),
    ("常州警方查获非法销售烟花爆竹案件，嫌疑人通过微信朋友圈兜售，被行政拘留", "benign"),
    ("为保障公共安全，禁放区域内全年禁止燃放烟花爆竹，违者依法处理", "benign"),
    ("温馨提示：燃放烟花爆竹请到空旷地带，远离易燃物，注意安全", "benign"),
    ("朋友圈有人卖烟花还送货上门，这种可以举报吗？", "benign"),
    ("武进区今年哪里可以放烟花啊？禁放区太大了", "benign"),
    ("电子鞭炮 无火药 环保安全 插电就响 包邮", "legal_alternative"),
    ("婚庆冷焰火机租赁，常州市区可上门安装", "legal_alternative"),
    ("和平精英里加特林机枪的伤害是多少？", "benign"),
    ("本店为烟花爆竹定点零售店，持有零售许可证，欢迎到店选购，不送货", "benign"),
    ("小金鱼 自家繁殖 五块钱一条 同城自提", "none"),
    ("羽绒服九成新，150元，同城自提，微信 yrf123456", "none"),
    ("严禁通过网络销售烟花爆竹，严禁送货上门，违者依法处理", "benign"),
    ("烟花爆竹不能快递，也不能带上地铁", "benign"),
    ("购买烟花请到正规销售点，不要网购，更不要找微商", "benign"),
    ("浏阳烟花厂招聘普工，包吃住，电话13874001234", "benign"),
    ("今年烟花价格涨了好多，去年一箱才100，今年要200", "benign"),
    ("烟花店离我家500米，走过去五分钟", "benign"),
    ("想问一下现在烟花什么价位", "buy_request"),
])
def test_hard_negatives_are_not_flagged(clf, text, label):
    v = clf.classify(text)
    assert not v.flagged, [(r.rule, r.weight) for r in v.reasons]
    assert v.label == label


@pytest.mark.parametrize("text", [
    "求购烟花，常州武进哪里有卖的？有的私信我",
    "想买仙女棒拍照，有没有姐妹知道哪里能买到",
    "收几箱烟花，有多余的朋友可以联系我，微信 shou_yh",
])
def test_buy_requests_are_labelled_not_flagged(clf, text):
    v = clf.classify(text)
    assert v.label == "buy_request" and not v.flagged
    assert "buy_request" in rules(v)


def test_seller_quoting_buyers_is_still_a_sale(clf):
    v = clf.classify("很多人问我加特林在哪买，我这有现货，直接拍，包邮")
    assert v.flagged and "buy_request" not in rules(v)


def test_product_alone_is_not_a_sale(clf):
    v = clf.classify("今晚的烟花真好看")
    assert not v.flagged and v.label == "benign" and rules(v) == {"product"}


def test_sale_words_far_from_the_product_do_not_count(clf):
    filler = "今天天气不错，我们去公园散步了。" * 10
    near = clf.classify("烟花现货出售，私聊")
    far = clf.classify("昨晚看了烟花。" + filler + "二手自行车出售，私聊")
    assert near.flagged and not far.flagged


def test_product_in_title_covers_the_whole_text(clf):
    filler = "今天天气不错，我们去公园散步了。" * 10
    v = clf.classify(filler + "现货出售，私聊", title="加特林")
    assert v.flagged


def test_jurisdiction_and_delivery_raise_the_score(clf):
    base = clf.classify("烟花现货，同城配送")
    local = clf.classify("烟花现货，武进湖塘同城配送")
    assert local.score > base.score
    assert {"jurisdiction", "jurisdiction_delivery"} <= rules(local)
    districts = {p["district"] for p in local.to_dict()["places"]}
    assert districts == {"武进区"}


def test_licensed_shop_with_delivery_is_a_sale(clf):
    notice = clf.classify("持证经营的烟花店，欢迎到店选购，不送货")
    delivering = clf.classify("持证经营的烟花店，欢迎选购，送货上门")
    assert not notice.flagged and delivering.flagged


def test_disguise_reason_names_the_disguise(clf):
    v = clf.classify("烟*花现货，私聊")
    disguised = [r for r in v.reasons if r.rule == "product_disguised"]
    assert disguised and disguised[0].spans[0].text == "烟*花"


def test_reasons_have_weights_and_chinese_descriptions(clf):
    v = clf.classify("出售烟花，微信 abc12345")
    for reason in v.reasons:
        assert isinstance(reason.weight, float) and reason.weight != 0
        assert any("\u4e00" <= ch <= "\u9fff" for ch in reason.description)


def test_score_is_monotonic_in_evidence(clf):
    a = clf.classify("烟花")
    b = clf.classify("烟花现货")
    c = clf.classify("烟花现货，送货上门")
    d = clf.classify("烟花现货，送货上门，电话13812345678")
    assert 0 <= a.score < b.score < c.score < d.score <= 1


def test_classification_is_deterministic(clf, labelled):
    for record in labelled[:50]:
        a = clf.classify(record["text"], title=record["title"]).to_dict()
        b = clf.classify(record["text"], title=record["title"]).to_dict()
        assert a == b


def test_marketplace_listing_counts_as_an_offer(clf):
    text = "仙女棒三盒，过年没用完"
    plain = clf.classify(text, platform="weibo")
    listed = clf.classify(text, platform="xianyu")
    assert listed.score > plain.score and "marketplace" in rules(listed)
    assert "marketplace" not in rules(plain)


@pytest.mark.parametrize("text", [
    "春节礼花套餐 家庭款198 豪华款398 下单留地址 免费送",
    "这个一百发的礼花今天福利价，拍下备注地址，同城送",
    "过年烟火 品种齐全 下单留地址 同城当天送达",
])
def test_weak_name_counts_at_new_year_or_with_a_shot_count(clf, text):
    v = clf.classify(text)
    assert v.flagged and "product_weak" in rules(v), [(r.rule, r.weight) for r in v.reasons]


@pytest.mark.parametrize("text", [
    "礼花 套餐 下单留地址 免费送",          # no season word, no shot count: 礼花 alone is unsure
    "过年了，小金鱼出售，自家繁殖，同城自提",   # 小金鱼 is not a season name (goldfish)
])
def test_weak_name_without_season_or_shot_count_is_not_the_product(clf, text):
    v = clf.classify(text)
    assert not v.flagged and not rules(v) & {"product", "product_weak"}


def test_stock_claims_and_meeting_to_trade_are_an_offer(clf):
    v = clf.classify("有没有要小烟花的，仙女棒摔炮都有，孩子玩的，钟楼区面交")
    assert v.flagged and {"sale_intent", "delivery"} <= rules(v)
    assert not clf.classify("有要一起放烟花的吗？溧阳农村，自带").flagged


def test_saying_there_is_no_powder_is_not_the_disguise_cue(clf):
    v = clf.classify("电子烟花 会响会亮 没有火药 禁放区也能用 拍下48小时发货")
    assert not v.flagged and "disguise_legal" not in rules(v)


@pytest.mark.parametrize("text", [
    "常州搬家公司 价格实惠 全市上门 电话13961234567 （烟花爆竹等危险品不搬）",
    "顺风车 常州到南京 每天发车 有意私聊 不带烟花爆竹等易燃物品",
    "收废品 上门回收 纸箱 烟花爆竹包装盒 电话 13812341234",
])
def test_ads_that_refuse_fireworks_are_not_offers(clf, text):
    v = clf.classify(text)
    assert not v.flagged and not rules(v) & {"product", "product_weak"}
    assert clf.classify("烟花不收定金 现货 私聊").flagged   # 不收 after the product is not a refusal
