"""The per-person animation track (what actions write) and its conversion to local joint rotations.

Actions describe a person by a pelvis path, heading, spine/head angles, world ankle targets and wrist
targets (in the chest frame, optionally blended to world points for contacts). :func:`pose` turns that into
local rotations with two-bone IK for arms and legs, so planted feet stay exactly where they were put.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..skeleton import JOINT
from .body import Body, apply, body_rotation, forward_kinematics_np, rot_x, rot_y, rot_z
from ..representation.limbs import two_bone_ik_rotations

LEFT, RIGHT = 0, 1
SIDE_SIGN = np.array([1.0, -1.0])  # left limbs are on +X in the body frame

_HIP = (JOINT["left_hip"], JOINT["right_hip"])
_KNEE = (JOINT["left_knee"], JOINT["right_knee"])
_ANKLE = (JOINT["left_ankle"], JOINT["right_ankle"])
_COLLAR = (JOINT["left_collar"], JOINT["right_collar"])
_SHOULDER = (JOINT["left_shoulder"], JOINT["right_shoulder"])
_ELBOW = (JOINT["left_elbow"], JOINT["right_elbow"])
_WRIST = (JOINT["left_wrist"], JOINT["right_wrist"])
_SPINE = ((JOINT["spine1"], 0.3), (JOINT["spine2"], 0.35), (JOINT["spine3"], 0.35))
_NECK = ((JOINT["neck"], 0.45), (JOINT["head"], 0.55))
# Rest-frame direction of (upper bone x lower bone) when the limb flexes the anatomical way.
_ARM_BEND = (np.array([0.0, -1.0, 0.0]), np.array([0.0, 1.0, 0.0]))
_LEG_BEND = np.array([1.0, 0.0, 0.0])


def hanging_hands(body: Body, out: float = 0.06, forward: float = 0.05, reach: float = 0.985) -> np.ndarray:
    """(2, 3) chest-frame wrist targets of relaxed arms hanging beside the body."""
    l1, l2 = body.arm
    hands = np.empty((2, 3))
    for side in (LEFT, RIGHT):
        d = np.array([SIDE_SIGN[side] * out, -1.0, forward])
        hands[side] = body.shoulder_in_chest[side] + reach * (l1 + l2) * d / np.linalg.norm(d)
    return hands


@dataclass
class Track:
    """Animation channels of one person over ``n`` frames (see module docstring)."""

    body: Body
    n: int
    pelvis: np.ndarray  # (n, 3) world pelvis position
    heading: np.ndarray  # (n,) yaw of the body, 0 = facing +Z, positive = turned left
    hip: np.ndarray  # (n, 3) pelvis pitch/roll/yaw on top of the heading
    spine: np.ndarray  # (n, 3) pitch/roll/yaw spread over the three spine joints
    head: np.ndarray  # (n, 3) pitch/roll/yaw spread over neck and head
    shrug: np.ndarray  # (n, 2) collar elevation (radians), left/right
    ankles: np.ndarray  # (n, 2, 3) world ankle targets, left/right
    foot_yaw: np.ndarray  # (n, 2) world yaw of each foot
    foot_pitch: np.ndarray  # (n, 2) positive = toes down
    hands: np.ndarray  # (n, 2, 3) wrist targets in the chest (spine3) frame
    hands_world: np.ndarray  # (n, 2, 3) world wrist targets used where world_weight > 0
    world_weight: np.ndarray  # (n, 2)
    elbow_pole: np.ndarray  # (n, 2, 3) chest-frame direction the elbows point to
    wrist: np.ndarray  # (n, 2, 3) wrist pitch/roll/yaw
    planted: np.ndarray  # (n, 2) bool, feet meant to be on the floor

    @classmethod
    def standing(cls, body: Body, n: int, position: tuple[float, float] = (0.0, 0.0), heading: float = 0.0) -> Track:
        """A person standing still at ``position`` (x, z) facing ``heading``, feet under the hips."""
        pelvis = np.tile([position[0], body.stand_height, position[1]], (n, 1)).astype(np.float64)
        head = np.full(n, float(heading))
        track = cls(
            body=body, n=n, pelvis=pelvis, heading=head, hip=np.zeros((n, 3)), spine=np.zeros((n, 3)),
            head=np.zeros((n, 3)), shrug=np.zeros((n, 2)), ankles=np.zeros((n, 2, 3)),
            foot_yaw=np.tile(head[:, None], (1, 2)), foot_pitch=np.zeros((n, 2)),
            hands=np.tile(hanging_hands(body), (n, 1, 1)), hands_world=np.zeros((n, 2, 3)),
            world_weight=np.zeros((n, 2)),
            elbow_pole=np.tile([[0.15, -0.3, -1.0], [-0.15, -0.3, -1.0]], (n, 1, 1)).astype(np.float64),
            wrist=np.zeros((n, 2, 3)), planted=np.ones((n, 2), dtype=bool),
        )
        track.ankles[:] = track.stance_feet(0)
        return track

    def stance_feet(self, frame: int, width: float | None = None) -> np.ndarray:
        """(2, 3) ankle positions under the hips for the pelvis and heading at ``frame``."""
        w = 1.25 * self.body.hip_width if width is None else width
        feet = np.zeros((2, 3))
        for side in (LEFT, RIGHT):
            off = rot_y(self.heading[frame]) @ np.array([SIDE_SIGN[side] * w, 0.0, 0.0])
            feet[side] = self.pelvis[frame] * [1, 0, 1] + off + [0, self.body.ankle_height, 0]
        return feet

    def forward(self) -> np.ndarray:
        """(n, 3) horizontal unit facing direction."""
        return np.stack((np.sin(self.heading), np.zeros(self.n), np.cos(self.heading)), -1)

    def rotate(self, local: np.ndarray) -> np.ndarray:
        """Body-frame vectors ((3,) or (n, 3); x left, y up, z forward) -> (n, 3) world vectors."""
        return apply(rot_y(self.heading), np.broadcast_to(local, (self.n, 3)))

    def to_world(self, local: np.ndarray) -> np.ndarray:
        """Body-frame offsets (n, ..., 3) (x left, y up, z forward) -> world, around the pelvis xz on the floor."""
        rot = rot_y(self.heading)
        base = self.pelvis * [1, 0, 1]
        extra = local.ndim - 2
        rot = rot.reshape(self.n, *([1] * extra), 3, 3)
        return base.reshape(self.n, *([1] * extra), 3) + apply(rot, local)

    def root_rotation(self) -> np.ndarray:
        return rot_y(self.heading) @ body_rotation(self.hip)

    def upper_body(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Local rotations with root, spine, neck and collars set, plus their global rotations and positions."""
        local = np.tile(np.eye(3), (self.n, 22, 1, 1))
        local[:, 0] = self.root_rotation()
        for joint, share in _SPINE:
            local[:, joint] = body_rotation(self.spine * share)
        for joint, share in _NECK:
            local[:, joint] = body_rotation(self.head * share)
        local[:, _COLLAR[LEFT]] = rot_z(self.shrug[:, LEFT])
        local[:, _COLLAR[RIGHT]] = rot_z(-self.shrug[:, RIGHT])
        glob, pos = forward_kinematics_np(local, self.pelvis, self.body.offsets)
        return local, glob, pos

    def shoulders_world(self) -> np.ndarray:
        """(n, 2, 3) world shoulder positions for the current root/spine channels."""
        _, _, pos = self.upper_body()
        return pos[:, list(_SHOULDER)]

    def chest_to_world(self, points: np.ndarray) -> np.ndarray:
        """Chest-frame points (n, k, 3) -> world, for the current root/spine channels."""
        _, glob, pos = self.upper_body()
        chest = JOINT["spine3"]
        return pos[:, chest, None] + apply(glob[:, chest, None], points)

    def fit_pelvis_height(self) -> None:
        """Lower the pelvis where the ankle targets would otherwise be out of the legs' reach."""
        l1, l2 = self.body.leg
        reach = 0.995 * (l1 + l2)
        root = self.root_rotation()
        bound = np.full(self.n, np.inf)
        for side in (LEFT, RIGHT):
            hip = apply(root, np.broadcast_to(self.body.offsets[_HIP[side]], (self.n, 3)))
            d = self.ankles[:, side] - (self.pelvis + hip)
            horiz2 = d[:, 0] ** 2 + d[:, 2] ** 2
            vert = np.sqrt(np.maximum(reach * reach - horiz2, 1e-4))
            bound = np.minimum(bound, self.ankles[:, side, 1] + vert - hip[:, 1])
        drop = np.maximum(self.pelvis[:, 1] - bound, 0.0)
        if drop.any():
            # Spread each drop over neighbouring frames so the pelvis eases down instead of kinking.
            kernel = np.array([1.0, 2.0, 3.0, 4.0, 3.0, 2.0, 1.0]) / 4.0
            spread = np.convolve(np.pad(drop, 3, mode="edge"), kernel, mode="valid") / 4.0
            self.pelvis[:, 1] = np.minimum(self.pelvis[:, 1] - np.maximum(spread, drop), bound)


