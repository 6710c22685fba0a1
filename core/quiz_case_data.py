"""The cases :mod:`core.quiz_cases` asks: root versus nerve pairs with their localisers, and
short clinical vignettes. Each says which answer the teaching expects and why (in our own
words); :mod:`core.quiz_cases` asks a case only when the engine ranks that answer first.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from core.model import Movement, RedFlag, Reflex, ReflexGrade, Strength, Symptom, Test, TestResult

W, N = Strength.WEAK, Strength.NORMAL
POS = TestResult.POSITIVE
RED, NORM, ABS = ReflexGrade.REDUCED, ReflexGrade.NORMAL, ReflexGrade.ABSENT
CP, TIB, LFC = (
    "peripheral:common_peroneal",
    "peripheral:tibial",
    "peripheral:lateral_femoral_cutaneous",
)
SAPH, SPN, SUR = "peripheral:saphenous", "peripheral:superficial_peroneal", "peripheral:sural"
FEELINGS = {
    Symptom.NUMBNESS: ("Numbness", "numbness"),
    Symptom.TINGLING: ("Tingling", "tingling"),
    Symptom.PAIN: ("Pain", "pain"),
}
"""How a case's first line names the symptom its marks carry (cases vary the symptom)."""
ACT = "act:"  # choice ids of "what do you do now?" answers
COND = "condition:"  # choice ids naming a condition


@dataclass(frozen=True)
class Case:
    id: str
    kind: str  # root_or_nerve | vignette
    head: str  # the first line; {Noun} and {noun} stand for the symptom drawn (see title)
    choices: tuple[str, ...]
    expected: str
    zones: tuple[str, ...]
    why: str
    extra: tuple[str, ...] = ()  # zones drawn in some variants
    strength: Mapping[Movement, Strength] = field(default_factory=dict)
    reflexes: Mapping[Reflex, ReflexGrade] = field(default_factory=dict)
    tests: Mapping[Test, TestResult] = field(default_factory=dict)
    history: Mapping[str, Any] = field(default_factory=dict)
    both_sides: bool = False
    red_flags: frozenset[RedFlag] = frozenset()
    symptoms: tuple[Symptom, ...] = (Symptom.NUMBNESS, Symptom.TINGLING)

    def title(self, symptom: Symptom) -> str:
        """The question's first line, naming the symptom drawn (``{Noun}``, ``{noun}``)."""
        capital, noun = FEELINGS[symptom]
        return self.head.format(Noun=capital, noun=noun)


M = Movement
_FOOT_DROP = {M.ANKLE_DORSIFLEXION: W, M.GREAT_TOE_EXTENSION: W}
_L5_WHY = (
    "Weak ankle inversion (tibialis posterior, tibial nerve) or hip abduction (gluteus medius, "
    "superior gluteal nerve) lies outside the peroneal nerve: the lesion is where their supply "
    "joins, at the L5 root."
)
_CP_WHY = (
    "Inversion and hip abduction are preserved and Tinel's sign at the fibular head is "
    "positive: a common peroneal nerve lesion spares muscles it does not supply."
)

