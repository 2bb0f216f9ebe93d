"""The networks of a composition, loaded together from a checkpoint folder: ours, or the official files."""
from __future__ import annotations

from pathlib import Path

from safetensors import SafetensorError

from ..diffusion import NoiseSchedule
from ..models.io import CheckpointError
from ..models.official.folder import is_official_folder, load_folder
from ..models.onnx_backend import default_backend, on_onnxruntime
from ..models.pretrained import load_denoiser, load_mixers
from ..paths import DEFAULT_DIR
from ..text.anchors import MODEL_ROLES, TextAnchors
from ..text.encoders import TextEncoder
from .sampler import DenoiserPair

ANCHORS_FILE = "text_anchors.safetensors"  # the interaction model's
INDIVIDUAL_ANCHORS_FILE = "individual_anchors.safetensors"
ANCHOR_FILES = {"interaction": ANCHORS_FILE, "individual": INDIVIDUAL_ANCHORS_FILE}


def load_pair(directory: str | Path = DEFAULT_DIR, device: str = "cpu", precision: str = "fp32") -> DenoiserPair:
    """The two denoisers of one of our checkpoint folders."""
    directory = Path(directory)
    inter, norm_a = load_denoiser(directory / "interaction.safetensors", "interaction", device)
    indiv, norm_b = load_denoiser(directory / "individual.safetensors", "individual", device)
    return DenoiserPair(inter, indiv, norm_a, norm_b, NoiseSchedule(), precision)


def load_anchors(directory: str | Path, strength: float | None = None, model: str = "interaction") -> TextAnchors | None:
    """The folder's text anchors (``text.anchors``) for ``model``'s texts at ``strength`` (None: the stored
    default); None where the folder has none or ``strength`` is 0."""
    if strength is not None and not 0.0 <= float(strength) <= 1.0:
        raise ValueError(f"text anchoring strength must be in 0..1, got {strength}")
    path = Path(directory) / ANCHOR_FILES[model]
    if strength == 0 or not path.is_file():
        return None
    try:
        return TextAnchors.load(path, strength).require(MODEL_ROLES[model])
    except (SafetensorError, OSError, KeyError, ValueError) as err:
        raise CheckpointError(f"text anchors {path} are not a readable anchors file ({err})") from err


def for_sampling(net, kind: str, device: str, precision: str):
    """A frozen network of ours as sampling runs it: behind ONNX Runtime where ``default_backend`` says so."""
    return on_onnxruntime(net, kind) if default_backend(device, precision) == "onnxruntime" else net


def load_models(directory: str | Path = DEFAULT_DIR, device: str = "cpu", precision: str = "fp32",
                encoder: TextEncoder | None = None, text_anchoring: float | None = None,
                individual_anchoring: float | None = None) -> tuple[DenoiserPair, dict, TextEncoder | None]:
    """(denoisers, learned mixers by granularity, text encoder) of a folder, for sampling (``for_sampling``).
    Our folders take ``encoder`` (None: the default one) and their text anchors at ``text_anchoring`` (the
    interaction model's) and ``individual_anchoring`` (``load_anchors``); an official folder
    (``models.official.folder``) brings CLIP and each model's sentence
    head, which its networks need, so it refuses another encoder."""
    if not is_official_folder(directory):
        pair = load_pair(directory, device, precision)
        pair.anchors = load_anchors(directory, text_anchoring)
        pair.individual_anchors = load_anchors(directory, individual_anchoring, "individual")
        pair.interaction = for_sampling(pair.interaction, "interaction", device, precision)
        pair.individual = for_sampling(pair.individual, "individual", device, precision)
        mixers = {g: for_sampling(m, "mixer", device, precision) for g, m in load_mixers(directory, device).items()}
        return pair, mixers, encoder
    if encoder is not None:
        raise ValueError(f"{directory} holds official checkpoints, which read texts through their own CLIP "
                         "sentence heads; leave the text encoder unset")
    inter, indiv, norm_a, norm_b, mixers, official_encoder = load_folder(directory, device)
    # The velocity read-out answers how our individual model damps its position features; the official one is read
    # as it predicts.
    return (DenoiserPair(inter, indiv, norm_a, norm_b, NoiseSchedule(), precision, velocity_readout=False), mixers,
            official_encoder)
