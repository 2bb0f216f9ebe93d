"""Exports: BVH round trip and format, animated GLB, InterHuman npy arrays."""
from __future__ import annotations

import json
import struct

import numpy as np
import pytest
import torch
import trimesh

from mixermdm_core.export import (
    load_npy, read_bvh, save_motion_npy, save_weights_npy, write_bvh, write_bvh_pair, write_glb,
)
from mixermdm_core.export.bvh_rotations import solve_local_rotations
from mixermdm_core.export.bvh import skeleton_offsets
from mixermdm_core.kinematics import forward_kinematics
from mixermdm_core.representation.interhuman import joints_to_features
from mixermdm_core.rotations import axis_angle_to_matrix
from mixermdm_core.skeleton import JOINT_NAMES
from mixermdm_core.visualize import demo_pair
from mixermdm_core.visualize.scene import nose_positions

from test_render import fingertip_pair


def random_smooth_motion(frames: int, seed: int) -> tuple[np.ndarray, np.ndarray]:
    """Joints (T, 22, 3) by FK of large random smooth rotations (constant bone lengths), and the rotations."""
    rng = np.random.default_rng(seed)
    t = np.linspace(0, 3, frames)[:, None, None]
    aa = rng.uniform(0.2, 1.2, (1, 22, 3)) * np.sin(2 * np.pi * rng.uniform(0.2, 1.0, (1, 22, 3)) * t
                                                    + rng.uniform(0, 2 * np.pi, (1, 22, 3)))
    rots = axis_angle_to_matrix(torch.from_numpy(aa)).numpy()
    root = np.stack((np.sin(t[:, 0, 0]), 0.9 + 0.05 * np.cos(t[:, 0, 0]), 0.5 * t[:, 0, 0]), -1)
    return forward_kinematics(rots, root), rots


def test_bvh_round_trip_within_a_millimetre(tmp_path) -> None:
    joints, _ = random_smooth_motion(60, seed=0)
    path = write_bvh(joints, tmp_path / "p.bvh", fps=30)
    back = read_bvh(path)
    assert back.shape == joints.shape
    assert np.abs(back - joints).max() < 1e-3


def test_bvh_from_features_keeps_the_twist(tmp_path) -> None:
    joints, rots = random_smooth_motion(41, seed=1)
    features = joints_to_features(joints, rots)  # 40 frames; the last one only feeds velocities
    back = read_bvh(write_bvh(features, tmp_path / "f.bvh"))
    assert np.abs(back - joints[:-1]).max() < 1e-3
    # Positions alone fix each bone's direction; the features' 6D rotations supply the twist about it.
    solved = solve_local_rotations(joints, skeleton_offsets(joints), rots)
    assert np.abs(solved[:, 1:] - rots[:, 1:]).max() < 1e-5


def test_bvh_file_format(tmp_path) -> None:
    joints, _ = random_smooth_motion(10, seed=2)
    text = write_bvh(joints, tmp_path / "p.bvh", fps=30).read_text()
    lines = text.splitlines()
    assert lines[:3] == ["HIERARCHY", "ROOT pelvis", "{"]
    assert "CHANNELS 6 Xposition Yposition Zposition Zrotation Xrotation Yrotation" in text
    assert text.count("CHANNELS 3 Zrotation Xrotation Yrotation") == 21
    assert text.count("End Site") == 5  # head, two feet, two wrists
    assert {f"JOINT {name}" for name in JOINT_NAMES[1:]} <= {line.strip() for line in lines}
    motion = lines.index("MOTION")
    assert lines[motion + 1:motion + 3] == ["Frames: 10", "Frame Time: 0.03333333"]
    assert all(len(row.split()) == 6 + 21 * 3 for row in lines[motion + 3:])
    assert len(lines) == motion + 3 + 10


def test_read_bvh_handles_other_channel_orders(tmp_path) -> None:
    path = tmp_path / "tiny.bvh"
    path.write_text(
        "HIERARCHY\nROOT hips\n{\n OFFSET 0 0 0\n"
        " CHANNELS 6 Xposition Yposition Zposition Xrotation Yrotation Zrotation\n"
        " JOINT arm\n {\n  OFFSET 1 0 0\n  CHANNELS 3 Xrotation Yrotation Zrotation\n"
        "  End Site\n  {\n   OFFSET 1 0 0\n  }\n }\n}\n"
        "MOTION\nFrames: 2\nFrame Time: 0.5\n0 1 0 0 0 0 0 0 0\n0 1 0 0 0 90 0 0 0\n")
    pos = read_bvh(path)
    np.testing.assert_allclose(pos[0], [[0, 1, 0], [1, 1, 0]], atol=1e-9)
    np.testing.assert_allclose(pos[1], [[0, 1, 0], [0, 2, 0]], atol=1e-9)  # 90 degrees about Z: +X -> +Y


