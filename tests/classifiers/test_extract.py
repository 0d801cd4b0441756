"""Contacts, prices and places pulled out of posts, normalised for joining a seller's posts."""

import pytest

from tests.classifiers.conftest import assert_spans_index_original


def contacts(clf, text):
    v = clf.classify(text).to_dict()
    assert_spans_index_original(v, text)
    return {(c["kind"], c["value"]) for c in v["contacts"]}


@pytest.mark.parametrize("text, expected", [
    ("电话13812345678", {("phone", "13812345678")}),
    ("电话 138 1234 5678", {("phone", "13812345678")}),
    ("电话 138-1234-5678", {("phone", "13812345678")}),
    ("手机：１３８１２３４５６７８", {("phone", "13812345678")}),
    ("电话一三八一二三四五六七八", {("phone", "13812345678")}),
    ("座机 0519-86123456", {("phone", "051986123456")}),
    ("座机(0519)86123456", {("phone", "051986123456")}),
    ("电话微信同号 13912345678", {("phone", "13912345678"), ("wechat", "13912345678")}),
])
def test_phone_numbers(clf, text, expected):
    assert contacts(clf, text) == expected


@pytest.mark.parametrize("text, value", [
    ("微信 abc_12345", "abc_12345"),
    ("微信号：fw-2026x", "fw-2026x"),
    ("vx: cz8888yh", "cz8888yh"),
    ("VX：CZ8888YH", "cz8888yh"),
    ("v信 yanhua2026", "yanhua2026"),
    ("薇 hy668899", "hy668899"),
    ("➕V: fw_czsh", "fw_czsh"),
    ("加V: wjyh520", "wjyh520"),
    ("wx：lyhuapao888", "lyhuapao888"),
])
def test_wechat_ids(clf, text, value):
    assert ("wechat", value) in contacts(clf, text)


@pytest.mark.parametrize("text, value", [("qq 123456789", "123456789"), ("扣扣：98765432", "98765432")])
def test_qq_numbers(clf, text, value):
    assert ("qq", value) in contacts(clf, text)


def test_hotline_in_reporting_context_is_not_a_seller_contact(clf):
    assert contacts(clf, "发现非法销售请拨打举报电话 0519-86123456") == set()


def test_digits_inside_a_longer_number_are_not_a_phone(clf):
    assert contacts(clf, "订单号 2138123456789012") == set()


def prices(clf, text):
    v = clf.classify(text).to_dict()
    assert_spans_index_original(v, text)
    return [(p["amount"], p["unit"]) for p in v["prices"]]


@pytest.mark.parametrize("text, expected", [
    ("加特林 150元/箱", [(150.0, "元/箱")]),
    ("加特林 150元一箱", [(150.0, "元/箱")]),
    ("¥88", [(88.0, "元")]),
    ("仙女棒 5块钱一盒", [(5.0, "元/盒")]),
    ("一百二十元一箱", [(120.0, "元/箱")]),
    ("两千五百元", [(2500.0, "元")]),
    ("88米/箱", [(88.0, "元/箱")]),
    ("二百米一个", [(200.0, "元/个")]),
    ("36发 75/箱", [(75.0, "元/箱")]),
    ("今天只要一百九十九", [(199.0, "元")]),
])
def test_prices(clf, text, expected):
    assert prices(clf, text) == expected


@pytest.mark.parametrize("text", [
    "正月十五元宵节", "一元复始万象更新", "我们一块去看", "跑了五百米", "2024年元旦快乐",
])
def test_not_prices(clf, text):
    assert prices(clf, text) == []


def test_places_carry_their_district(clf):
    text = "常州武进湖塘、新北薛家、溧阳天目湖都能送"
    v = clf.classify(text).to_dict()
    assert_spans_index_original(v, text)
    found = {(p["name"], p["district"]) for p in v["places"]}
    assert {("常州", ""), ("湖塘", "武进区"), ("薛家", "新北区"), ("天目湖", "溧阳市")} <= found


def test_repeated_contacts_are_listed_once(clf):
    v = clf.classify("烟花 微信 abc_12345 " * 50)
    assert [c["value"] for c in v.contacts] == ["abc_12345"]


def test_one_price_written_twice_is_listed_once_without_spaces(clf):
    # issue 12: "标有价格： 88、88元一盒" listed one price twice and highlighted a leading space
    text = "加特林 36发 88，88元一盒 私聊"
    v = clf.classify(text).to_dict()
    price = next(r for r in v["reasons"] if r["rule"] == "price")
    assert price["description"].endswith("：88元/盒")
    assert all(s["text"] == s["text"].strip() for s in price["spans"])
    assert [(p["amount"], p["unit"]) for p in v["prices"]] == [(88.0, "元/盒")]
    assert all(text[p["start"]:p["end"]] == p["text"] for p in v["prices"])


def test_a_mobile_number_with_0519_inside_is_one_phone_and_no_place(clf):
    # issue 12: 139 0519 2233 also counted as a 0519 landline and a 常州 place
    v = clf.classify("烟花出售 电话 139 0519 2233 同城配送").to_dict()
    assert [(c["kind"], c["value"]) for c in v["contacts"]] == [("phone", "13905192233")]
    assert v["places"] == []
    assert not any(r["rule"].startswith("jurisdiction") for r in v["reasons"])
    landline = clf.classify("烟花出售 电话 0519-85123456").to_dict()
    assert [c["value"] for c in landline["contacts"]] == ["051985123456"]


def test_prices_written_without_a_currency_on_price_lists(clf):
    v = clf.classify("满天星 36发 45一箱 吐珠 38一盒").to_dict()
    assert [(p["amount"], p["unit"]) for p in v["prices"]] == [(45.0, "元/箱"), (38.0, "元/盒")]
