"""Build a deterministic, realistic book of client cards for the benchmark (issue 5).

    python benchmarks/generate.py --cards 100000 --db benchmarks/out/book.db [--seed 5]
                                  [--now 2026-11-20T09:00+08:00] [--tz Asia/Shanghai] [--force]

The schema comes from clientcard itself (`store.migrate.open_database`, i.e. the migrations), so
the file is exactly what clientcard creates; the rows are then bulk-loaded with the standard
sqlite3 module in one transaction. Values are stored the way SQLModel stores them on SQLite:
moments as naive UTC text ('2026-11-20 01:00:00.000000'), days as 'YYYY-MM-DD', booleans 0/1,
money as integer minor units.

The same --cards, --seed, --now and --tz give the same rows, byte for byte. What the book holds,
and why the agenda near "now" is a fixed handful at every size, is in benchmarks/README.md. A
sidecar `<db>.json` records the probes the benchmark uses (a busy card, a card to write to, a
Chinese name and a Latin word to search for) and the row counts.
"""

from __future__ import annotations

import argparse
import bisect
import hashlib
import json
import math
import os
import random
import sqlite3
import sys
import time
import unicodedata
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta, tzinfo
from datetime import time as dtime
from pathlib import Path
from typing import Any
from zoneinfo import ZoneInfo

from clientcard.domain import pinyin
from clientcard.domain.cards import email_key, phone_key, search_key
from clientcard.store import fulltext

DEFAULT_CARDS = 100_000
DEFAULT_SEED = 5
DEFAULT_NOW = "2026-11-20T09:00+08:00"
DEFAULT_TZ = "Asia/Shanghai"

DAY = 86_400
EPOCH_ORDINAL = date(1970, 1, 1).toordinal()
YEAR_DAYS = 365

# ---- the shape of the book ----------------------------------------------------------------

GRADES = "ABCDEF"
GRADE_WEIGHTS = (3, 7, 8, 10, 22, 50)  # percent
CADENCE = {"A": 7, "B": 14, "C": 90, "D": 60, "E": 21, "F": 180}  # domain/settings.py defaults
# Contacts per card by grade (uniform in the range): about 10 per card over the whole book.
CONTACTS = {"A": (18, 32), "B": (12, 24), "C": (6, 14), "D": (6, 14), "E": (8, 16), "F": (4, 11)}
# Closed promises per card by grade (uniform in the range; F: 15% have one).
CLOSED_PROMISES = {"A": (2, 6), "B": (1, 4), "C": (0, 2), "D": (0, 2), "E": (0, 2), "F": (0, 0)}
# Cards with an earlier grade in their history, by current grade.
REGRADED = {"A": 0.7, "B": 0.5, "C": 0.4, "D": 0.4, "E": 0.25, "F": 0.08}

LATIN_SHARE = 0.40
ARCHIVED_SHARE = 0.02
CUSTOMER_SHARE = 0.30
BIRTHDAY_SHARE = 0.40
OTHER_OCCASION_SHARE = 0.06
PERSON_SHARE = 0.10
RATED_SHARE = 0.20
REFERRED_SHARE = 0.12
RESOLVED_COMPLAINT_SHARE = 0.015
LATER_OPEN_PROMISE_SHARE = 0.002  # open promises due after the coming week

# The agenda near "now" is a fixed handful at every size from 1,000 cards up (scaled down below
# 1,000), so `due --today` is a salesperson's real morning and costs what its result costs.
FIXED = {
    "followup_due": 22,  # follow-ups due today or overdue (1-20 days)
    "followup_week": 120,  # follow-ups due in the next six days
    "promise_overdue": 4,
    "promise_today": 4,
    "appointment_soon": 3,  # inside the 24 h notice window
    "appointment_passed": 2,  # earlier today, or yesterday and never marked
    "promise_week": 15,
    "complaint_open": 6,
    "thanks": 6,  # a sale in the last few days, not yet thanked
    "occasion_near": 6,  # occasions in the next ten days
    # Cards that `list --search` finds: named PROBE_CN (no other card's name contains it), and
    # with the surname PROBE_LATIN (not in the surname pool). The same handful at every size, so
    # a search costs what its result costs plus reading every card's key, and nothing else.
    "search_cn": 12,
    "search_latin": 12,
}
NEAR_WINDOW = (-7, 14)  # days around today kept free of bulk occasions and holidays
# What `list --search` looks for: a 2-character Chinese name and a 5-letter Latin surname, each
# carried by the showcase cards and a fixed handful of others (FIXED), and by no other card.
PROBE_CN, PROBE_CN_PINYIN = "林芳", "fang.lin"
PROBE_LATIN = "Lange"

# ---- names and words ------------------------------------------------------------------------

# (surname, pinyin, weight ~ per-mille of the population)
SURNAMES = [
    ("王", "wang", 72), ("李", "li", 72), ("张", "zhang", 69), ("刘", "liu", 53),
    ("陈", "chen", 45), ("杨", "yang", 31), ("赵", "zhao", 20), ("黄", "huang", 19),
    ("周", "zhou", 18), ("吴", "wu", 16), ("徐", "xu", 13), ("孙", "sun", 13),
    ("胡", "hu", 11), ("朱", "zhu", 10), ("高", "gao", 10), ("林", "lin", 9),
    ("何", "he", 9), ("郭", "guo", 9), ("马", "ma", 9), ("罗", "luo", 7),
    ("梁", "liang", 7), ("宋", "song", 6), ("郑", "zheng", 6), ("谢", "xie", 6),
    ("韩", "han", 5), ("唐", "tang", 5), ("冯", "feng", 5), ("于", "yu", 5),
    ("董", "dong", 5), ("萧", "xiao", 4), ("程", "cheng", 4), ("曹", "cao", 4),
    ("袁", "yuan", 4), ("邓", "deng", 4), ("许", "xu", 4), ("傅", "fu", 4),
    ("沈", "shen", 3), ("曾", "zeng", 3), ("彭", "peng", 3), ("吕", "lv", 3),
    ("苏", "su", 3), ("卢", "lu", 3), ("蒋", "jiang", 3), ("蔡", "cai", 3),
    ("贾", "jia", 2), ("丁", "ding", 2), ("魏", "wei", 2), ("薛", "xue", 2),
    ("叶", "ye", 2), ("余", "yu", 2), ("潘", "pan", 2), ("杜", "du", 2),
    ("戴", "dai", 2), ("夏", "xia", 2), ("钟", "zhong", 2), ("汪", "wang", 2),
    ("田", "tian", 2), ("任", "ren", 2), ("姜", "jiang", 2), ("范", "fan", 2),
    ("方", "fang", 2), ("石", "shi", 2), ("姚", "yao", 2), ("谭", "tan", 2),
    ("廖", "liao", 2), ("邹", "zou", 2), ("熊", "xiong", 2), ("金", "jin", 2),
    ("陆", "lu", 2), ("郝", "hao", 1), ("孔", "kong", 1), ("白", "bai", 1),
    ("崔", "cui", 1), ("康", "kang", 1), ("毛", "mao", 1), ("邱", "qiu", 1),
    ("秦", "qin", 1), ("江", "jiang", 1), ("史", "shi", 1), ("顾", "gu", 1),
    ("侯", "hou", 1), ("邵", "shao", 1), ("孟", "meng", 1), ("龙", "long", 1),
    ("欧阳", "ouyang", 1), ("司马", "sima", 1), ("诸葛", "zhuge", 1),
]  # fmt: skip
GIVEN = [
    ("伟", "wei"), ("芳", "fang"), ("娜", "na"), ("敏", "min"), ("静", "jing"), ("丽", "li"),
    ("强", "qiang"), ("磊", "lei"), ("军", "jun"), ("洋", "yang"), ("勇", "yong"),
    ("艳", "yan"), ("杰", "jie"), ("娟", "juan"), ("涛", "tao"), ("明", "ming"),
    ("超", "chao"), ("秀", "xiu"), ("英", "ying"), ("霞", "xia"), ("平", "ping"),
    ("刚", "gang"), ("桂", "gui"), ("华", "hua"), ("建", "jian"), ("国", "guo"),
    ("文", "wen"), ("辉", "hui"), ("玲", "ling"), ("红", "hong"), ("鑫", "xin"),
    ("宇", "yu"), ("浩", "hao"), ("晨", "chen"), ("欣", "xin"), ("怡", "yi"),
    ("佳", "jia"), ("子", "zi"), ("梓", "zi"), ("涵", "han"), ("萱", "xuan"),
    ("雪", "xue"), ("琳", "lin"), ("婷", "ting"), ("博", "bo"), ("志", "zhi"),
    ("海", "hai"), ("春", "chun"), ("燕", "yan"), ("斌", "bin"), ("鹏", "peng"),
    ("慧", "hui"), ("晓", "xiao"), ("东", "dong"), ("亮", "liang"), ("倩", "qian"),
    ("思", "si"), ("一", "yi"), ("雨", "yu"), ("嘉", "jia"), ("俊", "jun"),
]  # fmt: skip
LATIN_FIRST = [
    "James", "Mary", "John", "Linda", "Michael", "Sarah", "David", "Emma", "Thomas", "Anna",
    "Peter", "Laura", "Daniel", "Julia", "Mark", "Sophie", "Paul", "Claire", "Lucas", "Marie",
    "José", "María", "Jürgen", "Zoë", "François", "Renée", "Søren", "Björn", "Ana", "Chloé",
    "Giulia", "Marco", "Hannah", "Oliver", "Isabel", "Niklas", "Camille", "Mateo", "Elena",
    "Kenji", "Yuki", "Ippei", "Priya", "Arjun", "Olga", "Ivan", "Fatima", "Omar", "Liam", "Noah",
]  # fmt: skip
# Surnames in a Zipf-like order: the first are common, the last rare.
LATIN_LAST = [
    "Smith", "Müller", "García", "Brown", "Martin", "Rossi", "Schmidt", "Jones", "Wilson",
    "Dubois", "Fischer", "López", "Taylor", "Bernard", "Weber", "Moore", "Ferrari", "Meyer",
    "Clark", "Evans", "Lewis", "Walker", "Hall", "Young", "Allen", "King", "Wright", "Scott",
    "Green", "Baker", "Adams", "Nelson", "Hill", "Campbell", "Mitchell", "Roberts", "Carter",
    "Phillips", "Turner", "Torres", "Parker", "Collins", "Edwards", "Stewart", "Morris",
    "Murphy", "O'Brien", "van Dijk", "Núñez", "Kowalski", "Nowak", "Novák", "Hara", "Tanaka",
    "Sato", "Suzuki", "Kim", "Park", "Nguyen", "Tran", "Singh", "Patel", "Ivanov", "Petrov",
    "Costa", "Silva", "Santos", "Pereira", "Larsen", "Hansen", "Jensen", "Nielsen", "Laurent",
    "Lefèvre", "Moreau", "Fontaine", "Wagner", "Becker", "Hoffmann", "Schäfer", "Koch",
    "Richter", "Klein", "Wolff", "Schröder", "Neumann", "Schwarz", "Zimmermann", "Braun",
    "Krüger", "Hofmann", "Hartmann", "Schmitt", "Werner", "Krause", "Meier", "Lehmann",
    "Straße", "Østergaard",
]  # fmt: skip
CN_CITY = ["上海", "北京", "深圳", "广州", "杭州", "苏州", "南京", "成都", "武汉", "天津", "宁波"]
CN_STREETS = [("上海", "浦东新区", "世纪大道"), ("北京", "朝阳区", "建国路"),
              ("深圳", "南山区", "科技园路"), ("杭州", "西湖区", "文三路"),
              ("广州", "天河区", "天河路"), ("成都", "武侯区", "人民南路")]  # fmt: skip
