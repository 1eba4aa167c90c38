"""Dates as precise as a source gives them: a year, a month, a day, or a range.

Editors write ISO 8601: ``2014``, ``2014-02``, ``2014-02-27``, or an interval of two of
those joined by a slash, ``2014-01/2014-04`` ("January to April 2014").
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from dataclasses import dataclass

_PART = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")
MONTHS = [calendar.month_name[i] for i in range(13)]
EARLIEST_YEAR = 1900  # no review, event or source in this collection is older; a field may allow earlier


@dataclass(frozen=True, order=True)
class PartialDate:
    """A calendar date known to a year, a month or a day."""

    year: int
    month: int | None = None
    day: int | None = None

    @classmethod
    def parse(cls, text: str, earliest: int = EARLIEST_YEAR) -> PartialDate:
        match = _PART.match(text.strip())
        if not match:
            raise ValueError(f"'{text}' is not a date — write YYYY, YYYY-MM or YYYY-MM-DD, for example 2014-05-01")
        year_text, month_text, day_text = match.groups()
        year = int(year_text)
        month = int(month_text) if month_text else None
        day = int(day_text) if day_text else None  # only ever with a month (the pattern)
        if year < earliest:
            raise ValueError(
                f"'{text}' is before {earliest} — check the year: write it with four digits, for example 2014"
            )
        if month is not None and not 1 <= month <= 12:
            raise ValueError(f"'{text}' has no month {month} — months run from 01 to 12")
        if day is not None and month is not None:
            last = calendar.monthrange(year, month)[1]
            if not 1 <= day <= last:
                raise ValueError(
                    f"'{text}' is not a real date: {MONTHS[month]} {year} has {last} days — check the day "
                    "and the month in the source"
                )
        return cls(year, month, day)

    @property
    def first_day(self) -> dt.date:
        return dt.date(self.year, self.month or 1, self.day or 1)

    @property
    def last_day(self) -> dt.date:
        month = self.month or 12
        day = self.day or calendar.monthrange(self.year, month)[1]
        return dt.date(self.year, month, day)

    def iso(self) -> str:
        out = f"{self.year:04d}"
        if self.month:
            out += f"-{self.month:02d}"
        if self.day:
            out += f"-{self.day:02d}"
        return out

    def human(self) -> str:
        if self.day and self.month:
            return f"{self.day} {MONTHS[self.month]} {self.year}"
        if self.month:
            return f"{MONTHS[self.month]} {self.year}"
        return str(self.year)


@dataclass(frozen=True)
class DateSpan:
    """A date or an interval between two partial dates, as an editor wrote it."""

    start: PartialDate
    end: PartialDate | None = None

    @classmethod
    def parse(cls, text: str, earliest: int = EARLIEST_YEAR) -> DateSpan:
        text = str(text).strip()
        if "/" in text:
            left, _, right = text.partition("/")
            start, end = PartialDate.parse(left, earliest), PartialDate.parse(right, earliest)
            if end.last_day < start.first_day:
                raise ValueError(f"the range '{text}' ends before it starts — put the earlier date first")
            return cls(start, end)
        return cls(PartialDate.parse(text, earliest))

    @property
    def first_day(self) -> dt.date:
        return self.start.first_day

    @property
    def last_day(self) -> dt.date:
        return (self.end or self.start).last_day

    @property
    def year(self) -> int:
        return self.start.year

    def iso(self) -> str:
        return self.start.iso() + (f"/{self.end.iso()}" if self.end else "")

    def human(self) -> str:
        if not self.end:
            return self.start.human()
        s, e = self.start, self.end
        if s.year == e.year and s.month and e.month and not s.day and not e.day:
            return f"{MONTHS[s.month]} to {MONTHS[e.month]} {e.year}"
        return f"{s.human()} to {e.human()}"

    def __str__(self) -> str:
        return self.iso()