def test_bvh_pair_writes_one_file_per_person(tmp_path) -> None:
    pair = demo_pair(frames=8)
    paths = write_bvh_pair(pair, tmp_path / "clip.bvh")
    assert [p.name for p in paths] == ["clip_p1.bvh", "clip_p2.bvh"]
    for p, path in enumerate(paths):
        assert np.abs(read_bvh(path) - pair[:, p]).max() < 1e-3
    with pytest.raises(ValueError, match="write_bvh_pair"):
        write_bvh(pair, tmp_path / "both.bvh")


def test_glb_is_animated_small_and_loads_in_trimesh(tmp_path) -> None:
    pair = demo_pair(frames=120)
    path = write_glb(pair, tmp_path / "clip.glb")
    data = path.read_bytes()
    assert len(data) < 2_000_000
    magic, version, length = struct.unpack("<4sII", data[:12])
    assert (magic, version, length) == (b"glTF", 2, len(data))
    json_len = struct.unpack("<I", data[12:16])[0]
    gltf = json.loads(data[20:20 + json_len])
    (animation,) = gltf["animations"]
    # per person: joint translations; bone TRS; nose and chest; contact spheres' translation and stepped scale
    assert len(animation["channels"]) == 2 * (22 + 21 * 3 + 2 + 2 * 22)
    times = gltf["accessors"][animation["samplers"][0]["input"]]
    assert times["count"] == 120 and times["max"][0] == pytest.approx(119 / 30)
    assert [m["name"] for m in gltf["materials"]] == ["contact", "person_1", "trail_1", "person_2", "trail_2"]

    scene = trimesh.load(path)
    assert isinstance(scene, trimesh.Scene)
    assert len(scene.graph.nodes_geometry) == 2 * (22 + 21 + 2 + 22)  # joints, bones, nose and chest, contacts
    trails = [m["primitives"][0] for m in gltf["meshes"] if m["name"].startswith("trail")]  # lines trimesh skips
    assert [(t["mode"], gltf["accessors"][t["attributes"]["POSITION"]]["count"]) for t in trails] == [(3, 120)] * 2
    # Rest transforms are the first frame: the pelvis node sits at person 1's frame-0 pelvis, the nose in front
    # of the head, where the renderer draws it.
    transform, _ = scene.graph["p1_pelvis"]
    np.testing.assert_allclose(transform[:3, 3], pair[0, 0, 0], atol=1e-5)
    nose, _ = scene.graph["p2_nose"]
    np.testing.assert_allclose(nose[:3, 3], nose_positions(pair)[0, 1], atol=1e-5)


def test_glb_contact_spheres_show_only_where_the_people_touch(tmp_path) -> None:
    pair = np.concatenate((fingertip_pair(0.0), fingertip_pair(0.3)))  # 2 frames touching, then 2 apart
    scene = trimesh.load(write_glb(pair, tmp_path / "touch.glb"))
    transform, _ = scene.graph["p1_contact_right_wrist"]  # rest pose = frame 0: touching, a visible sphere
    assert np.linalg.det(transform[:3, :3]) > 0
    transform, _ = scene.graph["p1_contact_left_wrist"]
    assert np.allclose(transform[:3, :3], 0)
    data = (tmp_path / "touch.glb").read_bytes()
    gltf = json.loads(data[20:20 + struct.unpack("<I", data[12:16])[0]])
    stepped = [s for s in gltf["animations"][0]["samplers"] if s["interpolation"] == "STEP"]
    assert len(stepped) == 2 * 22


def test_npy_exports_interhuman_layout(tmp_path) -> None:
    features = torch.randn(30, 2, 262, dtype=torch.float64)
    path = save_motion_npy(features, tmp_path / "motion.npy")
    loaded = np.load(path)
    assert loaded.shape == (30, 2, 262) and loaded.dtype == np.float32
    np.testing.assert_allclose(loaded, features.numpy(), rtol=1e-6)
    weights = save_weights_npy(np.random.rand(50, 30, 2, 22), tmp_path / "weights")
    assert weights.name == "weights" and load_npy(weights).shape == (50, 30, 2, 22)
    with pytest.raises(ValueError, match="262"):
        save_motion_npy(np.zeros((30, 2, 22, 3)), tmp_path / "joints.npy")
    with pytest.raises(ValueError, match="NaN"):
        save_weights_npy(np.array([np.nan]), tmp_path / "bad.npy")
