"""A folder of the official released files (in2IN, MixerMDM, CLIP's tokenizer), run by the project's pipelines.

Put the files the official repositories point to into one folder, under their released names:

=====================================  ==========================================================  ========
file                                   what it is                                                  needed
=====================================  ==========================================================  ========
``in2IN.ckpt``                         in2IN interaction model (M^a), CLIP weights inside          [1]
``individual.ckpt``                    in2IN individual model (M^b), CLIP weights inside           [1]
``MixerMDM.ckpt``                      the released Mixer (holds both denoisers too)               learned
``interhuman_mean.npy`` / ``_std``     in2IN's InterHuman statistics (or ``global_mean.npy`` /     yes
                                       ``global_std.npy``, InterGen's: the same numbers)
``hml3d_mean.npy`` / ``_std``          in2IN's statistics of its individual model (or MixerMDM's   yes
                                       ``mean_ih_new.npy`` / ``std_ih_new.npy``)
``bpe_simple_vocab_16e6.txt.gz``       CLIP's tokenizer file (openai/CLIP, ``clip/``)              yes
=====================================  ==========================================================  ========

[1] or, without them, the two denoisers inside ``MixerMDM.ckpt``. Other names, the attention heads (8 in every
release) and the Mixer's granularity go in an optional ``official.json`` (the weights tell only whether there is
one output or one per joint: G and T look alike, and S and ST, taken as the released ST unless the manifest
says S): ``{"files": {"interaction": "my.ckpt", ...}, "heads": 8, "granularity": "ST"}``.
Network sizes are read from the weights. Checkpoints are read without running any pickled code
(``foreign_checkpoints``).
"""
from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

import torch

from ...representation.interhuman import FEATURE_DIM
from ...representation.normalization import Normalizer
from ...text.clip_tokenizer import FILE_NAME as BPE_FILE
from ...text.clip_tokenizer import ClipTokenizer
from ..foreign_checkpoints import ForeignCheckpointError, read_state_dict
from ..io import CheckpointError
from .adapters import IndividualAdapter, InteractionAdapter, MixerAdapter, OfficialTextEncoder
from .in2in import DenoiserConfig, In2IN
from .mixer import MODES, Mixer, MixerConfig
from .text import CLIP_PARTS, ClipConfig, ClipSentence

MANIFEST = "official.json"
FILES: dict[str, tuple[str, ...]] = {  # role -> accepted names, first = the released one
    "interaction": ("in2IN.ckpt",),
    "individual": ("individual.ckpt",),
    "mixer": ("MixerMDM.ckpt",),
    "interaction_mean": ("interhuman_mean.npy", "global_mean.npy"),
    "interaction_std": ("interhuman_std.npy", "global_std.npy"),
    "individual_mean": ("hml3d_mean.npy", "mean_ih_new.npy"),
    "individual_std": ("hml3d_std.npy", "std_ih_new.npy"),
    "bpe": (BPE_FILE,),
}
OPTIONAL = ("interaction", "individual", "mixer")


def is_official_folder(folder: str | Path) -> bool:
    """Whether ``folder`` holds official files (a manifest, or a released checkpoint name) rather than ours."""
    folder = Path(folder)
    return (folder / MANIFEST).is_file() or any((folder / FILES[r][0]).is_file() for r in OPTIONAL)


@dataclass
class OfficialFiles:
    """The paths found for each role (None for absent optional ones), the heads and the Mixer's granularity."""

    paths: dict[str, Path | None]
    heads: int = 8
    granularity: str | None = None

    @classmethod
    def find(cls, folder: str | Path) -> "OfficialFiles":
        folder = Path(folder)
        manifest = json.loads((folder / MANIFEST).read_text()) if (folder / MANIFEST).is_file() else {}
        named = manifest.get("files", {})
        unknown = set(named) - set(FILES)
        if unknown:
            raise CheckpointError(f"{folder / MANIFEST} names unknown roles {sorted(unknown)}; roles are {sorted(FILES)}")
        paths = {}
        for role, names in FILES.items():
            candidates = [named[role]] if role in named else list(names)
            paths[role] = next((folder / n for n in candidates if (folder / n).is_file()), None)
        missing = [f"{role} ({' or '.join([named[role]] if role in named else FILES[role])})"
                   for role, path in paths.items() if path is None and role not in OPTIONAL]
        if paths["mixer"] is None and (paths["interaction"] is None or paths["individual"] is None):
            missing.append("in2IN.ckpt and individual.ckpt, or MixerMDM.ckpt")
        if missing:
            raise CheckpointError(f"the official folder {folder} lacks: {'; '.join(missing)} (see the README, "
                                  "'Official checkpoints')")
        granularity = manifest.get("granularity")
        if granularity is not None and granularity.lower() not in MODES:
            raise CheckpointError(f"{folder / MANIFEST}: granularity must be one of G, T, S, ST, got {granularity!r}")
        return cls(paths, int(manifest.get("heads", 8)), granularity and granularity.upper())


def _read(path: Path) -> dict[str, torch.Tensor]:
    try:
        return read_state_dict(path, strip_prefix="model.")
    except (FileNotFoundError, ForeignCheckpointError) as err:
        raise CheckpointError(str(err)) from err


