"""Dataset readers on files written in the real layouts, the official statistics, and bad files."""
from __future__ import annotations

import pickle
from pathlib import Path

import numpy as np
import pytest
import torch

from mixermdm_core.data._io import DatasetFormatError
from mixermdm_core.data.humanml3d_reader import Caption, HumanML3DReader
from mixermdm_core.data.in2in_reader import In2INReader, TextTriple, load_in2in_normalizer
from mixermdm_core.data.interhuman_reader import InterHumanReader, load_intergen_normalizer, process_raw_pair
from mixermdm_core.representation import interhuman as ih
from mixermdm_core.representation.normalization import Normalizer

FIXTURES = Path(__file__).resolve().parents[1].parent / "shared" / "fixtures"
needs_fixtures = pytest.mark.skipif(not FIXTURES.is_dir(), reason=f"reference files not found at {FIXTURES}")

CAPTIONS = (
    "a man kicks something with his left leg."
    "#a/DET man/NOUN kick/VERB something/PRON with/ADP his/DET left/ADJ leg/NOUN#0.0#0.0\n"
    "a person waves then walks.#a/DET person/NOUN wave/VERB then/ADV walk/VERB#1.5#3.0\n"
    "\n"
    "someone waves.#someone/PRON wave/VERB#nan#nan\n"
)


def write(path: Path, content: str | np.ndarray) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(content, str):
        path.write_text(content, encoding="utf-8")
    else:
        np.save(path, content)
    return path


@pytest.fixture
def hml_root(tmp_path: Path) -> Path:
    root = tmp_path / "HumanML3D"
    rng = np.random.default_rng(0)
    for clip, frames in (("000001", 40), ("M000001", 40), ("000002", 25)):
        write(root / "new_joint_vecs" / f"{clip}.npy", rng.normal(size=(frames, 263)).astype(np.float32))
        write(root / "new_joints" / f"{clip}.npy", rng.normal(size=(frames, 22, 3)).astype(np.float32))
        write(root / "texts" / f"{clip}.txt", CAPTIONS)
    write(root / "Mean.npy", np.zeros(263, np.float32))
    write(root / "Std.npy", np.full(263, 2.0, np.float32))
    write(root / "train.txt", "000001\nM000001\n")
    write(root / "test.txt", "000002\n")
    return root


def test_humanml3d_reader(hml_root):
    reader = HumanML3DReader(hml_root)
    assert reader.ids("train") == ["000001", "M000001"] and reader.ids("test") == ["000002"]
    motion = reader.motion("000002")
    assert motion.shape == (25, 263) and motion.dtype == np.float32
    assert reader.joints("000001").shape == (40, 22, 3)
    whole, part, nan = reader.captions("000001")
    assert whole == Caption("a man kicks something with his left leg.", whole.tokens, 0.0, 0.0) and whole.whole_clip
    assert whole.tokens[:2] == ("a/DET", "man/NOUN") and whole.frames() == slice(None)
    assert (part.start, part.end, part.frames()) == (1.5, 3.0, slice(30, 60))
    assert nan.whole_clip
    stats = reader.stats()
    assert isinstance(stats, Normalizer)
    assert torch.allclose(stats.normalize(torch.full((263,), 4.0)), torch.full((263,), 2.0))


@needs_fixtures
def test_humanml3d_reader_on_the_official_files():
    reader = HumanML3DReader(FIXTURES / "humanml3d")
    captions = reader.captions("000000")
    assert len(captions) == 4 and all(c.whole_clip for c in captions)
    assert captions[0].text == "a man kicks something or someone with his left leg."
    assert captions[3].tokens[-2:] == ("left/ADJ", "leg/NOUN")
    assert reader.motion("000000").dtype == np.float32 and reader.motion("012314").shape == (170, 263)
    mean = np.load(FIXTURES / "humanml3d" / "Mean.npy")
    np.testing.assert_array_equal(reader.stats().mean.numpy(), mean)


