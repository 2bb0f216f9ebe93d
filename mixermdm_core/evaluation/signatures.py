"""Kinematic signatures: does a person show an asked individual action, and does a pair keep its interaction?

Learned evaluators can score a mix well while the asked action is gone from the motion, so these checks read
plain kinematics of joint positions (metres, Y up, 30 fps). Each individual action is tied to one feature
chosen for what the action is (a sit lowers the pelvis, a wave lifts a wrist above the head, a spin turns the
heading); the threshold on that feature is learned from the corpus's own clips, never from generated motions:
the value that best separates clips of the action from the people of interaction clips and the clips of
actions read by other features (Youden's J, with the widest margin). An action whose real clips are not
separated well (J below ``RELIABLE_J``, or a threshold below what the feature resolves in generated motion)
is reported but left out of the shares. Interactions are read as spacing (mean pelvis distance inside the
range of the real clips of that kind, widened by 15 %) and facing (each person faces the other in nearly as
many frames as the real clips of that kind), plus contact for the kinds whose people touch, reported on its
own, and the depth to which the two bodies pass through each other (bone capsules).

Every feature is invariant to where a person stands and faces, so world-frame mixes and centred clips compare.
"""
from __future__ import annotations

import json
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from ..kinematics import facing_direction
from ..representation.capsules import CHILD, PARENT, RADII, nearest_on_segment, segment_distance, trunk_axes
from ..representation.relation import facing_the_other
from ..skeleton import FPS, JOINT
from .metrics import HANDS as WRISTS, min_hand_distance

Feature = Callable[[np.ndarray], float]
RELIABLE_J = 0.6
# Below these a threshold reads noise, not an action (the corpus's clean clips can put one there, e.g. a limp's
# step asymmetry against perfectly symmetric gaits): metres for distances (the default), else as named.
RESOLUTION = {"heading_change": 0.3, "speed": 0.1, "foot_bounce": 0.1, "wrist_speed": 0.3, "body_speed": 0.05,
              "hand_meetings": 1.0}
FACING_COS = 0.5  # a person faces the other when the other's pelvis is within 60 degrees of their forward
SPACING_SLACK = 0.15  # a pair keeps its spacing within 15 % beyond the real clips' 5th-95th percentiles
FACING_SLACK = 0.10  # and faces the other in at most 10 points fewer frames than the real clips' 10th percentile
CONTACT_M = 0.10  # hand contacts: wrists of the two people closer than this
# body contacts (hug, push): a wrist joint this close to the surface of the other's trunk (capsules below): its own
# capsule radius (4 cm) and 2 cm of slack, as two wrists (4 cm each) touch at 8 cm and count within CONTACT_M
BODY_CONTACT_M = 0.06
HAND_CONTACT_KINDS = ("handshake", "high_five", "pass_object", "help_up")
BODY_CONTACT_KINDS = ("hug", "push")
ANKLES = (JOINT["left_ankle"], JOINT["right_ankle"])
DEFAULT_PATH = Path(__file__).with_name("signatures.json")


def _y(j: np.ndarray, joint: int) -> np.ndarray:
    return j[:, joint, 1] - j[..., 1].min()


def _forward0(j: np.ndarray) -> np.ndarray:
    return facing_direction(j[0])[[0, 2]]


def _travel(j: np.ndarray) -> np.ndarray:
    return j[-1, 0, [0, 2]] - j[0, 0, [0, 2]]


def _heading_change(j: np.ndarray) -> float:
    """Largest turn (rad) of the facing direction away from its frame-0 direction, unwrapped over time."""
    f = facing_direction(j)
    heading = np.unwrap(np.arctan2(f[:, 0], f[:, 2]))
    return float(np.abs(heading - heading[0]).max())


