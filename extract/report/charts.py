"""The overview's two charts as SVG drawn by matplotlib on the server: declared against
computed totals (each point links to its file's page) and findings per rule. The SVG is
inlined in the page: no script, no network, and it prints."""

from __future__ import annotations

import io
import re
from collections import Counter
from typing import Any
from urllib.parse import quote

from .views import FileView

# Text as paths: the SVG needs no font on the reviewer's machine.
_STYLE: dict[str, Any] = {"svg.fonttype": "path", "font.size": 9, "axes.spines.top": False, "axes.spines.right": False,
          "svg.hashsalt": "selfeval"}  # fmt: skip
OK, FLAGGED = "#2f6f4f", "#c0392b"


def _svg(figure, title: str) -> str:  # type: ignore[no-untyped-def]
    """The figure as an inline SVG element with an accessible title."""
    buffer = io.StringIO()
    figure.savefig(buffer, format="svg", bbox_inches="tight", metadata={"Date": None})
    svg = buffer.getvalue()
    svg = svg[svg.index("<svg"):]
    svg = re.sub(r"<svg ", f'<svg role="img" aria-label="{title}" ', svg, count=1)
    return svg


def totals_chart(files: list[FileView]) -> str:
    """Declared against computed total, one point per form, on the line where they agree."""
    import matplotlib
    from matplotlib.figure import Figure  # not pyplot: the caller's backend stays as it is

    points = [(form.declared_total, form.computed_total, file)
              for file in files for form in file.forms
              if form.declared_total is not None and form.computed_total is not None]  # fmt: skip
    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=(4.6, 3.6))
        axes = figure.subplots()
        if points:
            low = min(min(p[0], p[1]) for p in points)
            high = max(max(p[0], p[1]) for p in points)
            pad = max(1.0, (high - low) * 0.05)
            axes.plot([low - pad, high + pad], [low - pad, high + pad], color="#999", lw=0.8, zorder=0)
            for status, colour in (("ok", OK), ("flagged", FLAGGED)):
                chosen = [p for p in points if p[2].status == status]
                if chosen:
                    dots = axes.scatter([p[0] for p in chosen], [p[1] for p in chosen], s=18, color=colour,
                                        label=status, alpha=0.8)  # fmt: skip
                    dots.set_urls([f"files/{quote(p[2].slug)}.html" for p in chosen])
            axes.legend(frameon=False, loc="upper left")
        else:
            axes.text(0.5, 0.5, "no totals", ha="center", transform=axes.transAxes)
        axes.set_xlabel("declared total")
        axes.set_ylabel("computed total")
        return _svg(figure, "declared against computed totals, one point per form")


def findings_chart(files: list[FileView]) -> str:
    """Findings per rule, most frequent on top."""
    import matplotlib
    from matplotlib.figure import Figure

    counts = Counter(f.rule for file in files for f in file.findings).most_common()
    with matplotlib.rc_context(_STYLE):  # type: ignore[arg-type]
        figure = Figure(figsize=(4.6, max(1.6, 0.3 * len(counts) + 0.8)))
        axes = figure.subplots()
        if counts:
            rules = [rule for rule, _ in reversed(counts)]
            values = [n for _, n in reversed(counts)]
            bars = axes.barh(rules, values, color=FLAGGED)
            axes.bar_label(bars, padding=2)
            axes.set_xlabel("findings")
        else:
            axes.text(0.5, 0.5, "no findings", ha="center", transform=axes.transAxes)
            axes.set_axis_off()
        return _svg(figure, "findings per rule")
