"""Evaluate the engine on the published case reports in ``published_cases.json`` (Qt-free).

Each case carries its citation, a short quote, the encoded session (a session-file object), the
established diagnosis and how it was established (issue 14, item 10). :func:`evaluate` runs an
``analyze`` function on every case and measures where the established diagnosis lands:

- **rank** of the established hypothesis among the hypotheses of the affected side (those whose
  ``side`` is that side or ``both``; for ``side: both`` all hypotheses, first occurrence of an id
  counts); for ``umn`` cases the "hit" is a warning whose id contains ``upper_motor_neuron`` or
  ``umn``, for ``spinal_metastasis`` and ``spinal_infection`` cases an urgent warning of that id
  (no rank, no probability: :data:`WARNED`);
- **probability** given to it: ``hypothesis.get("probability", hypothesis["score"])`` from
  ``Analysis.to_dict()``. Outputs without ``probability`` (engine v1) have scores that are not
  probabilities: they are normalised per side to sum 1 (residual 0) and the result says so;
- **Brier score**, multi-class over the listed hypotheses of the side plus a residual class
  (``unexplained[side]`` when the output has it, else ``1 - sum``); an established diagnosis that
  is not listed counts as a class given probability 0. Range 0 (perfect) to 2.

Only the public API is used: :func:`core.session_io.parse_session` and an ``analyze`` callable
(normally :func:`core.engine.analyze`). Both are imported from whatever ``core`` is first on
``sys.path``, so the same file measures an old checkout. Session fields that the loader in use
rejects (e.g. v2 fields on a v1 loader) are stripped one by one and counted, and fields the loader
silently ignores are counted too, so the "before" figures state what the old engine did not see.
"""

from __future__ import annotations

import copy
import json
import math
import re
from collections.abc import Callable, Iterable
from itertools import pairwise
from pathlib import Path
from typing import Any

CASES_FILE = Path(__file__).resolve().parent / "published_cases.json"
MIN_CASES = 40
UMN = "umn"
WARNED = {
    UMN: (("upper_motor_neuron", "umn"), False),
    "spinal_metastasis": (("spinal_metastasis",), True),
    "spinal_infection": (("spinal_infection",), True),
}
"""Established diagnoses the engine answers with a warning, not a hypothesis: the ids that count
as a hit and whether the warning must be urgent (a cord cause, a spinal metastasis or infection
among the hypotheses' roots is no root lesion)."""
ROOTS = tuple(f"L{i}" for i in range(1, 6)) + tuple(f"S{i}" for i in range(1, 6))
NERVES = (
    "common_peroneal",
    "deep_peroneal",
    "superficial_peroneal",
    "sural",
    "saphenous",
    "lateral_femoral_cutaneous",
    "tibial",
    "medial_plantar",
    "lateral_plantar",
    "femoral",
    "obturator",
    "posterior_femoral_cutaneous",
    "sciatic",
)
KNOWN_IDS = frozenset(
    (*ROOTS, *(f"peripheral:{n}" for n in NERVES), "polyneuropathy", "cauda_equina", *WARNED)
)
_ERROR = re.compile(r"^(?P<path>[\w.\[\]]+): (?P<problem>.*)$")
_QUOTED = re.compile(r'"((?:[^"\\]|\\.)*)"')
_MAX_STRIPS = 50


def load_cases(path: str | Path | None = None) -> list[dict[str, Any]]:
    """The list of case objects from ``path`` (default: the file next to this module)."""
    with open(path or CASES_FILE, encoding="utf-8") as fh:
        data = json.load(fh)
    cases = data["cases"] if isinstance(data, dict) else data
    if not isinstance(cases, list):
        raise ValueError("published cases: expected a list of cases")
    return cases


# --- loading a session with whatever loader is installed -----------------------------------------


def _split_path(path: str) -> list[str | int]:
    out: list[str | int] = []
    for part in path.split("."):
        m = re.fullmatch(r"(\w+)((?:\[\d+\])*)", part)
        if m is None:
            return []
        out.append(m.group(1))
        out.extend(int(i) for i in re.findall(r"\[(\d+)\]", m.group(2)))
    return out


