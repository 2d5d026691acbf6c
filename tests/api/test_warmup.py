"""The start-up warm-up asks each public question once, on both stores."""

from __future__ import annotations

import pytest

from api.warmup import warm_up
from kg.ask.lookup import Lookup
from kg.ask.queries import QueryLibrary
from kg.config import PROJECT_ROOT

pytestmark = pytest.mark.store

LIB = QueryLibrary.load(PROJECT_ROOT / "queries")
EVERY = ["entities", "visits", "offices", "visits by organizer", "visited sites", "entity", "graph",
         "visits at site", "visitors", "article"]


def test_every_question_is_asked_about_the_first_office_site_and_article(loaded_store):
    assert warm_up(Lookup(loaded_store, LIB), 60) == EVERY


def test_an_empty_graph_is_asked_what_needs_no_office(store):
    assert warm_up(Lookup(store, LIB), 60) == ["entities", "visits", "offices"]


def test_no_question_once_the_budget_is_spent(loaded_store):
    assert warm_up(Lookup(loaded_store, LIB), 0) == []
