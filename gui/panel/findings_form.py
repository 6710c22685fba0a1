"""Examination findings and history: a compact form, right and left columns.

Every change builds a new :class:`core.model.Findings` and sends it to
:meth:`SessionModel.set_findings` (one undo step); the panel re-ranks from the model's change
signal. The form itself re-reads the model on every findings change (undo, open file).
"""

from __future__ import annotations

from collections.abc import Callable
from enum import Enum
from typing import Any

from PySide6.QtCore import QSignalBlocker, Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.model import (
    Clonus,
    Findings,
    LocalCauseSite,
    Movement,
    PlantarResponse,
    Reflex,
    ReflexGrade,
    Side,
    Strength,
    Test,
    TestResult,
)
from core.names import VALUE_WORDS, finding_name, lower_first
from core.session_format import MAX_AGE, MAX_ONSET_DAYS
from core.visit_dates import age_at_visit
from gui.panel.combos import CountSpinBox, combo, edit_text, note_items, show_data
from gui.session_model import SessionModel

SIDES = (Side.RIGHT, Side.LEFT)

FORM_MOVEMENTS = (
    Movement.HIP_FLEXION,
    Movement.HIP_ADDUCTION,
    Movement.HIP_ABDUCTION,
    Movement.KNEE_EXTENSION,
    Movement.KNEE_FLEXION,
    Movement.ANKLE_DORSIFLEXION,
    Movement.GREAT_TOE_EXTENSION,
    Movement.ANKLE_INVERSION,
    Movement.ANKLE_EVERSION,
    Movement.ANKLE_PLANTARFLEXION,
    Movement.HIP_EXTENSION,
    Movement.TOE_FLEXION,
)
REFLEX_NAMES = {r: finding_name(f"reflex:{r.value}") for r in Reflex}
"""The reflexes' rows, named as the report names them (the form said "Patellar (knee)")."""
REFLEX_TIPS = {Reflex.PATELLAR: "The knee jerk.", Reflex.ACHILLES: "The ankle jerk."}
MOVEMENT_NAMES = {m: finding_name(f"strength:{m.value}") for m in FORM_MOVEMENTS}
"""The rows of the strength grid, in the form's order, named as everywhere else (the form had
its own "Ankle plantarflexion" beside the report's "Ankle plantar flexion")."""
FORM_TESTS = (
    Test.STRAIGHT_LEG_RAISE,
    Test.CROSSED_STRAIGHT_LEG_RAISE,
    Test.FEMORAL_STRETCH,
    Test.TINEL_FIBULAR_HEAD,
    Test.TINEL_TARSAL_TUNNEL,
    Test.TINEL_MEDIAL_KNEE,
    Test.TINEL_LATERAL_ANKLE,
    Test.TINEL_ANTERIOR_ANKLE,
    Test.TINEL_LEG_FASCIA,
    Test.PELVIC_COMPRESSION,
    Test.CROSSED_FEMORAL_STRETCH,
    Test.TINEL_ASIS,
)
TEST_NAMES = {t: finding_name(f"test:{t.value}") for t in FORM_TESTS}
"""The provocative tests' rows, named as the report and the Why text name them (the form said
"Femoral stretch", "Tinel at leg fascia", "Meralgia compression")."""
UMN_NAMES = {k: finding_name(k) for k in ("plantar_response", "clonus")}
UMN_TIPS = {
    "plantar_response": "Extensor (Babinski) is an upper motor neuron sign.",
    "clonus": "Sustained ankle clonus is an upper motor neuron sign.",
}
TEST_TIPS = {
    Test.CROSSED_STRAIGHT_LEG_RAISE: "Raising the other leg reproduces pain in this leg.",
    Test.FEMORAL_STRETCH: "Femoral nerve stretch (reverse Lasègue) test.",
    Test.TINEL_LEG_FASCIA: "Where the superficial peroneal nerve leaves the fascia of the leg.",
    Test.PELVIC_COMPRESSION: (
        "Meralgia test: lying on the other side, the pelvis pressed down for 45 s; positive when"
        " the thigh symptoms ease (not the sacroiliac compression test)."
    ),
    Test.CROSSED_FEMORAL_STRETCH: "Femoral stretch of the other leg reproduces pain in this leg.",
    Test.TINEL_ASIS: "Over the lateral femoral cutaneous nerve, medial to the ASIS.",
}
HISTORY_BOOLS = {
    k: finding_name(f"history:{k}")
    for k in (
        "back_pain",
        "neurogenic_claudication",
        "diabetes",
        "progressive",
        "cancer",
        "fever",
        "local_cause",
    )
}
"""The yes/no history, named as the report names it (the form said "Getting worse" for
"Progressive symptoms"); the local cause comes last, its site follows it."""
SITE_NAMES = {site: VALUE_WORDS[site.value] for site in LocalCauseSite}
HISTORY_TIPS = {
    "neurogenic_claudication": "Leg symptoms on walking or standing, eased by sitting or "
    "bending forward.",
    "local_cause": "Surgery, trauma or external compression (e.g. tight clothing, a cast) near "
    "a nerve.",
    "progressive": (
        "Weakness or numbness getting worse (makes upper motor neuron signs urgent; with "
        "weakness on one leg, a caution to arrange prompt assessment)."
    ),
    "cancer": (
        "Any cancer, now or in the past: with leg symptoms or a deficit, metastatic spinal cord "
        "compression must be excluded (an urgent warning)."
    ),
    "fever": (
        "Fever with the present symptoms: with back pain, leg symptoms or a deficit, a spinal "
        "infection must be excluded (an urgent warning)."
    ),
}

