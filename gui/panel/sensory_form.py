"""The ISNCSCI-style sensory examination: light touch and pin prick, 0/1/2, at the key sensory
points L2-S1, S2, S3 and S4-5 on each side, and the patient's 0-10 rating of each symptom.

A grid of small combo boxes (rows: key points; columns: right LT, right PP, left LT, left PP).
Each change is one :meth:`SessionModel.set_findings` (one undo step); the grid re-reads the model
on every findings change.
"""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QComboBox, QGridLayout, QLabel, QWidget

from core.model import (
    INTENSITY_RANGE,
    SENSORY_MODALITIES,
    SENSORY_POINTS,
    Findings,
    Side,
    Symptom,
)
from core.names import finding_name, form_label, key_point_place
from gui.panel.combos import combo, edit_text, show_data
from gui.session_model import SessionModel

SIDES = (Side.RIGHT, Side.LEFT)
MODALITY_SHORT = {"light_touch": "LT", "pin_prick": "PP"}
MODALITY_NAMES = {"light_touch": "light touch", "pin_prick": "pin prick"}
SCORES = (("–", None), ("2", 2), ("1", 1), ("0", 0))
"""The ISNCSCI scores, shown as numbers (the title gives their meaning; four combos share a
row of the panel); each item's tooltip and spoken text say it in words."""
SCORE_WORDS = ("not tested", "2 normal", "1 altered", "0 absent")
POINT_TEXT = {p: form_label(f"sensation:{p}") for p in SENSORY_POINTS}
"""The key points' row labels (``S4-5``): core.names' short names, words of the names the
report gives them ("Sensation at the L2 key point (anteromedial thigh)")."""


class SensoryForm(QWidget):
    """Key-point sensory scores and symptom intensities, right and left."""

    def __init__(self, model: SessionModel, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._model = model
        self.setObjectName("sensory_form")
        self.setAccessibleName("Sensory examination and symptom intensity")
        self.score_combos: dict[tuple[Side, str, str], QComboBox] = {}
        self.intensity_combos: dict[tuple[Side, Symptom], QComboBox] = {}
        grid = QGridLayout(self)
        grid.setContentsMargins(0, 0, 0, 0)
        grid.setHorizontalSpacing(4)
        grid.setVerticalSpacing(3)
        grid.setColumnStretch(0, 1)
        title = QLabel(
            "<b>Sensation at the key points</b> (ISNCSCI: 2 normal, 1 altered, 0 absent; "
            "– not tested). LT light touch, PP pin prick; R right, L left."
        )
        title.setObjectName("sensation_title")  # the columns' short names said (a UX review)
        title.setWordWrap(True)
        grid.addWidget(title, 0, 0, 1, 5)
        col = 1
        for side in SIDES:
            for mod in SENSORY_MODALITIES:
                h = QLabel(f"{side.display[0]} {MODALITY_SHORT[mod]}")
                h.setToolTip(f"{side.display}, {MODALITY_NAMES[mod]}")
                h.setAlignment(Qt.AlignmentFlag.AlignCenter)
                grid.addWidget(h, 1, col)
                col += 1
        row = 2
        for point in SENSORY_POINTS:
            lab = QLabel(POINT_TEXT[point])
            lab.setToolTip(finding_name(f"sensation:{point}"))  # the report's name
            grid.addWidget(lab, row, 0)
            col = 1
            for side in SIDES:
                for mod in SENSORY_MODALITIES:
                    name = (
                        f"{side.display} {POINT_TEXT[point]} {MODALITY_NAMES[mod]} "
                        f"({key_point_place(point)})"
                    )
                    c = combo(SCORES, name)
                    for i, words in enumerate(SCORE_WORDS):
                        c.setItemData(i, words, Qt.ItemDataRole.ToolTipRole)
                        c.setItemData(i, words, Qt.ItemDataRole.AccessibleTextRole)
                    c.currentIndexChanged.connect(
                        lambda _i, s=side, p=point, m=mod, cb=c: self._set(
                            self._findings().with_sensation(s, p, m, cb.currentData()),
                            edit_text(cb),
                        )
                    )
                    self.score_combos[(side, point, mod)] = c
                    grid.addWidget(c, row, col)
                    col += 1
            lab.setBuddy(self.score_combos[(SIDES[0], point, SENSORY_MODALITIES[0])])
            row += 1

        low, high = INTENSITY_RANGE
        head = QLabel(f"<b>Intensity</b> (the patient's rating {low}-{high}, {high} worst)")
        head.setWordWrap(True)
        grid.addWidget(head, row, 0, 1, 5)
        row += 1
        for i, side in enumerate(SIDES):
            h = QLabel(side.display)
            h.setAlignment(Qt.AlignmentFlag.AlignCenter)
            grid.addWidget(h, row, 1 + 2 * i, 1, 2)
        row += 1
        levels: tuple[tuple[str, int | None], ...] = (
            ("–", None),
            *((str(v), v) for v in range(low, high + 1)),
        )
        for sym in Symptom:
            lab = QLabel(form_label(f"intensity:{sym.value}"))
            lab.setToolTip(finding_name(f"intensity:{sym.value}"))
            grid.addWidget(lab, row, 0)
            for i, side in enumerate(SIDES):
                name = f"{side.display} {sym.value} intensity ({low}-{high})"
                c = combo(levels, name)
                c.currentIndexChanged.connect(
                    lambda _i, s=side, y=sym, cb=c: self._set(
                        self._findings().with_intensity(s, y, cb.currentData()), edit_text(cb)
                    )
                )
                self.intensity_combos[(side, sym)] = c
                grid.addWidget(c, row, 1 + 2 * i, 1, 2)
            lab.setBuddy(self.intensity_combos[(SIDES[0], sym)])
            row += 1

        model.findings_changed.connect(self.sync)
        model.session_replaced.connect(self.sync)
        self.sync()

    def _findings(self) -> Findings:
        return self._model.session.findings

    def _set(self, findings: Findings, text: str) -> None:
        self._model.set_findings(findings, text)

    def controls(self) -> list[QWidget]:
        return [*self.score_combos.values(), *self.intensity_combos.values()]

    def sync(self) -> None:
        f = self._findings()
        for (side, point, mod), c in self.score_combos.items():
            show_data(c, f.sensation.get(side, {}).get(point, {}).get(mod))
        for (side, sym), c in self.intensity_combos.items():
            show_data(c, f.symptom_intensity(side, sym))