def _strip_one(data: dict[str, Any], problem: str) -> str | None:
    """Remove the part of ``data`` that the loader's message ``problem`` names; what was removed."""
    m = _ERROR.match(problem)
    if m is None:
        return None
    keys = _split_path(m.group("path"))
    if keys == ["version"]:
        if data.get("version") == 1:
            return None
        data["version"] = 1
        return "version (set to 1)"
    parent: Any = data
    for k in keys[:-1]:
        try:
            parent = parent[k]
        except (KeyError, IndexError, TypeError):
            return None
    last = keys[-1] if keys else None
    if last is None:
        return None
    try:
        target = parent[last]
    except (KeyError, IndexError, TypeError):
        return None
    if isinstance(target, dict):  # an unknown key inside a per-side table: named in the message
        for name in _QUOTED.findall(m.group("problem")):
            if name in target:
                del target[name]
                return f"{m.group('path')}.{name}"
    if isinstance(parent, list) and isinstance(last, int):
        del parent[last]
        return m.group("path")
    if isinstance(parent, dict) and isinstance(last, str):
        del parent[last]
        return m.group("path")
    return None


def _leaves(value: Any, prefix: str = "") -> set[str]:
    if isinstance(value, dict):
        out: set[str] = set()
        for k, v in value.items():
            out |= _leaves(v, f"{prefix}.{k}" if prefix else str(k))
        return out
    return {prefix} if value is not None else set()


def load_session(session: dict[str, Any]) -> tuple[Any, list[str], list[str]]:
    """Parse a case's session with the installed loader.

    Returns ``(session, stripped, ignored)``: the parsed session, the fields removed because the
    loader rejected them, and the findings/red-flag/mark entries the loader accepted but dropped.
    Raises the loader's error when stripping does not make the data loadable.
    """
    from core.session_io import SessionError, parse_session, session_to_dict

    data = copy.deepcopy(session)
    stripped: list[str] = []
    for _ in range(_MAX_STRIPS):
        try:
            parsed = parse_session(data)
            break
        except SessionError as exc:
            what = _strip_one(data, exc.problem)
            if what is None:
                raise
            stripped.append(what)
    else:
        parsed = parse_session(data)
    back = session_to_dict(parsed)
    ignored = sorted(
        f"findings.{p}"
        for p in _leaves(data.get("findings") or {}) - _leaves(back.get("findings") or {})
    )
    lost_marks = len(data.get("marks") or []) - len(back.get("marks") or [])
    if lost_marks > 0:
        ignored.append(f"marks ({lost_marks} merged: one symptom per zone and side)")
    return parsed, stripped, ignored


# --- scoring --------------------------------------------------------------------------------------


def _side_view(
    out: dict[str, Any], side: str
) -> tuple[list[dict[str, Any]], list[float | None], float, bool]:
    """Hypotheses of ``side`` in rank order, their probabilities, the residual, normalised?

    A hypothesis whose ``probability`` is present but None (engine v2: the cauda equina red
    flag, which stands outside the per-side posterior) keeps its rank but gets no probability
    and takes no part in the Brier score.
    """
    hyps = [h for h in out.get("hypotheses", []) if h.get("side") in (side, "both")]
    has_p = all("probability" in h for h in hyps)
    if has_p:
        probs: list[float | None] = [
            None if h["probability"] is None else float(h["probability"]) for h in hyps
        ]
        unexplained = out.get("unexplained")
        if isinstance(unexplained, dict) and side in unexplained:
            residual = float(unexplained[side])
        else:
            residual = max(0.0, 1.0 - sum(p for p in probs if p is not None))
        return hyps, probs, residual, False
    scores = [max(0.0, float(h["score"])) for h in hyps]
    total = sum(scores)
    probs = [s / total for s in scores] if total > 0 else [0.0 for _ in scores]
    return hyps, probs, 0.0, True


def _brier(
    hyps: list[dict[str, Any]], probs: list[float | None], residual: float, target: str
) -> float:
    seen: set[str] = set()
    total = residual**2
    for h, p in zip(hyps, probs, strict=True):
        if p is None:
            continue
        y = 1.0 if h["id"] == target and target not in seen else 0.0
        seen.add(h["id"])
        total += (p - y) ** 2
    if target not in seen:
        total += 1.0
    return total


def _score_side(out: dict[str, Any], side: str, target: str) -> dict[str, Any]:
    hyps, probs, residual, normalised = _side_view(out, side)
    ids: list[str] = []
    for h in hyps:
        if h["id"] not in ids:
            ids.append(h["id"])
    rank = ids.index(target) + 1 if target in ids else None
    hit = [p for h, p in zip(hyps, probs, strict=True) if h["id"] == target]
    flag = bool(hit) and hit[0] is None
    prob = None if flag else (hit[0] if hit else 0.0)
    first = next((q for q in probs if q is not None), None)  # the top probability (not a flag)
    return {
        "rank": rank,
        "probability": prob,
        "brier": None if flag else _brier(hyps, probs, residual, target),
        "top": ids[0] if ids else None,
        "top_probability": first,
        "normalised": normalised,
        "flag": flag,
    }