NOT_GIVEN = "not given"
MRC_GRADES = (5, 4, 3, 2, 1, 0)
UNGRADED = (Strength.WEAK, Strength.NORMAL)
STRENGTH_ITEMS: list[tuple[str, Any]] = [
    ("not tested", None),
    # "5 normal" stood beside the ungraded "normal" below: normal twice
    *((str(grade), grade) for grade in MRC_GRADES),
    # no grade taken (the tooltip says so; the open list too, STRENGTH_NOTES)
    *((VALUE_WORDS[s.value], s.value) for s in UNGRADED),
]
"""MRC grades, plus the bare words older files and quick entry use (below 5 is weak)."""
GRADE_NOTE = "MRC grade"
UNGRADED_NOTE = "no grade"
STRENGTH_NOTES = ("", *(GRADE_NOTE,) * len(MRC_GRADES), *(UNGRADED_NOTE,) * len(UNGRADED))
"""What kind of choice each strength item is, beside it in the open list and after it in
what is said ("5 (MRC grade)", "weak (no grade)"): the grades and the words without a grade
sat in one list, "5" beside "normal" and "4" beside "weak", and one finding was recorded now
one way, now the other. Rules part "not tested", the grades and the words (STRENGTH_GROUPS:
the first item of each)."""
STRENGTH_GROUPS = (1, 1 + len(MRC_GRADES))
MRC_TIP = (
    "MRC grade: 5 normal power, 4 against some resistance, 3 against gravity only, "
    "2 with gravity eliminated, 1 a flicker, 0 no contraction; weak or normal when no grade "
    "was taken."
)


def visit_age_text(at_visit: int | None) -> str:
    """The empty age: ``not given``, or the age the visit gives, which the analysis uses
    (``64 (from the date of birth)``; "not given (64 at the visit)" left a student unsure
    whether 64 counted)."""
    return NOT_GIVEN if at_visit is None else f"{at_visit} (from the date of birth)"


def set_strength(f: Findings, side: Side, movement: Movement, data: int | str | None) -> Findings:
    """An MRC grade (int), ``normal``/``weak`` without a grade (str) or nothing (None)."""
    if isinstance(data, str):
        return f.with_strength(side, movement, Strength(data))
    return f.with_grade(side, movement, data)


