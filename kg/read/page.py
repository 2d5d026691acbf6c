"""Page splitting: raw newspaper page (or article file) -> articles with repaired text.

A printed page holds several articles, each: an optional column head (often the office's name),
a title, the lead (本报讯 ...) and body paragraphs, then a byline (记者 ... / 通讯员 ... 文/图).
Layout breaks (blank lines, column and page breaks) cut sentences and even words; the splitter
joins a line that does not end a sentence to the next non-empty line, unless that line is a
heading. Every character of a repaired article keeps its offset in the raw page
(Article.raw_offsets), so annotations can be traced back to the file.

Everything here is a pure function of text (or bytes) plus a name used in error messages.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from kg.errors import InputError
from kg.model import Article
from kg.read.encoding import as_text

# characters that may end a sentence (a closing quote or bracket may follow them)
_SENT_END = set("。!?!?…;;")
_CLOSERS = set("”’」』)》)】\"'")
# characters that make a line a body line rather than a heading
_BODY_PUNCT = re.compile(r"[,,。;;::!?!?]")
_BYLINE = re.compile(r"^(?:[\u4e00-\u9fff]{0,8}(?:记者|通讯员|特约记者|见习记者|实习生)\s*\S|[((][^()()]{1,40}[))]\s*$)")
_LEAD = re.compile(r"^(?:本报讯|[\u4e00-\u9fff]{1,8}(?:讯|消息)\s|[\u4e00-\u9fff]{0,8}网讯)")
_HEADING_MAX = 40


@dataclass(slots=True)
class _Line:
    text: str
    start: int  # offset of text[0] in the raw page
    kind: str = "body"  # heading | body | byline

    @property
    def offsets(self) -> list[int]:
        return list(range(self.start, self.start + len(self.text)))


@dataclass(slots=True)
class PageArticle:
    """One article as split from a page, before annotation."""

    column: str | None
    title: str | None
    paragraphs: list[str]
    byline: list[str]
    text: str
    raw_offsets: list[int]


# ---------------------------------------------------------------------------------------------
# lines

def _lines(text: str) -> list[_Line]:
    out: list[_Line] = []
    pos = 0
    for raw in text.splitlines(keepends=True):
        body = raw.rstrip("\r\n")
        lead = len(body) - len(body.lstrip())
        stripped = body.strip()
        if stripped:
            out.append(_Line(stripped, pos + lead))
        else:
            out.append(_Line("", pos))
        pos += len(raw)
    return out


def _ends_sentence(s: str) -> bool:
    s = s.rstrip()
    while s and s[-1] in _CLOSERS:
        if len(s) >= 2 and s[-2] in _SENT_END:
            return True
        s = s[:-1]
        if s and s[-1] in _SENT_END:
            return True
        if s and s[-1] not in _CLOSERS:
            break
    return bool(s) and s[-1] in _SENT_END


def is_byline(line: str) -> bool:
    return bool(_BYLINE.match(line)) and not _BODY_PUNCT.search(line.strip("()()"))


def is_heading(line: str) -> bool:
    """A short line without sentence punctuation that is not a lead or a byline."""
    return (0 < len(line) <= _HEADING_MAX and not _BODY_PUNCT.search(line)
            and not _LEAD.match(line) and not is_byline(line))


def _classify(lines: list[_Line]) -> list[_Line]:
    """Drop blanks, classify lines, and join layout-broken body lines."""
    nonempty = [ln for ln in lines if ln.text]
    for ln in nonempty:
        ln.kind = "byline" if is_byline(ln.text) else "heading" if is_heading(ln.text) else "body"
    merged: list[tuple[str, list[int], str]] = []
    for ln in nonempty:
        if (merged and merged[-1][2] == "body" and ln.kind == "body"
                and not _ends_sentence(merged[-1][0])):
            t, offs, k = merged[-1]
            merged[-1] = (t + ln.text, offs + ln.offsets, k)
        else:
            merged.append((ln.text, ln.offsets, ln.kind))
    return [_Merged(t, o, k) for t, o, k in merged]


@dataclass(slots=True)
class _Merged:
    text: str
    offs: list[int]
    kind: str


# ---------------------------------------------------------------------------------------------
# splitting

def split_page(data: str | bytes, name: str = "<page>") -> list[PageArticle]:
    """A raw page -> its articles. An article is headings, then body paragraphs, then a byline;
    a page without any body paragraph raises InputError."""
    text = as_text(data, name)
    items = _classify(_lines(text))
    groups: list[list[_Merged]] = []
    cur: list[_Merged] = []
    state = "head"  # head -> body -> byline
    for it in items:
        if it.kind == "heading":
            if state != "head":
                groups.append(cur)
                cur, state = [], "head"
            cur.append(it)
        elif it.kind == "body":
            if state == "byline":
                # a byline at the top of an article (web style) stays with what follows
                if any(x.kind == "body" for x in cur):
                    groups.append(cur)
                    cur = []
            cur.append(it)
            state = "body"
        else:  # byline
            cur.append(it)
            if any(x.kind == "body" for x in cur):
                state = "byline"
    if cur:
        groups.append(cur)
    articles = [a for a in (_article(g) for g in groups) if a is not None]
    if not articles:
        raise InputError("no article found (no paragraph of running text)", file=name)
    return articles


def _article(group: list[_Merged]) -> PageArticle | None:
    if not any(x.kind == "body" for x in group):
        return None
    first_body = next(i for i, x in enumerate(group) if x.kind == "body")
    heads = [x for x in group[:first_body] if x.kind == "heading"]
    pre_bylines = [x for x in group[:first_body] if x.kind == "byline"]
    title = column = None
    kept: list[_Merged] = []
    if heads:
        title = heads[-1].text
        kept = [heads[-1]]
        if len(heads) >= 2 and _is_column_head(heads[-2].text):
            column = heads[-2].text
            kept = [heads[-2], heads[-1]]
    rest = group[first_body:]
    paragraphs = [x.text for x in rest if x.kind != "byline"]
    bylines = [x.text for x in pre_bylines] + [x.text for x in rest if x.kind == "byline"]
    parts = kept + pre_bylines + rest
    text = "\n".join(p.text for p in parts)
    offsets: list[int] = []
    for i, p in enumerate(parts):
        if i:
            offsets.append(offsets[-1] + 1 if offsets else 0)
        offsets.extend(p.offs)
    return PageArticle(column, title, paragraphs, bylines, text, offsets)


def _is_column_head(line: str) -> bool:
    """A column head is short and unbroken (an office's name, a rubric), unlike a page banner."""
    return len(line) <= 15 and not re.search(r"\s", line)


# ---------------------------------------------------------------------------------------------
# to Article

def _to_article(pa: PageArticle, name: str, index: int | None) -> Article:
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", name.rsplit("/", 1)[-1])
    aid = f"{stem}-a{index + 1}" if index is not None else stem
    return Article(id=aid, text=pa.text, title=pa.title, origin=name,
                            byline="\n".join(pa.byline) or None, raw_offsets=pa.raw_offsets,
                            source=name)


def articles_from_page(data: str | bytes, name: str = "<page>") -> list[Article]:
    """A raw page -> its Articles, ids `<file stem>-a<n>`."""
    return [_to_article(pa, name, i) for i, pa in enumerate(split_page(data, name))]


def article_from_text(data: str | bytes, name: str = "<article>") -> Article:
    """One article per file: layout repaired like a page, but never split."""
    text = as_text(data, name)
    items = _classify(_lines(text))
    if not any(x.kind == "body" for x in items) and not any(x.kind == "heading" for x in items):
        raise InputError("no article text found", file=name)
    pa = _article(items) if any(x.kind == "body" for x in items) else None
    if pa is None:
        raise InputError("no article found (no paragraph of running text)", file=name)
    # keep every heading of a single-article file (column head, title)
    heads = [x for x in items if x.kind == "heading"]
    body = [x for x in items if x.kind != "heading"]
    parts = heads[-2:] + body if len(heads) >= 2 else heads + body
    txt = "\n".join(p.text for p in parts)
    offs: list[int] = []
    for i, p in enumerate(parts):
        if i:
            offs.append(offs[-1] + 1)
        offs.extend(p.offs)
    pa.text, pa.raw_offsets = txt, offs
    return _to_article(pa, name, None)


def articles_from_json(data: str | bytes, name: str = "<json>") -> list[Article]:
    """A JSON article object {text, id?, title?, published?, source?} or a list of them."""
    text = as_text(data, name)
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as e:
        raise InputError(f"invalid JSON: {e.msg}", file=name, line=e.lineno) from None
    except RecursionError:
        raise InputError("JSON nested too deeply to read", file=name) from None
    objs = obj if isinstance(obj, list) else [obj]
    out = []
    stem = re.sub(r"\.[A-Za-z0-9]+$", "", name.rsplit("/", 1)[-1])
    for i, o in enumerate(objs):
        if not isinstance(o, dict) or not isinstance(o.get("text"), str) or not o["text"].strip():
            raise InputError("article object needs a non-empty string `text`", file=name,
                             field=f"[{i}].text" if isinstance(obj, list) else "text")
        aid = str(o.get("id") or (stem if len(objs) == 1 else f"{stem}-{i + 1}"))
        out.append(Article(id=aid, text=o["text"], title=o.get("title"),
                                    published=o.get("published"), source=o.get("source"),
                                    origin=name))
    return out
