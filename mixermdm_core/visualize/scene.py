"""What a rendered clip shows, independent of the renderer: camera, colours, sizes, floor and lights.

Both renderers (OpenGL and matplotlib) draw a :class:`Scene`, so their frames agree in framing and style.
The camera is fixed over the clip and framed on every person in every frame, so nothing leaves the view.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from ..kinematics import facing_direction
from ..skeleton import JOINT, JOINT_NAMES, NUM_JOINTS, PARENTS

DEFAULT_SIZE = (848, 480)  # width a multiple of 16: H.264 needs no resize

BACKGROUND = np.array((0.93, 0.94, 0.96))
FLOOR = np.array((0.86, 0.86, 0.85))
GRID = np.array((0.62, 0.63, 0.65))
HIGHLIGHT = np.array((0.45, 0.80, 0.18))  # lime: distinct from both person colours
GLOW = np.array((1.00, 0.86, 0.10))  # a joint touching the other person: yellow, distinct from both people
PERSON_COLORS = np.array(((0.20, 0.45, 0.90), (0.95, 0.50, 0.15)))  # blue-ish, orange-ish
LIGHT_DIR = np.array((-0.35, 0.85, 0.40)) / np.linalg.norm((-0.35, 0.85, 0.40))  # towards the light

GRID_SPACING = 0.5  # metres between grid lines
GRID_WIDTH = 0.012  # metres
RING_RADIUS = 0.45  # metres, radius of the "mixed" highlight ring around the pelvis
RING_WIDTH = 0.035  # metres
TOUCH_M = 0.08  # joint centres this close between the two people: the spheres meet, the joints glow
GLOW_SCALE = 1.8  # a glowing joint's sphere grows by this, so the contact shows past the bones around it
NOSE_OFFSET = 0.10  # metres in front of the head centre: the nose sphere that shows where a person faces
NOSE_RADIUS = 0.035
NOSE_SHADE = 0.55  # the nose is the person's colour, darker
CHEST_OFFSET = 0.11  # metres in front of the upper spine: a chest marker of the nose's size and shade, so the
#                      front of the trunk shows when the head is turned or hidden
TRAIL_EVERY = 3  # frames between the dots of a person's pelvis trail on the floor
TRAIL_RADIUS = 0.018  # metres; the dots sit on the floor, half sunk, so they read as a faint drawn path
TRAIL_TINT = 0.45  # the trail is the person's colour mixed this far towards the floor's
SHADOW_FADE = (1.5, 0.03, 0.05)  # a shadow blob fades out at a * radius + b + c * height (metres) from its bone
BONES = np.array([(PARENTS[j], j) for j in range(1, NUM_JOINTS)])  # (21, 2) parent, child


# A mannequin of capsules: each bone a cylinder of its own radius (metres, by the bone's child joint), each joint a
# sphere as wide as the widest bone it joins, so limbs read as volumes and the torso as a trunk.
_BONE_RADIUS_BY_CHILD = {
    "left_hip": 0.060, "right_hip": 0.060, "spine1": 0.085, "spine2": 0.085, "spine3": 0.090,
    "left_knee": 0.062, "right_knee": 0.062, "left_ankle": 0.046, "right_ankle": 0.046,
    "left_foot": 0.034, "right_foot": 0.034, "neck": 0.045, "head": 0.045,
    "left_collar": 0.055, "right_collar": 0.055, "left_shoulder": 0.050, "right_shoulder": 0.050,
    "left_elbow": 0.042, "right_elbow": 0.042, "left_wrist": 0.034, "right_wrist": 0.034,
}
BONE_RADII = np.array([_BONE_RADIUS_BY_CHILD[JOINT_NAMES[child]] for _, child in BONES])  # (21,)


def _joint_radii() -> np.ndarray:
    """(22,) sphere radius per joint: the widest bone meeting there (a smooth capsule joint), a large head."""
    radii = np.zeros(NUM_JOINTS)
    for (parent, child), r in zip(BONES, BONE_RADII):
        radii[parent], radii[child] = max(radii[parent], r), max(radii[child], r)
    radii[JOINT["head"]] = 0.10
    return radii


JOINT_RADII = _joint_radii()


@dataclass(frozen=True)
class Camera:
    """A pinhole camera looking at ``target`` from ``eye`` with a vertical field of view in degrees."""

    eye: np.ndarray
    target: np.ndarray
    fov_y: float

    def basis(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Right, up and back unit vectors of the camera (back points from target to eye)."""
        back = self.eye - self.target
        back = back / np.linalg.norm(back)
        right = np.cross((0.0, 1.0, 0.0), back)
        right = right / np.linalg.norm(right)
        return right, np.cross(back, right), back

    def view_matrix(self) -> np.ndarray:
        """4x4 world -> camera matrix (OpenGL convention: the camera looks down -Z)."""
        right, up, back = self.basis()
        m = np.eye(4)
        m[0, :3], m[1, :3], m[2, :3] = right, up, back
        m[:3, 3] = -m[:3, :3] @ self.eye
        return m

    def projection_matrix(self, aspect: float, near: float = 0.05, far: float = 100.0) -> np.ndarray:
        """4x4 OpenGL perspective projection."""
        f = 1.0 / np.tan(np.radians(self.fov_y) / 2)
        m = np.zeros((4, 4))
        m[0, 0], m[1, 1] = f / aspect, f
        m[2, 2], m[2, 3] = (far + near) / (near - far), 2 * far * near / (near - far)
        m[3, 2] = -1.0
        return m

    def project(self, points: np.ndarray, size: tuple[int, int]) -> tuple[np.ndarray, np.ndarray]:
        """Pixel coordinates (..., 2) (origin top-left) and camera depths (...,) of world points (..., 3)."""
        w, h = size
        right, up, back = self.basis()
        rel = points - self.eye
        x, y, depth = rel @ right, rel @ up, -(rel @ back)
        f = (h / 2) / np.tan(np.radians(self.fov_y) / 2)
        depth_safe = np.maximum(depth, 1e-6)
        return np.stack((w / 2 + f * x / depth_safe, h / 2 - f * y / depth_safe), axis=-1), depth


