from kg.extract.values import find_values


def test_dates_counts_campaigns():
    vs = find_values("2022年6月22日,开展“三比三创”观摩活动,干部30余人参加,14个村支部书记")
    got = {(v.label, v.norm) for v in vs}
    assert ("Date", "2022-06-22") in got
    assert ("HeadCount", "30余人") in got
    assert ("Campaign", "三比三创") in got
    assert not any(v.label == "HeadCount" and "14" in v.text for v in vs)