ROOT_OR_NERVE: tuple[Case, ...] = (
    Case(
        "foot_drop_root",
        "root_or_nerve",
        "Foot drop with {noun} over the outer shin and foot. L5 root or common peroneal nerve?",
        ("L5", CP),
        "L5",
        ("lateral_lower_leg", "dorsum_of_foot"),
        _L5_WHY,
        extra=("great_toe", "first_web_space"),
        strength={**_FOOT_DROP, M.ANKLE_INVERSION: W, M.HIP_ABDUCTION: W},
        tests={Test.STRAIGHT_LEG_RAISE: POS},
        history={"back_pain": True},
    ),
    Case(
        "foot_drop_nerve",
        "root_or_nerve",
        "Foot drop with {noun} over the outer shin and foot. L5 root or common peroneal nerve?",
        ("L5", CP),
        CP,
        ("lateral_lower_leg", "dorsum_of_foot"),
        _CP_WHY,
        extra=("first_web_space", "anterior_ankle"),
        strength={**_FOOT_DROP, M.ANKLE_INVERSION: N, M.HIP_ABDUCTION: N},
        tests={Test.TINEL_FIBULAR_HEAD: POS},
        history={"back_pain": False, "local_cause": True},
    ),
    Case(
        "sole_nerve",
        "root_or_nerve",
        "{Noun} in the sole. S1 root or tibial nerve?",
        ("S1", TIB),
        TIB,
        ("medial_sole", "lateral_sole"),
        "The sole alone is affected, the dorsum and the lateral border are spared, plantar flexion "
        "and the ankle jerk are normal and Tinel's sign at the tarsal tunnel is positive: the "
        "tibial nerve behind the medial malleolus.",
        extra=("plantar_toes",),
        strength={M.ANKLE_PLANTARFLEXION: N},
        reflexes={Reflex.ACHILLES: NORM},
        tests={Test.TINEL_TARSAL_TUNNEL: POS},
        history={"back_pain": False},
    ),
    Case(
        "sole_root",
        "root_or_nerve",
        "{Noun} in the outer sole and heel. S1 root or tibial nerve?",
        ("S1", TIB),
        "S1",
        ("lateral_border_of_foot", "lateral_heel", "lateral_sole"),
        "Weak plantar flexion and a reduced ankle jerk with the lateral border of the foot: "
        "the S1 root (the tibial nerve at the ankle does not weaken the calf or the reflex).",
        extra=("posterior_calf",),
        strength={M.ANKLE_PLANTARFLEXION: W},
        reflexes={Reflex.ACHILLES: RED},
        tests={Test.STRAIGHT_LEG_RAISE: POS},
        history={"back_pain": True},
    ),
    Case(
        "thigh_nerve",
        "root_or_nerve",
        "{Noun} on the outer thigh. L3 root or lateral femoral cutaneous nerve?",
        ("L3", LFC),
        LFC,
        ("anterolateral_thigh",),
        "Sensory symptoms only, on the anterolateral thigh, with normal power and knee jerk and "
        "Tinel's sign medial to the ASIS: the lateral femoral cutaneous nerve (meralgia "
        "paresthetica) is purely sensory.",
        strength={M.HIP_FLEXION: N, M.KNEE_EXTENSION: N},
        reflexes={Reflex.PATELLAR: NORM},
        tests={Test.TINEL_ASIS: POS},
        history={"back_pain": False},
    ),
    Case(
        "thigh_root",
        "root_or_nerve",
        "{Noun} on the front of the thigh. L3 root or lateral femoral cutaneous nerve?",
        ("L3", LFC),
        "L3",
        ("anterior_thigh", "anterior_knee"),
        "Weak knee extension, a reduced knee jerk and a positive femoral stretch test: a "
        "motor and reflex deficit that a purely sensory nerve cannot explain.",
        extra=("medial_knee",),
        strength={M.KNEE_EXTENSION: W},
        reflexes={Reflex.PATELLAR: RED},
        tests={Test.FEMORAL_STRETCH: POS},
        history={"back_pain": True},
    ),
    Case(
        "medial_leg_nerve",
        "root_or_nerve",
        "{Noun} on the inner shin. L4 root or saphenous nerve?",
        ("L4", SAPH),
        SAPH,
        ("medial_lower_leg", "medial_malleolus"),
        "Sensory only: normal knee extension, dorsiflexion and knee jerk, and Tinel's sign at "
        "the medial knee. The saphenous nerve is purely sensory.",
        strength={M.KNEE_EXTENSION: N, M.ANKLE_DORSIFLEXION: N},
        reflexes={Reflex.PATELLAR: NORM},
        tests={Test.TINEL_MEDIAL_KNEE: POS},
        history={"back_pain": False},
    ),
    Case(
        "medial_leg_root",
        "root_or_nerve",
        "{Noun} on the inner shin. L4 root or saphenous nerve?",
        ("L4", SAPH),
        "L4",
        ("medial_lower_leg", "medial_malleolus"),
        "Weak ankle dorsiflexion and knee extension with a reduced knee jerk: a motor deficit "
        "in the L4 myotome, which a purely sensory nerve cannot cause.",
        strength={M.KNEE_EXTENSION: W, M.ANKLE_DORSIFLEXION: W},
        reflexes={Reflex.PATELLAR: RED},
        tests={Test.FEMORAL_STRETCH: POS},
        history={"back_pain": True},
    ),
    Case(
        "dorsum_nerve",
        "root_or_nerve",
        "{Noun} on the top of the foot. L5 root or superficial peroneal nerve?",
        ("L5", SPN),
        SPN,
        ("dorsum_of_foot", "anterior_ankle"),
        "Sensory symptoms on the dorsum with full power (great-toe extension too) and Tinel's sign "
        "where the nerve pierces the leg fascia: the superficial peroneal nerve.",
        strength={M.GREAT_TOE_EXTENSION: N, M.ANKLE_DORSIFLEXION: N, M.ANKLE_INVERSION: N},
        tests={Test.TINEL_LEG_FASCIA: POS},
        history={"back_pain": False},
    ),
    Case(
        "lateral_foot_nerve",
        "root_or_nerve",
        "{Noun} on the outer ankle and foot. S1 root or sural nerve?",
        ("S1", SUR),
        SUR,
        ("lateral_malleolus", "lateral_border_of_foot"),
        "Sensory only with a normal ankle jerk and plantar flexion and Tinel's sign at the "
        "lateral ankle: the sural nerve is purely sensory.",
        strength={M.ANKLE_PLANTARFLEXION: N},
        reflexes={Reflex.ACHILLES: NORM},
        tests={Test.TINEL_LATERAL_ANKLE: POS},
        history={"back_pain": False},
    ),
)

