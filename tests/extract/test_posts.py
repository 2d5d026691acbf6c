from kg.extract.reader import annotate
from kg.eval.facts import facts_from_annotations
from kg.model import Article


def posts(nlp, text):
    art = annotate(nlp, Article(id="t", text=text))
    return [(p["person"], p["title"], p["organization"]) for p in facts_from_annotations(art)["posts"]]


def test_title_chain(nlp):
    got = posts(nlp, "本报讯 某港办事处党工委副书记、主任程某带领干部赴外地考察学习。")
    assert got == [("程某", "党工委副书记、主任", "某港办事处")]


def test_generic_and_carry(nlp):
    got = posts(nlp, "6月1日,东山镇开展观摩,由镇党委副书记、镇长任某某带队。西河镇副镇长李某涛、武装部长王某强陪同。")
    assert ("任某某", "党委副书记、镇长", "东山镇") in got
    assert ("王某强", "武装部长", "西河镇") in got
