"""The finding names the exam form, the report and the Why text share (core.names)."""

from __future__ import annotations

import re

from core import names
from core.model import HISTORY_BOOLEANS, SENSORY_POINTS, Movement, Reflex, Symptom, Test


def _form_keys() -> list[str]:
    """Every finding the exam form has a row for."""
    return [
        *(f"reflex:{r.value}" for r in Reflex),
        *(f"strength:{m.value}" for m in Movement),
        *(f"test:{t.value}" for t in Test),
        "plantar_response",
        "clonus",
        *(f"sensation:{p}" for p in SENSORY_POINTS),
        *(f"intensity:{s.value}" for s in Symptom),
        "history:age",
        "history:onset_days",
        *(f"history:{b}" for b in HISTORY_BOOLEANS),
        "history:site_of_local_cause",
        "history:local_cause_side",
    ]


def test_every_finding_of_the_form_has_a_name_of_its_own() -> None:
    """None falls back to its id made readable, and no two findings share a name."""
    keys = _form_keys()
    assert [k for k in keys if k not in names.FINDING_NAMES] == []
    assert len({names.finding_name(k) for k in keys}) == len(keys)


def test_a_short_form_label_is_words_of_the_name_the_report_gives() -> None:
    """The form's short labels (its sensory grid) are defined here, beside the names, and each
    is whole words of its finding's name: the form and the report say the same word."""
    assert set(names.FINDING_SHORT_NAMES) <= set(_form_keys())
    for key, short in names.FINDING_SHORT_NAMES.items():
        full = names.finding_name(key)
        assert re.search(rf"(?<![\w-]){re.escape(short)}(?![\w-])", full), (key, short, full)
        assert len(short) < len(full)
        assert names.form_label(key) == short


def test_every_other_row_is_labelled_with_the_report_name() -> None:
    for key in _form_keys():
        if key not in names.FINDING_SHORT_NAMES:
            assert names.form_label(key) == names.finding_name(key)
    assert names.form_label("history:progressive") == "Progressive symptoms"
    assert names.form_label("test:pelvic_compression") == "Pelvic compression test (meralgia)"