def _view_direction(joints: np.ndarray, yaw_offset: float) -> np.ndarray:
    """Horizontal unit vector from the scene towards the camera for a 3/4 view.

    With two people apart, look across the line between them (from the side most of them face) so neither
    hides the other; with one, look at their front. Then turn by ``yaw_offset`` for the 3/4 angle.
    """
    facing = facing_direction(joints.reshape(-1, NUM_JOINTS, 3).astype(np.float64)).mean(0)[[0, 2]]
    roots = joints[:, :, 0][..., [0, 2]].mean(0)
    base = facing if np.linalg.norm(facing) > 1e-3 else np.array((0.0, 1.0))
    if len(roots) > 1 and np.linalg.norm(roots[1] - roots[0]) > 0.2:
        line = roots[1] - roots[0]
        base = np.array((-line[1], line[0]))
        if base @ facing < -1e-3 or (abs(base @ facing) <= 1e-3 and base[0] < 0):
            base = -base
    c, s = np.cos(yaw_offset), np.sin(yaw_offset)
    d = np.array((c * base[0] + s * base[1], -s * base[0] + c * base[1]))
    d = d / np.linalg.norm(d)
    return np.array((d[0], 0.0, d[1]))


def frame_camera(
    joints: np.ndarray, size: tuple[int, int], fov_y: float = 35.0, elevation: float = 20.0,
    yaw_offset: float = 35.0, margin: float = 0.06,
) -> Camera:
    """A fixed 3/4-view camera that keeps every joint of every frame in view, with the floor under them
    and the space a highlight ring needs (framing does not change when a person is flagged)."""
    pad = JOINT_RADII.max()
    pts = joints.reshape(-1, 3).astype(np.float64)
    pelvis = joints[:, :, 0].reshape(-1, 3) * (1.0, 0.0, 1.0)
    rings = [pelvis + d for d in ((RING_RADIUS, 0, 0), (-RING_RADIUS, 0, 0), (0, 0, RING_RADIUS), (0, 0, -RING_RADIUS))]
    pts = np.concatenate((pts + (0, pad, 0), pts - (0, pad, 0), pts * (1.0, 0.0, 1.0), *rings))
    horizontal = _view_direction(joints, np.radians(yaw_offset))
    el = np.radians(elevation)
    back = np.cos(el) * horizontal + np.array((0.0, np.sin(el), 0.0))
    tan_y = np.tan(np.radians(fov_y) / 2) * (1 - 2 * margin)
    tan_x = tan_y * size[0] / size[1]
    target = (pts.min(0) + pts.max(0)) / 2
    for _ in range(3):  # rounds of: fit the distance, then re-centre the projected extents
        cam = Camera(target + back, target, fov_y)
        right, up, _ = cam.basis()
        rel = pts - target
        x, y, z = rel @ right, rel @ up, rel @ back
        dist = max(np.max(z + np.abs(x) / tan_x + pad), np.max(z + np.abs(y) / tan_y + pad))
        sx, sy = x / (dist - z), y / (dist - z)
        shift_x = (sx.max() + sx.min()) / 2 * dist
        shift_y = (sy.max() + sy.min()) / 2 * dist
        target = target + shift_x * right + shift_y * up
    return Camera(target + dist * back, target, fov_y)


