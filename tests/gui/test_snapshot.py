"""The diagram's start-up picture: kept after a start, shown exactly at the next, never stale."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import QEvent, QObject
from PySide6.QtGui import QImage
from PySide6.QtWidgets import QApplication, QWidget

from core.model import Side, Symptom
from core.zones import area_of
from gui.diagram import snapshot as snap
from gui.diagram.view import DiagramView
from gui.main_window import MainWindow

SIZE = (1100, 720)


@pytest.fixture
def cache(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "cache"
    monkeypatch.setenv("DERMAMAP_CACHE_DIR", str(folder))
    monkeypatch.delenv("DERMAMAP_NO_SNAPSHOT", raising=False)
    return folder


@pytest.fixture
def kept(monkeypatch: pytest.MonkeyPatch) -> list[bool]:
    """What each call of ``snapshot.keep`` returned (True: the file was written)."""
    results: list[bool] = []
    orig = snap.keep

    def spy(*args: object) -> bool:
        results.append(orig(*args))  # type: ignore[arg-type]
        return results[-1]

    monkeypatch.setattr(snap, "keep", spy)
    return results


@pytest.fixture
def start(qtbot) -> Iterator[Callable[..., MainWindow]]:
    """Make, show and wait for a window started as the app starts it (``snapshot=True``)."""
    made: list[MainWindow] = []

    def make(size: tuple[int, int] = SIZE, before_show: Callable[[MainWindow], None] | None = None):
        w = MainWindow(snapshot=True)
        qtbot.addWidget(w)
        made.append(w)
        w.resize(*size)
        if before_show is not None:
            before_show(w)
        w.show()
        qtbot.waitUntil(lambda: w.is_ready, timeout=15000)
        return w

    yield make
    for w in made:
        w.discard_and_close()


def _pixels(image: QImage) -> QImage:
    return image.convertToFormat(QImage.Format.Format_ARGB32_Premultiplied)


def _watch_first_frame(w: MainWindow, seen: dict[str, object]) -> None:
    """Note what paints the diagram's place first (the picture, or the chart), and its pixels."""
    from PySide6.QtCore import QTimer

    app = QApplication.instance()
    assert app is not None

    def look(first: QWidget) -> None:  # the next event-loop turn: before the chart replaces it
        seen["image"] = _pixels(first.grab().toImage())
        seen["geometry"] = first.geometry()
        seen["focus"] = first.hasFocus()

    class Watch(QObject):
        def eventFilter(self, obj: QObject, event: QEvent) -> bool:
            if event.type() != QEvent.Type.Paint or "widget" in seen:
                return False
            parent = obj.parent() if isinstance(obj, QWidget) else None
            first = obj if isinstance(obj, snap.SnapshotView) else parent
            if isinstance(first, (snap.SnapshotView, DiagramView)) and first.window() is w:
                app.removeEventFilter(self)
                seen["widget"] = first
                seen["exact"] = getattr(first, "exact", None)
                QTimer.singleShot(0, lambda: look(first))
            return False

    watch = Watch(w)
    app.installEventFilter(watch)


def test_first_start_keeps_the_picture_and_the_next_start_shows_the_same_pixels(
    start, cache: Path, kept: list[bool], qtbot
) -> None:
    w1 = start()
    assert not w1.showing_snapshot, "no picture yet: the first frame draws the live chart"
    qtbot.waitUntil(lambda: bool(kept), timeout=5000)
    assert kept == [True]
    path = snap.picture_path()
    assert path.parent == cache and path.exists()
    w1.discard_and_close()

    seen: dict[str, object] = {}
    w2 = start(before_show=lambda w: _watch_first_frame(w, seen))
    assert isinstance(seen.get("widget"), snap.SnapshotView), "the first frame drew no picture"
    assert seen["exact"] is True
    assert seen["focus"] is True, "the picture does not take the window's first focus"
    # the live chart replaced it: same place, same pixels, the keyboard focus handed over
    live = w2.diagram
    assert isinstance(live, DiagramView) and not w2.showing_snapshot
    assert w2.splitter.widget(0) is live
    assert live.geometry() == seen["geometry"]
    assert live.hasFocus()
    assert _pixels(live.viewport().grab().toImage()) == seen["image"]
    # nothing changed on screen, so nothing was written again
    qtbot.waitUntil(lambda: len(kept) == 2, timeout=5000)
    assert kept[1] is False