CN_BRAND = [
    "华信", "平安", "中和", "东方", "新世纪", "永安", "恒通", "金桥", "宏达", "瑞丰", "嘉禾",
    "天成", "鸿运", "长城", "海天", "汇丰", "联创", "博远", "锦程", "同创", "泰和", "百川",
]  # fmt: skip
CN_TRADE = ["贸易", "科技", "保险", "电子", "物流", "餐饮", "建筑", "医疗", "教育", "地产", "汽车"]
CN_SUFFIX = ["有限公司", "股份有限公司", "集团", "", "商行"]
LATIN_BRAND = [
    "Northwind", "Acme", "Globex", "Initech", "Umbrella", "Stark", "Wayne", "Sunrise", "Blue Sky",
    "Hooli", "Vandelay", "Soylent", "Cyberdyne", "Tyrell", "Oceanic", "Pied Piper", "Aperture",
    "Gringotts", "Wonka", "Nakatomi", "Dunder", "Bluth", "Sterling", "Prestige", "Massive",
]  # fmt: skip
LATIN_TRADE = [
    "Traders", "Logistics", "Insurance", "Bakery", "Motors", "Software", "Foods", "Pharma",
    "Consulting", "Textiles", "Energy", "Media", "Dental", "Farms", "Security",
]  # fmt: skip
LATIN_SUFFIX = ["Ltd", "GmbH", "Inc.", "S.A.", "LLC", "AG", "", "& Co."]
CN_TITLES = ["总经理", "副总经理", "采购经理", "财务总监", "老板", "董事长", "部门经理", "主任",
             "工程师", "销售总监", "人事经理", "医生", "教师"]  # fmt: skip
LATIN_TITLES = [
    "CEO", "Purchasing Manager", "CFO", "Owner", "Head of IT", "Office Manager", "Director",
    "Sales Director", "Engineer", "Doctor", "Teacher", "Partner",
]  # fmt: skip
SOURCES = [
    ("referral", 20), ("转介绍", 12), ("cold call", 10), ("陌生拜访", 10), ("trade fair", 8),
    ("展会", 8), ("website", 8), ("walk-in", 5), ("seminar", 5), ("WeChat group", 6),
    ("老客户介绍", 8),
]  # fmt: skip
TAGS = [
    ("vip", 6), ("family", 8), ("golf", 4), ("wechat", 12), ("newsletter", 10), ("retired", 5),
    ("doctor", 3), ("teacher", 3), ("owner", 6), ("fleet", 3), ("expat", 3), ("health", 4),
    ("老客户", 6), ("高尔夫", 2), ("家庭", 4), ("renewal", 5), ("referrer", 3),
]  # fmt: skip
CN_NOTES = [
    "喜欢打高尔夫", "两个孩子 关心教育金", "不喜欢早上打电话", "太太做决定", "下半年有预算",
    "去年体检有问题", "收入不稳定 先等等", "对价格很敏感", "喜欢喝茶 送茶叶", "微信联系最快",
]  # fmt: skip
LATIN_NOTES = [
    "prefers e-mail", "two kids, school fees a concern", "never call before 10",
    "wife decides", "budget in Q2", "health check pending", "price-sensitive",
    "likes tea; bring some from Hangzhou", "reach on WeChat", "moving office next year",
]  # fmt: skip
# (channel, weight); the face-to-face ones are visit and meeting.
CHANNELS = [
    ("call", 40), ("visit", 15), ("meeting", 5), ("email", 12), ("message", 15), ("sms", 4),
    ("letter", 2), ("card", 2), ("gift", 2), ("fax", 1), ("other", 2),
]  # fmt: skip
REMOTE_CHANNELS = [(c, w) for c, w in CHANNELS if c not in ("visit", "meeting")]
CN_SUMMARIES = [
    "谈续保", "送了报价", "约下周见面", "介绍了新产品", "电话没人接", "留言了", "聊家庭保障",
    "问了体检结果", "寄了贺卡", "送了小礼物", "确认了合同细节", "回答了理赔问题",
]  # fmt: skip
LATIN_SUMMARIES = [
    "talked about the renewal", "sent the quote", "left a voicemail", "demo at their office",
    "lunch; discussed next year's budget", "sent the brochure", "answered questions on claims",
    "birthday card", "thank-you call after the order", "no answer",
]  # fmt: skip
CN_PROMISES = ["发报价", "寄合同", "送计划书", "回电话", "提供理赔材料", "安排体检"]
LATIN_PROMISES = ["send the quote", "send the contract", "call back with prices",
                  "bring the proposal", "send the brochure", "check the delivery date"]  # fmt: skip
APPOINTMENTS = ["renewal meeting", "见面谈方案", "demo", "签约", "lunch", "看样品"]
PLACES = ["their office", "客户公司", "星巴克", "our office", "会所", None, None]
MOVE_REASONS = ["client asked", "客户出差", "my mistake", "traffic", None]
COMPLAINTS = [
    "late delivery", "理赔太慢", "wrong invoice", "服务态度差", "product broke after a week",
    "没有按时回电话", "billing error", "续保价格上涨没有提前通知",
]  # fmt: skip
# Why each complaint happened (issue 16): its cause (one of complaint.causes' defaults) and who
# was responsible, weighted; open complaints often have no cause yet (OPEN_CAUSE_KNOWN).
COMPLAINT_CAUSES = {
    "late delivery": ("delivery", [("partner", 50), ("company", 30), ("us", 10), ("unknown", 10)]),
    "理赔太慢": ("service", [("company", 50), ("partner", 30), ("us", 10), ("unknown", 10)]),
    "wrong invoice": ("billing", [("company", 60), ("us", 30), ("unknown", 10)]),
    "服务态度差": ("service", [("us", 50), ("company", 30), ("unknown", 20)]),
    "product broke after a week": (
        "product", [("company", 50), ("partner", 25), ("client", 15), ("unknown", 10)]
    ),
    "没有按时回电话": ("communication", [("us", 80), ("unknown", 20)]),
    "billing error": ("billing", [("company", 60), ("us", 30), ("unknown", 10)]),
    "续保价格上涨没有提前通知": ("price", [("company", 50), ("us", 40), ("unknown", 10)]),
}  # fmt: skip
CAUSE_NOTES = ["快递丢件", "the supplier shipped the old model", "系统开错了发票",
               "nobody told the client about the new price", "客户用错了"]  # fmt: skip
