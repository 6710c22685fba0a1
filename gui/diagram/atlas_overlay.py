"""What the dermatome overlay draws under one atlas, and the brushes it draws with.

Every root that shares an area on the atlas (grade core or shared) is drawn: one root fills the
zone, several roots split it into diagonal stripes, core wider than shared. A root the map gives
only ``occasional``ly (the edge of its territory) is named in the tooltip, not painted, unless it
is all the area has.
Areas the map leaves blank are drawn as such: ``variable`` (highly variable, Lee's blank areas)
as a grey hatch, ``unassigned`` (not drawn on the map at all) as a plain grey fill. "Where maps
disagree" marks the areas where the published maps give different root sets
(:func:`core.clinical.disagreeing_areas`; the rule is in docs/atlases.md).
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt
from PySide6.QtGui import QBrush, QColor, QGradient, QLinearGradient, QPainter, QPen, QPixmap

from gui import theme

STRIPE_PERIOD = 9.0  # diagram units for one repeat of a split fill (all its roots once)
HATCH_PERIOD = 6.0  # diagram units between the lines of the "variable" hatch
GRADE_WIDTH = {"core": 1.0, "shared": 0.6, "occasional": 0.35}  # stripe width per grade
GRADE_ALPHA = {"core": 1.0, "shared": 0.85, "occasional": 0.6}  # share of the tint alpha
ASSIGNED, VARIABLE, UNASSIGNED = "assigned", "variable", "unassigned"


@dataclass(frozen=True)
class AreaSupply:
    """What one atlas says about one area: the roots with grades, or why there are none."""

    area: str
    roots: tuple[tuple[str, str], ...]  # (root, grade), strongest grade first, then root order
    status: str  # ASSIGNED, VARIABLE or UNASSIGNED
    note: str  # tooltip line, with source ids

    @property
    def drawn(self) -> tuple[tuple[str, str], ...]:
        """The roots painted: those graded core or shared (all of them if none is)."""
        main = tuple(rg for rg in self.roots if rg[1] != "occasional")
        return main or self.roots

    @property
    def label(self) -> str:
        """On-diagram text: the painted roots in root order, ``L4/L5``; a run of three or
        more neighbours is shortened, ``S2–S5``."""
        from core.clinical import ROOT_IDS

        idx = sorted(ROOT_IDS.index(r) for r, _g in self.drawn)
        runs: list[list[int]] = []
        for i in idx:
            if runs and i == runs[-1][-1] + 1:
                runs[-1].append(i)
            else:
                runs.append([i])
        parts = []
        for run in runs:
            if len(run) >= 3:
                parts.append(f"{ROOT_IDS[run[0]]}–{ROOT_IDS[run[-1]]}")
            else:
                parts.extend(ROOT_IDS[i] for i in run)
        return "/".join(parts)


def _grade_rank(grade: str) -> int:
    return tuple(GRADE_WIDTH).index(grade) if grade in GRADE_WIDTH else len(GRADE_WIDTH)


def atlas_supply(atlas_id: str, areas: Iterable[str]) -> dict[str, AreaSupply]:
    """Each area's supply under ``atlas_id`` (an unknown id falls back to the consensus map).

    Areas the map assigns but gives no root are left out (nothing to draw).
    """
    from core import clinical  # loaded when an overlay is first shown

    maps = clinical.atlases()
    atlas = maps.get(atlas_id) or maps[clinical.ATLAS_ALIASES.get(atlas_id, "consensus")]
    out: dict[str, AreaSupply] = {}
    for area in areas:
        srcs = ", ".join(atlas.sources_of(area))
        cite = f" [{srcs}]" if srcs else ""
        if area in atlas.variable:
            note = (
                f"Dermatome ({atlas.short_name}): left blank on this map, the supply varies "
                f"too much between people to assign a root{cite}"
            )
            out[area] = AreaSupply(area, (), VARIABLE, note)
            continue
        if area in atlas.unassigned:
            note = f"Dermatome ({atlas.short_name}): not assigned on this map{cite}"
            out[area] = AreaSupply(area, (), UNASSIGNED, note)
            continue
        row = atlas.grades.get(area, {})
        roots = tuple(
            sorted(row.items(), key=lambda rg: (_grade_rank(rg[1]), clinical.ROOT_IDS.index(rg[0])))
        )
        if not roots:
            continue
        listed = ", ".join(f"{r} {g}" for r, g in roots)
        out[area] = AreaSupply(
            area, roots, ASSIGNED, f"Dermatome ({atlas.short_name}): {listed}{cite}"
        )
    return out


def supply_brush(supply: AreaSupply, alpha: int) -> QBrush:
    """The fill of an area: one root's colour, stripes for several roots, grey for blank areas."""
    if supply.status == VARIABLE:
        return variable_brush()
    if supply.status == UNASSIGNED:
        return unassigned_brush()
    return split_brush(supply.drawn, alpha)