def score_case(case: dict[str, Any], out: dict[str, Any]) -> dict[str, Any]:
    """Where the established diagnosis of ``case`` lands in the analysis ``out`` (a dict)."""
    est = case["established"]
    target = est["diagnosis"]
    side = est.get("side", "both")
    row: dict[str, Any] = {"id": case["id"], "group": case["group"], "target": target, "side": side}
    if target in WARNED:
        ids = [str(w.get("id", "")) for w in out.get("warnings", [])]
        names, urgent = WARNED[target]
        hit = any(
            any(n in str(w.get("id", "")) for n in names) and (w.get("urgent") or not urgent)
            for w in out.get("warnings", [])
        )
        tops = [h["id"] for h in out.get("hypotheses", [])]
        row.update(rank=1 if hit else None, probability=None, brier=None, top_probability=None)
        row.update(top=tops[0] if tops else None, normalised=False, flag=False, warnings=ids)
        return row
    if side in ("left", "right"):
        row.update(_score_side(out, side, target))
        return row
    per = [_score_side(out, s, target) for s in ("left", "right")]
    ranks = [p["rank"] for p in per if p["rank"] is not None]
    best = min(per, key=lambda p: (p["rank"] is None, p["rank"] or 0))
    flag = any(p["flag"] for p in per)
    row.update(
        rank=min(ranks) if ranks else None,
        probability=None if flag else max(p["probability"] for p in per),
        brier=None if flag else sum(p["brier"] for p in per) / 2,
        top=best["top"],
        top_probability=best["top_probability"],
        normalised=any(p["normalised"] for p in per),
        flag=flag,
    )
    return row


def _figures(rows: list[dict[str, Any]]) -> dict[str, Any]:
    n = len(rows)
    top1 = sum(1 for r in rows if r["rank"] == 1)
    top3 = sum(1 for r in rows if r["rank"] is not None and r["rank"] <= 3)
    probs = [r["probability"] for r in rows if r["probability"] is not None]
    briers = [r["brier"] for r in rows if r["brier"] is not None]
    return {
        "n": n,
        "top1": top1 / n if n else 0.0,
        "top3": top3 / n if n else 0.0,
        "top1_count": top1,
        "top3_count": top3,
        "mean_probability": sum(probs) / len(probs) if probs else 0.0,
        "brier": sum(briers) / len(briers) if briers else 0.0,
        "n_probabilistic": len(probs),
    }


CALIBRATION_BANDS = (0.0, 0.2, 0.4, 0.6, 1.0)


