"""The small labels and buttons the side panel's parts share: word-wrapped labels that cache
their size hints, muted secondary text, rich text whose reference links show citations, a
one-line elided label, the "Why" disclosure button; and the Tab order of controls built after
the window (:func:`tab_in_layout_order`)."""

from __future__ import annotations

import html
import re
from collections.abc import Iterator, Sequence
from itertools import pairwise

from PySide6.QtCore import QEvent, QPoint, QSize, Qt
from PySide6.QtGui import (
    QCursor,
    QFocusEvent,
    QFont,
    QFontMetrics,
    QKeyEvent,
    QPainter,
    QPalette,
)
from PySide6.QtWidgets import (
    QApplication,
    QFocusFrame,
    QLabel,
    QLayout,
    QMenu,
    QScrollArea,
    QSizePolicy,
    QToolButton,
    QToolTip,
    QWidget,
)

from gui import theme
from gui.panel import citation, cited_ids, rich_text, sources_html

_TAG = re.compile(r"<[^>]*>")
_BREAK = re.compile(r"<(?:br\s*/?|/li|/p|/div|/tr)\s*>", re.IGNORECASE)
_REF_LINK = re.compile(r"""href=["']ref:([^"']+)["']""")


def plain_text(rich: str) -> str:
    """Rich text as a screen reader should hear it: no markup or entities; a list's items and
    paragraphs kept apart ("Weak ankle dorsiflexion; Numb dorsum of foot")."""
    out = ""
    for part in _BREAK.split(rich):
        words = " ".join(html.unescape(_TAG.sub("", part)).split())
        if words:
            out += words if not out else ("; " if out[-1] not in ".!?:;" else " ") + words
    return out


def open_reference(widget: QWidget, rid: str) -> None:
    """Show the references dialog scrolled to ``rid``."""
    from gui.panel.references_dialog import show_references  # (rarely opened)

    show_references(widget.window(), rid)


class HfwCachedLabel(QLabel):
    """A word-wrapped label that remembers its size hints and heights per text and width.

    Qt lays rich text out again for every ``heightForWidth`` call and again for the size hints
    after each new text; a panel relayout asks each label several times, for a few widths, on
    every update, and the panel's texts come back often (notes, condition rows). The cache is
    keyed on the text, so a text seen before costs no layout; it is dropped when the font,
    style or margins change.
    """

    _CACHE_MAX = 96
    _HINT_WIDTH = 320

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._hfw: dict[tuple[str, int], int] = {}
        self._hints: dict[tuple[str, bool], QSize] = {}

    def _drop_cache(self) -> None:
        self._hfw.clear()
        self._hints.clear()

    def setWordWrap(self, on: bool) -> None:
        self._drop_cache()
        super().setWordWrap(on)

    def setTextFormat(self, fmt: Qt.TextFormat) -> None:
        self._drop_cache()
        super().setTextFormat(fmt)

    def changeEvent(self, event: QEvent) -> None:
        if event.type() in (
            QEvent.Type.FontChange,
            QEvent.Type.StyleChange,
            QEvent.Type.ContentsRectChange,
        ):
            self._drop_cache()
        super().changeEvent(event)

    def heightForWidth(self, width: int) -> int:
        key = (self.text(), width)
        h = self._hfw.get(key)
        if h is None:
            if len(self._hfw) >= self._CACHE_MAX:
                self._hfw.clear()
            h = self._hfw[key] = super().heightForWidth(width)
        return h

    def _hint(self, minimum: bool) -> QSize:
        key = (self.text(), minimum)
        size = self._hints.get(key)
        if size is None:
            if len(self._hints) >= self._CACHE_MAX:
                self._hints.clear()
            size = super().minimumSizeHint() if minimum else super().sizeHint()
            self._hints[key] = QSize(size)
        return QSize(size)

    def sizeHint(self) -> QSize:
        if not self.wordWrap():
            return self._hint(False)
        # Qt's hint for wrapped rich text searches for a pleasing width (several layouts of the
        # text, ~3 ms for the notes); the panel sizes these labels by heightForWidth anyway, so
        # the hint is the height at the current width (cached), or at a typical panel width
        w = max(
            self.minimumSizeHint().width(), self.width() if self.width() > 1 else self._HINT_WIDTH
        )
        return QSize(w, self.heightForWidth(w))

    def minimumSizeHint(self) -> QSize:
        if not self.wordWrap():
            return self._hint(True)
        # Qt's minimum for wrapped text lays the text out as for sizeHint (~3 ms for the
        # notes); the minimum that matters is the widest word (bold, so never too narrow)
        key = (self.text(), True)
        size = self._hints.get(key)
        if size is None:
            if len(self._hints) >= self._CACHE_MAX:
                self._hints.clear()
            font = QFont(self.font())
            font.setBold(True)
            fm = QFontMetrics(font)
            words = html.unescape(_TAG.sub(" ", self.text())).split()
            m = self.contentsMargins()
            w = max((fm.horizontalAdvance(x) for x in words), default=0)
            w += m.left() + m.right() + 2 * self.margin() + max(self.indent(), 0)
            size = self._hints[key] = QSize(w, fm.height() + m.top() + m.bottom())
        return QSize(size)