@dataclass(frozen=True)
class Scene:
    """Everything a renderer needs for one clip; frames are drawn by index."""

    joints: np.ndarray  # (T, P, 22, 3) float32
    size: tuple[int, int]  # (width, height) pixels
    camera: Camera
    colors: np.ndarray  # (P, 3) body colour of each person
    mixed_person: int | None  # index of the person with the highlight ring, if any
    floor_center: np.ndarray  # (2,) x, z
    floor_half: float  # half side of the square floor, metres
    fog: tuple[float, float]  # floor fades to the background between these distances from floor_center
    shadow_rects: np.ndarray  # (T, 4) x_min, z_min, x_max, z_max of the floor each frame's shadows fall on
    touching: np.ndarray  # (T, P, 22) bool: joints within TOUCH_M of a joint of the other person

    @property
    def num_frames(self) -> int:
        return self.joints.shape[0]

    def spheres(self) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
        """Centre (T, P, 24 + K, 3), radius (T, P, 24 + K) and colour (T, P, 24 + K, 3) of every sphere in every
        frame: the 22 joints in the person's colour (GLOW on a larger sphere where a joint touches the other
        person), a darker nose in front of the head and a chest marker, so which way a person faces shows in any
        frame, then the K dots of the pelvis trail on the floor (every TRAIL_EVERY frames; radius 0 until the
        person gets there)."""
        colors = np.broadcast_to(self.colors[None, :, None], self.touching.shape + (3,))
        radii = np.where(self.touching, JOINT_RADII * GLOW_SCALE, JOINT_RADII)
        colors = np.where(self.touching[..., None], GLOW, colors)
        frames, people = self.joints.shape[:2]
        front = np.stack((nose_positions(self.joints), chest_positions(self.joints)), 2)  # (T, P, 2, 3)
        stops = np.arange(0, frames, TRAIL_EVERY)
        k = len(stops)
        trail = np.broadcast_to(self.joints[stops, :, 0].transpose(1, 0, 2) * (1.0, 0.0, 1.0), (frames, people, k, 3))
        reached = np.where(stops[None, :] <= np.arange(frames)[:, None], TRAIL_RADIUS, 0.0)  # (T, K)
        return (np.concatenate((self.joints, front, trail), 2),
                np.concatenate((radii, np.full((frames, people, 2), NOSE_RADIUS),
                                np.broadcast_to(reached[:, None], (frames, people, k))), 2),
                np.concatenate((colors, np.broadcast_to(self.colors[None, :, None] * NOSE_SHADE, front.shape),
                                np.broadcast_to(trail_colors(self.colors)[None, :, None], (frames, people, k, 3))), 2))

    def ring(self, frame: int) -> tuple[float, float, float] | None:
        """(x, z, radius) of the highlight ring around the mixed person's pelvis at ``frame``, or None."""
        if self.mixed_person is None:
            return None
        x, _, z = self.joints[frame, self.mixed_person, 0]
        return float(x), float(z), RING_RADIUS


