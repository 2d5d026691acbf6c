"""Tiny annotated articles for tests, built from marked-up text.

`article("甲", "[甲办事处|Office]组织[观摩|Observation]了[乙村|Village]", rels=[...])`: spans in
[text|Label] brackets get ids s1, s2, ... in order; relations name them by id or by text.
"""

from __future__ import annotations

import re

from kg.model import AnnotatedArticle, Annotator, Relation, Span

_MARK = re.compile(r"\[([^\[\]|]+)\|(\w+)\]")


def article(article_id: str, marked: str, rels: list[tuple[str, str, str]] = (), *,
            annotator: Annotator | None = None, **meta) -> AnnotatedArticle:
    text, spans, pos, last = [], [], 0, 0
    for i, m in enumerate(_MARK.finditer(marked), start=1):
        text.append(marked[last:m.start()])
        pos += m.start() - last
        surface = m.group(1)
        spans.append(Span(f"s{i}", m.group(2), pos, pos + len(surface), surface))
        text.append(surface)
        pos += len(surface)
        last = m.end()
    text.append(marked[last:])
    by_text = {s.text: s.id for s in spans}
    relations = [Relation(t, by_text.get(a, a), by_text.get(b, b)) for a, t, b in rels]
    kwargs = {"annotator": annotator} if annotator else {}
    return AnnotatedArticle(article_id, "".join(text), spans, relations, **kwargs, **meta)


# dated visits: a day whose year publication implies (E), one with its year (F), one with
# no year to infer it from (G)
DATED = [article("E", "[6月22日|Date],[东河镇|Office][观摩|Observation]了[南坡村|Village]。",
                 [("观摩", "organizer", "东河镇"), ("观摩", "visitedSite", "南坡村"),
                  ("观摩", "date", "6月22日")], published="2022-07-01"),
         article("F", "[2021年12月30日|Date],[东河镇|Office][观摩|Observation]了[西山村|Village]。",
                 [("观摩", "organizer", "东河镇"), ("观摩", "visitedSite", "西山村"),
                  ("观摩", "date", "2021年12月30日")], published="2022-01-05"),
         article("G", "[7月1日|Date],[东河镇|Office][观摩|Observation]了[北岭村|Village]。",
                 [("观摩", "organizer", "东河镇"), ("观摩", "visitedSite", "北岭村"),
                  ("观摩", "date", "7月1日")])]
