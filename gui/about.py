"""Help dialogs: About Dermamap and Intended use (the reference list:
:mod:`gui.panel.references_dialog`)."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QMessageBox,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from gui.panel import references

INTENDED_USE = """
<h3>Intended use</h3>
<p>Dermamap helps a clinician or a student read a drawing of numbness, tingling or pain on the
leg and foot against published dermatome and peripheral-nerve maps. It ranks nerve-root and
nerve hypotheses, lists conditions that fit the pattern and shows warning signs.</p>
<p><b>It is decision support, not a diagnosis.</b> Published maps disagree with one another,
and patients' drawings overlap neighbouring dermatomes widely; drawings alone separate L5 from
S1 poorly [R16, R17]. The probabilities come from a transparent model: how common each lesion
is, times the likelihood ratio of each marked area and finding. Every number is a row with its
source (<i>Help → References</i>); where no published figure exists the row says it is a
project estimate. Every statement in the panel names its sources.</p>
<ul>
<li>Confirm any hypothesis by examination (strength, reflexes, provocative tests) and, when
needed, imaging or nerve studies.</li>
<li>The emergency banner for cauda equina syndrome cannot be switched off. Bladder, bowel or
sexual dysfunction, saddle numbness or worsening weakness of both legs need emergency
assessment the same day, whatever the ranking shows [R47, R48].</li>
<li>Upper motor neuron signs (brisk reflexes, an extensor plantar response, clonus) point to
the spinal cord or brain: the app warns, urgently when they are new or getting worse, but it does
not rank central causes [R90, R91].</li>
<li>Weakness found on one leg that is getting worse, or a movement graded 3/5 or less, gets a
caution: a progressive or severe deficit calls for prompt specialist assessment and
investigation [R97].</li>
<li>Not validated for children, or for the arm or trunk.</li>
<li>Patient details stay on your own disk (the session file, the reports you export, and an
owner-only recovery copy of unsaved work); nothing is sent anywhere.</li>
</ul>
"""


def about_text() -> str:
    from core import __version__

    return (
        f"<h3>Dermamap {__version__}</h3>"
        "<p>Mark symptoms on a leg and foot diagram and compare them with dermatome and "
        "peripheral-nerve maps: ranked root hypotheses, conditions that fit, warning signs.</p>"
        "<p>Decision support, not a diagnosis. Open-source software (MIT licence).</p>"
        f"<p>{len(references())} references: <i>Help → References</i>.</p>"
    )


def show_about(parent: QWidget | None) -> None:
    QMessageBox.about(parent, "About Dermamap", about_text())


class IntendedUseDialog(QDialog):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle("Intended use — Dermamap")
        self.setObjectName("intended_use_dialog")
        text = QTextBrowser()
        text.setHtml(INTENDED_USE)
        text.setAccessibleName("Intended use")
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close)
        buttons.rejected.connect(self.reject)
        lay = QVBoxLayout(self)
        lay.addWidget(text)
        lay.addWidget(buttons)
        self.resize(560, 440)


def show_intended_use(parent: QWidget | None) -> None:
    IntendedUseDialog(parent).exec()
