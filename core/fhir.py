"""HL7 FHIR R4 export of one session (Qt-free): a Bundle of type ``collection``.

Contents (see docs/fhir.md):

- a Patient (identifier, sex as ``gender``, date of birth) when the visit names any of them;
- one Observation per mark: ``code`` the symptom in SNOMED CT, ``bodySite`` a SNOMED CT body
  structure (the nearest checked concept; the area in words in ``text``, the Dermamap area id as
  a second coding) with the side through the core ``bodySite`` extension pointing at a
  BodyStructure whose ``locationQualifier`` is the SNOMED CT laterality; ``valueQuantity`` the
  marked share in %;
- one Observation per examination finding and per ticked warning sign (text codes); a symptom's
  intensity (the patient's 0-10 rating) as ``valueInteger``;
- one ClinicalImpression whose ``finding`` lists the hypotheses with their probabilities
  (``basis`` in words, the probability also as a decimal extension), whose ``summary`` is the
  clinical impression of :mod:`core.impression` and whose ``note`` ends with the visit notes.
  Never a Condition: nothing here is a diagnosis.

The Bundle's ``timestamp`` is when it was made (an ISO 8601 instant with the UTC offset).

The SNOMED CT codes come from ``assets/clinical/snomed.json`` (each with how it was checked).
SNOMED CT is licensed nationally (member countries) or by SNOMED International.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from functools import cache
from typing import Any

from core import clinical, impression, names, warning_names, zones
from core.assets import load_json
from core.exam import exam_items
from core.model import HISTORY_BOOLEANS, RedFlag, Session, Symptom
from core.results import Analysis, Warning
from core.visit_dates import fhir_date

SCT = "http://snomed.info/sct"
UCUM = "http://unitsofmeasure.org"
OBS_CATEGORY = "http://terminology.hl7.org/CodeSystem/observation-category"
BODY_SITE_EXT = "http://hl7.org/fhir/StructureDefinition/bodySite"
AREA_SYSTEM = "urn:dermamap:area"
HYPOTHESIS_SYSTEM = "urn:dermamap:hypothesis"
PROBABILITY_EXT = "urn:dermamap:fhir:probability"
GENDERS = {"female", "male", "other", "unknown"}


@cache
def codes() -> dict[str, Any]:
    """The SNOMED CT table (``assets/clinical/snomed.json``)."""
    data: dict[str, Any] = load_json("clinical/snomed.json")
    return data


def _coding(entry: dict[str, Any]) -> dict[str, Any]:
    return {"system": SCT, "code": entry["code"], "display": entry["display"]}


def area_site(area: str) -> dict[str, Any]:
    """``bodySite`` for a canonical area: the SNOMED CT structure, then the Dermamap area."""
    table = codes()
    row = table["areas"].get(area, {"structure": "lower_limb", "exact": False})
    structure = table["structures"][row["structure"]]
    return {
        "coding": [_coding(structure), {"system": AREA_SYSTEM, "code": area}],
        "text": names.area_name(area),
    }


def exam_site(key: str) -> dict[str, Any]:
    """``bodySite`` of a finding (an :class:`core.exam.ExamItem` key): a sensory key point's
    area (the saddle for S3 and S4-5), otherwise the lower limb."""
    if key.startswith("sensation:"):
        root = key.removeprefix("sensation:").split("_")[0]  # S4_5: the S4 key point
        info = clinical.roots().get(root)
        if info is not None and info.key_point_area:
            return area_site(info.key_point_area)
    return {"coding": [_coding(codes()["structures"]["lower_limb"])], "text": "Lower limb"}


class _Builder:
    def __init__(self, session: Session, analysis: Analysis, make_id: Any) -> None:
        self.session = session
        self.analysis = analysis
        self.make_id = make_id
        self.entries: list[dict[str, Any]] = []
        self.subject: dict[str, Any] = {"display": "Patient (not identified)"}
        self._structures: dict[tuple[str, str], str] = {}

    def add(self, resource: dict[str, Any]) -> str:
        url = f"urn:uuid:{self.make_id()}"
        self.entries.append({"fullUrl": url, "resource": resource})
        return url

    def patient(self) -> None:
        v = self.session.visit
        resource: dict[str, Any] = {"resourceType": "Patient"}
        if v.patient_id:
            resource["identifier"] = [{"value": v.patient_id}]
        if v.sex.strip().lower() in GENDERS:
            resource["gender"] = v.sex.strip().lower()
        born = fhir_date(v.date_of_birth)
        if born is not None:
            resource["birthDate"] = born
        if len(resource) == 1:
            return
        url = self.add(resource)
        self.subject = {"reference": url}
        if v.patient_id:
            self.subject["display"] = v.patient_id

    def structure(self, site: dict[str, Any], side: str) -> str:
        """A BodyStructure for ``site`` on ``side`` (one per site and side)."""
        key = (site["coding"][0]["code"] + site["text"], side)
        if key not in self._structures:
            lat = codes()["laterality"][side]
            resource = {
                "resourceType": "BodyStructure",
                "location": site,
                "locationQualifier": [{"coding": [_coding(lat)], "text": lat["display"]}],
                "description": f"{names.side_name(side)} {site['text'].lower()}",
                "patient": self.subject,
            }
            self._structures[key] = self.add(resource)
        return self._structures[key]

    def observation(self, category: str, code: dict[str, Any], **rest: Any) -> str:
        resource: dict[str, Any] = {
            "resourceType": "Observation",
            "status": "final",
            "category": [{"coding": [{"system": OBS_CATEGORY, "code": category}]}],
            "code": code,
            "subject": self.subject,
        }
        seen = fhir_date(self.session.visit.date)
        if seen is not None:
            resource["effectiveDateTime"] = seen
        resource.update(rest)
        return self.add(resource)

    def sided_site(self, site: dict[str, Any], side: str) -> dict[str, Any]:
        ref = self.structure(site, side)
        return {
            **site,
            "text": f"{names.side_name(side)} {site['text'].lower()}",
            "extension": [{"url": BODY_SITE_EXT, "valueReference": {"reference": ref}}],
        }

    def marks(self) -> list[str]:
        out = []
        symptoms = codes()["symptoms"]
        for m in self.session.marks:
            for area in zones.expand(zones.current_zone(m.zone)):
                sym = symptoms[m.symptom.value]
                site = area_site(area)
                if "." in m.zone:
                    site["text"] = names.area_name(m.zone)
                out.append(
                    self.observation(
                        "survey",
                        {"coding": [_coding(sym)], "text": m.symptom.display},
                        bodySite=self.sided_site(site, m.side.value),
                        valueQuantity={
                            "value": round(m.coverage * 100, 1),
                            "unit": "%",
                            "system": UCUM,
                            "code": "%",
                        },
                        method={"text": "Marked on a leg and foot drawing (Dermamap)"},
                    )
                )
        return out

    def findings(self) -> list[str]:
        out = []
        findings = self.session.findings
        for item in exam_items(findings):
            site = self.sided_site(exam_site(item.key), item.side.value)
            if item.key.startswith("intensity:"):
                # the patient's rating, a whole number on the 0-10 scale its name gives
                # ("Pain intensity (0-10)"; it was the text "7/10")
                symptom = Symptom(item.key.removeprefix("intensity:"))
                level = findings.symptom_intensity(item.side, symptom)
                out.append(
                    self.observation(
                        "survey", {"text": item.name}, bodySite=site, valueInteger=level
                    )
                )
                continue
            out.append(
                self.observation(
                    "exam",
                    {"text": item.name},
                    bodySite=site,
                    valueCodeableConcept={"text": item.value_text},
                )
            )
        for flag in RedFlag:
            if flag in self.session.red_flags:
                out.append(
                    self.observation(
                        "survey",
                        {"text": warning_names.red_flag_name(flag.value)},
                        valueBoolean=True,
                    )
                )
        out.extend(self.history())
        return out

    def history(self) -> list[str]:
        """The history the clinician entered, one Observation an item."""
        h = self.session.findings.history
        out = []
        for value, text, unit, ucum in (
            (h.age, names.finding_name("history:age"), "years", "a"),
            (h.onset_days, names.finding_name("history:onset_days") + " (days ago)", "days", "d"),
        ):
            if value is not None:
                quantity = {"value": value, "unit": unit, "system": UCUM, "code": ucum}
                out.append(self.observation("survey", {"text": text}, valueQuantity=quantity))
        for field in HISTORY_BOOLEANS:
            flag = getattr(h, field)
            if flag is not None:
                text = names.finding_name(f"history:{field}")
                out.append(self.observation("survey", {"text": text}, valueBoolean=flag))
        if h.local_cause_site is not None:
            site = names.VALUE_WORDS.get(h.local_cause_site.value, h.local_cause_site.value)
            text = names.finding_name("history:site_of_local_cause")
            out.append(
                self.observation("survey", {"text": text}, valueCodeableConcept={"text": site})
            )
        if h.local_cause_side is not None:
            lat = codes()["laterality"][h.local_cause_side.value]
            text = names.finding_name("history:local_cause_side")
            leg = {"coding": [_coding(lat)], "text": f"{h.local_cause_side.value} leg"}
            out.append(self.observation("survey", {"text": text}, valueCodeableConcept=leg))
        return out

    def impression(self, investigated: list[str]) -> None:
        a = self.analysis
        findings = []
        for hyp in a.hypotheses:
            side = names.side_name(hyp.side) + ("" if hyp.side == "both" else " leg")
            what = f"{names.hypothesis_name(hyp.id)} ({side.lower()})"
            basis = (
                "emergency to exclude (no probability)"
                if hyp.probability is None
                else f"probability {impression.percent(hyp.probability)} ({hyp.label.value})"
            )
            ev = impression.key_evidence(hyp)
            finding: dict[str, Any] = {
                "itemCodeableConcept": {
                    "coding": [{"system": HYPOTHESIS_SYSTEM, "code": f"{hyp.id}@{hyp.side}"}],
                    "text": what,
                },
                "basis": basis + (": " + "; ".join(ev) if ev else ""),
            }
            if hyp.probability is not None:
                finding["extension"] = [
                    {"url": PROBABILITY_EXT, "valueDecimal": round(hyp.probability, 4)}
                ]
            findings.append(finding)
        resource: dict[str, Any] = {
            "resourceType": "ClinicalImpression",
            "status": "completed",
            "description": "Dermamap decision support: nerve-root and nerve hypotheses for the "
            "marked sensory symptoms and examination (not a diagnosis).",
            "subject": self.subject,
            "summary": impression.impression_text(self.session, a).strip(),
            "note": [
                {
                    "text": "Probabilities rank explanations on the "
                    f"{names.atlas_name(a.atlas)} map; they are not a diagnosis."
                },
                # every warning and note as the window and the report word them, an urgent
                # one under its banner's headline ("Emergency: exclude cauda equina syndrome
                # now. ...", "Urgent: upper motor neuron signs. ..."; all were "URGENT: ...")
                *({"text": _warning_note(w)} for w in a.warnings),
                *({"text": n.text} for n in a.notes),
                *self.visit_notes(),
            ],
        }
        seen = fhir_date(self.session.visit.date)
        if seen is not None:
            resource["effectiveDateTime"] = seen
        if self.session.visit.examiner:
            resource["assessor"] = {"display": self.session.visit.examiner}
        if investigated:
            resource["investigation"] = [
                {
                    "code": {"text": "Symptom drawing, examination and warning signs"},
                    "item": [{"reference": ref} for ref in investigated],
                }
            ]
        if findings:
            resource["finding"] = findings
        self.add(resource)

    def visit_notes(self) -> list[dict[str, Any]]:
        """The visit's notes as typed, as an Annotation (by the examiner when one is named);
        none when they are empty."""
        v = self.session.visit
        if not v.notes.strip():
            return []
        note: dict[str, Any] = {"text": v.notes}
        if v.examiner.strip():
            note["authorString"] = v.examiner.strip()
        return [note]


def timestamp(now: datetime | None = None) -> str:
    """``now`` (default: this moment) as a FHIR ``instant``, to the second with the UTC offset
    (``2026-12-07T14:05:09+01:00``); a time without a zone is read as local time, one with a
    zone keeps it."""
    moment = datetime.now() if now is None else now
    if moment.utcoffset() is None:
        moment = moment.astimezone()
    return moment.isoformat(timespec="seconds")


def _warning_note(w: Warning) -> str:
    """A warning as a ClinicalImpression note: its text, after its headline when urgent."""
    return f"{warning_names.urgent_headline(w.id)}. {w.text}" if w.urgent else w.text


def bundle(
    session: Session, analysis: Analysis, make_id: Any = None, now: datetime | None = None
) -> dict[str, Any]:
    """The FHIR R4 Bundle (``collection``) of ``session`` and its ``analysis`` as JSON data.

    ``make_id`` returns a fresh UUID string per resource (default :func:`uuid.uuid4`); ``now``
    is the time of the export, the Bundle's ``timestamp`` (default: this moment)."""
    b = _Builder(session, analysis, make_id or (lambda: str(uuid.uuid4())))
    b.patient()
    refs = b.marks() + b.findings()
    b.impression(refs)
    return {
        "resourceType": "Bundle",
        "type": "collection",
        "timestamp": timestamp(now),
        "entry": b.entries,
    }


def marks_from_bundle(data: dict[str, Any]) -> list[tuple[str, str, str, float]]:
    """Read the marks back: ``(area, side, symptom, share 0-1)`` per mark Observation."""
    resources = {e["fullUrl"]: e["resource"] for e in data.get("entry", [])}
    symptom_by_code = {v["code"]: k for k, v in codes()["symptoms"].items()}
    side_by_code = {v["code"]: k for k, v in codes()["laterality"].items()}
    out = []
    for r in resources.values():
        if r.get("resourceType") != "Observation" or "bodySite" not in r:
            continue
        sym = next(
            (
                symptom_by_code[c["code"]]
                for c in r["code"].get("coding", [])
                if c.get("system") == SCT and c.get("code") in symptom_by_code
            ),
            None,
        )
        area = next(
            (c["code"] for c in r["bodySite"]["coding"] if c.get("system") == AREA_SYSTEM), None
        )
        if sym is None or area is None:
            continue
        ref = r["bodySite"]["extension"][0]["valueReference"]["reference"]
        qualifier = resources[ref]["locationQualifier"][0]["coding"][0]["code"]
        share = float(r["valueQuantity"]["value"]) / 100
        out.append((area, side_by_code[qualifier], sym, share))
    return out