def split_brush(
    roots: Sequence[tuple[str, str]], alpha: int, period: float = STRIPE_PERIOD
) -> QBrush:
    """A solid fill for one root; diagonal stripes, widths by grade, for several roots."""
    if len(roots) == 1:
        root, grade = roots[0]
        return QBrush(theme.root_color(root, round(alpha * GRADE_ALPHA.get(grade, 1.0))))
    widths = [GRADE_WIDTH.get(g, 0.3) for _r, g in roots]
    total = sum(widths)
    grad = QLinearGradient(QPointF(0, 0), QPointF(period, period))
    grad.setSpread(QGradient.Spread.RepeatSpread)
    pos = 0.0
    eps = 1e-4
    for (root, grade), w in zip(roots, widths, strict=True):
        c = theme.root_color(root, round(alpha * GRADE_ALPHA.get(grade, 1.0)))
        end = pos + w / total
        grad.setColorAt(min(1.0, pos + (eps if pos > 0 else 0.0)), c)
        grad.setColorAt(min(1.0, end), c)
        pos = end
    return QBrush(grad)


def _blank_colors() -> tuple[QColor, QColor]:
    """(background, line) greys for blank areas, readable on the light or dark skin."""
    if theme.is_dark():
        return QColor(150, 150, 150, 70), QColor(200, 200, 200, 200)
    return QColor(120, 120, 120, 45), QColor(90, 90, 90, 190)


def variable_brush(period: float = HATCH_PERIOD) -> QBrush:
    """Grey diagonal hatch (lines at a fixed diagram spacing, so they scale with the zoom)."""
    bg, line = _blank_colors()
    grad = QLinearGradient(QPointF(0, period), QPointF(period, 0))  # lines run the other way
    grad.setSpread(QGradient.Spread.RepeatSpread)
    grad.setColorAt(0.0, line)
    grad.setColorAt(0.28, line)
    grad.setColorAt(0.2801, bg)
    grad.setColorAt(1.0, bg)
    return QBrush(grad)


def unassigned_brush() -> QBrush:
    """Plain grey: the map does not draw this area at all."""
    bg, _line = _blank_colors()
    c = QColor(bg)
    c.setAlpha(min(255, bg.alpha() * 3))
    return QBrush(c, Qt.BrushStyle.SolidPattern)


def disagreement_brush() -> QBrush:
    """The cross-hatch zones get where the maps disagree (as :class:`ZonePaint` draws it)."""
    hatch = QColor(theme.colors().disagreement)
    hatch.setAlpha(120)
    return QBrush(hatch, Qt.BrushStyle.DiagCrossPattern)


def legend_keys(
    *,
    split: bool,
    variable: bool,
    unassigned: bool,
    disagreement: bool,
    disagreement_text: str = "maps disagree (K&G, Foerster, Lee give other roots)",
) -> list[tuple[str, QBrush, str]]:
    """(text, brush, kind) legend entries for the drawing conventions on screen."""
    keys: list[tuple[str, QBrush, str]] = []
    if split:
        stripes = split_brush((("L4", "shared"), ("L5", "shared")), 200, 6.0)
        keys.append(
            ("several roots share the zone (stripes; wider = stronger grade)", stripes, "split")
        )
    if variable:
        keys.append(("variable: the map leaves it blank", variable_brush(4.0), "variable"))
    if unassigned:
        keys.append(("not assigned on this map", unassigned_brush(), "unassigned"))
    if disagreement:
        keys.append((disagreement_text, disagreement_brush(), "disagreement"))
    return keys


def brush_swatch(brush: QBrush, size: QSize, dpr: float) -> QPixmap:
    """A legend swatch painted with ``brush`` on the skin colour, with the legend's border."""
    pm = QPixmap(round(size.width() * dpr), round(size.height() * dpr))
    pm.setDevicePixelRatio(dpr)
    pm.fill(theme.colors().skin)
    p = QPainter(pm)
    p.setRenderHint(QPainter.RenderHint.Antialiasing)
    p.fillRect(QRectF(0, 0, size.width(), size.height()), brush)
    p.setPen(QPen(theme.diagram_colors().legend_border, 1.0))
    p.setBrush(Qt.BrushStyle.NoBrush)
    p.drawRect(QRectF(0.5, 0.5, size.width() - 1, size.height() - 1))
    p.end()
    return pm


def disagreement_notes(areas: Iterable[str]) -> dict[str, str]:
    """Tooltip text for each area where the published maps give different root sets."""
    from core import clinical  # loaded when an overlay is first shown

    wanted = set(areas)
    maps = clinical.atlases()
    ids = clinical.PUBLISHED_ATLASES
    out: dict[str, str] = {}
    for area, roots in clinical.disagreeing_areas(ids).items():
        if area not in wanted:
            continue
        lines = []
        for root in roots:
            said = []
            for aid in ids:
                a = maps[aid]
                if area in a.variable or area in a.unassigned:
                    continue
                said.append(f"{a.grade(area, root) or 'not listed'} on {a.short_name}")
            lines.append(f"{root}: " + ", ".join(said))
        srcs = ", ".join(dict.fromkeys(s for aid in ids for s in maps[aid].sources_of(area)))
        out[area] = "Maps disagree here:\n" + "\n".join(lines) + (f" [{srcs}]" if srcs else "")
    return out