def pose(track: Track) -> tuple[np.ndarray, np.ndarray]:
    """Local rotations (n, 22, 3, 3) and root positions (n, 3) realising ``track``."""
    track.fit_pelvis_height()
    body = track.body
    local, glob, pos = track.upper_body()
    fwd = track.forward()
    for side in (LEFT, RIGHT):
        hip, knee, ankle = _HIP[side], _KNEE[side], _ANKLE[side]
        # Knees point forward, and up when the foot is in front of the hip (sitting, kicking).
        pole = fwd + apply(rot_y(track.heading), np.array([0.12 * SIDE_SIGN[side], 0.6, 0.0]))
        thigh, shin = two_bone_ik_rotations(pos[:, hip], track.ankles[:, side], pole,
                                            body.offsets[knee], body.offsets[ankle], _LEG_BEND)
        local[:, hip] = np.swapaxes(glob[:, 0], -1, -2) @ thigh
        local[:, knee] = np.swapaxes(thigh, -1, -2) @ shin
        foot = rot_y(track.foot_yaw[:, side]) @ rot_x(track.foot_pitch[:, side])
        local[:, ankle] = np.swapaxes(shin, -1, -2) @ foot
    chest = JOINT["spine3"]
    chest_rot, chest_pos = glob[:, chest], pos[:, chest]
    for side in (LEFT, RIGHT):
        shoulder, elbow, wrist = _SHOULDER[side], _ELBOW[side], _WRIST[side]
        target = chest_pos + apply(chest_rot, track.hands[:, side])
        w = track.world_weight[:, side, None]
        target = target * (1.0 - w) + track.hands_world[:, side] * w
        pole = apply(chest_rot, track.elbow_pole[:, side])
        upper, fore = two_bone_ik_rotations(pos[:, shoulder], target, pole,
                                            body.offsets[elbow], body.offsets[wrist], _ARM_BEND[side])
        local[:, shoulder] = np.swapaxes(glob[:, _COLLAR[side]], -1, -2) @ upper
        local[:, elbow] = np.swapaxes(upper, -1, -2) @ fore
        local[:, wrist] = body_rotation(track.wrist[:, side] * [1.0, SIDE_SIGN[side], SIDE_SIGN[side]])
    return local, track.pelvis.copy()