@pytest.mark.parametrize("line, message", [
    ("a man walks.#a/DET man/NOUN walk/VERB#0.0", "caption#tokens#start#end"),
    ("a man walks.#a/DET man walk/VERB#0.0#0.0", "word/TAG"),
    ("a man walks.#a/DET man/NOUN walk/VERB#zero#0.0", "must be numbers"),
    ("a man walks.#a/DET man/NOUN walk/VERB#3.0#1.0", "bad time range"),
])
def test_malformed_caption_line_names_file_and_line(hml_root, line, message):
    path = write(hml_root / "texts" / "000001.txt", CAPTIONS + line + "\n")
    with pytest.raises(DatasetFormatError, match=message) as err:
        HumanML3DReader(hml_root).captions("000001")
    assert f"{path}, line 5" in str(err.value)


def test_humanml3d_missing_folders_are_named(hml_root, tmp_path):
    with pytest.raises(FileNotFoundError, match=str(tmp_path / "nowhere")):
        HumanML3DReader(tmp_path / "nowhere")
    for sub in ("new_joint_vecs", "texts"):
        (hml_root / sub).rename(hml_root / f"{sub}_gone")
    reader = HumanML3DReader(hml_root)
    with pytest.raises(FileNotFoundError, match=f"folder not found: {hml_root / 'new_joint_vecs'}"):
        reader.motion("000001")
    with pytest.raises(FileNotFoundError, match=f"folder not found: {hml_root / 'texts'}"):
        reader.captions("000001")
    with pytest.raises(FileNotFoundError, match=str(hml_root / "new_joints" / "999999.npy")):
        reader.joints("999999")
    with pytest.raises(FileNotFoundError, match=str(hml_root / "val.txt")):
        reader.ids("val")


@pytest.mark.parametrize("content, message", [
    (np.zeros((10, 262), np.float32), r"expected shape \(T, 263\), got \(10, 262\)"),
    (np.zeros(263, np.float32), r"expected shape \(T, 263\)"),
    (np.array([[None] * 263], dtype=object), "not a plain numeric .npy"),
    (np.full((3, 263), "x"), "expected numbers"),
    (np.full((3, 263), np.nan), "NaN"),
])
def test_bad_motion_file_is_named(hml_root, content, message):
    path = write(hml_root / "new_joint_vecs" / "000001.npy", content)
    with pytest.raises(DatasetFormatError, match=message) as err:
        HumanML3DReader(hml_root).motion("000001")
    assert str(path) in str(err.value)


def test_pickle_and_text_pretending_to_be_npy_are_refused(hml_root):
    path = hml_root / "new_joint_vecs" / "000001.npy"
    path.write_bytes(pickle.dumps({"motion": [1, 2, 3]}))
    with pytest.raises(DatasetFormatError, match=f"{path}: not a plain numeric .npy"):
        HumanML3DReader(hml_root).motion("000001")
    path.write_text("0.1 0.2 0.3\n")
    with pytest.raises(DatasetFormatError, match=str(path)):
        HumanML3DReader(hml_root).motion("000001")


def test_bad_split_line_and_bad_stats_are_named(hml_root):
    write(hml_root / "val.txt", "000001\n000002 000003\n")
    with pytest.raises(DatasetFormatError, match=f"{hml_root / 'val.txt'}, line 2"):
        HumanML3DReader(hml_root).ids("val")
    write(hml_root / "Std.npy", np.ones(262, np.float32))
    with pytest.raises(ValueError, match=rf"{hml_root / 'Std.npy'}: expected shape \(263,\)"):
        HumanML3DReader(hml_root).stats()
    np.save(hml_root / "Std.npy", np.array([None] * 263, dtype=object))
    with pytest.raises(ValueError, match=f"{hml_root / 'Std.npy'}: not a plain numeric"):
        HumanML3DReader(hml_root).stats()


# --- InterHuman and in2IN ------------------------------------------------------------------------------

def to_raw(joints: np.ndarray, rng: np.random.Generator) -> np.ndarray:
    """A raw InterHuman person (T, 492): Y-up joints stored Z up as (x, -z, y), 40 made-up hand joints
    after the 22 body joints, and 51 made-up 6D rotations."""
    frames = len(joints)
    pos = np.concatenate((joints, joints[:, 20:21] + rng.normal(0, 0.05, (1, 40, 3))), axis=1)
    raw_pos = np.stack((pos[..., 0], -pos[..., 2], pos[..., 1]), axis=-1)
    return np.concatenate((raw_pos.reshape(frames, -1), rng.normal(size=(frames, 306))), axis=1).astype(np.float32)