def test_the_live_chart_takes_clicks_one_turn_after_the_picture(start, cache, kept, qtbot) -> None:
    w1 = start()
    qtbot.waitUntil(lambda: bool(kept), timeout=5000)
    w1.discard_and_close()
    seen: dict[str, object] = {}
    w2 = start(before_show=lambda w: _watch_first_frame(w, seen))
    assert isinstance(seen.get("widget"), snap.SnapshotView)
    pos = w2.zone_viewport_pos("dorsum_of_foot", "right")
    assert pos is not None
    from PySide6.QtCore import QPoint, Qt
    from PySide6.QtTest import QTest

    QTest.mouseClick(w2.diagram.viewport(), Qt.MouseButton.LeftButton, pos=QPoint(*pos))
    marks = w2.model.session.marks
    assert [(area_of(m.zone), m.side, m.symptom) for m in marks] == [
        ("dorsum_of_foot", Side.RIGHT, Symptom.NUMBNESS)
    ]


@pytest.mark.parametrize(
    "content",
    [
        b"",
        b"not a picture at all",
        b"DERMAMAP-FIRST-FRAME 1\nwrong-key\n10 10 40 1000\n" + b"\0" * 400,
        "truncated",
        "huge",
        "other-key",
    ],
)
def test_a_broken_foreign_or_stale_picture_is_never_shown_and_is_replaced(
    start, cache: Path, kept: list[bool], qtbot, content: bytes | str
) -> None:
    w1 = start()
    qtbot.waitUntil(lambda: bool(kept), timeout=5000)
    w1.discard_and_close()
    path = snap.picture_path()
    good = path.read_bytes()
    if content == "truncated":
        data = good[: len(good) - 100]
    elif content == "huge":
        head = good.split(b"\n", 3)
        data = b"\n".join([head[0], head[1], b"16384 16384 65536 1000", b"\0" * 64])
    elif content == "other-key":
        head = good.split(b"\n", 2)
        data = b"\n".join([head[0], b"0badc0de-99", head[2]])
    else:
        assert isinstance(content, bytes)
        data = content
    path.write_bytes(data)
    kept.clear()

    w2 = start()
    assert not w2.showing_snapshot and isinstance(w2.splitter.widget(0), DiagramView)
    qtbot.waitUntil(lambda: bool(kept), timeout=5000)
    assert kept == [True], "the broken file was not replaced by a good picture"
    assert path.read_bytes() == good


def test_a_shown_picture_is_checked_against_the_live_chart_once_a_day(
    start, cache: Path, kept: list[bool], qtbot
) -> None:
    """Taking the live chart's pixels costs ~10-30 ms: a picture that was shown is compared
    with them at most once a day, and rewritten if something outside the fingerprint changed."""
    import os
    import time

    w1 = start()
    qtbot.waitUntil(lambda: bool(kept), timeout=5000)
    w1.discard_and_close()
    path = snap.picture_path()
    good = path.read_bytes()
    wrong = good[:-4000] + bytes(b ^ 0xFF for b in good[-4000:])  # same size, other pixels
    path.write_bytes(wrong)
    w2 = start()  # shown (same key and size), not checked: the file is from today
    qtbot.waitUntil(lambda: len(kept) == 2, timeout=5000)
    assert kept[1] is False and path.read_bytes() == wrong
    w2.discard_and_close()
    day_old = time.time() - snap.VERIFY_AFTER_S - 60
    os.utime(path, (day_old, day_old))
    start()  # shown again, checked this time: the live chart's pixels differ
    qtbot.waitUntil(lambda: len(kept) == 3, timeout=5000)
    assert kept[2] is True and path.read_bytes() == good
    os.utime(path, (day_old, day_old))
    start()  # checked and right: not written, marked as checked
    qtbot.waitUntil(lambda: len(kept) == 4, timeout=5000)
    assert kept[3] is False and path.read_bytes() == good
    assert time.time() - path.stat().st_mtime < 600


def test_no_picture_is_kept_once_the_chart_changed_before_it_was_taken(
    start, cache: Path, kept: list[bool], qtbot
) -> None:
    def mark_when_ready(w: MainWindow) -> None:
        w.ready.connect(lambda: w.model.toggle_mark("great_toe", "left", "numbness"))

    start(before_show=mark_when_ready)
    qtbot.waitUntil(lambda: bool(kept), timeout=5000)
    assert kept == [False]
    assert not snap.picture_path().exists()


