"""Server-rendered SVG charts for the scorecard pages.

No JavaScript and no chart library: the page is complete as the server sends it. Each
chart is an `<svg role="img">` named by its `<title>` and described by its `<desc>`, and
it does not rely on colour: series differ by fill pattern (solid, hatched, dotted) and are
named in a legend, every bar and point carries its value as text, and the page puts a data
table beside each chart (the table, not the picture, is what a screen reader reads).
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass

from django.utils.formats import number_format
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

# The three patterns, in the order series take them.
PATTERNS = ("solid", "hatch", "dots")
INK = "#1b1f24"
MUTED = "#4a5560"
LINE = "#c9d2da"
BRAND = "#005a70"
ACCENT = "#8a5a00"

HEIGHT = 250
TOP = 44  # room for the legend
PLOT = 150
LEFT = 52
RIGHT = 12
BAR = 20


@dataclass(frozen=True)
class Series:
    label: str
    values: Sequence[float | None]


@dataclass(frozen=True)
class Interval:
    """A share (0..1) with its interval; `value` None when there are too few to judge."""

    value: float | None
    low: float | None
    high: float | None


def _num(value: float, decimals: int = 1) -> str:
    """A number in the active language's format, without a useless `.0`."""
    if float(value).is_integer():
        return number_format(int(value), 0)
    return number_format(value, decimals)


def _axis_top(value: float) -> float:
    """The top of a count axis: four equal steps of 1, 2 or 5 × 10^k, at least 1,
    so the grid lines fall on whole numbers."""
    needed = max(value / 4, 1)
    magnitude = 10 ** math.floor(math.log10(needed))
    for step in (1, 2, 5, 10):
        if step * magnitude >= needed:
            return 4 * step * magnitude
    return 40 * magnitude  # pragma: no cover - the loop always returns


def _defs(chart_id: str) -> str:
    return (
        "<defs>"
        f'<pattern id="{chart_id}-hatch" width="6" height="6" patternUnits="userSpaceOnUse" '
        'patternTransform="rotate(45)">'
        f'<rect width="6" height="6" fill="#fff"/><rect width="2.5" height="6" fill="{ACCENT}"/>'
        "</pattern>"
        f'<pattern id="{chart_id}-dots" width="6" height="6" patternUnits="userSpaceOnUse">'
        f'<rect width="6" height="6" fill="#fff"/><circle cx="3" cy="3" r="1.7" fill="{INK}"/>'
        "</pattern>"
        "</defs>"
    )


def _fill(chart_id: str, pattern: str) -> str:
    if pattern == "solid":
        return BRAND
    return f"url(#{chart_id}-{pattern})"


def _open(chart_id: str, title: str, desc: str, width: int) -> list[str]:
    return [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="chart" id="{chart_id}" role="img" '
        f'aria-labelledby="{chart_id}-title {chart_id}-desc" viewBox="0 0 {width} {HEIGHT}" '
        f'width="{width}" height="{HEIGHT}" font-family="system-ui, sans-serif" font-size="11">',
        f'<title id="{chart_id}-title">{escape(title)}</title>',
        f'<desc id="{chart_id}-desc">{escape(desc)}</desc>',
        _defs(chart_id),
    ]


Category = str | tuple[str, str]


def _category_label(x: float, label: Category) -> str:
    """One or two lines under the axis: ("May", "2026"), or a string split at its last
    space ("May 2026" -> "May" / "2026")."""
    if isinstance(label, tuple):
        first, second = label
    else:
        first, _space, second = str(label).rpartition(" ")
        if not first:
            first, second = str(label), ""
    baseline = TOP + PLOT + 16
    lines = f'<tspan x="{x:.1f}" y="{baseline}">{escape(first)}</tspan>'
    if second:
        lines += f'<tspan x="{x:.1f}" y="{baseline + 14}">{escape(second)}</tspan>'
    return f'<text text-anchor="middle" fill="{INK}">{lines}</text>'


def _y_axis(width: int, top_value: float, *, percent: bool = False) -> list[str]:
    parts = []
    for i in range(5):
        value = top_value * i / 4
        y = TOP + PLOT - PLOT * i / 4
        parts.append(
            f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" '
            f'stroke="{LINE}" stroke-width="1"/>'
        )
        text = f"{_num(value * 100, 0)}%" if percent else _num(value)
        parts.append(
            f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" fill="{MUTED}">'
            f"{escape(text)}</text>"
        )
    return parts


def _legend(chart_id: str, labels: Sequence[str], patterns: Sequence[str]) -> list[str]:
    parts, x = [], LEFT
    for label, pattern in zip(labels, patterns, strict=True):
        parts.append(
            f'<rect x="{x}" y="10" width="14" height="14" fill="{_fill(chart_id, pattern)}" '
            f'stroke="{INK}" stroke-width="1"/>'
        )
        parts.append(f'<text x="{x + 19}" y="21" fill="{INK}">{escape(label)}</text>')
        x += 19 + 7 * len(str(label)) + 18
    return parts


