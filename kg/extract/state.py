"""The working state the components share on a Doc (doc.user_data["kg"])."""

from __future__ import annotations

from dataclasses import dataclass, field

PLACE_LEVEL = {"District": 0, "Office": 1, "Village": 2, "Community": 2}
SITE_LABELS = {"Village", "Community", "ServiceCenter", "Enterprise", "Site"}
COMMITTEES = {"PartyCommittee", "Branch"}


@dataclass(frozen=True, slots=True)
class Word:
    """A word of the backbone: its offsets in the text and its LAC tag."""

    start: int
    end: int
    text: str
    tag: str


@dataclass(slots=True)
class Unit:
    """An organisation or place mention; `parent` is the unit it is nested in by name."""

    start: int
    end: int
    label: str
    name: str
    parent: int | None = None  # index into State.units
    in_title: bool = False  # a committee/department named only inside a post title
    generic: bool = False  # 办事处 / 该镇 / 街道: a reference to another unit
    ref: int | None = None  # for generic references: the unit meant
    bare: bool = False  # a name the analyser found with no unit suffix (石湾, 某某科技)


@dataclass(slots=True)
class Person:
    start: int
    end: int
    name: str
    role: str | None = None  # Reporter | Correspondent | Editor (bylines)
    ref: str | None = None  # the full name a surname + title (王部长) stands for


@dataclass(slots=True)
class Post:
    person: int  # index into State.people
    start: int
    end: int
    title: str
    org: int | None  # index into State.units


@dataclass(slots=True)
class Value:
    start: int
    end: int
    label: str  # Date | HeadCount | Campaign
    text: str
    norm: str | None = None


@dataclass(slots=True)
class Event:
    start: int
    end: int
    label: str  # Observation | Inspection | Meeting | Lecture
    kind: str
    organizer: int | None = None
    sites: list[int] = field(default_factory=list)
    leaders: list[int] = field(default_factory=list)
    date: int | None = None  # index into values
    participants: int | None = None
    campaign: int | None = None


@dataclass(slots=True)
class State:
    words: list[Word] = field(default_factory=list)
    units: list[Unit] = field(default_factory=list)
    people: list[Person] = field(default_factory=list)
    posts: list[Post] = field(default_factory=list)
    values: list[Value] = field(default_factory=list)
    events: list[Event] = field(default_factory=list)
    # (child, parent) units placed one inside the other other than by their names (a stop
    # inside the place a group went to)
    memberships: list[tuple[int, int]] = field(default_factory=list)
    main: int | None = None  # the unit the article is about (organizer of its activities)
    # the doc's text, read once: Doc.text joins every token in Python (as costly as a good part
    # of tokenizing), and every component needs it
    text: str = ""


def state(doc, text: str | None = None) -> State:
    """The doc's working state; created on first use, with `text` when the caller has the text
    the doc was made from (it must be that text), else from doc.text."""
    st = doc.user_data.get("kg")
    if st is None:
        if text is None or not _covers(doc, text):
            text = doc.text
        st = doc.user_data["kg"] = State(text=text)
    return st


def _covers(doc, text: str) -> bool:
    """A cheap check that `text` is the doc's text: same length (the tokenizer keeps every
    character, so offsets agree)."""
    if not len(doc):
        return text == ""
    last = doc[-1]
    return last.idx + len(last.text_with_ws) == len(text)