def _arm_reach(j: np.ndarray) -> float:
    out = 0.0
    for side in ("left", "right"):
        s, e, w = (JOINT[f"{side}_{n}"] for n in ("shoulder", "elbow", "wrist"))
        length = np.linalg.norm(j[:, e] - j[:, s], axis=-1) + np.linalg.norm(j[:, w] - j[:, e], axis=-1)
        out = max(out, float((np.linalg.norm(j[:, w] - j[:, s], axis=-1) / np.maximum(length, 1e-6)).max()))
    return out


def _hand_meetings(j: np.ndarray) -> float:
    """How many separate times the two wrists come within 12 cm of each other."""
    near = np.linalg.norm(j[:, WRISTS[0]] - j[:, WRISTS[1]], axis=-1) < 0.12
    return float(np.count_nonzero(near[1:] & ~near[:-1]) + near[0])


FEATURES: dict[str, Feature] = {
    "pelvis_drop": lambda j: float(np.quantile(_y(j, 0), 0.9) - _y(j, 0).min()),
    "head_drop": lambda j: float(np.quantile(_y(j, JOINT["head"]) - _y(j, 0), 0.9) - (_y(j, JOINT["head"]) - _y(j, 0)).min()),
    "pelvis_rise": lambda j: float(_y(j, 0).max() - np.median(_y(j, 0))),
    "stand_up_rise": lambda j: float(_y(j, 0)[-10:].mean() - _y(j, 0)[:10].mean()),
    "wrist_over_head": lambda j: float((np.maximum(j[:, WRISTS[0], 1], j[:, WRISTS[1], 1]) - j[:, JOINT["head"], 1]).max()),
    "ankle_height": lambda j: float(max(_y(j, a).max() for a in ANKLES)),
    "forward_travel": lambda j: float(_travel(j) @ _forward0(j)),
    "backward_travel": lambda j: float(-(_travel(j) @ _forward0(j))),
    "sideways_travel": lambda j: float(abs(_travel(j) @ (_forward0(j)[::-1] * np.array([1.0, -1.0])))),
    "speed": lambda j: float(np.linalg.norm(np.diff(j[:, 0, [0, 2]], axis=0), axis=-1).mean() * FPS),
    "heading_change": _heading_change,
    "foot_bounce": lambda j: float(np.mean([np.abs(np.diff(_y(j, a))).mean() for a in ANKLES]) * FPS),
    "step_asymmetry": lambda j: float(abs(np.quantile(_y(j, ANKLES[0]), 0.95) - np.quantile(_y(j, ANKLES[1]), 0.95))),
    "hand_meetings": _hand_meetings,
    "arm_reach": _arm_reach,
    "wrist_speed": lambda j: float(max(np.linalg.norm(np.diff(j[:, w] - j[:, 0], axis=0), axis=-1).max() for w in WRISTS) * FPS),
    "body_speed": lambda j: float(np.linalg.norm(np.diff(j - j[:, :1], axis=0), axis=-1).mean() * FPS),
}

# The feature that shows each corpus action: chosen for what the action is, the threshold comes from data.
ACTION_FEATURE: dict[str, str] = {
    "walk_forward": "forward_travel", "walk_backward": "backward_travel", "walk_sideways": "sideways_travel",
    "walk_circle": "heading_change", "run": "speed", "jog_in_place": "foot_bounce", "limp": "step_asymmetry",
    "turn_around": "heading_change", "spin": "heading_change", "jump": "pelvis_rise", "hop": "pelvis_rise",
    "squat": "pelvis_drop", "crouch": "pelvis_drop", "sit_down": "pelvis_drop", "stand_up": "stand_up_rise",
    "bow": "head_drop", "kick": "ankle_height", "dance": "body_speed", "wave": "wrist_over_head",
    "walk_wave": "wrist_over_head", "raise_arms": "wrist_over_head", "clap": "hand_meetings", "punch": "wrist_speed",
    "point": "arm_reach", "throw": "wrist_speed", "reach": "arm_reach", "stretch": "wrist_over_head",
}


@dataclass
class ActionRule:
    feature: str
    threshold: float
    youden_j: float  # on the corpus clips it was learned from: 1 separates perfectly, 0 not at all
    real_rate: float  # share of the action's own clips that pass


