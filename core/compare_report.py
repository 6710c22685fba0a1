"""The optional report section comparing this visit with an earlier one (Qt-free blocks for
:mod:`core.report_content`): the change drawn on the diagram (new, resolved, persisting areas),
the overlap of the marked skin and each hypothesis's probability then and now."""

from __future__ import annotations

from html import escape

from core.compare import Comparison, hypothesis_rows, summary_lines
from core.report_blocks import Block

CHANGE_PICTURE = "change"


def comparison_blocks(c: Comparison, *, aspect: float = 0.7, body_w: float = 1.0) -> list[Block]:
    lines = summary_lines(c)
    head = f"<h2>{escape(lines[0])}</h2>"
    body = "".join(f"<p>{escape(line)}</p>" for line in lines[1:])
    rows = "".join(
        f"<tr><td>{escape(side)}</td><td><b>{escape(name)}</b></td>"
        f"<td align='right'>{escape(then)}</td><td align='right'>{escape(now)}</td></tr>"
        for side, name, then, now in hypothesis_rows(c)
    )
    table = (
        "<table width='100%' cellspacing='0'><tr><th width='13%'>Side</th>"
        "<th width='47%'>Hypothesis</th><th width='20%' align='right'>Then</th>"
        f"<th width='20%' align='right'>Now</th></tr>{rows}</table>"
    )
    return [
        Block(head, keep_with_next=True, space_before=10),
        Block(body, keep_with_next=True),
        Block(height=body_w * aspect, diagram=True, picture=CHANGE_PICTURE, keep_with_next=True),
        Block(
            "<p class='small muted'>Change since the earlier visit: new areas (orange), "
            "resolved (green outline), persisting (blue).</p>",
            space_before=2,
        ),
        Block(table, space_before=4),
    ]
