"""People: the analyser's names, bylines, names by their form after a title."""

from kg.extract.people import byline_people, read_name, titled_people


def people(st):
    return [(p.name, p.role, p.ref) for p in st.people]


def test_names_after_titles():
    text = "党工委书记欧阳明亮对工作进行点评,副主任李静陪同。"
    assert [p.name for p in titled_people(text, set())] == ["欧阳明亮", "李静"]


def test_read_name_length():
    assert read_name("程辉带领", 0) == 2
    assert read_name("王建国到", 0) == 3


def test_bylines():
    ps = byline_people("正文。\n记者 王军华\n通讯员 李明帅 刘强 文/图")
    assert [(p.name, p.role) for p in ps] == [
        ("王军华", "Reporter"), ("李明帅", "Correspondent"), ("刘强", "Correspondent")]
    ps = byline_people("本报讯 (通讯员 杨丽) 青河镇召开大会。")
    assert [(p.name, p.role) for p in ps] == [("杨丽", "Correspondent")]
    ps = byline_people("正文结束。(作者:赵明远 审核人:陈光)")
    assert [(p.name, p.role) for p in ps] == [("赵明远", "Reporter"), ("陈光", "Editor")]
    ps = byline_people("正文结束。(东岭县民政局 孙立新)")
    assert [(p.name, p.role) for p in ps] == [("孙立新", "Reporter")]


def test_surname_and_title_is_the_full_name(read):
    got = people(read("青河镇镇长刘建军带队观摩。最后,刘镇长强调,要抓落实。"))
    assert ("刘建军", None, None) in got and ("刘镇长", None, "刘建军") in got


def test_a_name_inside_a_unit_is_no_person(read):
    assert all(n != "含光" for n, _, _ in people(read("干部来到含光社区调研。")))
