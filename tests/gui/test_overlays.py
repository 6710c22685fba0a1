"""Overlays: dermatome tints follow the selected atlas, nerves, key points, disagreement."""

from __future__ import annotations

import pytest
from PySide6.QtGui import QBrush, QColor

from core import clinical
from core.model import Side
from gui import theme
from gui.diagram.overlays import KeyPointMarker
from gui.diagram.view import DiagramView
from gui.session_model import SessionModel
from gui.state import UiState
from tests.gui.helpers import show_view


@pytest.fixture
def view(qtbot):
    model, state = SessionModel(), UiState()
    v = DiagramView(model, state)
    show_view(qtbot, v)
    return v, model, state


def _rgb(c: QColor | None) -> tuple[int, int, int] | None:
    return None if c is None else (c.red(), c.green(), c.blue())


def _colours(tint: QColor | QBrush | None) -> frozenset[tuple[int, int, int]]:
    """The hues a zone's overlay fill paints: one for a solid fill, each stripe's for a split."""
    if tint is None:
        return frozenset()
    if isinstance(tint, QColor):
        return frozenset({(tint.red(), tint.green(), tint.blue())})
    grad = tint.gradient()
    if grad is None:
        c = tint.color()
        return frozenset({(c.red(), c.green(), c.blue())})
    return frozenset((c.red(), c.green(), c.blue()) for _pos, c in grad.stops())


def _tint(v: DiagramView, area: str, side: Side = Side.RIGHT) -> tuple[int, int, int] | None:
    tints = {_colours(it.tint) for it in v.items_of(area, side)}
    assert len(tints) == 1, (area, tints)
    hues = tints.pop()
    assert len(hues) <= 1, (area, hues)
    return next(iter(hues), None)


def _hues(v: DiagramView, area: str, side: Side = Side.RIGHT) -> frozenset[tuple[int, int, int]]:
    tints = {_colours(it.tint) for it in v.items_of(area, side)}
    assert len(tints) == 1, (area, tints)
    return tints.pop()


def _root_hues(*roots: str) -> frozenset[tuple[int, int, int]]:
    return frozenset(_rgb(theme.root_color(r)) for r in roots)  # type: ignore[misc]


def test_dermatomes_tint_zones_by_their_roots(view) -> None:
    v, _model, state = view
    assert _tint(v, "medial_malleolus") is None
    state.set_overlays(dermatomes=True)
    assert _tint(v, "medial_malleolus") == _rgb(theme.root_color("L4"))
    assert _tint(v, "medial_malleolus", Side.LEFT) == _rgb(theme.root_color("L4"))
    consensus = clinical.atlases()["consensus"]
    assert consensus.grade("great_toe", "L5") == "core"
    assert consensus.grade("great_toe", "L4") == "shared"
    assert _hues(v, "great_toe") == _root_hues("L4", "L5")  # both roots, as stripes
    # one root label per territory per view and side, legend lists the roots
    texts = {lb.text for lb in v.overlay.labels}
    assert {"L4", "L5", "S1"} <= texts
    assert v.legend.isVisible()
    assert ("root", "L5") in v.legend.entries
    assert "Consensus" in " ".join(t for _k, t in v.legend.entries)
    # the tooltip carries the weights and sources
    item = v.items_of("medial_malleolus", Side.RIGHT)[0]
    assert "L4" in item.toolTip() and "[" in item.toolTip()
    state.set_overlays(dermatomes=False)
    assert _tint(v, "medial_malleolus") is None
    assert not v.overlay.labels
    assert not v.legend.isVisible()


