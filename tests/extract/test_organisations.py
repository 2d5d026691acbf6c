from kg.extract.organisations import find_units, list_parents, main_unit


def names(text):
    us = find_units(text)
    list_parents(text, us)
    return [(u.name, u.label, us[u.parent].name if u.parent is not None else None)
            for u in us if not u.generic]


def test_nested_name_split():
    assert names("观摩组先后到甲葛市东河镇李楼村观摩") == [
        ("甲葛市", "District", None), ("东河镇", "Office", "甲葛市"), ("李楼村", "Village", "东河镇")]


def test_shared_prefix_over_list():
    got = names("先后到唐庄镇南社村、仁里屯村进行观摩")
    assert ("南社村", "Village", "唐庄镇") in got and ("仁里屯村", "Village", "唐庄镇") in got


def test_generic_and_committee():
    us = find_units("该办事处班子成员、某港办事处党工委组织")
    assert us[0].generic and us[0].name == "办事处"
    assert us[-1].name == "某港办事处党工委" and us[-1].label == "PartyCommittee"


def test_service_centre_and_word_continuations():
    got = names("来到青松路社区党群服务中心,村民和镇长")
    assert ("青松路社区党群服务中心", "ServiceCenter", "青松路社区") in got
    assert all(n[1] != "Village" for n in got)


def test_main_unit():
    text = "本报讯 5月2日,某山市白河镇组织开展观摩,到红旗村参观。"
    us = find_units(text)
    assert us[main_unit(text, us)].name == "白河镇"