def _in_front(joints: np.ndarray, joint: str, offset: float) -> np.ndarray:
    """(T, P, 3): ``offset`` metres in front of ``joint`` of every person, along the body's facing."""
    joints = np.asarray(joints, np.float64)
    return joints[:, :, JOINT[joint]] + offset * facing_direction(joints)


def nose_positions(joints: np.ndarray) -> np.ndarray:
    """(T, P, 3) the nose of every person: NOSE_OFFSET in front of the head."""
    return _in_front(joints, "head", NOSE_OFFSET)


def chest_positions(joints: np.ndarray) -> np.ndarray:
    """(T, P, 3) the chest marker of every person: CHEST_OFFSET in front of the upper spine."""
    return _in_front(joints, "spine3", CHEST_OFFSET)


def trail_colors(colors: np.ndarray) -> np.ndarray:
    """The pelvis trail's colour of each person colour (..., 3): faded TRAIL_TINT of the way to the floor."""
    return colors + TRAIL_TINT * (FLOOR - colors)


def touching_joints(joints: np.ndarray) -> np.ndarray:
    """(T, P, 22) bool: for two people, the joints within TOUCH_M of any joint of the other person."""
    touching = np.zeros(joints.shape[:3], bool)
    if joints.shape[1] == 2:
        near = np.linalg.norm(joints[:, 0, :, None] - joints[:, 1, None], axis=-1) < TOUCH_M  # (T, 22, 22)
        touching[:, 0], touching[:, 1] = near.any(2), near.any(1)
    return touching


def shadow_points(points: np.ndarray) -> np.ndarray:
    """Where points (..., 3) cast their shadow on the floor along the light direction: (..., 2) x, z."""
    drop = points[..., 1:2] / LIGHT_DIR[1]
    return points[..., [0, 2]] - drop * LIGHT_DIR[[0, 2]]


def shadow_reach(height: np.ndarray) -> np.ndarray:
    """How far (metres) the soft shadow of a joint at ``height`` reaches past its dropped centre: the
    shadow shader's fade-out radius (SHADOW_FADE) for the largest sphere (the head), plus a margin."""
    a, b, c = SHADOW_FADE
    return a * JOINT_RADII.max() + b + c * np.clip(height, 0, None) + 0.01


def build_scene(joints: np.ndarray, size: tuple[int, int] = DEFAULT_SIZE, mixed_person: int | None = None) -> Scene:
    """Frame a clip of joints (T, P, 22, 3) for rendering at ``size`` (width, height)."""
    num_people = joints.shape[1]
    if num_people > len(PERSON_COLORS):
        raise ValueError(f"at most {len(PERSON_COLORS)} people can be rendered, got {num_people}")
    if mixed_person is not None and not 0 <= mixed_person < num_people:
        raise ValueError(f"mixed_person must be in [0, {num_people}), got {mixed_person}")
    camera = frame_camera(joints, size)
    xz = joints[..., [0, 2]].reshape(-1, 2)
    lo, hi = xz.min(0), xz.max(0)
    extent = float(np.max(hi - lo))
    centre = camera.target[[0, 2]]
    shade = shadow_points(joints).reshape(len(joints), -1, 2)
    pad = shadow_reach(joints.reshape(len(joints), -1, 3)[..., 1].max(1))[:, None]
    rects = np.concatenate((shade.min(1) - pad, shade.max(1) + pad), -1)
    reach = float(np.linalg.norm(camera.eye[[0, 2]] - centre))
    return Scene(
        joints=joints, size=size, camera=camera, colors=PERSON_COLORS[:num_people], mixed_person=mixed_person,
        floor_center=centre, floor_half=3 * reach + extent, fog=(0.9 * reach + extent / 2, 2.2 * reach + extent),
        shadow_rects=rects.astype(np.float32), touching=touching_joints(joints),
    )
