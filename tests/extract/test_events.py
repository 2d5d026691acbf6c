"""Events from one builder: trips with their stops, meetings with their venue, lectures."""

from kg.eval.facts import facts_from_annotations
from kg.extract.reader import ANNOTATOR, annotate
from kg.model import Article
from kg.scheme import LABELS, RELATION_TYPES

TEXT = ("本报讯 6月22日,青河办事处开展观摩活动,干部30余人参加。观摩组一行实地察看了东庄村、西岭村、"
        "石山社区党群服务中心等观摩点。观摩后,办事处在东庄村召开座谈会。")


def facts(nlp, text):
    return facts_from_annotations(annotate(nlp, Article(id="t", text=text)))


def test_trip_and_meeting(nlp):
    art = annotate(nlp, Article(id="t", text=TEXT))
    assert art.annotator == ANNOTATOR
    v = facts_from_annotations(art)["visits"]
    assert v[0]["kind"] == "observation" and v[0]["organizer"] == "青河办事处"
    assert v[0]["sites"] == ["东庄村", "西岭村", "石山社区党群服务中心"]
    assert v[0]["date"] == "06-22" and v[0]["participants"] == "30余人"
    assert v[1]["kind"] == "meeting" and v[1]["sites"] == ["东庄村"]


def test_scheme_conformance(nlp):
    art = annotate(nlp, Article(id="t", text=TEXT))
    spans = {s.id: s for s in art.spans}
    for s in art.spans:
        assert s.label in LABELS and art.text[s.start:s.end] == s.text
    for r in art.relations:
        rt = RELATION_TYPES[r.type]
        assert spans[r.source].label in rt.sources and spans[r.target].label in rt.targets


def test_lecture_leader(nlp):
    v = facts(nlp, "本报讯 6月24日,青河办事处党工委书记路明远为全体党员上了一堂党课。")["visits"]
    assert v == [{"organizer": "青河办事处", "date": "06-24", "sites": [], "leaders": ["路明远"],
                  "participants": None, "kind": "lecture"}]


def test_an_officials_inspection_is_organised_by_the_body_of_the_post(nlp):
    f = facts(nlp, "5月9日,县民政局局长孙建华一行先后到青河镇敬老院、东庄村调研,青河镇副镇长王强陪同。")
    v = f["visits"][0]
    assert v["kind"] == "inspection" and v["organizer"] == "县民政局"
    assert v["sites"] == ["青河镇敬老院", "东庄村"] and v["leaders"] == ["孙建华"]


def test_a_place_the_group_went_to_holds_the_stops(nlp):
    f = facts(nlp, "3月1日,青河镇组织干部赴东岭县观摩。观摩组先后来到石湾村、柳树村,参观了村史馆。")
    v = f["visits"][0]
    assert v["organizer"] == "青河镇" and v["sites"] == ["石湾村", "柳树村"]
    assert {"child": "石湾村", "parent": "东岭县"} in f["memberships"]