@dataclass
class InteractionRule:
    spacing: tuple[float, float]  # mean pelvis distance (m) allowed: the real clips' 5th-95th percentile, widened
    facing: float | None  # least share of facing frames (the real clips' 10th percentile, less 10 points)
    contact_rate: float | None  # share of real clips that make the kind's contact, None for kinds without


@dataclass
class Signatures:
    actions: dict[str, ActionRule]
    interactions: dict[str, InteractionRule]

    def reliable(self, action: str) -> bool:
        """Whether the action's rule separates its real clips well, at a threshold above the feature's noise."""
        rule = self.actions.get(action)
        return rule is not None and rule.youden_j >= RELIABLE_J and rule.threshold >= RESOLUTION.get(rule.feature, 0.02)

    def feature(self, action: str, person: np.ndarray) -> float:
        """The value of ``action``'s feature on one person's joints (T, 22, 3)."""
        return FEATURES[self.actions[action].feature](person)

    def shows(self, person: np.ndarray, action: str) -> bool:
        """Whether one person's joints (T, 22, 3) show ``action``."""
        return self.feature(action, person) >= self.actions[action].threshold

    def keeps(self, pair: np.ndarray, kind: str) -> bool:
        """Whether a pair (T, 2, 22, 3) keeps the spacing and facing of interaction ``kind``."""
        rule = self.interactions[kind]
        lo, hi = rule.spacing
        ok = lo <= pelvis_distance(pair) <= hi
        return ok and (rule.facing is None or facing_share(pair) >= rule.facing)

    def save(self, path: str | Path = DEFAULT_PATH) -> None:
        Path(path).write_text(json.dumps({"actions": {k: asdict(v) for k, v in self.actions.items()},
                                          "interactions": {k: asdict(v) for k, v in self.interactions.items()}},
                                         indent=1) + "\n")

    @classmethod
    def load(cls, path: str | Path = DEFAULT_PATH) -> "Signatures":
        raw = json.loads(Path(path).read_text())
        inter = {k: InteractionRule(tuple(v["spacing"]), v["facing"], v["contact_rate"]) for k, v in raw["interactions"].items()}
        return cls({k: ActionRule(**v) for k, v in raw["actions"].items()}, inter)


def pelvis_distance(pair: np.ndarray) -> float:
    """Mean horizontal distance (m) between the two pelvises of a pair (T, 2, 22, 3)."""
    return float(np.linalg.norm(pair[:, 0, 0, [0, 2]] - pair[:, 1, 0, [0, 2]], axis=-1).mean())


def facing_share(pair: np.ndarray) -> float:
    """Share of frames in which each person faces the other (mean over the two people)."""
    cos, _ = facing_the_other(torch.from_numpy(np.asarray(pair)))
    return float((cos > FACING_COS).double().mean())


def makes_contact(pair: np.ndarray, kind: str) -> bool | None:
    """Hand contact (wrists within 10 cm) for hand-contact kinds; a wrist within 6 cm of the surface of the
    other's trunk for hug and push; None for kinds without a contact."""
    if kind in HAND_CONTACT_KINDS:
        return min_hand_distance(pair) < CONTACT_M * 100  # it reads centimetres
    if kind in BODY_CONTACT_KINDS:
        return trunk_gap(pair) < BODY_CONTACT_M
    return None


def youden_threshold(positive: np.ndarray, negative: np.ndarray) -> tuple[float, float]:
    """The threshold t for the rule value >= t that maximises TPR - FPR (Youden's J), and that maximum. Of
    the thresholds that reach it, the one halfway into the gap below the lowest is taken (widest margin)."""
    values = np.unique(np.concatenate([positive, negative]))
    j = np.array([(positive >= t).mean() - (negative >= t).mean() for t in values])
    k = int(np.argmax(j))
    threshold = values[k] if k == 0 else (values[k - 1] + values[k]) / 2
    return float(threshold), float(j[k])


