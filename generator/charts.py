"""Geometry for the bar charts of reviews per publication year.

Only numbers are made here (positions and sizes in the SVG's own units); the markup is in
``templates/_charts.md.j2``, which draws each chart as inline SVG with a text
alternative and puts the same figures in a table. No charting library runs in the
reader's browser and nothing is fetched.
"""

from __future__ import annotations

from dataclasses import dataclass

WIDTH = 640
HEIGHT = 170
LEFT = 34  # room for the count labels
RIGHT = 8
TOP = 12
BOTTOM = 26  # room for the year labels


@dataclass(frozen=True)
class Bar:
    year: int
    count: int
    x: float
    y: float
    width: float
    height: float


@dataclass(frozen=True)
class BarChart:
    bars: tuple[Bar, ...]
    year_labels: tuple[tuple[float, int], ...]  # (x of the label's centre, year)
    count_labels: tuple[tuple[float, int], ...]  # (y of the gridline, count)
    width: int = WIDTH
    height: int = HEIGHT
    left: int = LEFT
    right_edge: int = WIDTH - RIGHT

    @property
    def total(self) -> int:
        return sum(b.count for b in self.bars)

    @property
    def peaks(self) -> tuple[Bar, ...]:
        """The years with the most, unless every year with any has the same number."""
        active = self.active
        most = max((b.count for b in active), default=0)
        found = tuple(b for b in active if b.count == most)
        return () if len(found) == len(active) else found

    @property
    def active(self) -> tuple[Bar, ...]:
        return tuple(b for b in self.bars if b.count)


def bar_chart(years: list[int], counts: dict[int, int], top: int | None = None) -> BarChart:
    """Bars for ``counts`` (year -> number) over every year in ``years``. ``top`` fixes the
    scale (to compare several charts); by default it is the largest count."""
    top = max(1, top if top is not None else max(counts.values(), default=0))
    plot_w = WIDTH - LEFT - RIGHT
    plot_h = HEIGHT - TOP - BOTTOM
    slot = plot_w / max(1, len(years))
    bars = []
    for i, year in enumerate(years):
        count = counts.get(year, 0)
        height = plot_h * count / top
        bars.append(
            Bar(
                year,
                count,
                round(LEFT + i * slot + slot * 0.15, 2),
                round(TOP + plot_h - height, 2),
                round(slot * 0.7, 2),
                round(height, 2),
            )
        )
    step = 1 if len(years) <= 12 else 5 if len(years) <= 60 else 10
    labelled = [y for i, y in enumerate(years) if y % step == 0 or i == 0 or i == len(years) - 1]
    if len(labelled) > 2 and labelled[-1] - labelled[-2] < step / 2 and labelled[-2] != years[0]:
        labelled.pop(-2)  # keep the last year's label clear of its neighbour
    year_labels = tuple((round(LEFT + years.index(y) * slot + slot / 2, 2), y) for y in labelled)
    count_labels = tuple((round(TOP + plot_h - plot_h * c / top, 2), c) for c in sorted({0, top}))
    return BarChart(tuple(bars), year_labels, count_labels)
