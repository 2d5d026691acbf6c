from kg.eval.facts import facts_from_annotations
from kg.extract.reader import annotate
from kg.model import Article


def posts(nlp, text):
    art = annotate(nlp, Article(id="t", text=text))
    return [(p["person"], p["title"], p["organization"]) for p in facts_from_annotations(art)["posts"]]


def test_title_chain(nlp):
    got = posts(nlp, "本报讯 青河办事处党工委副书记、主任程明带领干部赴外地考察学习。")
    assert got == [("程明", "党工委副书记、主任", "青河办事处")]


def test_reference_and_carry(nlp):
    got = posts(nlp, "6月1日,东山镇开展观摩,由镇党委副书记、镇长任建华带队。西河镇副镇长李海涛、武装部长王志强陪同。")
    assert ("任建华", "党委副书记、镇长", "东山镇") in got
    assert ("王志强", "武装部长", "西河镇") in got


def test_an_organisation_written_before_its_title(nlp):
    got = posts(nlp, "8月2日,市委组织部副部长、市人才服务中心主任周立新一行到青河街道调研。")
    assert ("周立新", "副部长", "市委组织部") in got
    assert ("周立新", "主任", "市人才服务中心") in got


def test_a_title_that_says_its_level(nlp):
    got = posts(nlp, "本报讯 县长吴明远深入青河镇调研,东岭县干部陪同。")
    assert got == [("吴明远", "县长", "东岭县")]
