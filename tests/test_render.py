"""Rendering: both backends show both people in their colours, fully in view; mp4/GIF files play back."""
from __future__ import annotations

import logging

import imageio.v3 as iio
import numpy as np
import pytest
from matplotlib.colors import rgb_to_hsv

from mixermdm_core.skeleton import JOINT, rest_joints
from mixermdm_core.visualize.scene import TRAIL_EVERY, shadow_points, shadow_reach
from mixermdm_core.visualize import (
    build_scene, demo_pair, gl_available, open_renderer, render_frames, render_video, save_gif, write_mp4,
)

# Hue ranges (0..1) of the palette: person 1 blue, person 2 orange, the "mixed" ring lime.
HUES = {"person_1": (0.55, 0.70), "person_2": (0.03, 0.12), "ring": (0.20, 0.33), "glow": (0.13, 0.18)}
SIZE = (424, 240)


@pytest.fixture(scope="module")
def pair() -> np.ndarray:
    return demo_pair(frames=12)


def colour_mask(frame: np.ndarray, name: str) -> np.ndarray:
    """Pixels of a saturated colour in the hue range of ``name`` (floor, grid, shadows are grey)."""
    hsv = rgb_to_hsv(frame / 255.0)
    lo, hi = HUES[name]
    return (hsv[..., 0] >= lo) & (hsv[..., 0] <= hi) & (hsv[..., 1] > 0.4) & (hsv[..., 2] > 0.2)


def assert_both_people_in_view(frame: np.ndarray) -> None:
    assert frame.shape == (SIZE[1], SIZE[0], 3) and frame.dtype == np.uint8
    for person in ("person_1", "person_2"):
        mask = colour_mask(frame, person)
        assert mask.sum() > 300, f"{person} is missing from the frame"
        border = np.concatenate((mask[0], mask[-1], mask[:, 0], mask[:, -1]))
        assert not border.any(), f"{person} touches the frame border"


def fingertip_pair(gap: float, frames: int = 2) -> np.ndarray:
    """(T, 2, 22, 3): two rest bodies face to face whose right wrists are ``gap`` metres apart."""
    one = rest_joints()
    other = one * np.array([-1.0, 1.0, -1.0])
    wrist = JOINT["right_wrist"]
    other = other + (one[wrist] - other[wrist]) + (0.0, 0.0, gap)
    return np.repeat(np.stack((one, other))[None], frames, axis=0).astype(np.float32)


def gl_or_skip() -> None:
    if not gl_available():
        pytest.skip("no offscreen OpenGL context (EGL/Mesa packages in scripts/apt-packages.txt missing?)")


@pytest.mark.parametrize("backend", ["gl", "mpl"])
def test_frame_shows_both_people(pair: np.ndarray, backend: str) -> None:
    if backend == "gl":
        gl_or_skip()
    with open_renderer(build_scene(pair, SIZE), backend) as renderer:
        for index in (0, len(pair) - 1):
            assert_both_people_in_view(renderer.render(index))


@pytest.mark.parametrize("backend", ["gl", "mpl"])
def test_mixed_person_gets_ring(pair: np.ndarray, backend: str) -> None:
    if backend == "gl":
        gl_or_skip()
    plain = render_frames(pair[:1], SIZE, backend=backend)[0]
    ringed = render_frames(pair[:1], SIZE, mixed_person=1, backend=backend)[0]
    assert colour_mask(plain, "ring").sum() == 0
    ring = colour_mask(ringed, "ring")
    assert ring.sum() > 200
    # The ring is under person 2: horizontally it centres nearer to person 2 than to person 1.
    ring_x = np.nonzero(ring)[1].mean()
    person_x = [np.nonzero(colour_mask(ringed, p))[1].mean() for p in ("person_1", "person_2")]
    assert abs(ring_x - person_x[1]) < abs(ring_x - person_x[0])