def test_switching_the_atlas_recolours(view) -> None:
    v, model, state = view
    state.set_overlays(dermatomes=True)
    model.set_atlas("keegan_garrett")
    assert _hues(v, "medial_border_of_foot") == _root_hues("L4")
    assert _hues(v, "lateral_thigh") == _root_hues("L4", "L5")
    assert "L4/L5" in {lb.text for lb in v.overlay.labels}
    model.set_atlas("foerster")
    assert _hues(v, "medial_border_of_foot") == _root_hues("L5")  # L4 occasional: not painted
    assert _hues(v, "lateral_thigh") == _root_hues("L2")
    item = v.items_of("medial_border_of_foot", Side.RIGHT)[0]
    assert "L5 core, L4 occasional" in item.toolTip()
    model.undo_stack.undo()  # atlas back to keegan_garrett
    assert _hues(v, "medial_border_of_foot") == _root_hues("L4")


@pytest.mark.parametrize("atlas_id", ["consensus", "keegan_garrett", "foerster", "lee"])
def test_every_root_sharing_a_zone_is_drawn_and_in_the_legend(view, atlas_id) -> None:
    v, model, state = view
    model.set_atlas(atlas_id)
    state.set_overlays(dermatomes=True)
    atlas = clinical.atlases()[atlas_id]
    painted: set[str] = set()
    for it in v.zone_items:
        area = it.zone_shape.area_id
        if area in atlas.variable or area in atlas.unassigned:
            continue
        main = {r for r, g in atlas.grades[area].items() if g != "occasional"}
        main = main or set(atlas.grades[area])
        assert _colours(it.tint) == _root_hues(*main), (atlas_id, area)
        painted |= main
    legend = {t for k, t in v.legend.entries if k == "root"}
    assert legend == painted
    assert atlas.name in " ".join(t for _k, t in v.legend.entries)
    assert ("split", "several roots share the zone (stripes; wider = stronger grade)") in (
        v.legend.entries
    )


def test_lee_blank_areas_drawn_as_blank(view) -> None:
    v, model, state = view
    model.set_atlas("lee")
    state.set_overlays(dermatomes=True)
    lee = clinical.atlases()["lee"]
    kinds = {k for k, _t in v.legend.entries}
    assert {"variable", "unassigned"} <= kinds
    drawn = {it.zone_shape.area_id for it in v.zone_items}
    assert lee.variable & drawn and lee.unassigned & drawn
    for it in v.zone_items:
        area = it.zone_shape.area_id
        if area in lee.variable:
            assert isinstance(it.tint, QBrush) and it.tint.gradient() is not None  # the hatch
            assert not _colours(it.tint) & _root_hues(*clinical.ROOT_IDS)
            assert "left blank" in it.toolTip()
        elif area in lee.unassigned:
            assert isinstance(it.tint, QBrush) and it.tint.gradient() is None
            assert "not assigned" in it.toolTip()
    # the consensus map has no blank areas and says nothing about them
    model.set_atlas("consensus")
    kinds = {k for k, _t in v.legend.entries}
    assert not {"variable", "unassigned"} & kinds


def test_nerve_overlay(view) -> None:
    v, _model, state = view
    state.set_overlays(nerves=True)
    sural = clinical.nerves()["sural"]
    area = max(sural.territory, key=sural.weight)
    items = v.items_of(area, Side.RIGHT)
    if items:
        assert any(it.tint is not None for it in items)
    tinted = [it for it in v.zone_items if it.tint is not None]
    assert len(tinted) > 10
    assert v.overlay.labels
    assert any(k == "nerve" for k, _t in v.legend.entries)
    # both overlays: dermatome fill, nerve as an inner edge
    state.set_overlays(dermatomes=True)
    assert any(it.tint_edge is not None for it in v.zone_items)


def test_key_points_for_l4_l5_s1_on_both_sides(view) -> None:
    v, _model, state = view
    markers = [m for m in v.overlay.markers if isinstance(m, KeyPointMarker)]
    found = {(m.key_point.root, m.key_point.side) for m in markers}
    for root in ("L4", "L5", "S1"):
        for side in Side:
            assert (root, side) in found
    assert all(m.scene() is v.scene() for m in markers)
    assert "R8" in markers[0].toolTip()
    state.set_overlays(key_points=False)
    assert v.overlay.markers == []