VIGNETTES: tuple[Case, ...] = (
    Case(
        "v_L4",
        "vignette",
        "A 52-year-old with back pain and {noun} down the inner shin.",
        ("L3", "L4", "L5", SAPH),
        "L4",
        ("medial_lower_leg", "medial_malleolus"),
        "Medial shin and malleolus with weak dorsiflexion and a reduced knee jerk: L4.",
        extra=("anterior_knee",),
        symptoms=(Symptom.PAIN, Symptom.NUMBNESS),
        strength={M.ANKLE_DORSIFLEXION: W, M.KNEE_EXTENSION: W},
        reflexes={Reflex.PATELLAR: RED},
        tests={Test.FEMORAL_STRETCH: POS},
        history={"back_pain": True, "age": 52},
    ),
    Case(
        "v_L5",
        "vignette",
        "A 40-year-old lifted a box; now {noun} from the leg to the top of the foot.",
        ("L4", "L5", "S1", CP),
        "L5",
        ("lateral_lower_leg", "dorsum_of_foot", "great_toe"),
        "Dorsum and great toe with weak great-toe extension and a normal ankle jerk: L5.",
        symptoms=(Symptom.PAIN, Symptom.TINGLING),
        strength={M.GREAT_TOE_EXTENSION: W, M.ANKLE_INVERSION: W},
        reflexes={Reflex.ACHILLES: NORM},
        tests={Test.STRAIGHT_LEG_RAISE: POS},
        history={"back_pain": True, "age": 40},
    ),
    Case(
        "v_S1",
        "vignette",
        "A 35-year-old with back pain and {noun} down the calf to the outer foot.",
        ("L5", "S1", "S2", SUR),
        "S1",
        ("posterior_calf", "lateral_border_of_foot", "lateral_heel"),
        "Posterior calf and lateral foot with weak plantar flexion and an absent ankle jerk: S1.",
        extra=("little_toe",),
        symptoms=(Symptom.PAIN, Symptom.NUMBNESS),
        strength={M.ANKLE_PLANTARFLEXION: W},
        reflexes={Reflex.ACHILLES: ABS},
        tests={Test.STRAIGHT_LEG_RAISE: POS},
        history={"back_pain": True, "age": 35},
    ),
    Case(
        "v_peroneal",
        "vignette",
        "After weeks of sitting cross-legged, the foot slaps; {noun} over the outer shin.",
        ("L4", "L5", CP, "peripheral:deep_peroneal"),
        CP,
        ("lateral_lower_leg", "dorsum_of_foot"),
        "Foot drop with preserved inversion and hip abduction, no back pain and Tinel's sign at "
        "the fibular head: common peroneal palsy from pressure at the fibular neck.",
        strength={**_FOOT_DROP, M.ANKLE_INVERSION: N, M.HIP_ABDUCTION: N},
        tests={Test.TINEL_FIBULAR_HEAD: POS},
        history={"back_pain": False, "local_cause": True},
    ),
    Case(
        "v_tarsal",
        "vignette",
        "A runner has {noun} in the sole, worse at night.",
        ("S1", TIB, SUR, "polyneuropathy"),
        TIB,
        ("medial_sole", "lateral_sole", "plantar_toes"),
        "One sole only, dorsum spared, normal ankle jerk and Tinel's sign behind the medial "
        "malleolus: tarsal tunnel syndrome (tibial nerve).",
        symptoms=(Symptom.PAIN, Symptom.TINGLING),
        strength={M.ANKLE_PLANTARFLEXION: N},
        reflexes={Reflex.ACHILLES: NORM},
        tests={Test.TINEL_TARSAL_TUNNEL: POS},
        history={"back_pain": False},
    ),
    Case(
        "v_meralgia",
        "vignette",
        "Since wearing a heavy tool belt: {noun} on the outer thigh.",
        ("L2", "L3", LFC, "peripheral:femoral"),
        LFC,
        ("anterolateral_thigh",),
        "Symptoms on the anterolateral thigh only, no weakness, a normal knee jerk and Tinel's "
        "sign medial to the ASIS: meralgia paresthetica (lateral femoral cutaneous nerve).",
        symptoms=(Symptom.PAIN, Symptom.TINGLING),
        strength={M.HIP_FLEXION: N, M.KNEE_EXTENSION: N},
        reflexes={Reflex.PATELLAR: NORM},
        tests={Test.TINEL_ASIS: POS},
        history={"back_pain": False, "local_cause": True},
    ),
    Case(
        "v_poly",
        "vignette",
        "A 68-year-old with diabetes: {noun} in both feet, like socks.",
        (COND + "polyneuropathy", COND + "spinal_stenosis"),
        COND + "polyneuropathy",
        ("dorsum_of_foot", "medial_sole", "lateral_sole", "plantar_toes", "great_toe"),
        "Symmetric symptoms in both feet (a stocking pattern), absent ankle jerks, diabetes and "
        "no claudication: distal symmetric polyneuropathy, not a root problem.",
        both_sides=True,
        reflexes={Reflex.ACHILLES: ABS},
        history={"diabetes": True, "back_pain": False, "neurogenic_claudication": False, "age": 68},
    ),
    Case(
        "v_stenosis",
        "vignette",
        "A 72-year-old: {noun} in both legs after walking 200 m, "
        "eased by sitting or leaning on a trolley.",
        (COND + "polyneuropathy", COND + "spinal_stenosis"),
        COND + "spinal_stenosis",
        ("lateral_lower_leg", "dorsum_of_foot"),
        "Neurogenic claudication (walking brings it on, sitting or bending forward eases it) "
        "with back pain in an older patient: lumbar spinal stenosis.",
        both_sides=True,
        symptoms=(Symptom.TINGLING, Symptom.PAIN),
        history={"neurogenic_claudication": True, "back_pain": True, "age": 72, "diabetes": False},
    ),
    Case(
        "v_cauda",
        "vignette",
        "Back pain and sciatica in both legs; since this morning a "
        "numb saddle and she cannot pass urine. What do you do now?",
        (
            ACT + "cauda_equina",
            ACT + "disc_herniation",
            ACT + "peripheral_entrapment",
            ACT + "spinal_stenosis",
        ),
        ACT + "cauda_equina",
        ("saddle", "posterior_thigh"),
        "Saddle numbness with urinary retention and bilateral sciatica are cauda equina red "
        "flags: an emergency to exclude today, never a case for conservative care.",
        both_sides=True,
        symptoms=(Symptom.NUMBNESS,),
        history={"back_pain": True},
        red_flags=frozenset(
            {RedFlag.SADDLE_ANAESTHESIA, RedFlag.URINARY_RETENTION, RedFlag.BILATERAL_SCIATICA}
        ),
    ),
)