def calibration(rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """How often the top hypothesis was the established diagnosis, by the top's probability
    (cases with a probability for their top: not upper motor neuron, not a red flag)."""
    out = []
    edges = CALIBRATION_BANDS
    for lo, hi in pairwise(edges):
        rs = [
            r
            for r in rows
            if r["top_probability"] is not None
            and not r.get("flag")
            and lo <= r["top_probability"] < hi + (1e-9 if hi == edges[-1] else 0.0)
        ]
        out.append(
            {
                "band": (lo, hi),
                "n": len(rs),
                "right": sum(1 for r in rs if r["rank"] == 1),
                "mean_top_probability": sum(r["top_probability"] for r in rs) / len(rs)
                if rs
                else None,
            }
        )
    return out


def kind_of(target: str) -> str:
    """A coarse kind of diagnosis for the per-kind figures."""
    if target in ROOTS:
        return "root"
    if target.startswith("peripheral:"):
        return "peripheral nerve"
    return target


def evaluate(
    analyze: Callable[..., Any],
    cases: Iterable[dict[str, Any]],
    atlas: str | None = None,
) -> dict[str, Any]:
    """Run ``analyze`` on every case and return the figures (see the module docstring).

    The result: ``overall``, ``by_group`` and ``by_kind`` (each ``n``, ``top1``, ``top3``,
    ``mean_probability``, ``brier``), ``cases`` (one row per case), ``misses`` (rows whose rank
    is not 1), ``stripped``/``ignored`` (how many cases lost fields, and which fields), and
    ``normalised`` (True when the engine gave no probabilities and scores were normalised).
    """
    rows: list[dict[str, Any]] = []
    stripped_fields: dict[str, int] = {}
    ignored_fields: dict[str, int] = {}
    n_stripped = n_ignored = 0
    for case in cases:
        session, stripped, ignored = load_session(case["session"])
        n_stripped += bool(stripped)
        n_ignored += bool(ignored)
        for f in stripped:
            key = re.sub(r"\[\d+\]", "[]", re.sub(r"\.(left|right)\b", ".<side>", f))
            stripped_fields[key] = stripped_fields.get(key, 0) + 1
        for f in ignored:
            key = re.sub(r"\.(left|right)\b", ".<side>", f)
            key = re.sub(r"^marks \(\d+", "marks (n", key)
            ignored_fields[key] = ignored_fields.get(key, 0) + 1
        result = analyze(session, atlas) if atlas else analyze(session)
        out = result.to_dict() if hasattr(result, "to_dict") else result
        row = score_case(case, out)
        row["stripped"] = stripped
        row["ignored"] = ignored
        rows.append(row)
    groups: dict[str, list[dict[str, Any]]] = {}
    kinds: dict[str, list[dict[str, Any]]] = {}
    for r in rows:
        groups.setdefault(r["group"], []).append(r)
        kinds.setdefault(kind_of(r["target"]), []).append(r)
    figures = _figures(rows)
    for key in ("mean_probability", "brier"):
        if not math.isfinite(figures[key]):  # pragma: no cover - guarded by construction
            raise ValueError(f"{key} is not finite")
    return {
        "overall": figures,
        "by_group": {g: _figures(rs) for g, rs in sorted(groups.items())},
        "by_kind": {k: _figures(rs) for k, rs in sorted(kinds.items())},
        "cases": rows,
        "misses": [r for r in rows if r["rank"] != 1],
        "calibration": calibration(rows),
        "stripped": {"cases": n_stripped, "fields": dict(sorted(stripped_fields.items()))},
        "ignored": {"cases": n_ignored, "fields": dict(sorted(ignored_fields.items()))},
        "normalised": any(r["normalised"] for r in rows),
    }


def _pct(x: float) -> str:
    return f"{100 * x:5.1f}%"


def format_report(res: dict[str, Any]) -> str:
    """The figures as a plain-text table (overall, per group, per kind, misses)."""
    lines: list[str] = []
    head = f"{'':34} {'n':>3} {'top-1':>7} {'top-3':>7} {'mean p':>7} {'Brier':>6}"

    def row(name: str, f: dict[str, Any]) -> str:
        has_p = f["n_probabilistic"] > 0
        mean_p = f"{f['mean_probability']:7.3f}" if has_p else f"{'-':>7}"
        brier = f"{f['brier']:6.3f}" if has_p else f"{'-':>6}"
        return (
            f"{name[:34]:34} {f['n']:3d} {_pct(f['top1']):>7} {_pct(f['top3']):>7} {mean_p} {brier}"
        )

    lines += [head, row("overall", res["overall"]), "", "by group (origin)"]
    lines += [row("  " + g, f) for g, f in res["by_group"].items()]
    lines += ["", "by kind of diagnosis"]
    lines += [row("  " + k, f) for k, f in res["by_kind"].items()]
    o = res["overall"]
    lines.append("")
    flags = sum(1 for r in res["cases"] if r.get("flag"))
    lines.append(
        f"mean p and Brier over {o['n_probabilistic']} cases (umn, spinal_metastasis and "
        "spinal_infection cases count in top-1/top-3 only: hit = that warning, urgent for the "
        "last two)"
    )
    if flags:
        lines.append(
            f"{flags} cases whose established diagnosis came out as a red-flag hypothesis without"
            " a probability (cauda equina) count in top-1/top-3 only"
        )
    if res["normalised"]:
        lines.append(
            "NOTE: this engine gives no probabilities; scores were normalised per side to sum 1"
            " (no residual) for mean p and Brier"
        )
    st, ig = res["stripped"], res["ignored"]
    if st["cases"]:
        fields = ", ".join(f"{k} x{v}" for k, v in st["fields"].items())
        lines.append(f"stripped (rejected by this loader) in {st['cases']} cases: {fields}")
    if ig["cases"]:
        fields = ", ".join(f"{k} x{v}" for k, v in ig["fields"].items())
        lines.append(
            f"ignored (accepted but dropped by this loader) in {ig['cases']} cases: {fields}"
        )
    lines += ["", "calibration of the top hypothesis: its probability, cases, how often right"]
    for b in res["calibration"]:
        lo, hi = b["band"]
        mean = "-" if b["mean_top_probability"] is None else f"{b['mean_top_probability']:.2f}"
        right = f"{b['right']}/{b['n']}"
        share = _pct(b["right"] / b["n"]) if b["n"] else "    -"
        lines.append(
            f"  {lo:.1f}-{hi:.1f}  n={b['n']:<3} right {right:>6} ({share})  mean p {mean}"
        )
    lines += ["", f"misses ({len(res['misses'])}): case, established, rank, top hypothesis"]
    for r in res["misses"]:
        rank = "-" if r["rank"] is None else str(r["rank"])
        p = "" if r["probability"] is None else f" p={r['probability']:.3f}"
        lines.append(f"  {r['id']:12} {r['target']:34} rank {rank:>2}{p}  top: {r['top']}")
    return "\n".join(lines)
