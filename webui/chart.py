"""Web UI stage: a line chart of shares per year as inline SVG, built here (no JavaScript, no library, no CDN).

Every label passes through ``markupsafe.escape``; colours and coordinates are ours. Only presentation
attributes are used (``stroke``, ``fill``): the Content-Security-Policy forbids inline ``style``.
A year without reports breaks a line (no point), it is not drawn as zero.
"""

from __future__ import annotations

from markupsafe import Markup, escape

WIDTH, HEIGHT = 760, 320
LEFT, RIGHT, TOP, BOTTOM = 48, 150, 16, 36
INSET = 24  # the first and last years sit inside the grid, clear of the axis labels
PALETTE = ("#aab4be", "#0b57d0", "#c2410c", "#15803d", "#7e22ce", "#b91c1c", "#0e7490", "#a16207", "#be185d")
MAX_SERIES = len(PALETTE)


def _x(i: int, n: int) -> float:
    span = WIDTH - LEFT - RIGHT - 2 * INSET
    return LEFT + INSET + (span / 2 if n == 1 else span * i / (n - 1))


def _y(share: float) -> float:
    return TOP + (HEIGHT - TOP - BOTTOM) * (1 - share)


def _segments(points: list[dict], n: int) -> list[list[tuple[float, float]]]:
    runs, run = [], []
    for i, p in enumerate(points):
        if p["share"] is None:
            if run:
                runs.append(run)
            run = []
        else:
            run.append((_x(i, n), _y(p["share"])))
    if run:
        runs.append(run)
    return runs


def line_chart(years: list[int], series: list[dict], title: str) -> Markup:
    """``series``: ``{"name", "points": [{"year", "matched", "held", "share"}]}``, the first wide and pale, under the others."""
    n = len(years)
    out = [f'<svg class="chart" viewBox="0 0 {WIDTH} {HEIGHT}" role="img" aria-label="{escape(title)}" '
           f'xmlns="http://www.w3.org/2000/svg">', f"<title>{escape(title)}</title>"]
    for tick in (0, 0.25, 0.5, 0.75, 1):
        y = _y(tick)
        out.append(f'<line x1="{LEFT}" x2="{WIDTH - RIGHT}" y1="{y:.1f}" y2="{y:.1f}" stroke="#d8dee4"/>')
        out.append(f'<text x="{LEFT - 6}" y="{y + 4:.1f}" text-anchor="end" font-size="12" fill="#59636e">'
                   f"{int(tick * 100)}%</text>")
    for i, year in enumerate(years):
        out.append(f'<text x="{_x(i, n):.1f}" y="{HEIGHT - BOTTOM + 18}" text-anchor="middle" font-size="12" '
                   f'fill="#59636e">{escape(str(year))}</text>')
    for k, s in enumerate(series[:MAX_SERIES]):  # the first one wide and pale, under the others
        color, width = PALETTE[k], 6 if k == 0 else 2
        for run in _segments(s["points"], n):
            coords = " ".join(f"{x:.1f},{y:.1f}" for x, y in run)
            out.append(f'<polyline points="{coords}" fill="none" stroke="{color}" stroke-width="{width}"/>')
        for i, p in enumerate(s["points"]):
            if p["share"] is None:
                continue
            label = f"{s['name']} {p['year']}年：{p['matched']} / {p['held']}（{p['share'] * 100:.0f}%）"
            out.append(f'<circle cx="{_x(i, n):.1f}" cy="{_y(p["share"]):.1f}" r="{5 if k == 0 else 3}" '
                       f'fill="{color}"><title>{escape(label)}</title></circle>')
        ly = TOP + 8 + 20 * k
        lx = WIDTH - RIGHT + 14
        out.append(f'<line x1="{lx}" x2="{lx + 18}" y1="{ly}" y2="{ly}" stroke="{color}" stroke-width="{width}"/>')
        out.append(f'<text x="{lx + 24}" y="{ly + 4}" font-size="12" fill="#1f2328">{escape(s["name"])}</text>')
    out.append("</svg>")
    return Markup("".join(out))
