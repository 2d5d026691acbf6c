from kg.extract.people import byline_people, read_name, titled_people


def test_names_after_titles():
    text = "党工委书记欧阳明亮对工作进行点评,副主任李静陪同。"
    assert [p.name for p in titled_people(text, set())] == ["欧阳明亮", "李静"]


def test_read_name_length():
    assert read_name("程辉带领", 0) == 2
    assert read_name("王建国到", 0) == 3


def test_byline():
    ps = byline_people("正文。\n记者 王某方\n通讯员 李某帅 刘某 文/图")
    assert [(p.name, p.role) for p in ps] == [
        ("王某方", "Reporter"), ("李某帅", "Correspondent"), ("刘某", "Correspondent")]
    ps = byline_people("正文结束。(赵某某 陈某/文图)")
    assert [p.name for p in ps] == ["赵某某", "陈某"]
