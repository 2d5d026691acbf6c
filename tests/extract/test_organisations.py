"""Units over words: nesting by name, lists, bodies with their place, references, bare names."""

from kg.extract.organisations import decompose
from kg.extract.posts import resolve


def units(st):
    return [(u.name, u.label, st.units[u.parent].name if u.parent is not None else None)
            for u in st.units if not u.generic]


def test_a_name_is_split_into_the_units_it_nests():
    text = "东岭县青河镇石湾村"
    got = [(text[s:e], suf.label if suf else None) for s, e, suf in decompose(text, 0, len(text))]
    assert got == [("东岭县", "District"), ("青河镇", "Office"), ("石湾村", "Village")]
    text = "青河镇党委"
    assert [text[s:e] for s, e, _ in decompose(text, 0, len(text))] == ["青河镇", "党委"]


def test_nested_names_and_a_shared_prefix(read):
    got = units(read("观摩组先后到东岭县青河镇石湾村、柳树村进行观摩。"))
    assert ("石湾村", "Village", "青河镇") in got
    assert ("柳树村", "Village", "青河镇") in got  # the list's shared prefix
    assert ("青河镇", "Office", "东岭县") in got


def test_ordinary_words_make_no_name(read):
    got = {n for n, _, _ in units(read("大家认真聆听村党支部书记汇报,各村、部分镇和许多村都来了。"))}
    assert not got & {"聆听村", "各村", "部分镇", "许多村"}


def test_bodies_keep_their_place(read):
    got = units(read("青河镇党委组织干部到东庄村党群服务中心参观。"))
    assert ("青河镇党委", "PartyCommittee", "青河镇") in got
    assert ("东庄村党群服务中心", "ServiceCenter", "东庄村") in got


def test_references_and_bare_names(read):
    st = read("青河镇组织观摩。该镇干部赴石湾看了石湾村。")
    refs = [(u.name, st.units[resolve(st, k)].name) for k, u in enumerate(st.units) if u.generic]
    assert ("镇", "青河镇") in refs  # 该镇
    assert ("石湾", "石湾村") in refs  # the bare name is the village
    assert st.units[st.main].name == "青河镇"