OPEN_CAUSE_KNOWN = 0.5
CAUSE_NOTE_SHARE = 0.3
COMPLAINT_STEPS = ["called and apologised", "打电话道歉", "sent a replacement", "查明原因",
                   "refund issued", "上门处理", "escalated to the manager"]  # fmt: skip
COMPLAINT_RESULTS = ["replaced", "已退款", "apologised; discount on renewal", "问题已解决"]
SEVERITIES = [("low", 20), ("normal", 55), ("high", 18), ("urgent", 7)]
PRODUCTS = [
    "家庭保障计划", "年金险", "重疾险", "Annual service contract", "Printer fleet",
    "Fleet insurance", "车险", "Office supplies", "Consulting days", "Software licence",
]  # fmt: skip
REGRADE_REASONS = {  # by the new grade
    "A": ["first visit went well", "budget approved", "见面后很有兴趣", "ready to sign"],
    "B": ["waiting for the budget", "decision next quarter", "等领导批准"],
    "C": ["health check failed", "公司拒保", "declined by underwriting"],
    "D": ["income unstable", "预算推迟", "money is tight this year"],
    "E": ["needs more explanation", "还不了解产品", "confused about the terms"],
    "F": ["no interest this year", "没有需求", "moved away"],
}
ROLES = [("assistant", 50), ("secretary", 25), ("deputy", 10), ("purchasing", 10), ("spouse", 5)]
RECHECK_NOTES = ["health: after the March check-up", "money: after the year-end bonus",
                 "budget: new fiscal year", "体检复查后", "年终奖之后"]  # fmt: skip
EXPLICIT_NOTES = ["client on a business trip", "call after the holidays", "客户出国", None, None]
OCCASIONS = [("anniversary", 30), ("promotion", 25), ("company-move", 15),
             ("certification", 10), ("new-product", 10), ("other", 10)]  # fmt: skip
RATING_REASONS = ["paid late twice", "renewed early", "referred two friends", "按时付款", None]
CREDITS = [("good", 60), ("fair", 30), ("poor", 10)]
FIXED_HOLIDAYS = [((1, 1), "元旦 New Year", "all"), ((10, 1), "国庆节", "customers"),
                  ((12, 25), "Christmas", "tag:expat")]  # fmt: skip
LUNAR_HOLIDAYS = {  # dated per year: lunar holidays move
    "春节 Spring Festival": ["2024-02-10", "2025-01-29", "2026-02-17", "2027-02-06", "2028-01-26"],
    "端午节": ["2024-06-10", "2025-05-31", "2026-06-19", "2027-06-09", "2028-05-28"],
    "中秋节 Mid-Autumn": ["2024-09-17", "2025-10-06", "2026-09-25", "2027-09-15", "2028-10-03"],
}


# ---- the generator --------------------------------------------------------------------------


class Weighted:
    """Fast weighted choice over a fixed list (cumulative weights and bisect)."""

    def __init__(self, items: Sequence[tuple[Any, float]]) -> None:
        self.values = [v for v, _ in items]
        self.cum: list[float] = []
        total = 0.0
        for _, w in items:
            total += w
            self.cum.append(total)
        self.total = total

    def pick(self, rng: random.Random) -> Any:
        return self.values[bisect.bisect_right(self.cum, rng.random() * self.total)]


def zipf(values: list[Any], s: float = 1.0) -> Weighted:
    return Weighted([(v, 1.0 / (k + 1) ** s) for k, v in enumerate(values)])


W_GRADE = Weighted(list(zip(GRADES, GRADE_WEIGHTS, strict=True)))
W_SURNAME = Weighted([((s, p), w) for s, p, w in SURNAMES])
W_LATIN_LAST = zipf(LATIN_LAST, 0.9)
W_SOURCE = Weighted(SOURCES)
W_TAG = Weighted(TAGS)
W_CHANNEL = Weighted(CHANNELS)
W_REMOTE = Weighted(REMOTE_CHANNELS)
W_SEVERITY = Weighted(SEVERITIES)
W_ROLE = Weighted(ROLES)
W_OCCASION = Weighted(OCCASIONS)
W_CREDIT = Weighted(CREDITS)


Step = tuple[str, int, str | None, int | None]  # a complaint step: kind, at, text, satisfaction


@dataclass(slots=True)
class Card:
    """One card's plan; times are epoch seconds (UTC), days are proleptic ordinals (local)."""

    index: int
    grade: str
    latin: bool
    live: bool
    name: str = ""
    pinyin: str = ""
    created: int = 0
    archived: int | None = None
    last_contact: int | None = None
    last_visit: int | None = None
    first_visit: int | None = None
    next_on: int = 0
    followup_kind: str = "cadence"
    followup_note: str | None = None
    snoozed_at: int | None = None
    customer: bool = False
    thanks_due: int | None = None
    first_sale: int | None = None
    credit: str | None = None
    satisfaction: int | None = None
    loyalty: int | None = None
    touched: int = 0  # the latest sale or rating: the card row changed then
    updated: int = 0
    id: int = 0
    contacts: list[tuple[int, str, str | None, str | None, int | None]] = field(
        default_factory=list
    )  # (at, via, summary, with_person, next_on)
    grades: list[tuple[str | None, str, int, str]] = field(default_factory=list)
    people: list[str] = field(default_factory=list)


@dataclass(slots=True)
class PromisePlan:
    card: Card
    what: str
    kind: str
    due: int
    all_day: bool
    place: str | None
    status: str
    short_notice: bool
    made: int
    closed: int | None
    events: list[tuple[str, int, int | None, bool | None, int | None, str | None, bool, str | None]]
    # (event, at, due_at, all_day, told_at, by, short_notice, reason)


@dataclass
class Book:
    """Everything generated, as rows ready for executemany, in insertion (id) order."""

    rows: dict[str, list[tuple[Any, ...]]]
    probes: dict[str, Any]