@pytest.mark.parametrize("scale", [1.0, 2.0])
def test_a_picture_of_another_size_is_not_shown_and_a_new_one_is_kept(
    start, cache: Path, kept: list[bool], qtbot, monkeypatch: pytest.MonkeyPatch, scale: float
) -> None:
    """Another window size (or pixel ratio): the picture would be drawn scaled, blurred for a
    frame; the live chart draws the first frame instead, and a picture of the new size is kept."""
    w1 = start()
    qtbot.waitUntil(lambda: bool(kept), timeout=5000)
    w1.discard_and_close()
    old = snap.picture_path().read_bytes()
    if scale != 1.0:  # the same window size at another pixel ratio
        monkeypatch.setattr(snap.SnapshotView, "devicePixelRatioF", lambda self: scale)
    seen: dict[str, object] = {}
    size = SIZE if scale != 1.0 else (SIZE[0] + 150, SIZE[1])
    w2 = start(size=size, before_show=lambda w: _watch_first_frame(w, seen))
    assert isinstance(seen.get("widget"), DiagramView), "a picture of another size was shown"
    assert not w2.showing_snapshot
    qtbot.waitUntil(lambda: len(kept) == 2, timeout=5000)
    assert kept[1] is (scale == 1.0)  # (the live chart's ratio is the screen's: 1)
    assert (snap.picture_path().read_bytes() != old) is (scale == 1.0)


def test_the_picture_is_drawn_scaled_if_its_widget_is_resized_before_the_live_chart(
    qtbot,
) -> None:
    image = QImage(200, 100, QImage.Format.Format_ARGB32_Premultiplied)
    image.fill(0xFF336699)
    view = snap.SnapshotView(image)
    qtbot.addWidget(view)
    view.resize(200, 100)
    assert view.exact
    assert _pixels(view.grab().toImage()).pixel(100, 50) == 0xFF336699
    view.resize(400, 100)  # drawn 200 x 100, centred, on the chart's background
    assert not view.exact
    shot = _pixels(view.grab().toImage())
    assert shot.pixel(200, 50) == 0xFF336699
    assert shot.pixel(5, 50) != 0xFF336699


def test_a_fractional_pixel_ratio_never_shows_the_picture(qtbot, monkeypatch) -> None:
    """At 125 % the chart's pixels depend on its sub-pixel place in the window: a picture
    measured 3,566 differing pixels against the live chart, so it is never shown there."""
    image = QImage(250, 125, QImage.Format.Format_ARGB32_Premultiplied)
    image.setDevicePixelRatio(1.25)
    view = snap.SnapshotView(image)
    qtbot.addWidget(view)
    view.resize(200, 100)
    monkeypatch.setattr(snap.SnapshotView, "devicePixelRatioF", lambda self: 1.25)
    assert not view.exact
    monkeypatch.setattr(snap.SnapshotView, "devicePixelRatioF", lambda self: 1.0)
    assert not view.exact  # (and the size no longer matches)


def test_the_picture_is_off_when_asked(start, cache: Path, kept, qtbot, monkeypatch) -> None:
    monkeypatch.setenv("DERMAMAP_NO_SNAPSHOT", "1")
    w = start()
    assert not w.showing_snapshot
    qtbot.wait(50)
    assert kept == [] and not cache.exists()


def test_the_fingerprint_follows_the_palette_and_the_chart_state(cache: Path, qtbot) -> None:
    from gui import theme
    from gui.session_model import SessionModel
    from gui.state import UiState

    model, state = SessionModel(None), UiState()
    light = snap.fingerprint(model, state)
    light_path = snap.picture_path()
    assert snap.fingerprint(model, state) == light
    state.set_overlays(dermatomes=True)
    assert snap.fingerprint(model, state) != light
    state.set_overlays(dermatomes=False)
    model.toggle_mark("great_toe", "left", "numbness")
    assert snap.fingerprint(model, state) != light
    model.toggle_mark("great_toe", "left", "numbness")
    assert snap.fingerprint(model, state) == light
    app = QApplication.instance()
    assert isinstance(app, QApplication)
    old = app.palette()
    try:
        app.setPalette(theme.dark_palette())
        assert snap.fingerprint(model, state) != light
        assert snap.picture_path() != light_path  # one file per theme
    finally:
        app.setPalette(old)
