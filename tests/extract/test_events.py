from kg.extract.reader import ANNOTATOR, annotate
from kg.eval.facts import facts_from_annotations
from kg.model import Article
from kg.scheme import LABELS, RELATION_TYPES

TEXT = ("本报讯 6月22日,某港办事处开展观摩活动,干部30余人参加。观摩组一行实地察看了甲村、乙村、丙山社区党群服务中心等观摩点。"
        "观摩后,办事处在丁社区召开座谈会。")


def test_visit_and_meeting(nlp):
    art = annotate(nlp, Article(id="t", text=TEXT))
    assert art.annotator == ANNOTATOR
    f = facts_from_annotations(art)
    v = f["visits"]
    assert v[0]["kind"] == "observation" and v[0]["organizer"] == "某港办事处"
    assert v[0]["sites"] == ["甲村", "乙村", "丙山社区党群服务中心"]
    assert v[0]["date"] == "06-22" and v[0]["participants"] == "30余人"
    assert v[1]["kind"] == "meeting" and v[1]["sites"] == ["丁社区"]


def test_scheme_conformance(nlp):
    art = annotate(nlp, Article(id="t", text=TEXT))
    spans = {s.id: s for s in art.spans}
    for s in art.spans:
        assert s.label in LABELS and art.text[s.start:s.end] == s.text
    for r in art.relations:
        rt = RELATION_TYPES[r.type]
        assert spans[r.source].label in rt.sources and spans[r.target].label in rt.targets


def test_lecture_leader(nlp):
    art = annotate(nlp, Article(id="t", text="本报讯 6月24日,某港办事处党工委书记路某某为全体党员上了一堂党课。"))
    v = facts_from_annotations(art)["visits"]
    assert v == [{"organizer": "某港办事处", "date": "06-24", "sites": [], "leaders": ["路某某"],
                  "participants": None, "kind": "lecture"}]