def yaw(joints: np.ndarray, angle: float, shift: tuple[float, float, float]) -> np.ndarray:
    c, s = np.cos(angle), np.sin(angle)
    return joints @ np.array([[c, 0, s], [0, 1, 0], [-s, 0, c]]).T + np.array(shift)


@pytest.fixture
def ih_root(tmp_path: Path) -> Path:
    """An InterHuman root with one clip made from the two official HumanML3D clips (cut to one length),
    each turned and moved somewhere else, and in2IN individual descriptions."""
    if not FIXTURES.is_dir():
        pytest.skip(f"reference files not found at {FIXTURES}")
    rng = np.random.default_rng(0)
    first = np.load(FIXTURES / "humanml3d" / "new_joints" / "012314.npy")[:116].astype(np.float64)
    second = np.load(FIXTURES / "humanml3d" / "new_joints" / "000000.npy").astype(np.float64)
    root = tmp_path / "InterHuman"
    write(root / "motions_processed" / "person1" / "1001.npy", to_raw(yaw(first, -2.5, (-0.5, 0.2, 0.3)), rng))
    write(root / "motions_processed" / "person2" / "1001.npy", to_raw(yaw(second, 2.0, (1.0, 0.1, 2.0)), rng))
    write(root / "annots" / "1001.txt", "one person kicks, the other steps back.\nthe first kicks at the second.\n")
    write(root / "annots" / "1002.txt", "two people hug.\n")
    write(root / "split" / "train.txt", "1001\n1002\n")
    write(root / "annots_individual" / "person1" / "1001.txt", "kicks with the left leg.\nkicks forward.\n")
    write(root / "annots_individual" / "person2" / "1001.txt", "steps back.\nmoves away.\n")
    return root


def canonical_reference(joints: np.ndarray) -> np.ndarray:
    """InterGen's canonicalisation of one person, written out directly: floor, frame-0 root xz to the
    origin, then turn so that up x (right hip - left hip) at frame 0 points along +Z."""
    j = joints - np.array([0.0, joints[..., 1].min(), 0.0])
    j = j - j[0, 0] * np.array([1.0, 0.0, 1.0])
    across = j[0, 2] - j[0, 1]
    forward = np.cross([0.0, 1.0, 0.0], across)
    angle = -np.arctan2(forward[0], forward[2])
    return yaw(j, angle, (0.0, 0.0, 0.0))


def test_interhuman_reader_processes_a_raw_pair_as_intergen(ih_root):
    reader = InterHumanReader(ih_root)
    assert reader.ids("train") == ["1001", "1002"]
    clip = reader.clip("1001")
    assert clip.texts[1] == "the first kicks at the second." and clip.person1.shape == (116, 492)
    features = reader.features("1001")
    assert features.shape == (115, 2, 262) and features.dtype == np.float32
    joints = [np.asarray(p[:, :66], np.float64).reshape(-1, 22, 3) for p in (clip.person1, clip.person2)]
    joints = [np.stack((j[..., 0], j[..., 2], -j[..., 1]), axis=-1) for j in joints]  # back to Y up
    pos = features[..., ih.POS].reshape(115, 2, 22, 3)
    np.testing.assert_allclose(pos[:, 0], canonical_reference(joints[0])[:-1], atol=1e-5)
    assert abs(pos[:, 1, :, 1].min()) < 1e-6  # person 2 keeps its own floor
    # Every person-1 to person-2 joint distance is kept, once each person stands on its own floor.
    between = np.linalg.norm(pos[:, 0, :, None] - pos[:, 1, None], axis=-1)
    flat = [j - np.array([0, j[..., 1].min(), 0]) for j in joints]
    np.testing.assert_allclose(between, np.linalg.norm(flat[0][:-1, :, None] - flat[1][:-1, None], axis=-1), atol=1e-5)
    for k, raw in enumerate((clip.person1, clip.person2)):
        np.testing.assert_array_equal(features[:, k, ih.ROT], raw[:-1, 186:312])  # copied untouched
        full = np.concatenate((pos[:, k], pos[-1:, k] + features[-1:, k, ih.VEL].reshape(1, 22, 3)))
        np.testing.assert_allclose(features[:, k, ih.VEL].reshape(-1, 22, 3), full[1:] - full[:-1], atol=1e-6)
        np.testing.assert_array_equal(features[:, k, ih.CONTACT], ih.foot_contacts(torch.from_numpy(full)).numpy())


