"""Generate the body-diagram artwork ``assets/diagram/views.json``.

Every outline is built from smooth centripetal Catmull-Rom splines sampled every ~2 units;
zones are cut out of each limb outline with smooth boundary regions (shapely), assigned in a
priority order so that they tile the outline exactly (no gaps, no overlaps), then the whole
coverage is simplified topologically and rounded to 0.1.

The shapes are in ``diagram_shapes``, the views in ``diagram_legs`` and ``diagram_feet``, the
output format in ``diagram_output``.

Run:  .venv/bin/python tools/make_diagram.py
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from diagram_feet import build_dorsal, build_plantar, build_side
from diagram_legs import build_anterior, build_posterior
from diagram_output import ViewBuilder, assign_key_zones, finish

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "diagram" / "views.json"


def build() -> dict[str, Any]:
    key_points: list[dict[str, Any]] = []
    ant = ViewBuilder("anterior", "Anterior (front)", (0, 0, 265, 640))
    post = ViewBuilder("posterior", "Posterior (back)", (270, 0, 265, 640))
    dors = ViewBuilder("dorsal", "Dorsal feet (top)", (545, 0, 225, 322))
    plan = ViewBuilder("plantar", "Plantar feet (soles)", (775, 0, 225, 322))
    med = ViewBuilder("medial", "Medial ankle and foot", (545, 326, 455, 155))
    lat = ViewBuilder("lateral", "Lateral ankle and foot", (545, 485, 455, 155))
    build_anterior(ant, key_points)
    build_posterior(post, key_points)
    build_dorsal(dors, key_points)
    build_plantar(plan, key_points)
    build_side(med, key_points, medial=True)
    build_side(lat, key_points, medial=False)
    data = finish([ant, post, dors, plan, med, lat], key_points)
    assign_key_zones(data)
    return data


def main() -> None:
    data = build()
    text = json.dumps(data, separators=(",", ":"))
    OUT.write_text(text + "\n", encoding="utf-8")
    nz = sum(len(v["zones"]) for v in data["views"])
    print(f"wrote {OUT.relative_to(ROOT)}: {len(text) / 1024:.0f} KB, {nz} zone shapes")


if __name__ == "__main__":
    main()