def calibrate(clips_per_kind: int = 40, frames: int = 120, seed: int = 0) -> Signatures:
    """Learn every rule from corpus clips (train split) cropped to ``frames``: actions against the people of
    interaction clips and the actions that other features read, interactions from their own clips."""
    from ..corpus.actions import ACTIONS
    from ..corpus.generate import make_clip
    from ..corpus.interactions import INTERACTIONS

    pairs = {kind: [make_clip("interaction", "train", seed, i, action=kind).joints[:, :frames].transpose(1, 0, 2, 3)
                    for i in range(clips_per_kind)] for kind in INTERACTIONS}
    people = [p[:, k] for kind in pairs for p in pairs[kind] for k in range(2)]
    singles = {name: [make_clip("individual", "train", seed, i, action=name).joints[0, :frames]
                      for i in range(clips_per_kind)] for name in ACTIONS}
    actions = {}
    for name, clips in singles.items():
        feature_name = ACTION_FEATURE[name]
        feature = FEATURES[feature_name]
        others = people + [c for other, cs in singles.items() if ACTION_FEATURE[other] != feature_name for c in cs]
        own = np.array([feature(c) for c in clips])
        threshold, j = youden_threshold(own, np.array([feature(c) for c in others]))
        actions[name] = ActionRule(feature_name, round(threshold, 4), round(j, 3), round(float((own >= threshold).mean()), 3))
    interactions = {}
    for kind, clips in pairs.items():
        dist = [pelvis_distance(p) for p in clips]
        facing = np.array([facing_share(p) for p in clips])
        contact = [makes_contact(p, kind) for p in clips]
        interactions[kind] = InteractionRule(
            (round(float(np.quantile(dist, 0.05)) * (1 - SPACING_SLACK), 3),
             round(float(np.quantile(dist, 0.95)) * (1 + SPACING_SLACK), 3)),
            round(float(np.quantile(facing, 0.1)) - FACING_SLACK, 3) if facing.mean() >= 0.5 else None,
            None if contact[0] is None else round(float(np.mean(contact)), 3))
    return Signatures(actions, interactions)


def transfer_per_person(pairs: np.ndarray, kinds: list[str], actions: list[tuple[str | None, str | None]],
                        signatures: Signatures) -> dict[str, np.ndarray]:
    """Per mixed person whose asked action has a reliable rule (N pairs (N, T, 2, 22, 3), each with its interaction
    kind and the actions asked of its two people), in prompt order: ``action_shown`` (the person shows it),
    ``interaction_kept`` (the pair keeps its kind's spacing and facing) and ``detail_and_interaction`` (both); and
    per contact-kind pair, ``contact`` (the pair makes its contact). Booleans, for paired comparisons."""
    shown, kept, contact = [], [], []
    for pair, kind, asked in zip(pairs, kinds, actions):
        keeps = signatures.keeps(pair, kind)
        touch = makes_contact(pair, kind)
        if touch is not None:
            contact.append(touch)
        for k, action in enumerate(asked):
            if action is not None and signatures.reliable(action):
                shown.append(signatures.shows(pair[:, k], action))
                kept.append(keeps)
    shown, kept = np.array(shown, dtype=bool), np.array(kept, dtype=bool)
    return {"action_shown": shown, "interaction_kept": kept, "detail_and_interaction": shown & kept,
            "contact": np.array(contact, dtype=bool)}


def detail_transfer(pairs: np.ndarray, kinds: list[str], actions: list[tuple[str | None, str | None]],
                    signatures: Signatures) -> dict[str, float]:
    """The shares of ``transfer_per_person`` (nan where nobody was judged), and ``people``, how many were judged."""
    per = transfer_per_person(pairs, kinds, actions, signatures)
    out = {key: float(v.mean()) if v.size else float("nan") for key, v in per.items()}
    return {**out, "people": int(per["action_shown"].size)}