@pytest.mark.parametrize("atlas_id", ["consensus", "keegan_garrett", "foerster", "lee"])
def test_no_overlay_label_covers_a_key_point_marker(view, atlas_id) -> None:
    """A root or nerve label moves beside a key-point marker (or is left to the legend when the
    zone has no room, as in the saddle), never on top of it; each view keeps most labels."""
    v, model, state = view
    model.set_atlas(atlas_id)
    for layer in ({"dermatomes": True}, {"dermatomes": False, "nerves": True}):
        state.set_overlays(key_points=True, **layer)
        markers = [m.boundingRect().translated(m.pos()) for m in v.overlay.markers]
        assert markers
        for lb in v.overlay.labels:
            r = lb.boundingRect().adjusted(2, 2, -2, -2).translated(lb.pos())
            assert not any(r.intersects(m) for m in markers), (atlas_id, layer, lb.text)
        assert len(v.overlay.labels) >= 30, (atlas_id, layer)


def test_a_small_window_never_stacks_labels(view, qtbot) -> None:
    """The labels keep a readable size while a small window shrinks the drawing; placed apart
    at the diagram's own size, they ran into each other and over the key points (a 900 x 650
    window read "L5 ⊙L4.5" on the medial foot). In a small window a label is shown only where
    it covers nothing shown before it; at the usual size nearly all are shown."""
    from PySide6.QtWidgets import QApplication

    v, _model, state = view
    state.set_overlays(dermatomes=True, key_points=True)

    def device(item, k: float, inset: float):  # type: ignore[no-untyped-def]
        r = item.boundingRect().adjusted(inset, inset, -inset, -inset)
        box = r.__class__(r.x() * k, r.y() * k, r.width() * k, r.height() * k)
        return box.translated(v.viewportTransform().map(item.pos()))

    for size in ((520, 360), (1000, 680)):
        v.resize(*size)
        QApplication.processEvents()
        k = v.overlay.labels[0].scale()
        shown = [lb for lb in v.overlay.labels if lb.isVisible()]
        markers = [device(m, k, 0) for m in v.overlay.markers]
        rects = [device(lb, k, 2) for lb in shown]
        for i, r in enumerate(rects):
            assert not any(r.intersects(m) for m in markers), (size, shown[i].text)
            assert not any(r.intersects(o) for o in rects[i + 1 :]), (size, shown[i].text)
        if size[0] >= 1000:
            assert len(shown) >= len(v.overlay.labels) - 2, size
        else:
            assert len(shown) >= 20, size


def test_disagreement_hatches_zones(view) -> None:
    v, _model, state = view
    state.set_overlays(disagreement=True)
    areas = set(clinical.disagreeing_areas(clinical.PUBLISHED_ATLASES))
    drawn = {it.zone_shape.area_id for it in v.zone_items}
    assert {"great_toe", "medial_border_of_foot", "lateral_thigh"} <= areas & drawn
    for agreed in ("medial_lower_leg", "dorsum_of_foot", "heel", "little_toe"):
        assert agreed not in areas
    for it in v.zone_items:
        assert it.hatch == (it.zone_shape.area_id in areas)
        if it.hatch:
            assert "disagree" in it.toolTip()
    toe = v.items_of("great_toe.dorsal", Side.RIGHT)[0].toolTip()
    assert "L4: shared on K&G 1948, not listed on Foerster 1933, not listed on Lee 2008" in toe
    assert any(k == "disagreement" for k, _t in v.legend.entries)


