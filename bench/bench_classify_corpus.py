"""A deterministic corpus of synthetic social posts for bench_classify.py.

Posts are as dense in product words as keyword-search results (every crawled post comes from a
search for 烟花, 鞭炮, …): about 88% name a product — 38% sales offers, often disguised, and
50% other firework talk (news, ban notices, buyers, songs, look-alikes, chatter that mentions
fireworks) — and the rest is local chatter and unrelated selling. Lengths run from a one-line
caption to a long forum post (1–12 sentences of chatter plus the firework sentences, about 130
characters on average, like Weibo and Tieba posts). bench_classify.py counts the share.
"""

from __future__ import annotations

import json
import random
from pathlib import Path

CHATTER = [
    "今天常州天气不错，下午带孩子去公园转了一圈。", "最近加班太多了，周末只想在家躺着。",
    "有没有推荐的火锅店，新北这边的。", "孩子期末考试考得还行，奖励他一个玩具。",
    "早上地铁一号线人好多，挤得不行。", "今年年夜饭准备在饭店吃，已经订好了包间。",
    "春运的票太难抢了，最后买了大巴。", "楼下新开了一家奶茶店，味道一般。",
    "周末去淹城逛了逛，人不多，挺舒服的。", "单位年会抽奖什么都没中，运气太差。",
    "老家的腊肉已经晒好了，就等过年。", "这几天降温，大家注意保暖。",
    "过年回老家的高速估计又要堵，准备早点出发。", "新买的电饭煲很好用，煮饭特别香。",
    "晚上跑步五公里，感觉身体好多了。", "小区停车位又涨价了，物业也不说明原因。",
    "看了一部老电影，还是觉得以前的片子有味道。", "武进这边的菜市场过年前东西都涨价了。",
    "大家都准备了什么年货？我买了坚果和糖果。", "今天把家里大扫除了一遍，累得腰疼。",
]
SALE = [
    "烟花爆竹现货出售，加特林、仙女棒都有，同城送货上门，微信 cz{n}yh。",
    "烟*花 鞭*炮 到货，价格美丽，要的私聊，{price}元一箱。",
    "浏阳yan花 源头工厂，直播间下单包邮，{price}米/箱。",
    "🎆🧨年货到了，武进湖塘可配送，电话 139{phone}。",
    "煙花批發 價格優惠 送貨上門 微信 fw{n}。",
    "过年那个响的，懂的来，同城配送，价格私聊。",
    "组合烟花{shots}发 一百八十元，鞭炮一万响 八十元一盘，需要的私信。",
]
OTHER_FIREWORK = [
    "常州警方查获一起非法销售烟花爆竹案件，嫌疑人通过朋友圈兜售，被依法行政拘留。",
    "根据通告，禁放区域内全年禁止燃放烟花爆竹，违者依法处理。",
    "求购烟花，天宁区哪里有卖的？求推荐。", "单曲循环烟花易冷，周杰伦的歌真好听。",
    "烟花三月下扬州，周末准备去看琼花。", "电子鞭炮 无火药 环保安全 插电就响 包邮。",
    "小时候过年最喜欢放窜天猴和摔炮，现在城里都禁放了。", "昨晚隔壁村放了一晚上烟花，吵得睡不着。",
    "温馨提示：燃放烟花爆竹请到空旷地带，远离易燃物。", "朋友圈有人卖烟花还送货上门，这种可以举报吗？",
    "今年春节武进哪里有烟花秀？想带孩子去看。", "记者调查：朋友圈里的鞭炮，“工厂直发，假一赔十”背后是一条灰色链条。",
    "LED烟花灯挂阳台超出片，纯灯光不点火。", "过年回老家放了两箱加特林，孩子开心坏了。",
    "烟花红包封面免费领，评论区扣1。", "想问下溧阳乡下过年还能放鞭炮吗？",
    "去年买的仙女棒还剩一盒，不知道还能不能用。", "楼下有人放鞭炮，狗吓得躲床底下。",
]
UNRELATED_SALE = [
    "羽绒服九成新，穿过两次，{price}元，同城自提。", "春联福字批发，一套十五元，量大从优，送货上门。",
    "出租房一室一厅，{price}元/月，电话 137{phone}。", "年货坚果礼盒 {price}元，包邮到家，微信 nh{n}。",
]
PLATFORMS = ["weibo", "douyin", "xiaohongshu", "tieba", "xianyu", "wechat", "forum", "58"]


def _fill(template: str, rng: random.Random) -> str:
    return template.format(n=rng.randint(100, 9999), price=rng.choice([38, 88, 120, 150, 260, 399]),
                           phone=f"{rng.randint(0, 99_999_999):08d}", shots=rng.choice([36, 49, 100]))


SALE_SHARE = 0.38
PRODUCT_SHARE = 0.88   # posts naming a product: sales and other firework talk


def make_post(i: int, rng: random.Random) -> dict:
    parts = [rng.choice(CHATTER) for _ in range(rng.choice([1, 2, 3, 4, 5, 6, 8, 10, 12]))]
    roll = rng.random()
    if roll < SALE_SHARE:
        parts.insert(rng.randint(0, len(parts)), _fill(rng.choice(SALE), rng))
    elif roll < PRODUCT_SHARE:
        for _ in range(rng.choice([1, 1, 2])):
            parts.insert(rng.randint(0, len(parts)), rng.choice(OTHER_FIREWORK))
    elif roll < 0.94:
        parts.append(_fill(rng.choice(UNRELATED_SALE), rng))
    if not parts:
        parts.append(rng.choice(CHATTER))
    title = rng.choice(["", "", "求助", "分享", "出售", "过年啦"])
    return {"id": f"b{i}", "platform": rng.choice(PLATFORMS), "title": title, "text": "".join(parts)}


def write_corpus(path: Path, count: int, seed: int = 20260129) -> int:
    """Write ``count`` posts as JSON lines; returns the number of characters of text."""
    rng = random.Random(seed)
    chars = 0
    with open(path, "w", encoding="utf-8") as fh:
        for i in range(count):
            post = make_post(i, rng)
            chars += len(post["text"]) + len(post["title"])
            fh.write(json.dumps(post, ensure_ascii=False) + "\n")
    return chars
