"""The report's Qt-free content (core/report_content.py)."""

from __future__ import annotations

from datetime import datetime

from core import report_content
from core.engine import analyze
from core.model import Mark, Session, Side, Symptom


def test_a_condition_s_next_steps_read_as_one_sentence() -> None:
    """With both legs marked, the lumbar cards' steps begin with the lead step, which ends with
    a full stop: the report joined the steps with "; " and printed "...emergency referral).;
    Neurological examination..." (a UX review)."""
    drawing = ("buttock", "lateral_thigh", "lateral_lower_leg", "dorsum_of_foot")
    marks = tuple(Mark(z, s, Symptom.PAIN) for z in drawing for s in (Side.LEFT, Side.RIGHT))
    session = Session(marks=marks)
    analysis = analyze(session)
    assert any(
        s.startswith("Before the steps below") for c in analysis.conditions for s in c.next_steps
    )
    blocks = report_content.build_blocks(
        session,
        analysis,
        overlay=False,
        aspect=1.0,
        body_w=500.0,
        max_diagram_h=300.0,
        source_name=None,
        now=datetime(2026, 12, 7),
    )
    html = "".join(b.html for b in blocks)
    assert "Usual next steps" in html and ".;" not in html
