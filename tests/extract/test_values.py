from kg.extract.values import find_values


def test_dates_counts_campaigns():
    vs = find_values("2022年6月22日,开展“三比三创”观摩活动,干部30余人参加,14个村支部书记")
    got = {(v.label, v.norm) for v in vs}
    assert ("Date", "2022-06-22") in got
    assert ("HeadCount", "30余人") in got
    assert ("Campaign", "三比三创") in got
    assert not any(v.label == "HeadCount" and "14" in v.text for v in vs)


def test_a_range_of_days_is_one_date_its_first_day():
    for text, span, norm in [("7月5日至6日,甲镇观摩", "7月5日", "07-05"),
                             ("10月14日-15日", "10月14日", "10-14"),
                             ("7月5-6日观摩", "7月5-6日", "07-05"),
                             ("7月5至6日", "7月5至6日", "07-05"),
                             ("2021年7月5—6日", "2021年7月5—6日", "2021-07-05")]:
        dates = [(v.text, v.norm) for v in find_values(text) if v.label == "Date"]
        assert dates == [(span, norm)], text


def test_no_date_without_a_day():
    for text in ("近日,甲镇观摩", "7月5至六日", "7月123日", "7月份"):
        assert not [v for v in find_values(text) if v.label == "Date"], text