def bar_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[Category],
    series: Sequence[Series],
    missing: str = "–",
) -> SafeString:
    """Grouped bars, one group per category, one bar per series (at most three). A missing
    value (None: too few to judge) draws no bar and writes `missing` on the axis."""
    if not 1 <= len(series) <= len(PATTERNS):
        raise ValueError("one to three series")
    slot = max(56, BAR * len(series) + 24)
    width = LEFT + RIGHT + slot * max(len(categories), 1)
    values = [v for s in series for v in s.values if v is not None]
    top_value = _axis_top(max(values, default=0))
    parts = _open(chart_id, title, desc, width)
    parts += _y_axis(width, top_value)
    parts += _legend(chart_id, [s.label for s in series], PATTERNS[: len(series)])
    for index, category in enumerate(categories):
        group_x = LEFT + slot * index + (slot - BAR * len(series)) / 2
        for number, one in enumerate(series):
            value = one.values[index]
            x = group_x + BAR * number
            centre = x + BAR / 2
            if value is None:
                parts.append(
                    f'<text x="{centre:.1f}" y="{TOP + PLOT - 4}" text-anchor="middle" '
                    f'fill="{MUTED}">{escape(missing)}</text>'
                )
                continue
            height = PLOT * value / top_value
            y = TOP + PLOT - height
            parts.append(
                f'<rect x="{x:.1f}" y="{y:.1f}" width="{BAR - 2}" height="{height:.1f}" '
                f'fill="{_fill(chart_id, PATTERNS[number])}" stroke="{INK}" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{centre - 1:.1f}" y="{y - 3:.1f}" text-anchor="middle" '
                f'fill="{INK}">{escape(_num(value))}</text>'
            )
        parts.append(_category_label(LEFT + slot * index + slot / 2, category))
    parts.append(
        f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{TOP + PLOT}" y2="{TOP + PLOT}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()


def interval_chart(
    *,
    chart_id: str,
    title: str,
    desc: str,
    categories: Sequence[Category],
    points: Sequence[Interval],
    label: str,
    interval_label: str,
    missing: str,
) -> SafeString:
    """A share per category (0-100%) as a square marker with its 95% interval as a
    whisker; a category with too few to judge shows `missing` instead of a point."""
    slot = 64
    width = LEFT + RIGHT + slot * max(len(categories), 1)
    parts = _open(chart_id, title, desc, width)
    parts += _y_axis(width, 1.0, percent=True)
    # Legend: a marker and a whisker, each named.
    parts.append(f'<rect x="{LEFT}" y="11" width="10" height="10" fill="{BRAND}"/>')
    parts.append(f'<text x="{LEFT + 16}" y="21" fill="{INK}">{escape(label)}</text>')
    whisker_x = LEFT + 16 + 7 * len(str(label)) + 24
    parts.append(
        f'<line x1="{whisker_x}" x2="{whisker_x}" y1="8" y2="24" stroke="{INK}" stroke-width="2"/>'
    )
    parts.append(f'<text x="{whisker_x + 8}" y="21" fill="{INK}">{escape(interval_label)}</text>')

    def y_of(share: float) -> float:
        return TOP + PLOT - PLOT * share

    for index, (category, point) in enumerate(zip(categories, points, strict=True)):
        centre = LEFT + slot * index + slot / 2
        if point.value is None:
            parts.append(
                f'<text x="{centre:.1f}" y="{TOP + PLOT - 6}" text-anchor="middle" '
                f'fill="{MUTED}">{escape(missing)}</text>'
            )
        else:
            if point.low is not None and point.high is not None:
                low, high = y_of(point.low), y_of(point.high)
                parts.append(
                    f'<line x1="{centre:.1f}" x2="{centre:.1f}" y1="{high:.1f}" y2="{low:.1f}" '
                    f'stroke="{INK}" stroke-width="2"/>'
                )
                for end in (low, high):
                    parts.append(
                        f'<line x1="{centre - 5:.1f}" x2="{centre + 5:.1f}" y1="{end:.1f}" '
                        f'y2="{end:.1f}" stroke="{INK}" stroke-width="2"/>'
                    )
            y = y_of(point.value)
            parts.append(
                f'<rect x="{centre - 5:.1f}" y="{y - 5:.1f}" width="10" height="10" '
                f'fill="{BRAND}" stroke="#fff" stroke-width="1"/>'
            )
            parts.append(
                f'<text x="{centre + 9:.1f}" y="{y + 4:.1f}" fill="{INK}">'
                f"{escape(_num(point.value * 100, 0))}%</text>"
            )
        parts.append(_category_label(centre, category))
    parts.append(
        f'<line x1="{LEFT}" x2="{width - RIGHT}" y1="{TOP + PLOT}" y2="{TOP + PLOT}" '
        f'stroke="{INK}" stroke-width="1"/>'
    )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 - every text above went through escape()