class Generator:
    def __init__(self, cards: int, seed: int, now: datetime, tz: tzinfo) -> None:
        self.n = cards
        self.rng = random.Random(seed)
        # The complaints' causes draw from their own stream, so that adding them (issue 16)
        # left every other row of the book as it was.
        self.why_rng = random.Random(f"complaint-cause-{seed}")
        self.tz = tz
        self.now_dt = now.astimezone(tz)
        self.now = int(now.timestamp())
        self.today = self.now_dt.date().toordinal()
        offset = self.now_dt.utcoffset()
        self.offset = int(offset.total_seconds()) if offset is not None else 0
        self.scale = min(1.0, cards / 1000)
        self._midnights: dict[int, int] = {}
        self._day_text: dict[int, str] = {}
        self._date_text: dict[int, str] = {}
        self.cards: list[Card] = []
        self.promises: list[PromisePlan] = []
        self.complaints: list[tuple[Card, str, str, int, list[Step]]] = []
        self.sales: list[tuple[Card, int, str, int, int]] = []
        self.key_dates: list[tuple[Card, str, int, int, int | None, bool, str | None]] = []
        self.people: list[tuple[Card, str, str, str | None, str | None, str | None]] = []
        self.ratings: list[tuple[Card, int, str | None, int | None, int | None, str | None]] = []
        self.companies = self._company_pool()

    # -- time helpers --

    def fixed(self, key: str) -> int:
        """A fixed count, scaled down for books under 1,000 cards."""
        value = FIXED[key] * self.scale
        return max(1, round(value)) if self.n >= 50 else round(value)

    def midnight(self, day: int) -> int:
        """Epoch seconds of the local midnight starting `day` (an ordinal)."""
        cached = self._midnights.get(day)
        if cached is None:
            local = datetime.combine(date.fromordinal(day), dtime(), tzinfo=self.tz)
            cached = self._midnights[day] = int(local.timestamp())
        return cached

    def local_day(self, moment: int) -> int:
        """The local day of a moment, with the zone's offset at "now" (exact for zones without
        daylight saving time such as Asia/Shanghai; only an hour off elsewhere, and generated
        moments lie in working hours, far from midnight)."""
        return (moment + self.offset) // DAY + EPOCH_ORDINAL

    def at_work(self, day: int) -> int:
        """A moment during working hours (08:30-20:00 local) on `day`."""
        return self.midnight(day) + self.rng.randint(30_600, 72_000)

    def due_columns(self, due: int | None, all_day: bool | int | None) -> tuple[Any, Any]:
        """`due_at` and `due_on` as schema 0005 stores them: an all-day promise's calendar date
        in `due_on`, and that date's midnight in UTC in `due_at` (a sort key only)."""
        if due is None or not all_day:
            return self.ts(due), None
        day = date.fromordinal(self.local_day(due)).isoformat()
        return f"{day} 00:00:00.000000", day

    def ts(self, moment: int | None) -> str | None:
        """UTC text as SQLModel's UTCDateTime stores it on SQLite."""
        if moment is None:
            return None
        days, rest = divmod(moment, DAY)
        text = self._day_text.get(days)
        if text is None:
            text = self._day_text[days] = (date(1970, 1, 1) + timedelta(days=days)).isoformat()
        hours, rest = divmod(rest, 3600)
        minutes, seconds = divmod(rest, 60)
        return f"{text} {hours:02d}:{minutes:02d}:{seconds:02d}.000000"

    def ds(self, day: int | None) -> str | None:
        if day is None:
            return None
        text = self._date_text.get(day)
        if text is None:
            text = self._date_text[day] = date.fromordinal(day).isoformat()
        return text

    def between(self, start: int, end: int) -> int:
        return start if end <= start else self.rng.randint(start, end)

    def work_between(self, start: int, end: int) -> int:
        """A moment in working hours on a day from `start` to `end`, kept inside them."""
        day = self.between(self.local_day(start), self.local_day(end))
        return min(max(self.at_work(day), start), end)

    # -- people and companies --

    def _company_pool(self) -> list[tuple[str, str, bool]]:
        """(name, mail domain, latin) for max(40, N/8) companies; many cards share one."""
        rng = self.rng
        pool = []
        for k in range(max(40, self.n // 8)):
            if rng.random() < LATIN_SHARE:
                brand = rng.choice(LATIN_BRAND)
                trade = rng.choice(LATIN_TRADE)
                name = f"{brand} {trade} {rng.choice(LATIN_SUFFIX)}".strip()
                domain = f"{brand}-{trade}".lower().replace(" ", "") + f"{k}.com"
                pool.append((name, domain, True))
            else:
                city = rng.choice(CN_CITY) if rng.random() < 0.6 else ""
                brand = rng.choice(CN_BRAND)
                name = f"{city}{brand}{rng.choice(CN_TRADE)}{rng.choice(CN_SUFFIX)}"
                pool.append((name, f"corp{k}.com.cn", False))
        return pool

    def address(self, latin: bool) -> str:
        rng = self.rng
        if latin:
            return f"{rng.randint(1, 200)} Market Street, {rng.randint(10000, 99999)} Springfield"
        city, district, road = rng.choice(CN_STREETS)
        return f"{city}市{district}{road}{rng.randint(1, 999)}号"

    def chinese_name(self, given_chars: int | None = None) -> tuple[str, str]:
        rng = self.rng
        surname, sp = W_SURNAME.pick(rng)
        count = given_chars if given_chars is not None else (1 if rng.random() < 0.3 else 2)
        if len(surname) == 2:
            count = 1
        chars = [rng.choice(GIVEN) for _ in range(count)]
        return surname + "".join(c for c, _ in chars), "".join(p for _, p in chars) + "." + sp

    def probe_cards(self, key: str, *, latin: bool) -> set[int]:
        """The live cards (besides the showcase ones) that carry a search word: FIXED[key] in
        all, the showcase card being one of them."""
        candidates = [c.index for c in self.cards[3:] if c.live and c.latin == latin]
        count = min(max(self.fixed(key) - 1, 0), len(candidates))
        return set(self.rng.sample(candidates, count))

    def latin_name(self, last: str | None = None) -> tuple[str, str]:
        rng = self.rng
        first = rng.choice(LATIN_FIRST)
        surname = last or W_LATIN_LAST.pick(rng)
        name = unicodedata.normalize("NFC", f"{first} {surname}")
        ascii_ = unicodedata.normalize("NFKD", f"{first}.{surname}").encode("ascii", "ignore")
        return name, ascii_.decode().lower().replace(" ", "").replace("'", "")

    def phone(self, latin: bool) -> str:
        rng = self.rng
        if latin and rng.random() < 0.7:
            return rng.choice(
                [
                    f"+49 30 {rng.randint(1000000, 9999999)}",
                    f"+1 415 555 {rng.randint(0, 9999):04d}",
                    f"+44 20 7946 {rng.randint(0, 9999):04d}",
                    f"+33 1 {rng.randint(10, 99)} {rng.randint(10, 99)} {rng.randint(10, 99)}",
                ]
            )
        prefix = rng.choice(["138", "139", "135", "136", "150", "158", "186", "188", "133", "189"])
        number = f"{rng.randint(0, 99999999):08d}"
        if rng.random() < 0.5:
            return f"{prefix} {number[:4]} {number[4:]}"
        return f"+86 {prefix}{number}" if rng.random() < 0.2 else f"{prefix}{number}"

    # -- the plan of each card --

    def plan_cards(self) -> None:
        rng = self.rng
        for i in range(self.n):
            grade = W_GRADE.pick(rng)
            latin = rng.random() < LATIN_SHARE
            live = rng.random() >= ARCHIVED_SHARE
            self.cards.append(Card(i, grade, latin, live))
        # Three cards the benchmark uses: a busy A card (`show`), a B card to write to (`log`,
        # `promise add`), and a Latin card whose surname is the 5-letter search word.
        showcase = self.cards[:3]
        for card, grade, latin in zip(showcase, "ABB", (False, False, True), strict=True):
            card.grade, card.latin, card.live = grade, latin, True
        live_ids = [c.index for c in self.cards[3:] if c.live]
        due_k = min(self.fixed("followup_due"), len(live_ids))
        week_k = min(self.fixed("followup_week"), len(live_ids) - due_k)
        chosen = rng.sample(live_ids, due_k + week_k)
        due_set, week_set = set(chosen[:due_k]), set(chosen[due_k:])
        cn_probe_set = self.probe_cards("search_cn", latin=False)
        latin_probe_set = self.probe_cards("search_latin", latin=True)
        for card in self.cards:
            if card.index == 0 or card.index in cn_probe_set:  # the Chinese search word
                card.name, card.pinyin = PROBE_CN, PROBE_CN_PINYIN
            elif card.index == 2 or card.index in latin_probe_set:  # the 5-letter search word
                card.name, card.pinyin = self.latin_name(PROBE_LATIN)
            elif card.latin:
                card.name, card.pinyin = self.latin_name()
            else:
                card.name, card.pinyin = self.chinese_name()
                while PROBE_CN in card.name:  # only the probe cards carry the search word
                    card.name, card.pinyin = self.chinese_name()
            where = "due" if card.index in due_set else "week" if card.index in week_set else ""
            self.plan_followup(card, where)
            self.plan_contacts(card, busy=card.index == 0)
            self.plan_grades(card)
            if not card.live:
                start = max(card.created, card.last_contact or 0) + 60
                card.archived = self.between(start, self.now - 60)

    def plan_followup(self, card: Card, where: str) -> None:
        """Choose the next follow-up first, then a last contact consistent with it (the cadence
        rules of docs/agenda.md), then the day the card was added."""
        rng = self.rng
        cadence = CADENCE[card.grade]
        today = self.today
        never = False
        if where == "due":
            nxt = today if rng.random() < 0.35 else today - rng.randint(1, 20)
        elif where == "week":
            nxt = today + rng.randint(1, 6)
        else:
            nxt = 0
        roll = rng.random()
        grade = card.grade
        if grade in "CD" and roll < 0.4:
            kind = "recheck"
            nxt = nxt or today + rng.randint(7, 200)
        elif (grade == "A" and not where) or (grade in "BE" and roll < 0.3) or roll < 0.07:
            kind = "explicit"
            nxt = nxt or today + rng.randint(7, {"A": 30, "B": 45, "E": 60}.get(grade, 365))
        else:
            kind = "cadence"
            if grade == "F" and roll > 0.92 and card.index > 2:
                never = True
            nxt = nxt or today + rng.randint(7, cadence - 1)
        card.next_on = nxt
        card.followup_kind = kind
        if never:  # added one cadence ago and never contacted since
            card.created = self.at_work(nxt - cadence)
            card.created = min(card.created, self.now - 3600)
            return
        if kind == "cadence":
            last_day = nxt - cadence
        elif kind == "explicit":
            last_day = min(today - 1, nxt - rng.randint(1, 30))
        else:
            last_day = min(today - 1, nxt - rng.randint(20, 200))
        card.last_contact = self.at_work(last_day)
        # A re-check is always set with `snooze --reason`; an explicit date half the time with
        # `snooze`, else with `log --next` on the last contact (which clears the note).
        if kind == "recheck" or (kind == "explicit" and rng.random() < 0.5):
            notes = RECHECK_NOTES if kind == "recheck" else EXPLICIT_NOTES
            card.followup_note = rng.choice(notes)
            snooze_day = self.between(last_day, min(today, nxt) - 1)
            card.snoozed_at = min(self.at_work(snooze_day), self.now - 60)
            card.snoozed_at = max(card.snoozed_at, card.last_contact + 60)
        three_years_ago = self.now - 3 * YEAR_DAYS * DAY
        latest = card.last_contact - DAY
        if card.index < 3:  # the showcase cards are old friends
            latest = min(latest, self.now - 900 * DAY)
        card.created = self.between(three_years_ago, latest)

    def plan_contacts(self, card: Card, *, busy: bool) -> None:
        rng = self.rng
        if card.last_contact is None:
            return
        low, high = CONTACTS[card.grade]
        count = 40 if busy else rng.randint(low, high)
        never_visited = card.grade == "F" and rng.random() < 0.6
        latin = card.latin
        first_day, last_day = self.local_day(card.created), self.local_day(card.last_contact)
        start, end = card.created + 60, card.last_contact - 60
        moments = []
        for _ in range(count - 1):
            at = self.at_work(self.between(first_day, last_day))
            moments.append(start if at < start else end if at > end else at)
        moments.sort()
        moments.append(card.last_contact)
        last_visit = first_visit = None
        for k, at in enumerate(moments):
            via = W_REMOTE.pick(rng) if never_visited else W_CHANNEL.pick(rng)
            if via in ("visit", "meeting"):
                last_visit = at
                first_visit = first_visit or at
            roll = rng.random()
            if roll < 0.15:
                summary = None
            elif latin or roll > 0.9:
                summary = rng.choice(LATIN_SUMMARIES)
            else:
                summary = rng.choice(CN_SUMMARIES)
            next_on = None
            last = k == count - 1
            if last and card.followup_kind == "explicit" and card.snoozed_at is None:
                next_on = card.next_on  # `log --next`
            elif not last and rng.random() < 0.05:
                next_on = self.local_day(at) + rng.randint(3, 30)
            card.contacts.append((at, via, summary, None, next_on))
        card.last_visit = last_visit
        card.first_visit = first_visit

    def plan_grades(self, card: Card) -> None:
        """The grade history: "added", then the regrades that led to the current grade."""
        rng = self.rng
        path = [card.grade]
        regraded = card.index == 0 or rng.random() < REGRADED[card.grade]
        if card.last_contact is not None and regraded:
            for _ in range(rng.randint(1, 3)):
                # Most people climb one grade at a time; some jump or fall back.
                below = GRADES.index(path[0]) + 1
                if below < len(GRADES) and rng.random() < 0.7:
                    earlier = GRADES[below]
                else:
                    earlier = rng.choice([g for g in GRADES if g != path[0]])
                path.insert(0, earlier)
        end = card.last_contact if card.last_contact is not None else card.created + 1
        moments = sorted(self.work_between(card.created + 60, end) for _ in path[1:])
        card.grades.append((None, path[0], card.created, "added"))
        for k, moment in enumerate(moments):
            reason = rng.choice(REGRADE_REASONS[path[k + 1]])
            card.grades.append((path[k], path[k + 1], moment, reason))

    # -- everything else on the cards --

    def plan_extras(self) -> None:
        rng = self.rng
        for card in self.cards:
            if card.last_contact is not None:
                if card.index == 0 or rng.random() < CUSTOMER_SHARE:
                    self.plan_sales(card)
                self.plan_closed_promises(card)
            if rng.random() < BIRTHDAY_SHARE or card.index == 0:
                self.plan_birthday(card)
            if rng.random() < OTHER_OCCASION_SHARE:
                self.plan_occasion(card)
            if rng.random() < PERSON_SHARE or card.index == 0:
                self.plan_people(card)
            if card.index == 0 or rng.random() < (
                RATED_SHARE * 2 if card.customer else RATED_SHARE
            ):
                self.plan_ratings(card)
        live = [c for c in self.cards if c.live and c.last_contact is not None and c.index > 2]
        self.plan_open_promises(live)
        self.plan_complaints(live)
        self.plan_thanks(live)
        self.plan_near_occasions([c for c in self.cards if c.live and c.index > 2])

    def plan_sales(self, card: Card) -> None:
        rng = self.rng
        assert card.last_contact is not None
        card.customer = True
        count = 6 if card.index == 0 else 1 + min(int(rng.expovariate(0.8)), 11)
        for _ in range(count):
            sold = self.work_between(card.created, card.last_contact - 3600)
            major = math.exp(rng.uniform(math.log(300), math.log(300_000)))
            minor = int(major) * 100 if rng.random() < 0.8 else int(major * 100)
            recorded = sold + rng.randint(0, 3600)
            self.sales.append((card, sold, rng.choice(PRODUCTS), minor, recorded))
            card.first_sale = sold if card.first_sale is None else min(card.first_sale, sold)
            card.touched = max(card.touched, recorded)

    def promise_due(self, made: int, kind: str) -> tuple[int, bool]:
        """A due moment after `made`: an appointment at a time, a deliverable on a day (all day)
        or at a time."""
        rng = self.rng
        day = self.local_day(made) + rng.randint(1, 14)
        if kind == "appointment":
            return self.midnight(day) + 3600 * rng.randint(9, 18), False
        if rng.random() < 0.75:
            return self.midnight(day), True
        return self.midnight(day) + 3600 * rng.randint(10, 18), False

    def what(self, card: Card, kind: str) -> tuple[str, str | None]:
        rng = self.rng
        if kind == "appointment":
            return rng.choice(APPOINTMENTS), rng.choice(PLACES)
        return rng.choice(LATIN_PROMISES if card.latin else CN_PROMISES), None

    def plan_closed_promises(self, card: Card) -> None:
        rng = self.rng
        low, high = CLOSED_PROMISES[card.grade]
        count = 5 if card.index == 0 else rng.randint(low, high)
        if card.grade == "F" and rng.random() < 0.15:
            count = 1
        for _ in range(count):
            made = rng.choice(card.contacts)[0]
            kind = "appointment" if rng.random() < 0.35 else "deliverable"
            due, all_day = self.promise_due(made, kind)
            what, place = self.what(card, kind)
            events: list[Any] = [("made", made, due, all_day, None, None, False, None)]
            short = False
            if rng.random() < 0.15:  # moved once
                told = self.between(made + 60, due - 3600)
                point = due if not all_day else self.midnight(self.local_day(due))
                move_short = told > point - 24 * 3600
                due, all_day = self.promise_due(told, kind)
                events.append(
                    ("moved", told, due, all_day, told, None, move_short, rng.choice(MOVE_REASONS))
                )
                short = short or move_short
            end = (
                self.midnight(self.local_day(due) + 1) if all_day or kind == "appointment" else due
            )
            roll = rng.random()
            if roll < 0.70:
                status = "kept"
                closed = (
                    (due + rng.randint(1800, 7200))
                    if kind == "appointment"
                    else (self.between(events[-1][1] + 60, end - 60))
                )
                closed = min(closed, end - 1)
                event = "kept"
            elif roll < 0.80:
                status, event = "kept_late", "kept_late"
                closed = end + rng.randint(3600, 3 * DAY)
            elif roll < 0.88:
                status, event = "cancelled_by_client", "cancelled"
                closed = self.between(events[-1][1] + 60, due - 60)
            elif roll < 0.92:
                status, event = "cancelled_by_me", "cancelled"
                closed = self.between(events[-1][1] + 60, due - 60)
            else:
                status, event = "missed", "missed"
                closed = end + rng.randint(600, 2 * DAY)
            if closed >= self.now - 600:
                continue  # would close in the future: leave it out
            by = {"cancelled_by_client": "client", "cancelled_by_me": "me"}.get(status)
            reason = rng.choice(MOVE_REASONS) if by else None
            events.append((event, closed, None, None, None, by, False, reason))
            plan = PromisePlan(
                card, what, kind, due, all_day, place, status, short, made, closed, events
            )
            self.promises.append(plan)

    def open_promise(self, cards: list[Card], kind: str, due: int, all_day: bool) -> None:
        """An open promise due at `due`, made on a card that existed two days before."""
        rng = self.rng
        card = rng.choice(cards)
        for _ in range(20):
            if card.created < due - 2 * DAY:
                break
            card = rng.choice(cards)
        what, place = self.what(card, kind)
        earliest = max(card.created + 60, due - 14 * DAY)
        made = self.between(earliest, min(self.now - 600, due - 3600))
        events: list[Any] = [("made", made, due, all_day, None, None, False, None)]
        if rng.random() < 0.2:  # moved once, politely: told a day or more ahead
            first_day = self.local_day(made) + max(
                1, (self.local_day(due) - self.local_day(made)) // 2
            )
            first = self.midnight(first_day) + (
                0 if all_day else due - self.midnight(self.local_day(due))
            )
            latest_told = min(first - 25 * 3600, self.now - 600)
            if made < first < due and made + 60 <= latest_told:
                told = self.between(made + 60, latest_told)
                reason = rng.choice(MOVE_REASONS)
                events = [
                    ("made", made, first, all_day, None, None, False, None),
                    ("moved", told, due, all_day, told, None, False, reason),
                ]
        self.promises.append(
            PromisePlan(card, what, kind, due, all_day, place, "open", False, made, None, events)
        )

    def plan_open_promises(self, live: list[Card]) -> None:
        rng = self.rng
        today = self.today
        busy = [c for c in live if c.grade in "AB"] or live
        if not busy:
            return

        def on_day(day: int, hour: int | None = None) -> tuple[int, bool]:
            if hour is None:
                return self.midnight(day), True
            return self.midnight(day) + 3600 * hour, False

        for _ in range(self.fixed("promise_overdue")):
            self.open_promise(busy, "deliverable", *on_day(today - rng.randint(1, 10)))
        for k in range(self.fixed("promise_today")):
            self.open_promise(busy, "deliverable", *on_day(today, 17 if k % 2 else None))
        for _ in range(self.fixed("appointment_soon")):
            due = self.now + 3600 * rng.randint(2, 22)
            self.open_promise(busy, "appointment", due, False)
        for k in range(self.fixed("appointment_passed")):
            day = today - (k % 2)
            self.open_promise(busy, "appointment", self.midnight(day) + 8 * 3600, False)
        for _ in range(self.fixed("promise_week")):
            kind = "appointment" if rng.random() < 0.4 else "deliverable"
            day = today + rng.randint(2, 6)
            hour = rng.randint(9, 18) if kind == "appointment" or rng.random() < 0.3 else None
            self.open_promise(busy, kind, *on_day(day, hour))
        for _ in range(round(self.n * LATER_OPEN_PROMISE_SHARE)):
            kind = "appointment" if rng.random() < 0.3 else "deliverable"
            hour = rng.randint(9, 18) if kind == "appointment" else None
            self.open_promise(live, kind, *on_day(today + rng.randint(7, 60), hour))
        showcase = self.cards[0]
        self.open_promise([showcase], "deliverable", *on_day(today + 3))
        self.open_promise([showcase], "appointment", *on_day(today + 5, 15))

    def complaint(self, card: Card, received: int, resolved: bool) -> None:
        rng = self.rng
        severity = W_SEVERITY.pick(rng)
        steps: list[Step] = [("received", received, None, None)]
        at = received
        rounds = 2 if resolved and rng.random() < 0.1 else 1  # reopened once
        for r in range(rounds):
            for _ in range(rng.randint(0 if not resolved else 1, 3)):
                at = min(at + rng.randint(1800, 2 * DAY), self.now - 60)
                if not resolved and at >= self.now - 60:
                    break
                steps.append(("step", at, rng.choice(COMPLAINT_STEPS), None))
            if resolved:
                at = at + rng.randint(3600, 3 * DAY)
                sat = rng.choice([2, 3, 4, 4, 4, 5, 5])
                steps.append(("resolved", at, rng.choice(COMPLAINT_RESULTS), sat))
                if r + 1 < rounds:
                    at += rng.randint(DAY, 10 * DAY)
                    steps.append(("reopened", at, "it happened again", None))
        self.complaints.append((card, rng.choice(COMPLAINTS), severity, received, steps))

    def why(self, what: str, *, known: bool) -> tuple[str | None, str | None, str]:
        """A complaint's cause, cause note and responsibility: always a cause once resolved,
        about half the time while open."""
        rng = self.why_rng
        if not known and rng.random() >= OPEN_CAUSE_KNOWN:
            return None, None, "unknown"
        cause, weights = COMPLAINT_CAUSES[what]
        names, shares = zip(*weights, strict=True)
        responsible = rng.choices(names, shares)[0]
        note = rng.choice(CAUSE_NOTES) if rng.random() < CAUSE_NOTE_SHARE else None
        return cause, note, responsible

    def plan_complaints(self, live: list[Card]) -> None:
        rng = self.rng
        # Resolved complaints, mostly from customers, received at least 40 days ago (a
        # resolution, even after a reopening, takes at most about 30 days here).
        cutoff = self.now - 40 * DAY
        old = [c for c in self.cards if c.last_contact is not None and c.created < cutoff]
        customers = [c for c in old if c.customer]
        for _ in range(round(self.n * RESOLVED_COMPLAINT_SHARE)):
            pool = customers if customers and rng.random() < 0.8 else old
            if not pool:
                break
            card = rng.choice(pool)
            assert card.last_contact is not None
            received = self.work_between(card.created, min(card.last_contact, cutoff))
            self.complaint(card, received, resolved=True)
        for _ in range(self.fixed("complaint_open")):
            card = rng.choice(live)
            received = self.work_between(self.now - 6 * DAY, self.now - 3600)
            self.complaint(card, received, resolved=False)
        showcase = self.cards[0]
        assert showcase.last_contact is not None
        self.complaint(showcase, showcase.last_contact - 40 * DAY, resolved=True)

    def plan_thanks(self, live: list[Card]) -> None:
        """A few sales in the last days that nobody has thanked for yet (after the last
        contact); every other sale lies before its card's last contact, so it was thanked."""
        rng = self.rng
        candidates = [c for c in live if not c.customer and c.snoozed_at is None]
        for k in range(min(self.fixed("thanks"), len(candidates))):
            card = candidates.pop(rng.randrange(len(candidates)))
            assert card.last_contact is not None
            # Sold 1-4 days ago: a thank-you overdue, due today or due in the coming days.
            sold = self.now - (1 + k % 4) * DAY + rng.randint(-3 * 3600, 0)
            sold = max(sold, card.last_contact + 3600)
            amount = rng.randint(5, 500) * 10_000
            self.sales.append((card, sold, rng.choice(PRODUCTS), amount, sold + 600))
            card.customer = True
            card.first_sale = sold
            card.thanks_due = sold + 2 * DAY
            card.touched = max(card.touched, sold + 600)

    def near(self, month: int, day: int) -> bool:
        """Whether a yearly date falls in the window around today kept free of bulk dates."""
        today = date.fromordinal(self.today)
        for year in (today.year - 1, today.year, today.year + 1):
            try:
                offset = date(year, month, day).toordinal() - self.today
            except ValueError:  # 29 February
                continue
            if NEAR_WINDOW[0] <= offset <= NEAR_WINDOW[1]:
                return True
        return False

    def month_day(self) -> tuple[int, int]:
        while True:
            when = date(2024, 1, 1) + timedelta(days=self.rng.randrange(366))
            if not self.near(when.month, when.day):
                return when.month, when.day

    def plan_birthday(self, card: Card) -> None:
        rng = self.rng
        month, day = self.month_day()
        year = None
        if rng.random() < 0.6:
            year = rng.randint(1950, 2002)
            while month == 2 and day == 29 and year % 4:
                year += 1
        note = rng.choice([None, None, None, "likes tea", "喜欢红酒", "send a card"])
        self.key_dates.append((card, "birthday", month, day, year, True, note))

    def plan_occasion(self, card: Card) -> None:
        rng = self.rng
        kind = W_OCCASION.pick(rng)
        month, day = self.month_day()
        yearly = kind in ("anniversary", "other") or rng.random() < 0.3
        year = rng.randint(date.fromordinal(self.today).year - 3, date.fromordinal(self.today).year)
        while month == 2 and day == 29 and year % 4:
            year -= 1
        if not yearly and date(year, month, day).toordinal() > self.today:
            year -= 1
            while month == 2 and day == 29 and year % 4:
                year -= 1
        self.key_dates.append((card, kind, month, day, year, yearly, None))

    def plan_near_occasions(self, live: list[Card]) -> None:
        rng = self.rng
        for k in range(min(self.fixed("occasion_near"), len(live))):
            card = rng.choice(live)
            when = date.fromordinal(self.today + rng.randint(0, 10))
            kind = ["birthday", "birthday", "birthday", "birthday", "promotion", "company-move"][
                k % 6
            ]
            yearly = kind == "birthday"
            year = rng.randint(1955, 2000) if yearly else when.year
            if when.month == 2 and when.day == 29:
                year = 1988
            self.key_dates.append((card, kind, when.month, when.day, year, yearly, None))

    def plan_people(self, card: Card) -> None:
        rng = self.rng
        for _ in range(2 if card.index == 0 or rng.random() < 0.2 else 1):
            name, pinyin = self.latin_name() if card.latin else self.chinese_name()
            role = W_ROLE.pick(rng)
            phone = self.phone(card.latin) if rng.random() < 0.7 else None
            email = f"{pinyin}@example.com" if rng.random() < 0.3 else None
            note = rng.choice([None, None, None, "knows the purchase plan", "很热情", "gatekeeper"])
            self.people.append((card, name, role, phone, email, note))
            card.people.append(f"{name} ({role})")
        # Some contacts were with them.
        for k, (at, via, summary, _, next_on) in enumerate(card.contacts):
            if rng.random() < 0.1:
                card.contacts[k] = (at, via, summary, rng.choice(card.people), next_on)

    def plan_ratings(self, card: Card) -> None:
        rng = self.rng
        count = rng.randint(1, 3)
        moments = sorted(self.work_between(card.created, self.now - 3600) for _ in range(count))
        for k, at in enumerate(moments):
            credit = W_CREDIT.pick(rng) if k == 0 or rng.random() < 0.5 else None
            sat = rng.randint(1, 5) if k == 0 or rng.random() < 0.5 else None
            loyal = rng.randint(1, 5) if k == 0 or rng.random() < 0.5 else None
            self.ratings.append((card, at, credit, sat, loyal, rng.choice(RATING_REASONS)))
            card.touched = max(card.touched, at)
            card.credit = credit or card.credit
            card.satisfaction = sat or card.satisfaction
            card.loyalty = loyal or card.loyalty

    # -- rows --

    def dues(self, card: Card) -> list[int]:
        """Schema 0010: when each contact was due (`contact.due_by`, the end of the due day),
        as `log` records it: the day the contact before it (or the card's creation) set, by
        its `--next` or else by the grade's cadence. Every generated contact is a sales one."""
        due_day = self.local_day(card.created) + CADENCE[card.grade]
        out = []
        for at, _, _, _, next_on in card.contacts:
            out.append(self.midnight(due_day + 1))
            due_day = next_on if next_on is not None else self.local_day(at) + CADENCE[card.grade]
        return out

    def client_rows(self) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        rng = self.rng
        # Ids follow the day each card was added, as they would in real use.
        self.cards.sort(key=lambda c: (c.created, c.index))
        customers: list[int] = []
        rows: list[tuple[Any, ...]] = []
        tags: list[tuple[Any, ...]] = []
        ts = self.ts
        for k, card in enumerate(self.cards):
            card.id = k + 1
            company: str | None
            if rng.random() < 0.8:
                company, domain, _ = rng.choice(self.companies)
            else:  # a private client
                company, domain = (
                    None,
                    rng.choice(["qq.com", "163.com", "gmail.com", "outlook.com"]),
                )
            titles = LATIN_TITLES if card.latin else CN_TITLES
            title = rng.choice(titles) if rng.random() < 0.6 else None
            phone = self.phone(card.latin) if rng.random() < 0.85 else None
            email = None
            if rng.random() < (0.7 if card.latin else 0.4):
                email = f"{card.pinyin}@{domain}"
            address = None
            if rng.random() < 0.35:
                address = self.address(card.latin)
            notes = None
            if rng.random() < 0.25:
                notes = rng.choice(LATIN_NOTES if card.latin else CN_NOTES)
            referred = None
            source = W_SOURCE.pick(rng) if rng.random() < 0.7 else None
            if k > 0 and rng.random() < REFERRED_SHARE:
                if customers and rng.random() < 0.7:  # customers refer most new clients
                    referred = rng.choice(customers)
                else:
                    referred = rng.randint(1, k)
                source = "referral" if card.latin else "转介绍"
            if card.customer:
                customers.append(card.id)
            stamps = [card.created, card.snoozed_at or 0, card.archived or 0, card.touched]
            stamps += [g[2] for g in card.grades]
            if card.contacts:
                stamps.append(min(card.contacts[-1][0] + 300, self.now))
            card.updated = max(stamps)
            name = card.name
            row = (
                card.id, name, name.casefold(), company, title, phone, email, address, source,
                referred, notes, card.grade, None, ts(card.created), ts(card.updated),
                ts(card.archived), ts(card.last_contact), ts(card.last_visit),
                self.ds(card.next_on), card.followup_kind, card.followup_note,
                ts(card.first_sale), ts(card.thanks_due), card.credit, card.satisfaction,
                card.loyalty,
                search_key(
                    name, company, notes, _phones_searched(phone), email,
                    *pinyin.search_forms(name, company),
                ),
                # Schema 0005: since when the card holds its grade, the last sales follow-up
                # (every generated contact is one), the keys for duplicates, and since when a
                # thank-you is pending (the sale not yet followed by a contact).
                ts(max(g[2] for g in card.grades)), ts(card.last_contact), phone_key(phone),
                email_key(email), ts(card.thanks_due - 2 * DAY) if card.thanks_due else None,
                ts(card.created) if referred else None,  # referred when it was added
                ts(card.first_visit),  # schema 0010: the first visit
                # schema 0012: the name's pinyin and initials, and what it sorts by
                *(pinyin.forms(name) or (None, None)), pinyin.sort_key(name),
            )  # fmt: skip
            rows.append(row)
            count = 0 if rng.random() < 0.35 else 1 if rng.random() < 0.6 else rng.randint(2, 3)
            chosen = {W_TAG.pick(rng) for _ in range(count)}
            if card.index == 0:
                chosen |= {"vip", "老客户"}
            tags.extend((card.id, tag) for tag in sorted(chosen))
        return rows, tags

    def rows(self) -> dict[str, list[tuple[Any, ...]]]:
        ts, ds = self.ts, self.ds
        clients, tags = self.client_rows()
        out: dict[str, list[tuple[Any, ...]]] = {"client": clients, "client_tag": tags}

        grade_changes = [(c.id, g) for c in self.cards for g in c.grades]
        grade_changes.sort(key=lambda r: (r[1][2], r[0]))
        out["grade_change"] = [
            (k + 1, cid, frm, to, ts(at), why)
            for k, (cid, (frm, to, at, why)) in enumerate(grade_changes)
        ]

        contacts = [
            (ct[0], c.id, ct, due)
            for c in self.cards
            for ct, due in zip(c.contacts, self.dues(c), strict=True)
        ]
        contacts.sort(key=lambda r: (r[0], r[1]))
        out["contact"] = [
            (k + 1, cid, ts(at), via, summary, person, ds(nxt), ts(min(at + 60, self.now)), 0,
             ts(due))
            for k, (_, cid, (at, via, summary, person, nxt), due) in enumerate(contacts)
        ]  # fmt: skip
        del contacts

        self.promises.sort(key=lambda p: (p.made, p.card.id))
        promise_rows = []
        events = []
        for k, p in enumerate(self.promises):
            pid = k + 1
            short = int(p.short_notice or any(e[6] for e in p.events))
            due_at, due_on = self.due_columns(p.due, p.all_day)
            promise_rows.append(
                (pid, p.card.id, p.what, p.kind, due_at, int(p.all_day), p.place, p.status,
                 short, ts(p.made), ts(p.closed), due_on)
            )  # fmt: skip
            for ev, at, due, all_day, told, by, short, reason in p.events:
                allday = None if all_day is None else int(all_day)
                events.append((at, pid, ev, due, allday, told, by, int(short), reason))
        events.sort(key=lambda e: (e[0], e[1]))
        out["promise"] = promise_rows
        out["promise_event"] = [
            (k + 1, pid, ev, ts(at), *self.due_columns(due, allday), allday, ts(told), by, short,
             reason)
            for k, (at, pid, ev, due, allday, told, by, short, reason) in enumerate(events)
        ]  # fmt: skip

        self.complaints.sort(key=lambda c: (c[3], c[0].id))
        complaint_rows = []
        steps: list[tuple[int, int, str, str | None, int | None]] = []
        for k, (card, what, severity, received, timeline) in enumerate(self.complaints):
            cid = k + 1
            responses = [s[1] for s in timeline if s[0] == "step"]
            resolved = [s for s in timeline if s[0] == "resolved"]
            open_ = timeline[-1][0] not in ("resolved",)
            last = resolved[-1] if resolved and not open_ else None
            first_response = ts(responses[0]) if responses else None
            resolved_at, result, sat = (ts(last[1]), last[2], last[3]) if last else (None,) * 3
            status = "open" if open_ else "resolved"
            cause, note, responsible = self.why(what, known=not open_)
            complaint_rows.append(
                (cid, card.id, what, severity, status, ts(received), first_response, resolved_at,
                 result, sat, cause, note, responsible)
            )  # fmt: skip
            steps.extend((at, cid, kind, text, sat) for kind, at, text, sat in timeline)
        steps.sort(key=lambda s: (s[0], s[1]))
        out["complaint"] = complaint_rows
        out["complaint_step"] = [
            (k + 1, cid, kind, ts(at), text, sat)
            for k, (at, cid, kind, text, sat) in enumerate(steps)
        ]

        self.sales.sort(key=lambda s: (s[4], s[0].id))
        out["sale"] = [
            (k + 1, card.id, minor, what, ts(sold), ts(recorded))
            for k, (card, sold, what, minor, recorded) in enumerate(self.sales)
        ]
        self.key_dates.sort(key=lambda d: d[0].id)
        out["key_date"] = [
            (k + 1, card.id, kind, month, day, year, int(yearly), note)
            for k, (card, kind, month, day, year, yearly, note) in enumerate(self.key_dates)
        ]
        out["holiday"] = self.holidays()
        self.people.sort(key=lambda p: p[0].id)
        out["person"] = [
            (k + 1, card.id, name, role, phone, email, note)
            for k, (card, name, role, phone, email, note) in enumerate(self.people)
        ]
        self.ratings.sort(key=lambda r: (r[1], r[0].id))
        out["rating_change"] = [
            (k + 1, card.id, ts(at), credit, sat, loyal, why)
            for k, (card, at, credit, sat, loyal, why) in enumerate(self.ratings)
        ]
        return out

    def holidays(self) -> list[tuple[Any, ...]]:
        """Real holidays within a year of today, except any in the window around today."""
        today = date.fromordinal(self.today)
        found: list[tuple[date, str, str]] = []
        for year in (today.year - 1, today.year, today.year + 1):
            for (month, day), name, audience in FIXED_HOLIDAYS:
                found.append((date(year, month, day), name, audience))
        for name, days in LUNAR_HOLIDAYS.items():
            found.extend((date.fromisoformat(d), name, "customers") for d in days)
        kept = sorted(
            (d, name, audience)
            for d, name, audience in found
            if abs(d.toordinal() - self.today) <= YEAR_DAYS
            and not NEAR_WINDOW[0] <= d.toordinal() - self.today <= NEAR_WINDOW[1]
        )
        return [(k + 1, d.isoformat(), name, aud) for k, (d, name, aud) in enumerate(kept)]

    def probes(self) -> dict[str, Any]:
        by_index = {c.index: c for c in self.cards}
        busy, writer, latin = by_index[0], by_index[1], by_index[2]
        live = [c for c in self.cards if c.archived is None]
        word = PROBE_LATIN.casefold()
        return {
            "busy_id": busy.id,
            "busy_name": busy.name,
            "write_id": writer.id,
            "write_name": writer.name,
            "latin_id": latin.id,
            "search_cn": PROBE_CN,
            "search_cn_name_matches": sum(PROBE_CN in c.name for c in live),
            "search_latin": PROBE_LATIN,
            "search_latin_name_matches": sum(word in c.name.casefold() for c in live),
            "live_cards": len(live),
        }


TABLE_COLUMNS = {
    "client": (
        "id, name, name_key, company, title, phone, email, address, source, referred_by_id, "
        "notes, grade, owner, created_at, updated_at, archived_at, last_contact_at, "
        "last_visit_at, next_followup_on, followup_kind, followup_note, first_sale_at, "
        "thanks_due_at, credit, satisfaction, loyalty, search_key, graded_at, followed_up_at, "
        "phone_key, email_key, thanks_since, referred_at, first_visit_at, pinyin, initials, "
        "sort_key"
    ),
    "client_tag": "client_id, tag",
    "grade_change": "id, client_id, from_grade, to_grade, changed_at, reason",
    "contact": (
        "id, client_id, at, via, summary, with_person, next_on, logged_at, greeting, due_by"
    ),
    "promise": (
        "id, client_id, what, kind, due_at, all_day, place, status, short_notice, made_at, "
        "closed_at, due_on"
    ),
    "promise_event": (
        "id, promise_id, event, at, due_at, due_on, all_day, told_at, by, short_notice, reason"
    ),
    "complaint": (
        "id, client_id, what, severity, status, received_at, first_response_at, resolved_at, "
        "result, satisfaction, cause, cause_note, responsibility"
    ),
    "complaint_step": "id, complaint_id, kind, at, text, satisfaction",
    "sale": "id, client_id, amount_minor, what, sold_at, recorded_at",
    "key_date": "id, client_id, kind, month, day, year, yearly, note",
    "holiday": 'id, "on", name, audience',
    "person": "id, client_id, name, role, phone, email, note",
    "rating_change": "id, client_id, at, credit, satisfaction, loyalty, reason",
}


def _phones_searched(phone: str | None) -> str | None:
    """A phone as clientcard's search key holds it (issue 14): as typed and as its key."""
    key = phone_key(phone)
    return " ".join(p for p in (phone, key) if p) or None


def generate(cards: int, seed: int, now: datetime, tz: tzinfo) -> Book:
    """The whole book in memory: rows per table (insertion order) and the probes."""
    if cards < 3:
        raise ValueError("a book needs at least 3 cards")
    gen = Generator(cards, seed, now, tz)
    gen.plan_cards()
    gen.plan_extras()
    rows = gen.rows()
    return Book(rows=rows, probes=gen.probes())


def create_schema(path: Path) -> None:
    """An empty database at clientcard's head schema, built by its own migrations."""
    from clientcard.store.migrate import open_database

    engine = open_database(str(path))
    engine.dispose()


def load(path: Path, book: Book) -> None:
    conn = sqlite3.connect(path, isolation_level=None)
    try:
        conn.execute("PRAGMA journal_mode = WAL")
        conn.execute("PRAGMA synchronous = OFF")
        conn.execute("PRAGMA cache_size = -262144")  # 256 MiB
        conn.execute("BEGIN")
        # The search index (issue 18) is built once at the end, from every row, as migration
        # 0014 builds it for an existing book: not row by row by its triggers.
        fulltext.drop(conn.execute, "sqlite")
        for table, columns in TABLE_COLUMNS.items():
            rows = book.rows[table]
            if not rows:
                continue
            marks = ", ".join("?" * len(rows[0]))
            conn.executemany(f"INSERT INTO {table} ({columns}) VALUES ({marks})", rows)
        fulltext.create(conn.execute, "sqlite")
        conn.execute("COMMIT")
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        conn.close()


def source_digest() -> str:
    """A digest of this file and of clientcard's migrations: a cached book is stale when the
    generator or the schema (an index, say) changed."""
    from clientcard.store import migrate

    digest = hashlib.sha256(Path(__file__).read_bytes())
    for script in sorted((migrate.MIGRATIONS_DIR / "versions").glob("*.py")):
        digest.update(script.read_bytes())
    return digest.hexdigest()[:16]


def parse_now(text: str, tz: tzinfo) -> datetime:
    moment = datetime.fromisoformat(text)
    return moment.replace(tzinfo=tz) if moment.tzinfo is None else moment


def build(
    path: Path,
    cards: int = DEFAULT_CARDS,
    seed: int = DEFAULT_SEED,
    now: str = DEFAULT_NOW,
    tz: str = DEFAULT_TZ,
    *,
    force: bool = False,
) -> dict[str, Any]:
    """Generate the book into `path` (built next to it, then renamed) and write `<path>.json`.
    Returns the metadata: parameters, probes, row counts and seconds."""
    started = time.perf_counter()
    zone = ZoneInfo(tz)
    if path.exists() and not force:
        raise FileExistsError(f"{path} exists; pass --force to replace it")
    path.parent.mkdir(parents=True, exist_ok=True)
    part = path.with_name(path.name + ".part")
    for stale in (part, Path(f"{part}-wal"), Path(f"{part}-shm")):
        stale.unlink(missing_ok=True)
    create_schema(part)
    schema_at = time.perf_counter()
    book = generate(cards, seed, parse_now(now, zone), zone)
    generated_at = time.perf_counter()
    load(part, book)
    for old in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        old.unlink(missing_ok=True)
    os.replace(part, path)
    done = time.perf_counter()
    meta = {
        "cards": cards,
        "seed": seed,
        "now": now,
        "tz": tz,
        "generator": source_digest(),
        "probes": book.probes,
        "rows": {table: len(rows) for table, rows in book.rows.items()},
        "seconds": {
            "schema": round(schema_at - started, 2),
            "generate": round(generated_at - schema_at, 2),
            "load": round(done - generated_at, 2),
            "total": round(done - started, 2),
        },
    }
    Path(f"{path}.json").write_text(json.dumps(meta, indent=2, ensure_ascii=False) + "\n")
    return meta


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--cards", type=int, default=DEFAULT_CARDS, help="number of cards")
    parser.add_argument("--db", type=Path, required=True, help="the SQLite file to create")
    parser.add_argument("--seed", type=int, default=DEFAULT_SEED)
    parser.add_argument("--now", default=DEFAULT_NOW, help="'now' of the book (ISO date-time)")
    parser.add_argument("--tz", default=DEFAULT_TZ, help="the local zone (IANA name)")
    parser.add_argument("--force", action="store_true", help="replace an existing file")
    args = parser.parse_args(argv)
    try:
        meta = build(args.db, args.cards, args.seed, args.now, args.tz, force=args.force)
    except (FileExistsError, ValueError) as exc:
        print(f"generate: {exc}", file=sys.stderr)
        return 2
    width = max(len(t) for t in meta["rows"])
    for table, count in meta["rows"].items():
        print(f"{table:<{width}}  {count:>10,}")
    print(f"{'total':<{width}}  {sum(meta['rows'].values()):>10,}")
    secs = meta["seconds"]
    print(
        f"built {args.db} in {secs['total']:.1f} s (schema {secs['schema']:.1f} s, "
        f"generate {secs['generate']:.1f} s, load {secs['load']:.1f} s)"
    )
    print("probes: " + json.dumps(meta["probes"], ensure_ascii=False))
    return 0


if __name__ == "__main__":
    sys.exit(main())
