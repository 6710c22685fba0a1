"""The anterior and posterior leg views of the diagram (``tools/make_diagram.py``)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any

from diagram_output import BIG, SIDE_Y, SIDES, ViewBuilder, closed, kp, nail, side_edges, transform
from diagram_shapes import (
    Edge,
    Pt,
    catmull_rom,
    close,
    digit,
    ellipse,
    mapper,
    poly_from_curves,
    region,
    slot,
    smooth_poly,
    tile,
    toe_gaps,
)
from shapely.geometry import Polygon
from shapely.ops import unary_union

# --------------------------------------------------------------------------- anterior legs
# Designed for the patient's RIGHT leg (viewer's left) in u = distance from the view's centre
# line (u grows laterally) and absolute y; the left leg is its mirror image.

ANT_RING = [
    # medial edge, crotch to ankle: the thigh tapering to the knee, the bulge of vastus
    # medialis above it, the narrow joint line, the medial calf (gastrocnemius) below it
    (4, 131), (7, 152), (11, 180), (16, 212), (21, 245), (24.5, 272), (24, 294), (24.5, 314),
    (28, 334), (30.5, 352), (27, 372), (22.5, 394), (21.5, 414), (24, 438), (30, 466),
    (36.5, 492), (41.5, 518), (45, 540), (45, 551), (42, 560), (43, 570),
    # foot seen from the front: medial border, toe line, lateral border
    (43, 580), (40.2, 590), (37.6, 599), (45, 606), (56.1, 610.6), (68.3, 610.2),
    (79.7, 608.2), (90.2, 604.6), (98.4, 599), (98.8, 592),
    (92, 584), (85, 577.5),
    # lateral edge, ankle to hip: the lateral calf (peroneal muscles), the knee, the thigh
    (83, 569), (81, 560), (77.5, 547), (79.5, 520), (85, 492), (91, 462), (95.5, 432),
    (97, 408), (95, 385), (91.5, 362), (91, 346), (93, 328), (95.5, 308), (99, 290),
    (105, 262), (112, 226), (118, 190), (122, 155), (124, 125), (123.6, 102), (122.3, 90),
    # the front of the hip, where the flank of the pelvis comes down, then the inguinal
    # crease down to the crotch
    (120.3, 82.5), (117.6, 78.8), (112, 80), (103, 82.5), (88, 88.5), (70, 97), (50, 106.5),
    (30, 115),
    (14, 122),
]  # fmt: skip
# the lower trunk and pelvis joining the legs (drawn, not marked): waist, flank over the iliac
# crest to the hip, then behind the thigh to the crotch; right half, u from the midline
ANT_PELVIS = [
    (0, 47.5), (40, 48), (70, 49.5), (88, 52.5), (98, 57.5), (106, 64.5), (112.5, 71.5),
    (117.4, 78), (119.4, 84), (118, 95), (110, 109), (80, 121), (42, 128), (14, 133.5),
    (0, 137),
]  # fmt: skip
ANT_TOES = [  # base u, base y, tip u, tip y, width at base, width at tip
    (47.0, 598.0, 46.4, 629.0, 20.0, 19.0),
    (62.0, 601.0, 62.6, 625.5, 14.0, 11.8),
    (73.5, 600.5, 74.9, 622.5, 13.4, 11.2),
    (84.0, 598.5, 86.0, 619.0, 12.8, 10.6),
    (94.0, 596.0, 96.4, 614.5, 11.2, 9.8),
]
ANT_WEBS = [611.5, 611.0, 609.0, 605.5]
ANT_LAT_UPPER = 402.0  # y where the upper third of the lateral lower leg ends
TOE_NECK = 0.93  # toe width at the neck / width at the tip pad
TOE_IDS = ["great_toe", "middle_toes", "middle_toes", "middle_toes", "little_toe"]


# Zones drawn in (t, y): t = 0 on the lateral edge, 1 on the medial edge.
ANT_T = {
    "anterior_knee": [
        (0.22, 294), (0.5, 286), (0.78, 293), (0.86, 318), (0.8, 343), (0.5, 356), (0.24, 345),
        (0.16, 320),
    ],
    "medial_knee": [
        (0.92, 288), (0.8, 300), (0.8, 345), (0.77, 372), (0.92, 392), (1.6, 392), (1.6, 288),
    ],
    "anterolateral_thigh": [
        (0.05, 66), (0.3, 74), (0.5, 100), (0.5, 150), (0.46, 200), (0.38, 245), (0.28, 278),
        (0.15, 290), (0.02, 284), (-0.3, 200),
    ],
    # the inner thigh runs up to the groin crease (obturator territory); the saddle is drawn on
    # the posterior view only (clinical.md section 0)
    "medial_thigh": [
        (0.66, 96), (0.69, 150), (0.74, 215), (0.75, 255), (0.74, 292), (0.84, 312), (1.6, 312),
        (1.6, 96),
    ],
}  # fmt: skip


def build_anterior(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, _bh = b.bounds
    cx = bx + bw / 2
    legs: list[Polygon] = []
    for side in SIDES:
        sgn = -1.0 if side == "right" else 1.0  # facing the patient: right leg on the viewer's left

        def U(p: Pt, sgn: float = sgn) -> Pt:
            return (cx + sgn * p[0], p[1])

        body = Polygon(catmull_rom(transform(ANT_RING, U), closed=True)).buffer(0)
        gaps = [U(g) for g in toe_gaps(ANT_TOES, ANT_WEBS, 30.0, -1.0)]
        slots = unary_union(
            [Polygon(slot(gaps[i], gaps[i + 1], 1.0, 2.0)).buffer(0) for i in range(0, 8, 2)]
        )
        toes = [
            Polygon(digit(U((a, b_)), U((c, d)), wb, wt, TOE_NECK)).buffer(0).difference(slots)
            for a, b_, c, d, wb, wt in ANT_TOES
        ]
        outline = close(unary_union([body, *toes]), 2.5).difference(slots).buffer(0)
        lo, hi = side_edges(body, 60, 575)
        lat, med = (lo, hi) if side == "right" else (hi, lo)
        T = mapper(lat, med)

        def TU(
            points: Sequence[tuple[float, float]], T: Callable[[float, float], Pt] = T
        ) -> Polygon:
            return smooth_poly([T(t, y) for t, y in points])

        regions: list[tuple[str, Any]] = []
        groin_low = [
            (0, 160),
            (4, 157),
            (30, 141),
            (60, 124),
            (82, 110),
            (96, 100),
            (104, 93),
            (108, 84),
            (108, 40),
        ]
        regions.append(
            ("groin", poly_from_curves(catmull_rom(transform(groin_low, U)), [U((0, 40))]))
        )

        def strip_t(y: float, lat: Edge = lat, med: Edge = med) -> float:
            f = min(1.0, max(0.0, (374 - y) / 55))  # fades out along the knee
            w = (12.0 - 3.0 * (y - 80) / 290) * f * f * (3 - 2 * f)
            return max(w, 0.01) / abs(med(y) - lat(y))

        regions.append(("lateral_thigh", region(-BIG, strip_t, 40, 374, T, step=1.0)))
        for zid in ("anterior_knee", "medial_knee", "anterolateral_thigh", "medial_thigh"):
            regions.append((zid, TU(ANT_T[zid])))
        regions.append(("anterior_thigh", region(-BIG, BIG, 40, 326, T)))
        regions.append(("medial_malleolus", Polygon(ellipse(*U((42.5, 560)), 9, 11)).buffer(0)))
        regions.append(("lateral_malleolus", Polygon(ellipse(*U((80.5, 567)), 9, 11)).buffer(0)))
        ank_up = catmull_rom(transform([(20, 541), (40, 547), (62, 549), (84, 547), (110, 541)], U))
        ank_low = catmull_rom(
            transform([(110, 590), (84, 584), (62, 581), (40, 584), (20, 590)], U)
        )
        regions.append(("anterior_ankle", poly_from_curves(ank_up, ank_low)))

        def lat_leg_t(y: float) -> float:
            return 0.36 + 0.04 * (552 - y) / 200

        # upper third: lateral sural cutaneous branch of the common peroneal nerve; below it the
        # superficial peroneal nerve (pierces the fascia at the junction of the lower thirds)
        regions.append(("lateral_lower_leg.upper", region(-BIG, lat_leg_t, 326, ANT_LAT_UPPER, T)))
        regions.append(("lateral_lower_leg", region(-BIG, lat_leg_t, 326, 552, T)))
        regions.append(
            ("medial_lower_leg", region(lambda y: 0.79 - 0.04 * (y - 360) / 200, BIG, 326, 552, T))
        )
        regions.append(("anterior_lower_leg", region(-BIG, BIG, 326, 550, T)))
        crease = catmull_rom(
            [U((26, 604)), U((36, 609)), *gaps[0::2], U((104, 603)), U((112, 598))]
        )
        below = poly_from_curves(crease, transform([(112, 650), (26, 650)], U))
        for zid, tp in zip(TOE_IDS, toes, strict=True):
            regions.append((zid + ".dorsal", tp.buffer(0.8).intersection(below)))
        split = catmull_rom(transform([(62, 560), (64, 580), (66, 596), (67.5, 612)], U))
        regions.append(
            ("dorsum_of_foot.medial", poly_from_curves(split, transform([(20, 612), (20, 560)], U)))
        )
        regions.append(
            (
                "dorsum_of_foot.lateral",
                poly_from_curves(split, transform([(120, 612), (120, 560)], U)),
            )
        )
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        key_points.append(kp("L2", side, b.id, T(0.58, 205)))
        key_points.append(kp("L3", side, b.id, T(0.74, 318)))
        # the patella, and a nail on each toe (the great toe's the largest)
        b.contour("crease", closed(ellipse(*T(0.5, 318), 11.5, 14.5)))
        for toe in ANT_TOES:
            b.contour("crease", closed(nail(toe, U)))
        legs.append(outline)
    half = [(cx + u, y) for u, y in ANT_PELVIS]
    pelvis = smooth_poly(half[:-1] + [(2 * cx - x, y) for x, y in half[::-1][:-1]])
    b.body.append(pelvis)
    legs_u = unary_union(legs)
    seen = unary_union([pelvis, legs_u]).buffer(0)
    b.lines("ink", seen.exterior.difference(legs_u.boundary.buffer(0.15)))
    b.label("Patient's RIGHT", cx - 66, by + SIDE_Y, "side")
    b.label("Patient's LEFT", cx + 66, by + SIDE_Y, "side")


# --------------------------------------------------------------------------- posterior legs
# Patient's RIGHT leg on the viewer's right; u from the natal cleft, growing laterally.

POST_CURVE = [
    # bottom of the natal cleft, then the medial thigh down to the heel
    (0, 166), (1.2, 173), (3.5, 180), (6.5, 192), (10.5, 215), (15.5, 245), (20.5, 275),
    (24.5, 300), (26.5, 320), (27, 340), (24.5, 362), (20, 385), (17.5, 408), (19, 432),
    (24.5, 456), (30.5, 480), (35.5, 503), (39.5, 524), (41.2, 540), (39.6, 551), (39.2, 560),
    (40.6, 569), (41.8, 580), (43.4, 592), (46.5, 602.5), (52.5, 610), (62, 613.5),
    (71.5, 610.5), (78, 603), (81.2, 592), (82.8, 580.5), (84.6, 570), (85, 561), (83.4, 550),
    (81, 539), (83.5, 516), (89, 486), (96, 455),
    (100.5, 428), (101.5, 404), (99, 380), (95.5, 358), (95, 336), (98, 311), (102.5, 287),
    (109, 255), (115.5, 218), (120.5, 184),
    # hip (greater trochanter) and the flank narrowing to the waist
    (123.5, 156), (124, 135), (121.5, 113), (116, 94), (109, 79), (102, 67.5), (96.5, 59.5),
    (92.5, 54), (88.5, 50.8),
    # the waist line, a shallow arch meeting the other side square at the midline
    (82, 48.9), (65, 47.5), (42, 46.3), (20, 45.8), (0, 45.7),
]  # fmt: skip
POST_CREST = [(112, 84), (98, 70), (78, 62), (54, 62), (34, 68), (22, 78), (14, 92), (6, 104)]
POST_CLEFT = 166.0  # the natal cleft (midline) runs from the waist down to here

# The saddle (what touches a saddle, clinical.md section 0): the perianal skin and perineum at
# the bottom of the natal cleft, the medial buttocks beside the cleft, and the posterior-medial
# upper thighs. Drawn (u, y) from the midline; clipped by each side's outline.
POST_SADDLE = [
    (-8, 108), (0, 108), (4.5, 116), (10, 128), (16.5, 141), (24, 153), (32, 163), (39.5, 173),
    (44, 185), (44.5, 198), (41, 214), (34, 230), (25, 243), (15, 251), (-8, 251),
]  # fmt: skip
# the part of the saddle below the infragluteal crease / cleft end is saddle.thigh
POST_SADDLE_THIGH_TOP = [(-8, 166), (4, 175), (14, 186), (26, 194), (50, 198)]
# infragluteal crease: from the inner thigh under the buttock, fading up towards the hip
POST_FOLD = [
    (-8, 174), (3, 180), (14, 188), (30, 194), (50, 196.5), (70, 194), (88, 187), (103, 176),
    (116, 162), (130, 146),
]  # fmt: skip
POST_LOW_BUTTOCK = 42.0  # height of the inferior-buttock band above the infragluteal crease
POST_CALF_UPPER = 452.0  # y where the upper calf ends (about mid-calf)
POST_POPLITEAL = [
    (0.5, 307), (0.7, 322), (0.78, 341), (0.68, 360), (0.5, 374), (0.32, 360), (0.22, 341),
    (0.3, 322),
]  # fmt: skip


def build_posterior(b: ViewBuilder, key_points: list[dict[str, Any]]) -> None:
    bx, by, bw, _bh = b.bounds
    cx = bx + bw / 2
    for side in SIDES:
        sgn = 1.0 if side == "right" else -1.0  # seen from behind: right leg on the viewer's right

        def U(p: Pt, sgn: float = sgn) -> Pt:
            return (cx + sgn * p[0], p[1])

        curve = catmull_rom(transform(POST_CURVE, U))
        outline = Polygon(curve).buffer(0)  # closed by the straight natal cleft line
        lo, hi = side_edges(outline, 52, 600)
        lat, med = (hi, lo) if side == "right" else (lo, hi)
        T = mapper(lat, med)

        def TU(
            points: Sequence[tuple[float, float]], T: Callable[[float, float], Pt] = T
        ) -> Polygon:
            return smooth_poly([T(t, y) for t, y in points])

        regions: list[tuple[str, Any]] = []
        saddle = smooth_poly(transform(POST_SADDLE, U))
        thigh_top = catmull_rom(transform(POST_SADDLE_THIGH_TOP, U))
        below_fold = poly_from_curves(thigh_top, transform([(45, 300), (-8, 300)], U))
        regions.append(("saddle.thigh", saddle.intersection(below_fold)))
        regions.append(("saddle.perineal", saddle))

        def strip(y: float, lat: Edge = lat, med: Edge = med) -> float:
            # a band along the outer thigh: tapers in over the hip and out above the knee
            f = min(1.0, max(0.0, (y - 148) / 50), max(0.0, (374 - y) / 60))
            return max(11.0 * f * f * (3 - 2 * f), 0.01) / abs(med(y) - lat(y))

        regions.append(("lateral_thigh", region(-BIG, strip, 148, 374, T, step=1.0)))
        fold = catmull_rom(transform(POST_FOLD, U))
        # the inferior buttock (inferior cluneal branches of the posterior femoral cutaneous
        # nerve): a band above the infragluteal crease
        upper_fold = catmull_rom(transform([(u, y - POST_LOW_BUTTOCK) for u, y in POST_FOLD], U))
        regions.append(("buttock.lower", poly_from_curves(fold, upper_fold[::-1])))
        regions.append(("buttock", poly_from_curves(fold, transform([(135, 30), (-8, 30)], U))))
        regions.append(("popliteal_fossa", TU(POST_POPLITEAL)))
        regions.append(("posterior_thigh", region(-BIG, BIG, 40, 341, T)))
        heel_top = catmull_rom(
            transform([(28, 592), (46, 585), (63, 582), (80, 585), (100, 592)], U)
        )
        regions.append(
            ("heel.posterior", poly_from_curves(heel_top, transform([(100, 640), (28, 640)], U)))
        )
        # upper calf, then the lower calf in halves: the sural nerve supplies the lower
        # posterolateral calf, fed by the medial sural cutaneous nerve down the middle
        regions.append(("posterior_calf.upper", region(-BIG, BIG, 330, POST_CALF_UPPER, T)))
        regions.append(("posterior_calf.lateral", region(-BIG, 0.5, 330, 640, T)))
        regions.append(("posterior_calf.medial", region(0.5, BIG, 330, 640, T)))
        zones = tile(outline, regions)
        b.limb(side, outline, zones)
        key_points.append(kp("S2", side, b.id, T(0.5, 341)))
        key_points.append(kp("S3", side, b.id, U((30, 177))))
        key_points.append(kp("S4-5", side, b.id, U((7.5, 171))))
        # the pelvis under the skin: the iliac crest from the flank to the dimple over the
        # posterior superior iliac spine, then the edge of the sacrum down to the cleft
        b.contour("crease", catmull_rom(transform(POST_CREST, U)))
    b.label("Patient's LEFT", cx - 66, by + SIDE_Y, "side")
    b.label("Patient's RIGHT", cx + 66, by + SIDE_Y, "side")