def test_interhuman_bad_files_are_named(ih_root):
    reader = InterHumanReader(ih_root)
    person2 = ih_root / "motions_processed" / "person2" / "1001.npy"
    np.save(person2, np.load(person2)[:50])
    with pytest.raises(DatasetFormatError, match="lengths differ") as err:
        reader.raw("1001")
    assert str(person2) in str(err.value)
    np.save(person2, np.zeros((116, 200), np.float32))
    with pytest.raises(DatasetFormatError, match=rf"{person2}: expected \(T >= 2, D >= 312\)"):
        reader.raw("1001")
    np.save(person2, np.array([[None]], dtype=object))
    with pytest.raises(DatasetFormatError, match=f"{person2}: not a plain numeric"):
        reader.raw("1001")
    with pytest.raises(FileNotFoundError, match=str(ih_root / "motions_processed" / "person1" / "1002.npy")):
        reader.raw("1002")
    write(ih_root / "annots" / "1002.txt", "\n\n")
    with pytest.raises(DatasetFormatError, match=f"{ih_root / 'annots' / '1002.txt'}: no descriptions"):
        reader.texts("1002")
    with pytest.raises(ValueError, match="different lengths"):
        process_raw_pair(np.zeros((5, 312)), np.zeros((6, 312)))


def test_in2in_individual_texts(ih_root):
    reader = In2INReader(ih_root)
    assert reader.ids("train") == ["1001"]  # 1002 has no individual descriptions
    person1, person2 = reader.individual_texts("1001")
    assert person1 == ["kicks with the left leg.", "kicks forward."] and person2 == ["steps back.", "moves away."]
    assert reader.triples("1001")[1] == TextTriple("the first kicks at the second.", "kicks forward.", "moves away.")
    write(ih_root / "annots_individual" / "person2" / "1001.txt", "steps back.\n")
    with pytest.raises(DatasetFormatError, match="cannot pair them by line") as err:
        reader.triples("1001")
    assert str(ih_root / "annots_individual" / "person2" / "1001.txt") in str(err.value)
    with pytest.raises(FileNotFoundError, match=str(ih_root / "annots_individual" / "person1" / "1002.txt")):
        reader.individual_texts("1002")


@needs_fixtures
def test_official_statistics_load_into_normalizers():
    intergen = load_intergen_normalizer(FIXTURES / "interhuman")
    in2in = load_in2in_normalizer(FIXTURES / "in2in")
    individual = load_in2in_normalizer(FIXTURES / "in2in", "hml3d")
    for norm in (intergen, in2in, individual):
        assert norm.mean.shape == (262,) and norm.mean.dtype == torch.float32
    np.testing.assert_array_equal(intergen.std.numpy(), np.load(FIXTURES / "interhuman" / "global_std.npy"))
    assert torch.equal(intergen.mean, in2in.mean) and not torch.equal(intergen.std, individual.std)
    hml = Normalizer.from_files(FIXTURES / "humanml3d" / "Mean.npy", FIXTURES / "humanml3d" / "Std.npy", dim=263)
    x = torch.randn(4, 263)
    assert torch.allclose(hml.denormalize(hml.normalize(x)), x, atol=1e-5)
    with pytest.raises(ValueError, match=r"Mean.npy: expected shape \(262,\)"):
        Normalizer.from_files(FIXTURES / "humanml3d" / "Mean.npy", FIXTURES / "humanml3d" / "Std.npy", dim=262)
    with pytest.raises(FileNotFoundError, match="global_mean.npy"):
        load_intergen_normalizer(FIXTURES / "in2in")
    with pytest.raises(ValueError, match="kind"):
        load_in2in_normalizer(FIXTURES / "in2in", "humanml3d")
