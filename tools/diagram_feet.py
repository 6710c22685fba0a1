"""The foot views of the diagram (``tools/make_diagram.py``): dorsal, plantar, medial and
lateral."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

import numpy as np
from diagram_legs import TOE_IDS, TOE_NECK
from diagram_output import SIDE_Y, SIDES, ViewBuilder, closed, kp, nail, side_edges, transform
from diagram_shapes import (
    Pt,
    catmull_rom,
    close,
    digit,
    ellipse,
    poly_from_curves,
    slot,
    smooth_poly,
    tile,
    toe_gaps,
)
from shapely.geometry import Polygon
from shapely.ops import unary_union

# ------------------------------------------------------------------------ feet from above / below
# Canonical foot: x grows MEDIALLY; dorsal frame y = distance from the ankle cut towards the toes.

DORS_CURVE = [
    # medial edge from the ankle cut: medial malleolus, navicular, first metatarsal, 1st MTP
    (22, 0), (23, 9), (25.5, 17), (27, 24.5), (26.6, 33), (25.4, 42), (26, 53), (28.5, 68),
    (32, 86), (35.8, 104), (39.2, 118), (41.4, 128), (41.0, 136), (39.8, 142), (38.6, 147),
    # web line tucked under the toe bases
    (34, 150), (25, 151.5), (14.3, 152.2), (6.5, 152.8), (-1.4, 153.2), (-8.5, 152.6),
    (-15.6, 149.7), (-22, 146.5), (-28.2, 143.7), (-33.5, 143), (-38.2, 142),
    # lateral edge back to the ankle: 5th MTP, straight 5th metatarsal with the bump of its
    # base, lateral malleolus (lower than the medial one)
    (-39.6, 137), (-40.2, 131), (-40.5, 124), (-39.5, 116), (-37.5, 104), (-35.8, 93), (-35.6, 86),
    (-33.5, 78), (-30, 65), (-27.6, 52), (-28.2, 40), (-28.4, 31), (-26.4, 21), (-23.5, 10),
    (-22, 0),
]  # fmt: skip
DORS_CUT = [(-22, 0), (-11, 2.2), (0, 2.9), (11, 2.2), (22, 0)]  # the ankle cut, slightly curved
DORS_TOES = [  # base x, base y, tip x, tip y, width at base, width at tip (dorsal frame)
    (29.0, 121.0, 29.5, 187.0, 29.0, 24.5),  # the great toe: broad, with the widest gap
    (6.0, 128.0, 2.8, 183.0, 17.5, 12.4),
    (-6.5, 126.0, -10.8, 177.0, 18.0, 12.2),
    (-19.5, 122.0, -24.5, 170.0, 17.0, 11.6),
    (-31.0, 116.0, -36.5, 161.0, 15.5, 11.0),
]
DORS_WEBS = [153.0, 154.0, 150.5, 144.5]  # y of the web (start of the gap) between the toes


PLANT_RING = [  # plantar frame: y up from the heel bottom, x grows medially
    # medial border: ball of the great toe, the concave arch, the heel pad
    (39.5, 184), (42, 172), (41.6, 160), (38, 146), (31.5, 128), (24.5, 110), (19, 93),
    (16.4, 78), (16.8, 64), (19.5, 50), (22.6, 37), (23.8, 24), (20.5, 11), (12, 3), (0, 0),
    # heel and the straighter lateral border up to the 5th MTP
    (-11.5, 1.5), (-20.5, 7.5), (-25.6, 18), (-27.2, 33), (-27.4, 50), (-28, 70),
    (-29.4, 92), (-31.2, 111), (-32.6, 122), (-33.8, 134), (-36, 148), (-38.6, 162),
    (-40.2, 172), (-39.6, 180),
    # behind the toe pads (hidden under them)
    (-34, 184), (-25, 188), (-14, 191.5), (-2, 193), (10, 193), (22, 191.5), (32, 189),
]  # fmt: skip
PLANT_TOES = [  # short round pads: base x, base y, tip x, tip y, width at base, at tip
    (26.5, 176.0, 25.0, 228.0, 26.0, 23.5),
    (6.5, 183.0, 4.6, 222.0, 17.0, 13.8),
    (-7.5, 181.0, -10.3, 216.5, 16.5, 13.4),
    (-20.5, 177.0, -23.8, 209.5, 15.5, 12.8),
    (-32.0, 170.0, -36.2, 200.5, 14.5, 12.0),
]
PLANT_WEBS = [201.0, 201.0, 197.0, 190.5]
BORDER_W = 6.5  # width of the border strips on the plantar view


def build_dorsal(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, _bh = b.bounds
    cx = bx + bw / 2
    s = 1.21
    top = by + 55
    for side in SIDES:
        # seen from the front and above: right foot on the viewer's left, toes down,
        # great toes towards the middle
        fx = cx - 58 if side == "right" else cx + 58
        m = 1.0 if side == "right" else -1.0

        def fn(p: Pt, fx: float = fx, m: float = m) -> Pt:
            return (fx + m * s * p[0], top + s * p[1])

        body = poly_from_curves(
            catmull_rom(transform(DORS_CURVE, fn)), catmull_rom(transform(DORS_CUT, fn))
        )
        gaps = toe_gaps(DORS_TOES, DORS_WEBS, 40.0)
        slots = unary_union(
            [
                Polygon(transform(slot(gaps[i], gaps[i + 1], 1.1, 2.2), fn)).buffer(0)
                for i in range(0, len(gaps), 2)
            ]
        )
        toes = [
            Polygon(transform(digit((a, b_), (c, d), wb, wt, TOE_NECK), fn))
            .buffer(0)
            .difference(slots)
            for a, b_, c, d, wb, wt in DORS_TOES
        ]
        outline = close(unary_union([body, *toes]), 3.0).difference(slots).buffer(0)
        crease = [(50.0, 146.0), (34.0, 151.0), *gaps[0::2], (-42.0, 136.0), (-50.0, 131.0)]
        regions: list[tuple[str, Any]] = []
        ank = catmull_rom(transform([(45, 35), (15, 39.5), (0, 40.5), (-15, 39.5), (-45, 35)], fn))
        regions.append(
            ("anterior_ankle", poly_from_curves(ank, transform([(-45, -10), (45, -10)], fn)))
        )
        beyond = poly_from_curves(
            catmull_rom(transform(crease, fn)), transform([(-50, 260), (50, 260)], fn)
        )
        for zid, tp in zip(TOE_IDS, toes, strict=True):
            regions.append((zid + ".dorsal", tp.buffer(1.0).intersection(beyond)))
        # the first web space: the skin between the great and second toes and the cleft
        # between their metatarsal heads, wide enough to click (tests/core/test_diagram_areas)
        web = [(17.5, 168), (9, 160), (6, 146), (9, 129), (16.5, 113), (24, 129),
               (27.5, 146), (26, 160)]  # fmt: skip
        regions.append(("first_web_space", smooth_poly(transform(web, fn))))
        split = catmull_rom(transform([(1, 20), (0, 80), (-1.5, 120), (-2.5, 165)], fn))
        regions.append(
            ("dorsum_of_foot.medial", poly_from_curves(split, transform([(60, 165), (60, 20)], fn)))
        )
        regions.append(
            (
                "dorsum_of_foot.lateral",
                poly_from_curves(split, transform([(-60, 165), (-60, 20)], fn)),
            )
        )
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        key_points.append(kp("L5", side, b.id, fn((-10.0, 133.0))))
        for toe in DORS_TOES:
            b.contour("crease", closed(nail(toe, fn)))
        ly = top + s * 190 + 12
        b.label("medial", fn((22, 0))[0], ly, "orientation")
        b.label("lateral", fn((-24, 0))[0], ly, "orientation")
    b.label("Patient's RIGHT", cx - 56, by + SIDE_Y, "side")
    b.label("Patient's LEFT", cx + 56, by + SIDE_Y, "side")


def build_plantar(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, bh = b.bounds
    cx = bx + bw / 2
    s = 1.07
    heel_y = by + bh - 22
    for side in SIDES:
        # the soles seen from behind, like the posterior view (README, "The diagram"): right
        # sole on the viewer's right, toes up, great toes towards the middle
        fx = cx + 56 if side == "right" else cx - 56
        m = -1.0 if side == "right" else 1.0

        def pl(p: Pt, fx: float = fx, m: float = m) -> Pt:
            return (fx + m * s * p[0], heel_y - s * p[1])

        body = Polygon(catmull_rom(transform(PLANT_RING, pl), closed=True)).buffer(0)
        gaps = toe_gaps(PLANT_TOES, PLANT_WEBS, 36.0)
        slots = unary_union(
            [
                Polygon(transform(slot(gaps[i], gaps[i + 1], 1.2, 2.4), pl)).buffer(0)
                for i in range(0, len(gaps), 2)
            ]
        )
        toes = [
            Polygon(transform(digit((a, b_), (c, d), wb, wt, TOE_NECK), pl))
            .buffer(0)
            .difference(slots)
            for a, b_, c, d, wb, wt in PLANT_TOES
        ]
        outline = close(unary_union([body, *toes]), 3.0).difference(slots).buffer(0)
        regions: list[tuple[str, Any]] = []
        # the sulcus between the ball of the foot and the toe pads
        crease = [(52.0, 184.0), (36.0, 195.0), *gaps[0::2], (-44.0, 181.0), (-52.0, 174.0)]
        beyond = poly_from_curves(
            catmull_rom(transform(crease, pl)), transform([(-52, 300), (52, 300)], pl)
        )
        # the lateral half of the 4th toe pad (lateral plantar nerve: lateral 1 1/2 toes)
        bx4, by4, tx4, ty4 = PLANT_TOES[3][:4]
        ax, ay = tx4 - bx4, ty4 - by4
        half4 = Polygon(
            transform(
                [
                    (bx4 - ax, by4 - ay),
                    (tx4 + ax, ty4 + ay),
                    (tx4 + ax - 40, ty4 + ay),
                    (bx4 - ax - 40, by4 - ay),
                ],
                pl,
            )
        )
        regions.append(
            ("plantar_toes.fourth_lateral", toes[3].buffer(1.0).intersection(beyond) & half4)
        )
        for zid, tp in zip(TOE_IDS, toes, strict=True):
            sub = {"great_toe": "great", "middle_toes": "middle", "little_toe": "little"}[zid]
            regions.append(("plantar_toes." + sub, tp.buffer(1.0).intersection(beyond)))
        heel_line = catmull_rom(transform([(45, 57), (15, 66), (-10, 65), (-45, 55)], pl))
        regions.append(
            ("heel.plantar", poly_from_curves(heel_line, transform([(-45, -10), (45, -10)], pl)))
        )
        # the outer and inner edges of the sole (the plantar side of the foot's borders); seen
        # from behind, the right sole's medial (great-toe) edge is its low-x edge, the left's its
        # high-x edge. Each edge with the direction that points into the sole:
        lo, hi = side_edges(body, pl((0, 190))[1], pl((0, 40))[1])
        low, high = (lo, BORDER_W), (hi, -BORDER_W)
        medial, lateral = (low, high) if side == "right" else (high, low)
        for zid, (e, d), top in (
            ("lateral_border_of_foot.plantar", lateral, 176.0),
            ("medial_border_of_foot.plantar", medial, 172.0),
        ):
            y_top = pl((0, top))[1]
            ys = np.arange(y_top, pl((0, 50))[1] + 1e-9, 1.0)

            def taper(y: float, y_top: float = y_top) -> float:  # the band fades out at the top
                f = min(1.0, (y - y_top) / (24 * s))
                return f * f * (3 - 2 * f)

            inner = [(e(y) + d * max(taper(y), 0.02), float(y)) for y in ys]
            outer = [(e(y) - 3 * d, float(y)) for y in ys[::-1]]
            regions.append((zid, Polygon(inner + outer).buffer(0)))
        split = catmull_rom(transform([(3, 40), (1, 120), (-3, 180), (-6, 230)], pl))
        regions.append(
            ("medial_sole", poly_from_curves(split, transform([(60, 230), (60, 40)], pl)))
        )
        regions.append(
            ("lateral_sole", poly_from_curves(split, transform([(-60, 230), (-60, 40)], pl)))
        )
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        ly = heel_y + 13
        b.label("medial", pl((20, 0))[0], ly, "orientation")
        b.label("lateral", pl((-22, 0))[0], ly, "orientation")
    b.label("Patient's LEFT", cx - 56, by + SIDE_Y, "side")
    b.label("Patient's RIGHT", cx + 56, by + SIDE_Y, "side")


# --------------------------------------------------------------------------- side views
# Canonical profile: toes towards +x, back of the heel near x=0, ground y=0, up is -y.

MED_CURVE = [
    # back of the leg: the lower calf narrowing into the Achilles tendon, then the heel
    (11, -118), (14.5, -101), (17, -84), (15.5, -66), (10.5, -48), (4.5, -32), (1.2, -18),
    (3.5, -7), (11, -1.5), (24, 0), (38, 0),
    # sole: heel pad, the raised medial arch, ball of the great toe, great toe pad
    (50, -2.5), (66, -8.5), (86, -12), (106, -11), (124, -6), (138, -1.5), (152, 0),
    (160, -1), (164, -3), (169, -1.5), (179, -1.6), (186, -5), (189, -10.5),
    # tip of the great toe, then the convex instep up to the front of the ankle and shin
    (187.5, -16.5), (181, -21.5), (170, -24), (156, -26.5), (139, -32), (121, -41.5),
    (103, -50.5), (87, -58), (75, -65.5), (68, -75), (64.5, -90), (63.5, -105), (64, -118),
]  # fmt: skip
LAT_CURVE = [
    (11, -118), (14.5, -101), (17, -84), (15.5, -66), (10.5, -48), (4.5, -32), (1.2, -18),
    (3.5, -7), (11, -1.5), (24, 0), (45, 0), (80, -0.5), (110, -0.5), (135, 0), (146, -1),
    (152, -0.5), (162, -1.5), (167, -4), (172, -3), (180, -4), (186, -9), (185.5, -15.5),
    (177, -21), (165, -24), (151, -27), (135, -32), (117, -41.5), (99, -50.5), (83, -58),
    (72, -65.5), (66, -75), (63, -90), (62.5, -105), (63, -118),
]  # fmt: skip


def build_side(b: ViewBuilder, key_points: list[dict[str, Any]], medial: bool) -> None:
    bx, by, bw, bh = b.bounds
    s = 0.95
    ground = by + bh - 6
    half = 95.0
    for side in SIDES:
        # right foot on the viewer's left. Medial view: right toes point left; lateral: right.
        toes_left = (side == "right") == medial
        fx = bx + (bw * 0.27 if side == "right" else bw * 0.73)
        m = -1.0 if toes_left else 1.0

        def fn(p: Pt, fx: float = fx, m: float = m) -> Pt:
            return (fx + m * s * (p[0] - half), ground + s * p[1])

        def C(points: Sequence[Pt], fn: Callable[[Pt], Pt] = fn) -> list[Pt]:
            return catmull_rom(transform(points, fn))

        outline = Polygon(C(MED_CURVE if medial else LAT_CURVE)).buffer(0)
        regions: list[tuple[str, Any]] = []
        if medial:
            mall = fn((42, -52))
            regions.append(
                ("medial_malleolus", Polygon(ellipse(mall[0], mall[1], 10 * s, 11 * s)).buffer(0))
            )
            heel = C([(-10, -52), (12, -48), (26, -38), (34, -22), (38, 0), (40, 10)])
            regions.append(("heel.medial", poly_from_curves(heel, transform([(-10, 10)], fn))))
            toe = C([(158, 10), (160.5, -6), (159, -20), (152, -40)])
            regions.append(
                ("great_toe.medial", poly_from_curves(toe, transform([(220, -40), (220, 10)], fn)))
            )
            arch = C([(30, -10), (55, -14), (75, -19), (95, -21), (118, -15), (140, -9), (165, -8)])
            regions.append(
                ("medial_sole", poly_from_curves(arch, transform([(165, 10), (30, 10)], fn)))
            )
            border = C(
                [
                    (6, -52),
                    (28, -47),
                    (52, -41.5),
                    (75, -37),
                    (100, -32),
                    (125, -25),
                    (150, -19),
                    (165, -17),
                ]
            )
            regions.append(
                (
                    "medial_border_of_foot",
                    poly_from_curves(border, transform([(165, 10), (6, 10)], fn)),
                )
            )
            crease = C([(84, -84), (70, -64), (56, -50), (40, -42), (20, -40)])
            regions.append(
                (
                    "dorsum_of_foot.medial",
                    poly_from_curves(crease, transform([(220, 10), (220, -84)], fn)),
                )
            )
            regions.append(
                (
                    "medial_lower_leg",
                    Polygon(transform([(-20, -200), (120, -200), (120, 10), (-20, 10)], fn)),
                )
            )
            key_points.append(kp("L4", side, b.id, mall))
        else:
            mall = fn((36, -44))
            regions.append(
                ("lateral_malleolus", Polygon(ellipse(mall[0], mall[1], 10 * s, 11 * s)).buffer(0))
            )
            heel = C(
                [
                    (-10, -60),
                    (12, -57),
                    (24, -50),
                    (34, -36),
                    (46, -26),
                    (56, -12),
                    (60, 0),
                    (60, 10),
                ]
            )
            regions.append(("lateral_heel", poly_from_curves(heel, transform([(-10, 10)], fn))))
            little = C(
                [
                    (137, 8),
                    (137.5, -4),
                    (142, -11.5),
                    (154, -12.5),
                    (164, -10.5),
                    (169.5, -5.5),
                    (171, -1),
                    (173, 8),
                ]
            )
            regions.append(("little_toe.lateral", poly_from_curves(little)))
            toe = C([(140, -8), (145, -18), (148, -26), (146, -40)])
            regions.append(
                (
                    "middle_toes.lateral",
                    poly_from_curves(toe, transform([(220, -40), (220, 10)], fn)),
                )
            )
            border = C([(40, -27), (60, -22), (90, -19), (120, -16), (150, -13)])
            regions.append(
                (
                    "lateral_border_of_foot",
                    poly_from_curves(border, transform([(150, 10), (40, 10)], fn)),
                )
            )
            crease = C([(82, -84), (68, -62), (52, -44), (40, -30), (30, -20)])
            regions.append(
                (
                    "dorsum_of_foot.lateral",
                    poly_from_curves(crease, transform([(220, 10), (220, -84)], fn)),
                )
            )
            # the back of the leg above the heel: the lower posterolateral calf, where the
            # sural nerve runs down beside the Achilles tendon to pass behind the malleolus
            back = C([(31, -130), (29, -100), (26, -78), (20, -62), (8, -56), (-20, -56)])
            regions.append(
                ("posterior_calf.lateral", poly_from_curves(back, transform([(-20, -130)], fn)))
            )
            regions.append(
                (
                    "lateral_lower_leg",
                    Polygon(transform([(-20, -200), (120, -200), (120, 10), (-20, 10)], fn)),
                )
            )
            key_points.append(kp("S1", side, b.id, fn((22, -22))))
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        cap = "Patient's RIGHT" if side == "right" else "Patient's LEFT"
        b.label(cap, fn((135, -100))[0], by + 44, "side")
        tp = fn((178, -34))
        b.label("toes", tp[0], tp[1], "orientation")
        if not medial:  # in the medial view the heels face each other: no room
            hp = fn((-2, -60))
            b.label("heel", hp[0] - m * 14, hp[1] + 30, "orientation")
