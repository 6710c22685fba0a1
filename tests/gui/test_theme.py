"""View -> Theme (System, Light, Dark): saved owner-only, applied live to the real window, the
active tool and symptom unmistakable in both palettes; ``DERMAMAP_THEME`` overrides it."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest
from PySide6.QtGui import QColor, QImage
from PySide6.QtWidgets import QApplication, QToolButton

from core.model import Symptom
from gui import theme, theme_setting
from gui.app import apply_theme
from gui.main_window import MainWindow
from gui.settings_store import app_settings
from gui.state import Tool
from tests.gui.helpers import contrast


@pytest.fixture
def window(restore_palette, window: MainWindow) -> MainWindow:
    """The shared window; the palette it leaves behind is put back (``restore_palette``)."""
    return window


def _theme_actions(w: MainWindow) -> dict[str, object]:
    menu = w.findChild(type(w.view_menu), "theme_menu")
    assert menu is not None and menu.menuAction() in w.view_menu.actions()
    return {a.text().replace("&", ""): a for a in menu.actions()}


def _regions_in_theme(w: MainWindow, choice: str) -> None:
    """Choose the theme ``choice`` and open the Regions tab."""
    _theme_actions(w)[choice.title()].trigger()
    QApplication.processEvents()
    tabs = w.panel.tabs
    tabs.setCurrentIndex(
        next(i for i in range(tabs.count()) if tabs.tabText(i).replace("&", "") == "Regions")
    )
    QApplication.processEvents()


def _button(w: MainWindow, text: str) -> QToolButton:
    for b in w.marking_toolbar.findChildren(QToolButton):
        if b.defaultAction() is not None and b.defaultAction().text().replace("&", "") == text:
            return b
    raise AssertionError(f"no toolbar button {text!r}")


def _edge(b: QToolButton) -> QColor:
    img: QImage = b.grab().toImage()
    scale = img.devicePixelRatio()
    return img.pixelColor(round(1 * scale), img.height() // 2)


def test_theme_menu_switches_live_and_is_saved_owner_only(window: MainWindow, qtbot) -> None:
    actions = _theme_actions(window)
    assert list(actions) == ["System", "Light", "Dark"]
    assert actions["System"].isChecked()  # the default
    actions["Dark"].trigger()
    QApplication.processEvents()
    assert theme.is_dark()
    assert actions["Dark"].isChecked() and not actions["Light"].isChecked()
    assert window.diagram.backgroundBrush().color() == theme.diagram_colors().background
    assert window.diagram.backgroundBrush().color() == QColor("#1e1f22")
    st = app_settings()
    assert st.value("view/theme") == "dark"
    assert stat.S_IMODE(os.stat(st.fileName()).st_mode) == 0o600
    actions["Light"].trigger()
    QApplication.processEvents()
    assert not theme.is_dark()
    assert window.diagram.backgroundBrush().color() == QColor("#ffffff")
    assert app_settings().value("view/theme") == "light"


def _near(img: QImage, color: QColor, tolerance: int = 16) -> int:
    """How many pixels of ``img`` are within ``tolerance`` (per channel) of ``color``."""
    return sum(
        all(
            abs(a - b) <= tolerance for a, b in zip(c.getRgb()[:3], color.getRgb()[:3], strict=True)
        )
        for y in range(img.height())
        for x in range(img.width())
        for c in (img.pixelColor(x, y),)
    )


def test_a_live_switch_recolours_the_chart_and_the_links(window: MainWindow) -> None:
    """Switched to dark from the menu, the panel kept the light theme's links (dark blue on the
    dark panel: Qt fixes a link's colour when a label's text is parsed) and the root chart its
    white background (it read its palette before the change had reached it)."""
    from PySide6.QtGui import QPalette
    from PySide6.QtWidgets import QLabel

    from core.model import Mark, Side

    window.model.set_marks([Mark("lateral_border_of_foot", Side.RIGHT, Symptom.NUMBNESS)])
    QApplication.processEvents()
    actions = _theme_actions(window)
    for choice in ("Light", "Dark", "Light"):
        actions[choice].trigger()
        QApplication.processEvents()
        link = QApplication.palette().color(QPalette.ColorRole.Link)
        other = QColor("#0000ff") if choice == "Dark" else QColor("#8ab4f8")
        label = next(lab for lab in window.panel.findChildren(QLabel) if 'href="ref:' in lab.text())
        img = label.grab().toImage()
        assert _near(img, link) > 5 and _near(img, other) == 0, choice
        chart = window.panel.chart.grab().toImage()
        base = QApplication.palette().color(QPalette.ColorRole.Base)
        corner = chart.pixelColor(chart.width() - 3, chart.height() - 3)
        assert abs(corner.lightness() - base.lightness()) < 30, (choice, corner.name())


def test_the_saved_theme_applies_at_start_up(window: MainWindow) -> None:
    app = QApplication.instance()
    theme_setting.save_choice("dark")
    apply_theme(app, initial=True)  # what the next start does before building the window
    assert theme.is_dark()
    theme_setting.save_choice("bogus")  # an edited settings file: falls back to System
    assert theme_setting.saved_choice() == "system"


def test_the_environment_overrides_the_menu(qtbot, tmp_path, monkeypatch, restore_palette) -> None:
    monkeypatch.setenv("DERMAMAP_SETTINGS_DIR", str(tmp_path / "settings"))
    theme_setting.save_choice("light")
    monkeypatch.setenv("DERMAMAP_THEME", "dark")
    apply_theme(QApplication.instance(), initial=True)
    assert theme.is_dark()
    w = MainWindow()
    qtbot.addWidget(w)
    try:
        actions = _theme_actions(w)
        assert actions["Dark"].isChecked()
        assert not any(a.isEnabled() for a in actions.values())
        assert "DERMAMAP_THEME" in actions["Light"].toolTip()
    finally:
        w.discard_and_close()


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_the_active_tool_and_symptom_are_unmistakable(window: MainWindow, choice: str) -> None:
    _theme_actions(window)[choice.title()].trigger()
    QApplication.processEvents()
    window.state.set_tool(Tool.BRUSH)
    window.state.set_symptom(Symptom.TINGLING)
    QApplication.processEvents()
    bg = window.marking_toolbar.palette().color(window.marking_toolbar.backgroundRole())
    for on, off in (("Brush", "Click"), ("Tingling", "Numbness")):
        checked, plain = _button(window, on), _button(window, off)
        assert checked.isChecked() and not plain.isChecked()
        # a border in the focus colour that stands out from the toolbar (not colour alone:
        # the unchecked buttons have none, and the fill is tinted too)
        assert contrast(_edge(checked), bg) >= 3.0, choice
        assert contrast(_edge(plain), bg) < 1.3, choice
        assert checked.size() == plain.size() or checked.height() == plain.height()


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_the_quiz_answer_circles_stand_out_from_the_card(window: MainWindow, choice: str) -> None:
    """Fusion draws radio circles in the card's own colour with an outline darker than the
    window: on a dark card they vanished. Every answer's circle keeps 3:1 against the card."""
    from PySide6.QtWidgets import QRadioButton

    from gui.learn.quiz_panel import QuizPanel

    _theme_actions(window)[choice.title()].trigger()
    window.state.set_mode("quiz")
    QApplication.processEvents()
    quiz = window.findChild(QuizPanel)
    assert quiz is not None
    quiz.start(3)
    QApplication.processEvents()
    radios = [r for r in quiz.findChildren(QRadioButton) if r.isVisible()]
    assert len(radios) >= 2
    card = quiz.findChild(type(quiz.card), "quiz_card")
    bg = card.grab().toImage().pixelColor(card.width() // 2, 4)
    radios[0].setChecked(True)
    QApplication.processEvents()
    for r in radios[:2]:  # one checked, one not
        img = r.grab().toImage()
        scale = img.devicePixelRatio()
        ring = [
            img.pixelColor(round(x * scale), img.height() // 2)
            for x in range(0, min(18, r.width()))
        ]
        assert max(contrast(c, bg) for c in ring) >= 3.0, (choice, r.isChecked())


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_the_red_flag_boxes_stand_out_from_the_panel(window: MainWindow, choice: str) -> None:
    """The warning-sign check boxes keep 3:1 against the panel in both themes (Fusion's own
    box was about 1.2:1 on the dark panel)."""
    from PySide6.QtWidgets import QCheckBox, QWidget

    _theme_actions(window)[choice.title()].trigger()
    QApplication.processEvents()
    checklist = window.findChild(QWidget, "red_flags")
    boxes = checklist.findChildren(QCheckBox)
    assert len(boxes) == 8
    img = checklist.grab().toImage()
    bg = img.pixelColor(img.width() - 2, 2)
    for box in boxes[:2]:
        pic = box.grab().toImage()
        scale = pic.devicePixelRatio()
        edge = [
            pic.pixelColor(round(x * scale), pic.height() // 2) for x in range(min(16, box.width()))
        ]
        assert max(contrast(c, bg) for c in edge) >= 3.0, choice


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_the_region_list_check_boxes_stand_out(window: MainWindow, choice: str) -> None:
    """The region list (the keyboard way to mark) shows each area's check box at 3:1 or more
    against the list in both themes, checked or not."""
    from PySide6.QtWidgets import QTreeWidget, QWidget

    _regions_in_theme(window, choice)
    tree = window.findChild(QWidget, "region_list").findChild(QTreeWidget)
    assert tree is not None and tree.isVisible()
    img = tree.viewport().grab().toImage()
    scale = img.devicePixelRatio()
    bg = img.pixelColor(img.width() - 3, img.height() - 3)  # below the last row
    item = tree.topLevelItem(0)
    rect = tree.visualItemRect(item)
    y = round(rect.center().y() * scale)
    strip = [img.pixelColor(round(x * scale), y) for x in range(rect.left(), rect.left() + 22)]
    assert max(contrast(c, bg) for c in strip) >= 3.0, choice


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_secondary_text_is_readable_in_both_themes(window: MainWindow, qtbot, choice: str) -> None:
    """The percentages of less likely hypotheses and "Nothing marked on the left leg" are
    muted, not disabled: they keep 4.5:1 against the panel (a disabled label was 1.6:1 in the
    light theme)."""
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtWidgets import QLabel, QWidget

    from gui.panel.hypotheses import HypothesisRow

    _theme_actions(window)[choice.title()].trigger()
    QApplication.processEvents()
    pos = window.zone_viewport_pos("dorsum_of_foot", "right")
    assert pos is not None
    qtbot.mouseClick(window.diagram.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(*pos))
    rows = [r for r in window.panel.findChildren(HypothesisRow) if r.isVisibleTo(window)]
    less = [r.label_label for r in rows if r.label_label.is_muted()]
    assert less, "a less likely hypothesis is listed"
    empty = window.panel.findChild(QLabel, "hypotheses_left_empty")
    assert empty.isEnabled() and "Nothing marked" in empty.text()
    panel_bg = (
        window.panel.findChild(QWidget, "hypotheses_right")
        .palette()
        .color(window.panel.backgroundRole())
    )
    for widget in (less[0], empty):
        img = widget.grab().toImage()
        pixels = [img.pixelColor(x, y) for x in range(img.width()) for y in range(img.height())]
        assert max(contrast(c, panel_bg) for c in pixels) >= 4.5, (choice, widget.objectName())


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_the_region_lists_side_is_unmistakable(window: MainWindow, choice: str) -> None:
    """The Regions tab's side buttons: the side shown has a border in the highlight colour (in
    the dark theme Fusion drew the checked button like the other one)."""
    from PySide6.QtWidgets import QPushButton, QWidget

    _regions_in_theme(window, choice)
    rl = window.findChild(QWidget, "region_list")
    on = rl.findChild(QPushButton, "region_side_right")
    off = rl.findChild(QPushButton, "region_side_left")
    assert on.isChecked() and not off.isChecked()
    bg = rl.palette().color(rl.backgroundRole())
    checked, plain = _edge(on), _edge(off)
    assert contrast(checked, bg) >= 3.0, choice
    assert contrast(checked, plain) >= 1.5, choice


@pytest.mark.parametrize("choice", ["Light", "Dark"])
def test_a_disabled_field_looks_disabled_in_both_themes(window: MainWindow, choice: str) -> None:
    """With the Click tool the brush size is off: in the dark theme its field kept the dark
    input colour of a live one, grey text apart, so it read as editable. Disabled, the field
    is flat (the window's colour) as Fusion's light palette draws it; enabled, it is a field."""
    from PySide6.QtGui import QPalette

    _theme_actions(window)[choice].trigger()
    QApplication.processEvents()
    pal = QApplication.palette()
    box = window.brush_spin

    def field() -> QColor:
        img = box.grab().toImage()
        return img.pixelColor(img.width() // 2, img.height() - 4)

    window.state.set_tool(Tool.CLICK)
    QApplication.processEvents()
    assert not box.isEnabled()
    assert field() == pal.color(QPalette.ColorRole.Window), choice
    window.state.set_tool(Tool.BRUSH)
    QApplication.processEvents()
    assert box.isEnabled() and field() == pal.color(QPalette.ColorRole.Base), choice
    window.state.set_tool(Tool.CLICK)


def test_the_toolbar_overflow_arrow_can_be_seen_in_both_themes(window: MainWindow) -> None:
    """In a narrow window a toolbar puts what does not fit behind its overflow arrow; Fusion
    draws that arrow dark grey, about 1.1:1 on the dark toolbar. The marking toolbar's arrow
    was blank: its buttons' border and padding left the 12-pixel button no room for it."""
    window.resize(500, 700)  # (from 1,211 pixels down the map toolbar has a row of its own)
    for choice in ("Dark", "Light", "Dark"):  # back to dark: the arrow follows a change
        _theme_actions(window)[choice].trigger()
        QApplication.processEvents()
        for bar in (window.marking_toolbar, window.map_toolbar):
            arrow = bar.findChild(QToolButton, "qt_toolbar_ext_button")
            assert arrow is not None and arrow.isVisible(), (choice, bar.objectName())
            img = arrow.grab().toImage()
            background = img.pixelColor(1, 1)
            best = max(
                contrast(img.pixelColor(x, y), background)
                for x in range(img.width())
                for y in range(img.height())
            )
            assert best >= 3.0, (choice, bar.objectName(), round(best, 2))


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_the_keyboard_focus_on_the_panel_tabs_can_be_seen(
    window: MainWindow, qtbot, choice: str
) -> None:
    """Reached by Shift+Tab, the panel's tab bar showed its focus as Fusion's translucent
    tint, about 1.7:1 in the light theme and 1.3:1 in the dark one: a keyboard user could not
    tell where the focus was. The focus now changes the tab by 3:1 or more."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    _theme_actions(window)[choice.title()].trigger()
    QApplication.processEvents()
    bar = window.panel.tabs.tabBar()
    window.activateWindow()
    window.panel.disclaimer.setFocus()
    qtbot.waitUntil(window.panel.disclaimer.hasFocus)
    unfocused = bar.grab().toImage()
    for _ in range(10):
        QTest.keyClick(
            QApplication.focusWidget(), Qt.Key.Key_Backtab, Qt.KeyboardModifier.ShiftModifier
        )
        if QApplication.focusWidget() is bar:
            break
    assert QApplication.focusWidget() is bar
    focused = bar.grab().toImage()
    tab = bar.tabRect(bar.currentIndex())
    scale = focused.devicePixelRatio()
    best = max(
        contrast(focused.pixelColor(x, y), unfocused.pixelColor(x, y))
        for x in range(round(tab.left() * scale), round(tab.right() * scale))
        for y in range(round(tab.top() * scale), round(tab.bottom() * scale))
    )
    assert best >= 3.0, (choice, round(best, 2))


def _focus_contrast(window: MainWindow, widget) -> float:  # type: ignore[no-untyped-def]
    """How much the keyboard focus changes ``widget`` and the few pixels around it (a focus
    frame may be drawn just outside): the largest contrast between a pixel with the focus and
    the same pixel without it."""
    from PySide6.QtCore import QMargins, QPoint, QRect

    area = QRect(widget.mapTo(window, QPoint(-4, -4)), widget.size().grownBy(QMargins(4, 4, 4, 4)))
    focused = window.grab(area).toImage()
    window.setFocus()
    QApplication.processEvents()
    plain = window.grab(area).toImage()
    widget.setFocus()
    QApplication.processEvents()
    best = 1.0
    for y in range(min(focused.height(), plain.height())):
        for x in range(min(focused.width(), plain.width())):
            a, b = focused.pixel(x, y), plain.pixel(x, y)
            if a != b:
                best = max(best, contrast(QColor(a), QColor(b)))
    return best


def _tab_through(window: MainWindow, start, steps: int) -> dict[str, float]:  # type: ignore[no-untyped-def]
    """Tab from ``start`` (real key presses, so Qt knows the keyboard is in use): each kind
    of control reached, once, with how much its focus shows."""
    from PySide6.QtCore import Qt
    from PySide6.QtTest import QTest

    window.activateWindow()
    start.setFocus()
    QApplication.processEvents()
    found: dict[str, float] = {}
    for _ in range(steps):
        QTest.keyClick(QApplication.focusWidget(), Qt.Key.Key_Tab)
        QApplication.processEvents()
        f = QApplication.focusWidget()
        if f is window.diagram:  # the diagram takes Tab itself (its zones)
            break
        kind = f"{type(f).__name__} {f.objectName()}".strip()
        if kind not in found:
            found[kind] = _focus_contrast(window, f)
    return found


@pytest.mark.parametrize("choice", ["light", "dark"])
def test_the_keyboard_focus_shows_on_every_kind_of_control(window: MainWindow, choice: str) -> None:
    """Tabbing through the panels, every kind of control shows the focus by a change of 3:1
    or more. Fusion's tinted frames on combo boxes and push buttons were 2.35:1 in the light
    theme; a text with links showed nothing (1:1), the chart took the focus and showed
    nothing, and the explore panel's root buttons changed by about 2:1 (a dashed border)."""
    from PySide6.QtWidgets import QWidget

    from core.session_io import load_session

    _theme_actions(window)[choice.title()].trigger()
    window.resize(1366, 900)
    data = Path(__file__).resolve().parent.parent / "core" / "data"
    window.model.replace_session(load_session(str(data / "rich.json")))
    QApplication.processEvents()
    found = _tab_through(window, window.panel.disclaimer, 80)  # results page
    window.panel.tabs.setCurrentIndex(1)
    QApplication.processEvents()
    found |= _tab_through(window, window.panel.tabs.tabBar(), 4)  # the exam form
    window.state.set_mode("explore")
    QApplication.processEvents()
    found |= _tab_through(window, window.findChild(QWidget, "root_L1"), 25)
    window.state.set_mode("quiz")
    QApplication.processEvents()
    found |= _tab_through(window, window.findChild(QWidget, "mode_combo"), 12)
    window.state.set_mode("clinical")
    kinds = {k.split()[0] for k in found}
    assert {"RichLabel", "Expander", "QCheckBox", "FormCombo", "QPushButton"} <= kinds, found
    assert {"QToolButton root_L2", "QLineEdit", "FormSpinBox"} & set(found), found
    assert "PlotWidget score_plot" not in found
    faint = {k: round(v, 2) for k, v in found.items() if v < 3.0}
    assert not faint, (choice, faint)
