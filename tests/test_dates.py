import datetime as dt

import pytest

from generator.dates import DateSpan, PartialDate


@pytest.mark.parametrize(
    "text, human",
    [
        ("2014", "2014"),
        ("2014-05", "May 2014"),
        ("2014-05-01", "1 May 2014"),
        ("2014-01/2014-04", "January to April 2014"),
        ("2013-11/2014-02", "November 2013 to February 2014"),
        ("2012-02-29", "29 February 2012"),
    ],
)
def test_parse_and_show(text, human):
    span = DateSpan.parse(text)
    assert span.human() == human and span.iso() == text


@pytest.mark.parametrize(
    "text, message",
    [
        (
            "2014-02-30",
            "'2014-02-30' is not a real date: February 2014 has 28 days — check the day and the month in the source",
        ),
        (
            "2013-02-29",
            "'2013-02-29' is not a real date: February 2013 has 28 days — check the day and the month in the source",
        ),
        ("2014-13", "'2014-13' has no month 13 — months run from 01 to 12"),
        ("May 2014", "'May 2014' is not a date — write YYYY, YYYY-MM or YYYY-MM-DD, for example 2014-05-01"),
        ("2014-04/2014-01", "the range '2014-04/2014-01' ends before it starts — put the earlier date first"),
    ],
)
def test_impossible_dates(text, message):
    with pytest.raises(ValueError) as exc:
        DateSpan.parse(text)
    assert str(exc.value) == message


def test_bounds():
    assert PartialDate.parse("2014-02").last_day == dt.date(2014, 2, 28)
    assert DateSpan.parse("2014/2015-03").last_day == dt.date(2015, 3, 31)
    assert DateSpan.parse("2014").first_day == dt.date(2014, 1, 1)