class MutedLabel(HfwCachedLabel):
    """Secondary text ("nothing marked on the left leg"): muted yet readable in both themes,
    and enabled (a disabled label was 1.6:1 in the light theme, and reads as unavailable)."""

    def __init__(self, text: str = "", parent: QWidget | None = None) -> None:
        super().__init__(text, parent)
        self._apply_muted()

    def _apply_muted(self) -> None:
        color = theme.muted_text(QApplication.palette(self))
        pal = self.palette()
        if pal.color(QPalette.ColorRole.WindowText) == color:
            return  # already (setPalette below sends a palette change of its own)
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            pal.setColor(group, QPalette.ColorRole.WindowText, color)
        self.setPalette(pal)

    def changeEvent(self, event: QEvent) -> None:
        super().changeEvent(event)
        if event.type() == QEvent.Type.PaletteChange:  # light <-> dark
            self._apply_muted()


class RichLabel(HfwCachedLabel):
    """Word-wrapped rich text whose ``ref:`` links show the citation on hover and open the list.

    The mouse opens a link by clicking it. The keyboard reaches the label once, not once per
    link (Qt's keyboard links made a Tab stop of every citation: the warning signs were ~38 Tab
    presses away), and only when it cites something; there Enter or Space opens the reference,
    or a menu of them when it cites several (:meth:`open_citations`). Its accessible name is
    its text without markup, after ``role`` ("Disclaimer: A ranking aid ...").
    """

    def __init__(self, parent: QWidget | None = None, role: str = "") -> None:
        super().__init__("", parent)
        self.setTextFormat(Qt.TextFormat.RichText)
        self.setWordWrap(True)
        self.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.setOpenExternalLinks(False)
        self.linkHovered.connect(self._hovered)
        self.linkActivated.connect(self._activated)
        self._cited: list[str] | None = None  # ids whose citations the tooltip still lacks
        self._focus_frame: QFocusFrame | None = None  # while it has the keyboard focus
        self._role = role
        self._refs: tuple[str, ...] = ()  # the ids its links open, in order
        self._sync_keyboard()

    def setText(self, text: str) -> None:
        super().setText(text)
        self._sync_keyboard()

    def set_role(self, role: str) -> None:
        """What the text is, said before it ("Evidence for L5 root")."""
        if role != self._role:
            self._role = role
            self._sync_keyboard()

    @property
    def refs(self) -> tuple[str, ...]:
        """The reference ids the text links to, in order (each once)."""
        return self._refs

    def _spoken(self) -> str:
        text = plain_text(self.text())
        if self._role:
            return f"{self._role}: {text}" if text else self._role
        return text

    def _sync_keyboard(self) -> None:
        """One Tab stop when the text links to references, none otherwise (a click still
        focuses it, to select and copy); the accessible name and hint follow the text."""
        self._refs = tuple(dict.fromkeys(_REF_LINK.findall(self.text())))
        policy = Qt.FocusPolicy.StrongFocus if self._refs else Qt.FocusPolicy.ClickFocus
        if self.focusPolicy() != policy:
            self.setFocusPolicy(policy)
        name = self._spoken()
        if self.accessibleName() != name:
            self.setAccessibleName(name)
        if len(self._refs) > 1:
            hint = f"Press Enter to choose one of its {len(self._refs)} references"
        else:
            hint = f"Press Enter to open reference {self._refs[0]}" if self._refs else ""
        if self.accessibleDescription() != hint:
            self.setAccessibleDescription(hint)

    def set_rich(self, text: str) -> None:
        """Set engine text: escaped, inline ``[R6, R13]`` become links; the tooltip lists their
        full citations (looked up when the tooltip is first asked for: reading the reference
        list costs the start-up ~5 ms for the disclaimer's tooltip)."""
        html = rich_text(text)
        if html != self.text():
            self.setText(html)
            self.setToolTip("")
            self._cited = cited_ids(text)

    def citation_tooltip(self) -> str:
        """The tooltip: the full citation of each reference the text cites inline."""
        if self._cited is not None:
            self.setToolTip("<br>".join(f"<b>{i}</b> {citation(i)}" for i in self._cited))
            self._cited = None
        return self.toolTip()

    def event(self, e: QEvent) -> bool:
        if e.type() == QEvent.Type.ToolTip:
            self.citation_tooltip()
        return super().event(e)

    def keyPressEvent(self, event: QKeyEvent) -> None:
        keys = (Qt.Key.Key_Return, Qt.Key.Key_Enter, Qt.Key.Key_Space, Qt.Key.Key_Menu)
        plain = not event.modifiers() & ~Qt.KeyboardModifier.KeypadModifier
        if self._refs and event.key() in keys and plain:
            self.open_citations()
            event.accept()
            return
        super().keyPressEvent(event)

    def open_citations(self) -> QMenu | None:
        """Open the reference the text cites, or, when it cites several, pop up a menu of
        them under the label (the menu, with its first entry current)."""
        if not self._refs:
            return None
        if len(self._refs) == 1:
            open_reference(self, self._refs[0])
            return None
        menu = QMenu(self)
        menu.setObjectName("citations_menu")
        menu.setAccessibleName("References cited")
        menu.setToolTipsVisible(True)
        fm = menu.fontMetrics()
        for rid in self._refs:
            full = citation(rid)
            short = fm.elidedText(
                f"{rid}  {full}", Qt.TextElideMode.ElideRight, 60 * fm.averageCharWidth()
            )
            act = menu.addAction(short.replace("&", "&&"))
            act.setToolTip(full)
            act.triggered.connect(lambda _=False, r=rid: open_reference(self, r))
        menu.aboutToHide.connect(menu.deleteLater)
        menu.setActiveAction(menu.actions()[0])
        # under the text, which it would hide (Qt moves it above when there is no room below)
        menu.popup(self.mapToGlobal(QPoint(0, self.height() + 2)), menu.actions()[0])
        return menu

    # Reached by Tab it showed nothing, or a faint dotted frame around a link: a focus frame
    # (Qt's, drawn just outside the text by the app style) shows where the keyboard is, as on
    # the other controls.
    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        keyboard = self.window().testAttribute(Qt.WidgetAttribute.WA_KeyboardFocusChange)
        if keyboard and self._focus_frame is None:
            self._focus_frame = QFocusFrame(self)
            self._focus_frame.setWidget(self)

    def focusOutEvent(self, event: QFocusEvent) -> None:
        super().focusOutEvent(event)
        if self._focus_frame is not None:
            self._focus_frame.hide()
            self._focus_frame.deleteLater()
            self._focus_frame = None

    def _hovered(self, link: str) -> None:
        if link.startswith("ref:"):
            QToolTip.showText(QCursor.pos(), citation(link[4:]), self)
        else:
            QToolTip.hideText()

    def _activated(self, link: str) -> None:
        if link.startswith("ref:"):
            open_reference(self, link[4:])