def test_auto_falls_back_to_matplotlib_and_logs(pair: np.ndarray, monkeypatch, caplog) -> None:
    from mixermdm_core.visualize import gl_renderer

    def no_gl(*args, **kwargs):
        raise RuntimeError("no EGL here")

    monkeypatch.setattr(gl_renderer, "GLRenderer", no_gl)
    with caplog.at_level(logging.INFO, logger="mixermdm_core.visualize.backend"):
        frames = render_frames(pair[:1], SIZE, backend="auto")
    assert "rendering with matplotlib" in caplog.text and "no EGL here" in caplog.text
    assert_both_people_in_view(frames[0])
    with pytest.raises(RuntimeError, match="OpenGL backend unavailable"):
        render_frames(pair[:1], SIZE, backend="gl")


def test_render_video_writes_playable_h264(pair: np.ndarray, tmp_path) -> None:
    path = render_video(pair, tmp_path / "clip.mp4", fps=30, size=SIZE, mixed_person=0)
    meta = iio.immeta(path, plugin="FFMPEG")
    assert meta["codec"] == "h264" and meta["pix_fmt"].startswith("yuv420p") and meta["fps"] == 30
    frames = iio.imread(path, plugin="FFMPEG")
    assert frames.shape == (len(pair), SIZE[1], SIZE[0], 3)
    assert_both_people_in_view(frames[len(pair) // 2])


def test_render_video_accepts_features_and_rejects_odd_size(tmp_path) -> None:
    features = np.zeros((3, 2, 262), np.float32)
    features[..., :66] = demo_pair(frames=3).reshape(3, 2, 66)
    assert render_video(features, tmp_path / "f.mp4", size=SIZE).stat().st_size > 0
    with pytest.raises(ValueError, match="even"):
        render_video(features, tmp_path / "odd.mp4", size=(425, 240))


def test_write_mp4_takes_rgba_as_rgb_and_reports_bad_frames(pair: np.ndarray, tmp_path) -> None:
    rgb = render_frames(pair, SIZE, backend="mpl")
    rgba = np.concatenate((rgb, np.full(rgb.shape[:3] + (1,), 255, np.uint8)), axis=-1)
    from_rgb = iio.imread(write_mp4(iter(rgb), tmp_path / "rgb.mp4", size=SIZE), plugin="FFMPEG")
    from_rgba = iio.imread(write_mp4(iter(rgba), tmp_path / "rgba.mp4", size=SIZE), plugin="FFMPEG")
    np.testing.assert_array_equal(from_rgba, from_rgb)
    with pytest.raises(ValueError, match="no frames"):
        write_mp4(iter(()), tmp_path / "empty.mp4", size=SIZE)
    with pytest.raises(ValueError, match="RGB"):
        write_mp4(iter(rgb[..., 0]), tmp_path / "grey.mp4", size=SIZE)
    with pytest.raises(ValueError, match="like the first"):
        write_mp4(iter([rgb[0], rgb[1, :100]]), tmp_path / "cut.mp4", size=SIZE)


def test_save_gif_subsamples_to_its_frame_rate(pair: np.ndarray, tmp_path) -> None:
    path = save_gif(pair, tmp_path / "clip.gif", fps=15, size=(212, 120))
    assert iio.imread(path, index=None).shape[0] == len(pair) // 2


@pytest.mark.parametrize("backend", ["gl", "mpl"])
def test_touching_joints_glow(backend: str) -> None:
    if backend == "gl":
        gl_or_skip()
    touching = render_frames(fingertip_pair(0.0), SIZE, backend=backend)[0]
    apart = render_frames(fingertip_pair(0.3), SIZE, backend=backend)[0]
    assert colour_mask(touching, "glow").sum() > 20
    assert colour_mask(apart, "glow").sum() == 0


def test_scene_spheres_add_a_nose_and_a_chest_marker_in_front() -> None:
    scene = build_scene(fingertip_pair(0.3), SIZE)
    centers, radii, colors = scene.spheres()
    assert centers.shape == (2, 2, 25, 3) and radii.shape == (2, 2, 25) and colors.shape == (2, 2, 25, 3)
    head, chest = centers[0, :, JOINT["head"]], centers[0, :, JOINT["spine3"]]
    nose, marker = centers[0, :, 22], centers[0, :, 23]
    assert nose[0, 2] - head[0, 2] > 0.09 and head[1, 2] - nose[1, 2] > 0.09  # person 1 faces +Z, person 2 -Z
    assert marker[0, 2] - chest[0, 2] > 0.1 and chest[1, 2] - marker[1, 2] > 0.1  # so does each chest marker


def test_pelvis_trail_dots_appear_on_the_floor_as_the_person_passes() -> None:
    walk = fingertip_pair(0.3, frames=20)
    walk[..., 2] += np.linspace(0, 1, 20)[:, None, None]  # both walk 1 m along +Z over 20 frames
    centers, radii, _ = build_scene(walk, SIZE).spheres()
    dots = slice(24, None)  # after the 22 joints, the nose and the chest marker: a dot every TRAIL_EVERY frames
    assert centers.shape[2] == 24 + len(range(0, 20, TRAIL_EVERY))
    assert (centers[:, :, dots, 1] == 0).all()  # on the floor
    np.testing.assert_allclose(centers[0, 0, dots, 2], walk[::TRAIL_EVERY, 0, 0, 2])  # where the pelvis passed
    assert (radii[0, :, 25:] == 0).all() and (radii[-1, :, dots] > 0).all()  # shown once reached


def test_each_frames_shadow_area_holds_every_shadow_blob() -> None:
    jump = fingertip_pair(0.3, frames=10)
    jump[:, 1, :, 1] += np.linspace(0, 1.5, 10)[:, None]  # person 2 rises 1.5 m: shadows fall further out
    jump[:, 0, :, 0] += np.linspace(0, 2, 10)[:, None]  # person 1 walks 2 m along +X
    scene = build_scene(jump, SIZE)
    assert scene.shadow_rects.shape == (10, 4)
    dropped = shadow_points(jump)  # (T, P, 22, 2)
    reach = shadow_reach(jump[..., 1].max((1, 2)))[:, None]
    lo, hi = scene.shadow_rects[:, :2], scene.shadow_rects[:, 2:]
    assert (dropped.min((1, 2)) - reach >= lo - 1e-5).all() and (dropped.max((1, 2)) + reach <= hi + 1e-5).all()
    width = hi[:, 0] - lo[:, 0]
    assert width[-1] > width[0] + 1.5  # the area follows the people frame by frame, not the whole clip at once


def test_renderers_sharing_the_context_keep_their_own_camera() -> None:
    gl_or_skip()
    near, far = fingertip_pair(0.3), fingertip_pair(0.3) * np.array([3.0, 1.0, 3.0], np.float32)
    with open_renderer(build_scene(near, SIZE, mixed_person=0), "gl") as a, \
            open_renderer(build_scene(far, SIZE), "gl") as b:
        alone = a.render(0).copy()
        b.render(0)
        np.testing.assert_array_equal(a.render(0), alone)
        assert colour_mask(alone, "ring").sum() > 50 and colour_mask(b.render(0), "ring").sum() == 0


def test_write_mp4_reports_what_ffmpeg_says_when_it_cannot_write(pair: np.ndarray, tmp_path) -> None:
    rgb = render_frames(pair, SIZE, backend="mpl")
    blocked = tmp_path / "taken.mp4"
    blocked.mkdir()  # a folder where the file should go
    with pytest.raises(RuntimeError, match="ffmpeg could not encode"):
        write_mp4(iter(rgb), blocked, size=SIZE)

    def broken():
        yield rgb[0]
        raise KeyError("renderer died")

    with pytest.raises(KeyError, match="renderer died"):
        write_mp4(broken(), tmp_path / "broken.mp4", size=SIZE)