def test_set_highlight(view) -> None:
    v, _model, state = view
    v.set_highlight({("dorsum_of_foot", Side.RIGHT): 1.0, ("heel.plantar", Side.LEFT): 0.3})
    strong = v.items_of("dorsum_of_foot", Side.RIGHT)
    weak = v.items_of("heel.plantar", Side.LEFT)
    assert strong and all(it.highlight is not None for it in strong)
    assert weak[0].highlight is not None
    assert weak[0].highlight.alpha() < strong[0].highlight.alpha()
    assert v.items_of("dorsum_of_foot", Side.LEFT)[0].highlight is None
    v.set_highlight(None)
    assert all(it.highlight is None for it in v.zone_items)
    # the UiState highlight channel drives the same thing
    state.set_highlight({("great_toe", Side.LEFT): 1.0}, "#ff0000")
    hl = v.items_of("great_toe", Side.LEFT)[0].highlight
    assert hl is not None and _rgb(hl) == (255, 0, 0)
    state.set_highlight(None)
    assert all(it.highlight is None for it in v.zone_items)


def test_the_window_atlas_chooser_lists_the_four_maps(qtbot, tmp_path, monkeypatch) -> None:
    from gui.main_window import MainWindow

    monkeypatch.setenv("DERMAMAP_SETTINGS_DIR", str(tmp_path / "settings"))
    w = MainWindow()
    qtbot.addWidget(w)
    w.show()
    qtbot.waitExposed(w)
    qtbot.waitUntil(lambda: w.is_ready, timeout=15000)
    combo = w.atlas_combo
    ids = [combo.itemData(i) for i in range(combo.count())]
    assert ids == list(clinical.atlases()) == ["consensus", "keegan_garrett", "foerster", "lee"]
    names = [combo.itemText(i) for i in range(combo.count())]
    assert names == [a.name for a in clinical.atlases().values()]
    w.discard_and_close()


@pytest.mark.parametrize("width", [1366, 1024, 900])
def test_a_key_points_text_never_runs_into_a_views_caption(window, qtbot, width: int) -> None:
    """The left foot's S1 text ran into the lateral view's "heel" caption below about 1,100
    pixels (marker texts and captions keep their pixel size as the diagram shrinks)."""
    from gui.diagram.items import TextLabel

    window.resize(width, 768)
    window.state.set_overlays(key_points=True)
    qtbot.wait(50)
    view = window.diagram
    vt = view.viewportTransform()

    def pixels(item, rect):  # type: ignore[no-untyped-def]
        return item.deviceTransform(vt).mapRect(rect)

    captions = [
        pixels(it, it.text_rect)
        for it in view.scene().items()
        if isinstance(it, TextLabel) and it.isVisible() and it.data(0) == "orientation"
    ]
    assert any(c.isValid() for c in captions)
    for m in view.overlay.markers:
        mine = pixels(m, m.text_rect)
        for c in captions:
            assert not mine.intersects(c), (width, m.key_point.root, m.key_point.side)


@pytest.mark.parametrize("dark", [False, True])
def test_a_roots_tint_is_never_mistaken_for_a_symptoms_mark(dark: bool, restore_palette) -> None:
    """With the dermatome overlay on, an unmarked L5 area was tinted the orange of a pain mark
    (colour difference about 12) and an L3 area the blue of numbness (about 6): a marked area
    could not be told from an unmarked one at a glance."""
    from PySide6.QtWidgets import QApplication

    from core.model import Symptom
    from gui.diagram.overlays import TINT_ALPHA, TINT_ALPHA_DARK
    from tests.gui.helpers import delta_e, over

    app = QApplication.instance()
    app.setPalette(theme.dark_palette() if dark else app.style().standardPalette())
    skin = theme.colors().skin
    alpha = TINT_ALPHA_DARK if dark else TINT_ALPHA
    for root in ("L2", "L3", "L4", "L5", "S1", "S2"):
        tint = over(theme.root_color(root, alpha), skin)
        for symptom in Symptom:
            mark = over(theme.symptom_style(symptom).fill, skin)
            assert delta_e(tint, mark) >= 15, (root, symptom.value, round(delta_e(tint, mark), 1))