class SourcesLabel(RichLabel):
    """``Sources: [R6, R13]`` with linked ids; named "Sources: R6, R13"."""

    def __init__(self, parent: QWidget | None = None) -> None:
        self._ids: tuple[str, ...] = ()
        self._prefix = "Sources: "
        super().__init__(parent, role="Sources")

    def set_sources(self, ids: Sequence[str], prefix: str = "Sources: ") -> None:
        ids = tuple(ids)
        if ids == self._ids and prefix == self._prefix and self.text():
            return
        self._ids, self._prefix = ids, prefix
        if self.parentWidget() is not None or not ids:  # never shown as a window of its own
            self.setVisible(bool(ids))
        self.setText(f"<small>{prefix}{sources_html(ids)}</small>" if ids else "")
        self.setToolTip("")
        self._cited = list(ids)

    def _spoken(self) -> str:
        head = plain_text(self._prefix).rstrip(": ") or "Sources"
        return f"{head}: {', '.join(self._ids)}" if self._ids else head

    @property
    def ids(self) -> tuple[str, ...]:
        return self._ids


class Expander(QToolButton):
    """A "Why" disclosure button (arrow + text) that shows or hides a details widget."""

    def __init__(self, text: str, details: QWidget, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._details = details
        self.setText(text)
        self.setCheckable(True)
        self.setAutoRaise(True)
        self.setToolButtonStyle(Qt.ToolButtonStyle.ToolButtonTextBesideIcon)
        self.setArrowType(Qt.ArrowType.RightArrow)
        self.toggled.connect(self._toggled)
        details.setVisible(False)

    def _toggled(self, on: bool) -> None:
        self.setArrowType(Qt.ArrowType.DownArrow if on else Qt.ArrowType.RightArrow)
        self._details.setVisible(on)


_ASIDE = re.compile(r" \([^)]*\)")
"""A parenthesised aside in a name: "(fibular)", "(meralgia paresthetica)"."""


class LineLabel(QWidget):
    """One line of text, bold or not, fitted to the width it gets (full text in the tooltip):
    a name too wide first drops its parenthesised asides ("Lateral femoral cutaneous nerve
    (meralgia paresthetica)" -> "Lateral femoral cutaneous nerve"), then is elided.

    Its height is fixed and its size hints do not depend on the text, so a new text only
    repaints the label: a click no longer relays out the whole results tab for a new name.
    """

    def __init__(
        self,
        align: Qt.AlignmentFlag = Qt.AlignmentFlag.AlignLeft,
        hint_texts: Sequence[str] = (),
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self._text = ""
        self._bold = False
        self._muted = False
        self._align = align | Qt.AlignmentFlag.AlignVCenter
        fm = QFontMetrics(self._font(True))
        self._hint_w = max((fm.horizontalAdvance(t) for t in hint_texts), default=0) + 2
        self.setFixedHeight(fm.height() + 2)
        if hint_texts:
            self.setFixedWidth(self._hint_w)
        else:
            self.setSizePolicy(QSizePolicy.Policy.Expanding, QSizePolicy.Policy.Fixed)

    def _font(self, bold: bool) -> QFont:
        f = QFont(self.font())
        f.setBold(bold)
        return f

    def sizeHint(self) -> QSize:
        return QSize(max(self._hint_w, 160), self.height())

    def minimumSizeHint(self) -> QSize:
        return QSize(max(self._hint_w, 60), self.height())

    def set_text(self, text: str, bold: bool = False) -> None:
        if text == self._text and bold == self._bold:
            return
        self._text, self._bold = text, bold
        self.setAccessibleName(text)
        self._update_tooltip()
        self.update()

    def text(self) -> str:
        return self._text

    def set_muted(self, muted: bool) -> None:
        """Secondary text (a less likely hypothesis): muted, still readable."""
        if muted != self._muted:
            self._muted = muted
            self.update()

    def is_muted(self) -> bool:
        return self._muted

    def is_bold(self) -> bool:
        return self._bold

    def shown_text(self) -> str:
        """The text as drawn at the current width."""
        fm = QFontMetrics(self._font(self._bold))
        width = self.width()
        if fm.horizontalAdvance(self._text) <= width:
            return self._text
        short = _ASIDE.sub("", self._text)
        if fm.horizontalAdvance(short) <= width:
            return short
        return fm.elidedText(short, Qt.TextElideMode.ElideRight, width)

    def is_elided(self) -> bool:
        """Whether the text drawn is shorter than the whole (asides dropped or elided)."""
        return self.shown_text() != self._text

    def _update_tooltip(self) -> None:
        tip = self._text if self._text and self.is_elided() else ""
        if self.toolTip() != tip:
            self.setToolTip(tip)

    def resizeEvent(self, event: QEvent) -> None:
        self._update_tooltip()

    def paintEvent(self, _event: object) -> None:
        p = QPainter(self)
        font = self._font(self._bold)
        p.setFont(font)
        if not self.isEnabled():
            pen = self.palette().color(QPalette.ColorGroup.Disabled, QPalette.ColorRole.WindowText)
        elif self._muted:
            pen = theme.muted_text(self.palette())
        else:
            pen = self.palette().color(QPalette.ColorRole.WindowText)
        p.setPen(pen)
        p.drawText(self.rect(), int(self._align), self.shown_text())
        p.end()


def set_text(label: QLabel, text: str) -> None:
    if label.text() != text:
        label.setText(text)


class PageScroll(QScrollArea):
    """A page's scroll area that passes the keyboard focus on: reached by Tab (or Shift+Tab)
    it moves on to the next (or previous) control, so it is never a stop with nothing drawn to
    show it has the focus. It still takes the focus (a click, the page's anchor in the Tab
    order: Qt keeps a tab order set after a widget only if that widget can take the focus)."""

    def focusInEvent(self, event: QFocusEvent) -> None:
        super().focusInEvent(event)
        if event.reason() is Qt.FocusReason.TabFocusReason:
            self.focusNextPrevChild(True)
        elif event.reason() is Qt.FocusReason.BacktabFocusReason:
            self.focusNextPrevChild(False)


def tab_in_layout_order(root: QWidget, after: QWidget | None = None) -> None:
    """Make Tab visit ``root``'s controls in the order they are laid out (top to bottom),
    right after ``after`` when given.

    Qt's focus chain follows creation, so controls made when first needed (the hypotheses'
    rows, the exam form, the region list) came after the toolbar: Tab went from the notes to
    the warning signs and the toolbar before reaching any "Why"."""
    chain = list(_laid_out_controls(root.layout()))
    for a, b in pairwise([after, *chain] if after is not None else chain):
        QWidget.setTabOrder(a, b)


def _laid_out_controls(layout: QLayout | None) -> Iterator[QWidget]:
    if layout is None:
        return
    for i in range(layout.count()):
        item = layout.itemAt(i)
        w = item.widget() if item is not None else None
        if w is not None:
            if w.focusPolicy() & Qt.FocusPolicy.TabFocus:
                yield w
            yield from _laid_out_controls(w.layout())
        elif item is not None:
            yield from _laid_out_controls(item.layout())
