"""A synthetic but realistic annotated corpus: Chinese local-news articles in our scheme.

`generate(n, seed)` streams `n` articles shaped like data/sample/page-000.annotations.jsonl: an
office organises an observation visit (观摩) of 1-5 sites (villages, communities, service
centres, enterprises, some in other offices or districts, written with their office and district
in front as real reports do), on a date, with a head count, often led by a named office holder,
sometimes about a campaign, sometimes followed by a meeting or preceded by a lecture; the byline
names a reporter and correspondents. Everything is annotated with exact character offsets and
the relations of the scheme (partOf nesting site -> office -> district, organizer, visitedSite in
text order, leader, date, participants, aboutCampaign, holdsPost, postIn).

Names are invented from syllable lists and drawn from pools, so entities repeat across articles
as in real news. Pool sizes grow with n, more slowly than n (see `Pools.sizes`), and have floors,
so even a small corpus repeats its entities. The pools are built once (a few thousand short
strings at n = 10,000); the articles are produced one at a time and never held.

Deterministic for a seed. CLI: `python -m bench.synthetic N -o out.jsonl [--seed S]` writes
doccano relation-extraction JSONL, the format loaders/doccano.py reads.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

from kg.model import AnnotatedArticle, Relation, Span

# Syllables of invented place names and given names; surnames are the common ones.
_PLACE = list("新港官庙明湖东西南北中兴安和平康宁泰丰华盛祥瑞福寿青山河桥柳杨李张王刘陈赵"
              "吴孙周石马龙凤金银铁田园林花草水云星月阳光长乐永昌广利正德仁义礼智信宝")
_SURNAME = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘"
                "于蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱")
_GIVEN = list("军方艳帅琳相晓辉娜明珠晖建强永智伟芳敏静丽勇磊洋艺杰涛超秀英华慧巧美兰霞平刚"
              "桂凤红玉云飞鹏宇浩然子涵欣怡博文俊峰国庆海燕春梅志忠德胜")
_DISTRICT_SUFFIX = ["区", "新区", "实验区", "县"]
_SITE_KINDS = ["Village"] * 6 + ["Community"] * 2 + ["ServiceCenter"] + ["Enterprise"]
_ENTERPRISE_SUFFIX = ["集团", "实业有限公司", "科技有限公司", "食品有限公司", "农业合作社"]
_POSTS = ["党工委书记", "党工委副书记、主任", "主任", "副主任", "党工委委员、副主任",
          "组织委员", "宣传委员", "纪工委书记"]
_CAMPAIGN_STEMS = ["三学三提升", "能力作风建设年", "五星支部创建", "亮赛比", "乡村振兴",
                   "我为群众办实事", "党建引领网格化治理", "人居环境整治", "四个清单", "二次创业",
                   "文明城市创建", "平安建设", "清廉村居", "红色物业", "党员先锋岗"]
_CAMPAIGN_FORMS = ["{}", "{}专项行动", "{}活动", "“{}”主题活动", "{}攻坚行动"]
_TRIGGERS = [("Observation", "观摩比学活动"), ("Observation", "观摩学习"),
             ("Observation", "考察学习"), ("Visit", "调研"), ("Inspection", "督导检查")]
_GROUPS = ["观摩组一行", "观摩团", "考察团", "调研组", "检查组"]
_MEETINGS = ["座谈会", "座谈交流会", "推进会", "表彰大会", "观摩点评会"]
_LECTURES = ["党课", "专题党课", "专题讲座"]
_ATTENDEES = ["办事处全体科级干部、包村领导、各村支部书记", "办事处班子成员、包村干部、支部书记",
              "党工委班子成员、部门中层和各行政村党支部书记", "相关部门负责人和社区各行政村支部书记"]
_HEADLINES = ["开展“{c}”观摩比学活动", "“{c}”争相出彩", "学亮点 找差距 补短板 促提升",
              "组织党员干部 观摩学习先进工作经验", "以观摩促提升 以比学促发展", "{o}开展{c}观摩活动"]
_FILLER = ["大家实地看、比变化、相互评,各村支部书记比差距、学经验,相互借鉴、相互启发。",
           "每到一处,村党支部书记都围绕申报的“星级”创建工作和中心工作开展情况进行汇报。",
           "通过参观学习,大家对基层党建有了新的认识和感悟,纷纷表示要把好经验好做法带回去。",
           "观摩中,大家边看边听边记,认真学习先进经验,查找自身差距。"]
_CLOSING = ["各部门要拔高坐标,提升认识,既要明确分工做好分内的工作,又要团结协作树牢“一盘棋”的意识。",
            "下一步,办事处将持续深化基层党建工作,推动各项任务落地见效。",
            "各党组织要发挥战斗堡垒作用和党员先锋模范作用,上下一心,形成齐抓共管的工作格局。"]


def _pool_size(n: int, scale: float, floor: int) -> int:
    """Grows like n**0.9 (a little slower than n), never below `floor`."""
    return max(floor, round(scale * n ** 0.9))


@dataclass(slots=True)
class Org:
    name: str
    label: str
    parent: "Org | None" = None  # partOf


@dataclass(slots=True)
class Person:
    name: str
    post: str
    office: Org


class Pools:
    """The invented world: districts > offices > villages, communities, centres, enterprises;
    office holders; reporters and correspondents; campaigns."""

    @staticmethod
    def sizes(n: int) -> dict[str, int]:
        return {
            "district": _pool_size(n, 0.004, 3),      # ~17 at 10k
            "office": _pool_size(n, 0.05, 5),          # ~200 at 10k (~ n/50)
            "village": _pool_size(n, 0.5, 20),         # ~2,000 at 10k (~ n/5)
            "community": _pool_size(n, 0.1, 6),        # ~400 at 10k
            "enterprise": _pool_size(n, 0.05, 4),      # ~200 at 10k
            "person": _pool_size(n, 0.8, 15),          # ~3,200 at 10k (~ n/3)
            "reporter": _pool_size(n, 0.001, 2),       # ~4 at 10k
            "correspondent": _pool_size(n, 0.025, 5),  # ~100 at 10k
            "campaign": _pool_size(n, 0.01, 8),        # ~40 at 10k
        }

    def __init__(self, n: int, rng: random.Random) -> None:
        size = self.sizes(n)
        self._rng = rng
        used: set[str] = set()
        self.districts = [Org(self._name(_PLACE, 2, suffix), "District")
                          for suffix in self._suffixes(size["district"], _DISTRICT_SUFFIX)]
        self.offices = [Org(self._place(used, "办事处"), "Office", rng.choice(self.districts))
                        for _ in range(size["office"])]
        self.villages = [Org(self._place(used, "村", (2, 3)), "Village", rng.choice(self.offices))
                         for _ in range(size["village"])]
        self.communities = [Org(self._place(used, "社区"), "Community", rng.choice(self.offices))
                            for _ in range(size["community"])]
        # a community's service centre is named after it and part of it
        self.centres = [Org(c.name + "党群服务中心", "ServiceCenter", c) for c in self.communities]
        self.enterprises = [Org(self._place(used, rng.choice(_ENTERPRISE_SUFFIX)), "Enterprise",
                                rng.choice(self.offices)) for _ in range(size["enterprise"])]
        people: set[str] = set()
        self.persons = [Person(self._person(people), rng.choice(_POSTS), rng.choice(self.offices))
                        for _ in range(size["person"])]
        self.by_office: dict[str, list[Person]] = {}
        for p in self.persons:
            self.by_office.setdefault(p.office.name, []).append(p)
        self.reporters = [self._person(people) for _ in range(size["reporter"])]
        self.correspondents = [self._person(people) for _ in range(size["correspondent"])]
        stems = list(_CAMPAIGN_STEMS)
        self.campaigns = sorted({rng.choice(_CAMPAIGN_FORMS).format(stems[i % len(stems)])
                                 if i >= len(stems) else stems[i]
                                 for i in range(size["campaign"])})
        self.sites = {"Village": self.villages, "Community": self.communities,
                      "ServiceCenter": self.centres, "Enterprise": self.enterprises}
        self.local_sites: dict[str, list[Org]] = {}  # sites by the office they belong to
        for pool in self.sites.values():
            for site in pool:
                self.local_sites.setdefault(_office_of(site).name, []).append(site)

    def _suffixes(self, k: int, suffixes: list[str]) -> list[str]:
        return [self._rng.choice(suffixes) for _ in range(k)]

    def _name(self, syllables: list[str], k: int, suffix: str) -> str:
        return "".join(self._rng.choice(syllables) for _ in range(k)) + suffix

    def _place(self, used: set[str], suffix: str, lengths: tuple[int, ...] = (2,)) -> str:
        """A new place name (unique across all place pools, so one name is one entity)."""
        for attempt in range(10_000):
            k = self._rng.choice(lengths) + attempt // 500  # longer names when short ones run out
            stem = "".join(self._rng.choice(_PLACE) for _ in range(k))
            # no stem may end in a suffix (街道...) that identity folds into another name
            if stem not in used and not stem.endswith("街道"):
                used.add(stem)
                return stem + suffix
        raise RuntimeError("name space exhausted")

    def _person(self, used: set[str]) -> str:
        for attempt in range(10_000):
            k = 1 + (self._rng.random() < 0.6) + attempt // 500
            name = self._rng.choice(_SURNAME) + "".join(self._rng.choice(_GIVEN) for _ in range(k))
            if name not in used:
                used.add(name)
                return name
        raise RuntimeError("name space exhausted")


class _Writer:
    """Text built piece by piece; `span` appends annotated text and returns its id."""

    def __init__(self) -> None:
        self.parts: list[str] = []
        self.length = 0
        self.spans: list[Span] = []
        self.relations: list[Relation] = []

    def text(self, s: str) -> None:
        self.parts.append(s)
        self.length += len(s)

    def span(self, s: str, label: str) -> str:
        sid = str(len(self.spans) + 1)
        self.spans.append(Span(sid, label, self.length, self.length + len(s), s))
        self.text(s)
        return sid

    def inner(self, start: int, s: str, label: str) -> str:
        """A span nested in text already written (it must start at `start` and read `s`)."""
        sid = str(len(self.spans) + 1)
        self.spans.append(Span(sid, label, start, start + len(s), s))
        return sid

    def rel(self, kind: str, source: str, target: str) -> None:
        self.relations.append(Relation(kind, source, target, str(len(self.relations) + 1)))

    def value(self) -> str:
        return "".join(self.parts)


def _site(w: _Writer, org: Org, known: dict[str, str]) -> str:
    """Write a visited site the way reports do, with the parents the article has not named yet
    in front ("郑东新区商都路办事处体育公园党群服务中心"); each newly named one gets its partOf."""
    community = org.parent if org.label == "ServiceCenter" else None
    chain: list[Org] = []  # unnamed ancestors, innermost first, up to a district
    node = community.parent if community else org.parent
    while node is not None and node.name not in known:
        chain.append(node)
        if node.label == "District":
            break
        node = node.parent
    ids: dict[str, str] = {}
    for anc in reversed(chain):
        ids[anc.name] = w.span(anc.name, anc.label)
    start = w.length
    sid = ids[org.name] = w.span(org.name, org.label)
    if community is not None:  # "X社区党群服务中心": the community is annotated inside the name
        ids[community.name] = w.inner(start, community.name, "Community")
    for member in [org, *([community] if community else []), *chain]:
        parent = member.parent
        pid = parent is not None and (ids.get(parent.name) or known.get(parent.name))
        if pid:
            w.rel("partOf", ids[member.name], pid)
    for name, i in ids.items():
        known.setdefault(name, i)
    return sid


def _article(i: int, seed: int, pools: Pools, rng: random.Random) -> AnnotatedArticle:
    w = _Writer()
    office = rng.choice(pools.offices)
    district = office.parent
    campaign = rng.choice(pools.campaigns) if rng.random() < 0.7 else None
    year = rng.choice((2021, 2022, 2023, 2024))
    month, day = rng.randint(1, 12), rng.randint(1, 28)
    headline = rng.choice(_HEADLINES).format(c=campaign or "五星支部创建", o=office.name)

    # title block: the office, then the headline
    w.span(office.name, "Office")
    w.text("\n" + headline + "\n本报讯 ")
    date_text = f"{year}年{month}月{day}日" if rng.random() < 0.2 else f"{month}月{day}日"
    date = w.span(date_text, "Date")
    w.text(rng.choice(("", "上午", "下午")) + ",")
    d = w.span(district.name, "District")
    o = w.span(office.name, "Office")
    w.rel("partOf", o, d)
    known = {office.name: o, district.name: d}

    leader = None
    holders = pools.by_office.get(office.name) or []
    if holders and rng.random() < 0.6:
        leader = rng.choice(holders)
        post = w.span(leader.post, "Post")
        lead = w.span(leader.name, "Person")
        w.rel("holdsPost", lead, post)
        w.rel("postIn", post, o)
        w.text("带领" + rng.choice(_ATTENDEES))
    kind, trigger = rng.choice(_TRIGGERS)
    if rng.random() < 0.15:  # a lecture before the visit
        w.text("举办")
        lecture = w.span(rng.choice(_LECTURES), "Lecture")
        w.rel("organizer", lecture, o)
        w.rel("date", lecture, date)
        if leader is not None:
            w.rel("leader", lecture, lead)
        w.text("后,")
    w.text("开展")
    if campaign:
        w.text("“")
        camp = w.span(campaign, "Campaign")
        w.text("”")
    event = w.span(trigger, kind)
    w.rel("organizer", event, o)
    w.rel("date", event, date)
    if campaign:
        w.rel("aboutCampaign", event, camp)
    if leader is not None:
        w.rel("leader", event, lead)
    w.text("。")
    if leader is None or rng.random() < 0.5:
        w.text(rng.choice(_ATTENDEES) + "等")
        count = w.span(f"{rng.randint(1, 12) * 10}余人", "HeadCount")
        w.rel("participants", event, count)
        w.text("参加了此次活动。")
    w.text("\n" + rng.choice(_GROUPS) + "实地察看了")

    # 1-5 sites, most in the organising office, some elsewhere
    n_sites = rng.choice((1, 2, 2, 3, 3, 3, 4, 5))
    chosen: list[Org] = []
    for _ in range(n_sites):
        kind_pool = pools.sites[rng.choice(_SITE_KINDS)]
        local = pools.local_sites.get(office.name)
        site = rng.choice(local) if local and rng.random() < 0.6 else rng.choice(kind_pool)
        if site not in chosen:
            chosen.append(site)
    for k, site in enumerate(chosen):
        if k:
            w.text("、")
        sid = _site(w, site, known)
        w.rel("visitedSite", event, sid)
    w.text("等" + rng.choice(("党建观摩点", "示范点", "村(社区)")) + "。" + rng.choice(_FILLER) + "\n")

    if rng.random() < 0.35:  # a meeting afterwards
        w.text("观摩后,")
        w.span(office.name, "Office")  # mentioned again; the same entity
        w.text("举行了")
        meeting = w.span(rng.choice(_MEETINGS), "Meeting")
        w.rel("organizer", meeting, o)
        w.rel("date", meeting, date)
        w.text("。\n")
    if leader is not None and rng.random() < 0.7:
        w.span(leader.post, "Post")
        w.span(leader.name, "Person")
        w.text("对此次活动进行了点评和总结。")
    w.text(rng.choice(_CLOSING) + "\n")

    # byline
    byline_start = w.length
    w.text("记者 ")
    w.span(rng.choice(pools.reporters), "Reporter")
    w.text(rng.choice(("\n", " ")) + "通讯员")
    for name in rng.sample(pools.correspondents, rng.randint(1, 2)):
        w.text(" ")
        w.span(name, "Correspondent")
    if rng.random() < 0.4:
        w.text(" 文/图")
    text = w.value()
    published_day = min(day + rng.randint(0, 2), 28)
    return AnnotatedArticle(
        id=f"syn{seed}-{i:06d}", text=text, spans=w.spans, relations=w.relations,
        title=headline, published=f"{year}-{month:02d}-{published_day:02d}",
        source=f"synthetic-seed{seed}", byline=text[byline_start:])


def _office_of(org: Org) -> Org | None:
    node = org
    while node is not None and node.label != "Office":
        node = node.parent
    return node


def generate(n: int, seed: int = 0) -> Iterator[AnnotatedArticle]:
    """`n` articles, one at a time; the same (n, seed) always gives the same articles."""
    rng = random.Random(seed)
    pools = Pools(n, rng)
    for i in range(n):
        yield _article(i, seed, pools, rng)


def to_doccano(article: AnnotatedArticle) -> dict:
    """The doccano relation-extraction JSONL record of an article (loaders/doccano.py)."""
    return {
        "id": article.id, "text": article.text, "title": article.title,
        "published": article.published, "source": article.source, "byline": article.byline,
        "annotator": article.annotator.key,
        "entities": [{"id": int(s.id), "label": s.label, "start_offset": s.start,
                      "end_offset": s.end} for s in article.spans],
        "relations": [{"id": int(r.id), "from_id": int(r.source), "to_id": int(r.target),
                       "type": r.type} for r in article.relations],
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m bench.synthetic", description=__doc__.split("\n")[0])
    ap.add_argument("n", type=int, help="number of articles")
    ap.add_argument("-o", "--output", type=Path, help="JSONL file (default: stdout)")
    ap.add_argument("--seed", type=int, default=0)
    args = ap.parse_args(argv)
    out = open(args.output, "w", encoding="utf-8") if args.output else sys.stdout
    try:
        for article in generate(args.n, args.seed):
            out.write(json.dumps(to_doccano(article), ensure_ascii=False) + "\n")
    finally:
        if args.output:
            out.close()
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