def shown_per_action(pairs: np.ndarray, actions: list[tuple[str | None, str | None]],
                     signatures: Signatures) -> dict[str, tuple[int, int]]:
    """For each asked action with a reliable rule: (people who show it, people asked for it), over N pairs
    (N, T, 2, 22, 3). Where a strategy loses an action, and where the individual model never made it."""
    out: dict[str, list[int]] = {}
    for pair, asked in zip(pairs, actions):
        for k, action in enumerate(asked):
            if action is not None and signatures.reliable(action):
                counts = out.setdefault(action, [0, 0])
                counts[0] += signatures.shows(pair[:, k], action)
                counts[1] += 1
    return {a: (shown, asked) for a, (shown, asked) in sorted(out.items())}


def amplitude_kept(values: np.ndarray, threshold: np.ndarray | float) -> np.ndarray:
    """Per weight, the median share of the individual model's amplitude that a blend keeps.

    ``values`` (W, N): one action feature of N mixed people under W blend weights running from 0 (interaction
    model) to 1 (individual model); only people whose w = 1 motion shows the action (feature >= ``threshold``,
    one per person or one for all) and differs from the w = 0 motion count. 0 = nothing of the action, 1 = all of it."""
    lo, hi = values[0], values[-1]
    use = (hi >= threshold) & (hi - lo > 1e-6)
    if not use.any():
        return np.full(len(values), np.nan)
    return np.median((values[:, use] - lo[use]) / (hi[use] - lo[use]), axis=1)


def trunk_gap(pair: np.ndarray) -> float:
    """Closest approach (m) of any wrist joint of a pair (T, 2, 22, 3) to the surface of the other person's trunk
    capsules, over all frames (negative: inside). A hand laid on a chest puts the wrist 1-3 cm from it, where the
    nearest trunk joint is still 14-16 cm away (the trunk is 13 cm thick around its joints)."""
    gaps = []
    for k in range(2):
        wrists = pair[:, k][:, list(WRISTS)][:, :, None]  # (T, 2, 1, 3)
        start, end, radii = trunk_axes(pair[:, 1 - k][:, None])  # (T, 1, 4, 3) x 2, (4,)
        gaps.append((np.linalg.norm(wrists - nearest_on_segment(wrists, start, end), axis=-1) - radii).min())
    return float(min(gaps))


def penetration(pair: np.ndarray) -> float:
    """How deep (m) the two bodies of a pair (T, 2, 22, 3) pass through each other: per frame the deepest
    overlap of any two bone capsules (one of each person), averaged over frames."""
    a0, a1 = pair[:, 0, PARENT][:, :, None], pair[:, 0, CHILD][:, :, None]
    b0, b1 = pair[:, 1, PARENT][:, None], pair[:, 1, CHILD][:, None]
    overlap = RADII[:, None] + RADII[None] - segment_distance(a0, a1, b0, b1)  # (T, 21, 21)
    return float(np.clip(overlap, 0, None).max(axis=(1, 2)).mean())


def interaction_figures(pairs: np.ndarray, kinds: list[str]) -> dict[str, dict[str, float]]:
    """Per interaction kind and ``"all"``: contact rate (kinds with a contact), mean pelvis distance (cm),
    facing share (kinds whose people face each other), penetration (cm) and the number of clips."""
    groups: dict[str, list[int]] = {}
    for n, kind in enumerate(kinds):
        groups.setdefault(kind, []).append(n)
    out = {}
    for kind, rows in [*sorted(groups.items()), ("all", list(range(len(kinds))))]:
        touch = [makes_contact(pairs[n], kinds[n]) for n in rows]
        touch = [c for c in touch if c is not None]
        out[kind] = {"clips": len(rows),
                     "pelvis_distance_cm": 100 * float(np.mean([pelvis_distance(pairs[n]) for n in rows])),
                     "facing": float(np.mean([facing_share(pairs[n]) for n in rows])),
                     "penetration_cm": 100 * float(np.mean([penetration(pairs[n]) for n in rows]))}
        if touch:
            out[kind]["contact_rate"] = float(np.mean(touch))
    return out