def strength_data(f: Findings, side: Side, movement: Movement) -> int | str | None:
    grade = f.grade(side, movement)
    if grade is not None:
        return grade
    power = f.power(side, movement)
    return None if power is None else power.value


def _enum(cls: Any, data: Any) -> Any:
    return data if data is None or cls is None else cls(data)


class FindingsForm(QWidget):
    """Reflexes, strength, provocative tests (per side) and history (once)."""

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setObjectName("findings_form")
        self.setAccessibleName("Examination findings")
        self.reflex_combos: dict[tuple[Side, Reflex], QComboBox] = {}
        self.strength_combos: dict[tuple[Side, Movement], QComboBox] = {}
        self.test_combos: dict[tuple[Side, Test], QComboBox] = {}
        self.history_combos: dict[str, QComboBox] = {}

        outer = QVBoxLayout(self)
        outer.setContentsMargins(6, 6, 6, 6)
        outer.setSpacing(8)
        intro = QLabel(
            "Enter what was examined; leave the rest as not tested. Strength and reflexes "
            "separate the roots far better than drawings do."
        )
        intro.setWordWrap(True)
        outer.addWidget(intro)

        grid = QGridLayout()
        grid.setHorizontalSpacing(6)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(0, 1)
        outer.addLayout(grid)
        row = 0

        def header(title: str) -> None:
            nonlocal row
            t = QLabel(f"<b>{title}</b>")
            t.setWordWrap(True)  # a long title wraps rather than widen the names' column
            grid.addWidget(t, row, 0)
            for col, side in enumerate(SIDES, start=1):
                h = QLabel(side.display)
                h.setAlignment(Qt.AlignmentFlag.AlignCenter)
                grid.addWidget(h, row, col)
            row += 1

        def section(
            title: str,
            names: dict[Any, str],
            values: type[Enum] | list[tuple[str, Any]],
            combos: dict[tuple[Side, Any], QComboBox],
            accessible: Callable[[Side, Any, str], str],
            setter: Callable[[Findings, Side, Any, Any], Findings],
            tips: dict[Any, str] | None = None,
        ) -> None:
            """One header plus a row of per-side combos for each finding in ``names``."""
            nonlocal row
            if isinstance(values, list):  # ready-made (text, data) items; data sent as is
                items, kind = values, None
            else:
                items, kind = [("not tested", None)] + [(v.value, v) for v in values], values
            if title:
                header(title)
            for key, name in names.items():
                tip = (tips or {}).get(key)
                lab = QLabel(name)
                lab.setWordWrap(True)  # a long name takes two lines rather than widen the panel
                if tip:
                    lab.setToolTip(tip)
                grid.addWidget(lab, row, 0)
                for col, side in enumerate(SIDES, start=1):
                    acc = accessible(side, key, name)
                    c = combo(items, acc)
                    if tip:
                        c.setToolTip(f"{acc}: {tip}")
                    c.currentIndexChanged.connect(
                        lambda _i, s=side, k=key, cb=c: self._set(
                            setter(self._findings(), s, k, _enum(kind, cb.currentData())),
                            edit_text(cb),
                        )
                    )
                    combos[(side, key)] = c
                    grid.addWidget(c, row, col)
                lab.setBuddy(combos[(SIDES[0], key)])
                row += 1

        section(
            "Reflexes",
            REFLEX_NAMES,
            ReflexGrade,
            self.reflex_combos,
            lambda side, _r, n: f"{side.display} {lower_first(n)}",
            Findings.with_reflex,
            REFLEX_TIPS,
        )
        section(
            "Strength (MRC 0-5)",
            MOVEMENT_NAMES,
            STRENGTH_ITEMS,
            self.strength_combos,
            lambda side, _m, n: f"{side.display} {n.lower()} strength",
            set_strength,
            dict.fromkeys(MOVEMENT_NAMES, MRC_TIP),
        )
        for c in self.strength_combos.values():
            note_items(c, STRENGTH_NOTES, STRENGTH_GROUPS)
        section(
            "Provocative tests",
            TEST_NAMES,
            TestResult,
            self.test_combos,
            lambda side, _t, n: f"{side.display} {lower_first(n)}",
            Findings.with_test,
            TEST_TIPS,
        )

        self.umn_combos: dict[tuple[Side, str], QComboBox] = {}
        section(
            "Upper motor neuron signs",
            {"plantar_response": UMN_NAMES["plantar_response"]},
            PlantarResponse,
            self.umn_combos,
            lambda side, _k, n: f"{side.display} {lower_first(n)}",
            lambda f, side, _k, v: f.with_plantar_response(side, v),
            UMN_TIPS,
        )
        section(
            "",
            {"clonus": UMN_NAMES["clonus"]},
            Clonus,
            self.umn_combos,
            lambda side, _k, n: f"{side.display} {lower_first(n)}",
            lambda f, side, _k, v: f.with_clonus(side, v),
            UMN_TIPS,
        )

        from gui.panel.sensory_form import SensoryForm

        self.sensory = SensoryForm(model)
        outer.addWidget(self.sensory)

        # history (once, not per side)
        hist = QGridLayout()
        hist.setHorizontalSpacing(6)
        hist.setVerticalSpacing(3)
        hist.setColumnStretch(0, 1)
        outer.addLayout(hist)
        hist.addWidget(QLabel("<b>History</b>"), 0, 0)
        self.age_spin = CountSpinBox("year", "years")
        self.age_spin.setRange(-1, MAX_AGE)  # the file's limits
        self.age_spin.setSpecialValueText(NOT_GIVEN)
        self.age_spin.reserve(visit_age_text(MAX_AGE))  # the visit's age moves nothing
        self.age_spin.setKeyboardTracking(False)
        self.age_spin.setAccessibleName(finding_name("history:age"))
        self.age_spin.valueChanged.connect(
            lambda v: self._set(
                self._findings().with_history(age=None if v < 0 else v), edit_text(self.age_spin)
            )
        )
        self.onset_spin = CountSpinBox("day ago", "days ago")
        self.onset_spin.setRange(-1, MAX_ONSET_DAYS)
        self.onset_spin.setSpecialValueText(NOT_GIVEN)
        self.onset_spin.setKeyboardTracking(False)
        self.onset_spin.setAccessibleName(finding_name("history:onset_days"))
        self.onset_spin.setToolTip("How many days ago the symptoms began")
        self.onset_spin.valueChanged.connect(
            lambda v: self._set(
                self._findings().with_history(onset_days=None if v < 0 else v),
                edit_text(self.onset_spin),
            )
        )
        r = 1
        for w in (self.age_spin, self.onset_spin):
            lab = QLabel(w.accessibleName())
            lab.setBuddy(w)
            hist.addWidget(lab, r, 0)
            hist.addWidget(w, r, 1)
            r += 1
        tri = [(NOT_GIVEN, None), ("yes", True), ("no", False)]
        for key, name in HISTORY_BOOLS.items():
            lab = QLabel(name)
            lab.setWordWrap(True)
            c = combo(tri, name)
            if key in HISTORY_TIPS:
                lab.setToolTip(HISTORY_TIPS[key])
                c.setToolTip(f"{name}: {HISTORY_TIPS[key]}")
            lab.setBuddy(c)
            c.currentIndexChanged.connect(
                lambda _i, k=key, cb=c: self._set(
                    self._findings().with_history(**{k: cb.currentData()}), edit_text(cb)
                )
            )
            self.history_combos[key] = c
            hist.addWidget(lab, r, 0)
            hist.addWidget(c, r, 1)
            r += 1
        self.site_combo = self._choice(
            hist,
            r,
            finding_name("history:site_of_local_cause"),
            [(n, site) for site, n in SITE_NAMES.items()],
            "Where the local cause acts: the nerves there count for more.",
            "local_cause_site",
            LocalCauseSite,
        )
        self.cause_side_combo = self._choice(
            hist,
            r + 1,
            finding_name("history:local_cause_side"),
            [("right leg", Side.RIGHT), ("left leg", Side.LEFT)],
            "The leg the local cause acts on: it counts for that leg only (not given: either).",
            "local_cause_side",
            Side,
        )

        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.clear_button = QPushButton("Clear findings")
        self.clear_button.setAccessibleName("Clear all examination findings and history")
        self.clear_button.setToolTip(
            "Empty every finding and the history (Edit › Undo brings them back)"
        )
        self.clear_button.clicked.connect(
            lambda: self._set(Findings(), "Clear the examination findings and history")
        )
        buttons.addWidget(self.clear_button)
        outer.addLayout(buttons)
        outer.addStretch(1)

        model.findings_changed.connect(self.sync)
        model.session_replaced.connect(self.sync)
        model.visit_changed.connect(self._show_visit_age)
        self.sync()

    def _choice(
        self,
        grid: QGridLayout,
        row: int,
        name: str,
        items: list[tuple[str, Any]],
        tip: str,
        field: str,
        kind: Any,
    ) -> QComboBox:
        """A labelled history choice (``not given`` first) at ``row`` of ``grid``, setting the
        history's ``field`` to a ``kind`` member."""
        box = combo([(NOT_GIVEN, None), *items], name)
        box.setToolTip(tip)
        box.currentIndexChanged.connect(
            lambda _i: self._set(
                self._findings().with_history(**{field: _enum(kind, box.currentData())}),
                edit_text(box),
            )
        )
        label = QLabel(name)
        label.setWordWrap(True)
        label.setBuddy(box)
        grid.addWidget(label, row, 0)
        grid.addWidget(box, row, 1)
        return box

    def _findings(self) -> Findings:
        return self._model.session.findings

    def _show_visit_age(self) -> None:
        """With no age here, the analysis takes the visit's (from the date of birth): the empty
        age says which ("64 (from the date of birth)")."""
        v = self._model.session.visit
        text = visit_age_text(age_at_visit(v.date_of_birth, v.date))
        if self.age_spin.specialValueText() != text:
            self.age_spin.setSpecialValueText(text)
            self.age_spin.updateGeometry()  # (Qt's own does not: a longer text lost its start)

    def _set(self, findings: Findings, text: str) -> None:
        self._model.set_findings(findings, text)

    def controls(self) -> list[QWidget]:
        """Every input of the form (tests, accessibility checks)."""
        out: list[QWidget] = []
        out += self.reflex_combos.values()
        out += self.strength_combos.values()
        out += self.test_combos.values()
        out += self.umn_combos.values()
        out += [self.age_spin, self.onset_spin]
        out += self.history_combos.values()
        out += [self.site_combo, self.cause_side_combo]
        out += self.sensory.controls()
        return out

    def sync(self) -> None:
        """Show the model's findings (after undo, open, clear)."""
        f = self._findings()
        for (side, reflex), c in self.reflex_combos.items():
            show_data(c, f.reflex(side, reflex))
        for (side, mv), c in self.strength_combos.items():
            show_data(c, strength_data(f, side, mv))
        for (side, test), c in self.test_combos.items():
            show_data(c, f.test(side, test))
        h = f.history
        self._show_visit_age()
        for spin, value in ((self.age_spin, h.age), (self.onset_spin, h.onset_days)):
            v = -1 if value is None else int(value)
            if spin.value() != v:
                with QSignalBlocker(spin):
                    spin.setValue(v)
        for key, c in self.history_combos.items():
            show_data(c, getattr(h, key))
        for side in SIDES:
            show_data(self.umn_combos[(side, "plantar_response")], f.plantar_response.get(side))
            show_data(self.umn_combos[(side, "clonus")], f.clonus.get(side))
        show_data(self.site_combo, h.local_cause_site)
        show_data(self.cause_side_combo, h.local_cause_side)