def _count(state: dict[str, torch.Tensor], prefix: str) -> int:
    found = {int(m.group(1)) for k in state if (m := re.match(re.escape(prefix) + r"(\d+)\.", k))}
    return max(found) + 1 if found else 0


def _sub(state: dict[str, torch.Tensor], prefix: str) -> dict[str, torch.Tensor]:
    return {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}


def clip_config(state: dict[str, torch.Tensor]) -> ClipConfig:
    """CLIP's text-tower size from its weights (layers, vocabulary)."""
    return ClipConfig(layers=_count(state, "clip_transformer.resblocks."), vocab=state["token_embedding.weight"].shape[0])


def denoiser_config(state: dict[str, torch.Tensor], prefix: str, heads: int) -> DenoiserConfig:
    """An in2IN denoiser's sizes from its weights under ``prefix`` (e.g. ``decoder.net_interaction.``)."""
    embed = state[prefix + "motion_embed.weight"]
    return DenoiserConfig(input_dim=embed.shape[1], latent_dim=embed.shape[0],
                          ff_size=state[prefix + "blocks.0.ffn.linear1.weight"].shape[0],
                          num_layers=_count(state, prefix + "blocks."), num_heads=heads)


def load_in2in(state: dict[str, torch.Tensor], mode: str, heads: int, source: Path) -> In2IN:
    """An official in2IN module (denoiser, sentence head, CLIP) from a state dict, strictly."""
    try:
        model = In2IN(mode, denoiser_config(state, f"decoder.net_{mode}.", heads), clip=clip_config(state))
        model.load_official(state, strict=True)
    except (KeyError, RuntimeError) as err:
        raise CheckpointError(f"{source} is not an official in2IN {mode} checkpoint: {err}") from err
    return model.eval().requires_grad_(False)


def load_mixer(state: dict[str, torch.Tensor], denoisers: tuple, files: OfficialFiles, source: Path) -> Mixer:
    """The official Mixer (``mixing.*``) around the two loaded denoisers, strictly."""
    mixing = _sub(state, "mixing.")
    outputs = mixing["influence.out.weight"].shape[0]
    granularity = files.granularity or ("ST" if outputs > 1 else None)
    if granularity is None:
        raise CheckpointError(f"{source}: a G and a T Mixer hold the same weights; say which in {MANIFEST} "
                              '({"granularity": "G"} or "T")')
    if (outputs > 1) != ("S" in granularity):
        raise CheckpointError(f"{source}: a {granularity} Mixer has {'23 outputs' if 'S' in granularity else '1 output'}, "
                              f"this one {outputs}")
    cfg = MixerConfig(latent_dim=mixing["motion_embed.weight"].shape[0],
                      ff_size=mixing["influence.blocks.0.ffn.linear1.weight"].shape[0],
                      num_layers=_count(mixing, "influence.blocks."), num_heads=files.heads,
                      mixing_mode=MODES[granularity.lower()])
    mixer = Mixer(*denoisers, cfg)
    try:
        mixer.load_state_dict(mixing, strict=True)
    except RuntimeError as err:
        raise CheckpointError(f"{source}: the Mixer's weights do not fit: {err}") from err
    return mixer.eval().requires_grad_(False)


def load_folder(folder: str | Path, device: str = "cpu"):
    """(interaction adapter, individual adapter, their normalisers, mixers by granularity, text encoder) of an
    official folder; raises CheckpointError naming what is missing or wrong."""
    files = OfficialFiles.find(folder)
    p = files.paths
    mixer_state = _read(p["mixer"]) if p["mixer"] else None
    models = {}
    for mode, inside in (("interaction", "model2."), ("individual", "model1.")):  # the roles are the modes
        state = _read(p[mode]) if p[mode] else _sub(mixer_state, inside)
        models[mode] = load_in2in(state, mode, files.heads, p[mode] or p["mixer"])
    text_models = dict(models)
    mixers = {}
    norm_a = Normalizer.from_files(p["interaction_mean"], p["interaction_std"], FEATURE_DIM)
    norm_b = Normalizer.from_files(p["individual_mean"], p["individual_std"], FEATURE_DIM)
    if mixer_state is not None:
        mixer = load_mixer(mixer_state, (models["individual"].denoiser, models["interaction"].denoiser), files,
                           p["mixer"])
        head = ClipSentence(clip_config(mixer_state))
        head.load_state_dict({k: v for k, v in mixer_state.items()
                              if k.split(".")[0] in (*CLIP_PARTS, "clipTransEncoder", "clip_ln")}, strict=True)
        text_models["mixer"] = head.eval().requires_grad_(False)
        adapter = MixerAdapter(mixer, norm_a)
        mixers[adapter.granularity] = adapter.to(device)
    encoder = OfficialTextEncoder(ClipTokenizer(p["bpe"]), {k: m.to(device) for k, m in text_models.items()})
    return (InteractionAdapter(models["interaction"].denoiser).to(device),
            IndividualAdapter(models["individual"].denoiser).to(device), norm_a, norm_b, mixers, encoder)
