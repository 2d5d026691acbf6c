"""Dates as written, and with the year the article's publication date implies."""

import pytest

from rdflib import XSD, Literal

from kg.rdf.literals import gives_no_day, parse_date, plain_date, resolve_date, typed_date


@pytest.mark.parametrize("text, parsed", [
    ("6月22日", "--06-22"),
    ("6月22日上午", "--06-22"),
    ("2022年6月22日", "2022-06-22"),
    ("２０２２年６月２２日", "2022-06-22"),  # full-width digits
    ("7月5日至6日", "--07-05"),  # a range gives its first day
    ("7月5-6日", "--07-05"),
    ("10月14日-15日", "--10-14"),
    ("--06-22", "--06-22"),
    ("2019-03-08", "2019-03-08"),
    ("13月2日", None),
    ("近日", None),
    ("某日", None),
])
def test_parse_date_reads_what_the_text_writes(text, parsed):
    assert parse_date(text) == parsed


@pytest.mark.parametrize("value, published, resolved", [
    ("--06-22", "2022-07-01", ("2022-06-22", True)),   # before publication: its year
    ("--07-01", "2022-07-01", ("2022-07-01", True)),   # the day of publication
    ("--12-30", "2022-01-05", ("2021-12-30", True)),   # a look back over new year
    ("--11-20", "2022-03-01", ("2021-11-20", True)),   # months after publication: the year before
    ("--07-05", "2022-07-01", ("2022-07-05", True)),   # days after: an announcement, same year
    ("--01-05", "2022-12-20", ("2023-01-05", True)),   # an announcement over new year
    ("--08-01", "2022-07-01", ("2022-08-01", True)),   # 31 days ahead: still this year
    ("--08-02", "2022-07-01", ("2021-08-02", True)),   # 32 days ahead: the year before
    ("--02-29", "2024-03-01", ("2024-02-29", True)),
    ("--02-29", "2023-03-01", ("--02-29", False)),     # no year near publication has the day
    ("--06-22", None, ("--06-22", False)),             # no publication date: no year
    ("2023-08-01", "2022-07-01", ("2023-08-01", False)),  # a written year stays, even ahead
    ("2019-03-08", "2019-03-11", ("2019-03-08", False)),
])
def test_resolve_date_takes_the_year_from_publication(value, published, resolved):
    assert resolve_date(value, published) == resolved


def test_a_publication_date_that_is_no_date_is_refused():
    with pytest.raises(ValueError):
        resolve_date("--06-22", "2022-02-30")


def test_time_words_give_no_day():
    assert gives_no_day("近日") and gives_no_day(" 日前 ")
    assert not gives_no_day("某日") and not gives_no_day("6月22日")


@pytest.mark.parametrize("value, datatype", [("2022-06-22", XSD.date), ("--06-22", XSD.gMonthDay),
                                             ("6月22日", None), ("2022-6-22", None)])
def test_dates_typed_for_rdf_out_and_back(value, datatype):
    typed = typed_date(value)
    assert typed == Literal(value, datatype=datatype)
    assert plain_date(typed) == Literal(value)
    assert plain_date(Literal(3)) == Literal(3)  # not a date: as it is
