"""The learned names join the rule state only where the rules found nothing."""

from spacy.tokens import Doc, Span
from spacy.vocab import Vocab

from kg.extract.learned import SPANS_KEY, learned_people, learned_units
from kg.extract.state import Person, Unit, state

WORDS = ["丙县", "丁镇", "戊村", "和", "乙镇", "的", "王小明", "说", "该镇", "去", "丙县", "和", "李小红"]


def _doc(learned):
    doc = Doc(Vocab(), words=WORDS, spaces=[False] * len(WORDS))
    st = state(doc)
    at = {i: doc[i].idx for i in range(len(WORDS))}
    st.units = [Unit(at[0], at[0] + 2, "District", "丙县"), Unit(at[4], at[4] + 2, "Office", "乙镇"),
                Unit(at[8], at[8] + 2, "Office", "该镇", generic=True, ref=1)]
    st.main = 1
    doc.spans[SPANS_KEY] = [Span(doc, i, i + 1, label=label) for i, label in learned]
    return doc, st


def test_learned_places_are_inserted_in_order_and_nested_like_the_rules():
    doc, st = _doc([(1, "Office"), (2, "Village"), (4, "Office"), (10, "District")])
    learned_units(doc)
    assert [(u.name, u.label, u.parent) for u in st.units] == [
        ("丙县", "District", None), ("丁镇", "Office", 0), ("戊村", "Village", 1),
        ("乙镇", "Office", None), ("该镇", "Office", None)]
    # the rules' indices follow their units; 乙镇 twice (overlap) and 丙县 again (a name the
    # rules already have) add nothing
    assert (st.main, st.units[4].ref) == (3, 3)


def test_learned_people_only_where_no_person_or_unit_is():
    doc, st = _doc([(6, "Person"), (4, "Person"), (12, "Person")])
    st.people = [Person(doc[6].idx, doc[6].idx + 3, "王小明")]
    learned_people(doc)
    assert [p.name for p in st.people] == ["王小明", "李小红"]
