"""Make the golden fixtures of tests/test_official_*.py by running the official networks on seeded weights.

Run on these commits (checked out anywhere outside this repository; nothing of theirs is copied here):
  pabloruizponce/in2IN     7185b30c79ce39e7fa2e4a776bd8e7cf22a72814
  pabloruizponce/MixerMDM  88f272c29a9cc43376351ea732b09ae4d1aa3fd8
  tr3e/InterGen            b1750df4a859443b8a69329f759ce3a7503ae179
  openai/CLIP              d05afc436d78f1c48dc0dbf8e5980a9d471f35f6  (its text-tower classes play the ``clip``
                           package; no CLIP weights are needed, the weights are random)

    pip install yacs            # the one extra the official MixerMDM code imports for its configs
    python scripts/make_official_goldens.py --clip DIR [--in2in DIR --mixermdm DIR] [--intergen DIR] \
        [--out tests/fixtures/official]

``--in2in`` with ``--mixermdm`` makes the in2IN and MixerMDM fixtures, ``--intergen`` InterGen's; ``names.json``
keeps the entries of the models not made in a run.

For every network: build ours (mixermdm_core.models.official) at a reduced size, fill it from a seed
(``randomize_``), load that state dict into the official class with ``strict=True``, run the official forward on
fixed inputs and save inputs, seed, sizes and outputs (.npz, float32). ``names.json`` lists the official
parameter names and shapes at the released sizes, built on the meta device (no memory, no weights).
``mixer_step.npz`` holds one whole step of the official sampler (``step_golden``): both chains, guidance on the
mix, centring and the DDIM updates.
The official modules are imported with small stand-ins for what they import but do not use here (``clip``,
``aitviewer``); CUDA is never touched.
"""
from __future__ import annotations

import argparse
import contextlib
import importlib.util
import json
import os
import sys
import tempfile
import types
from pathlib import Path

import numpy as np
import torch
from torch import nn

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from mixermdm_core.models.official import (ClipConfig, DenoiserConfig, In2IN, In2INDenoiser, InterGen,  # noqa: E402
                                           InterGenDenoiser, Mixer, MixerConfig, randomize_)
from mixermdm_core.models.official.mixer import MODES  # noqa: E402

FRAMES, BATCH = 16, 2
SMALL = DenoiserConfig(latent_dim=128, ff_size=256, num_layers=2, num_heads=8)
SMALL_MIXER = dict(latent_dim=64, ff_size=128, num_layers=2, num_heads=8)
SMALL_CLIP = ClipConfig(layers=2, vocab=1000)
MODE_NAMES = {mode: name for name, mode in MODES.items()}

_clip_size = {"layers": 12, "vocab": 49408}
_tokens: dict[str, torch.Tensor] = {}


def install_stand_ins(clip_dir: Path) -> None:
    """A ``clip`` module whose ``load`` builds the text tower from openai/CLIP's own classes at the size in
    ``_clip_size`` and whose ``tokenize`` returns the ids registered in ``_tokens``; an empty ``aitviewer``."""
    spec = importlib.util.spec_from_file_location("openai_clip_model", clip_dir / "clip" / "model.py")
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)

    def load(name, device="cpu", jit=False):
        width, context = 768, 77
        mask = ref.CLIP.build_attention_mask(types.SimpleNamespace(context_length=context))
        model = types.SimpleNamespace(
            token_embedding=nn.Embedding(_clip_size["vocab"], width),
            transformer=ref.Transformer(width, _clip_size["layers"], 12, attn_mask=mask),
            positional_embedding=nn.Parameter(torch.empty(context, width)),
            ln_final=ref.LayerNorm(width), dtype=torch.float32)
        return model, None

    clip = types.ModuleType("clip")
    clip.load = load
    clip.tokenize = lambda texts, truncate=True: torch.stack([_tokens[t] for t in texts])
    sys.modules["clip"] = clip
    for name in ("aitviewer", "aitviewer.renderables", "aitviewer.renderables.lines"):
        module = types.ModuleType(name)
        module.__path__ = []
        sys.modules[name] = module
    sys.modules["aitviewer.renderables.lines"].Lines = object


def official_cfg(cfg: DenoiserConfig, mode: str):
    """The attributes the official in2IN constructor reads from its yacs config."""
    values = dict(INPUT_DIM=cfg.input_dim, LATENT_DIM=cfg.latent_dim, FF_SIZE=cfg.ff_size,
                  NUM_LAYERS=cfg.num_layers, NUM_HEADS=cfg.num_heads, DROPOUT=cfg.dropout, ACTIVATION="gelu",
                  MOTION_REP="global", DIFFUSION_STEPS=1000, BETA_SCHEDULER="cosine", SAMPLER="uniform",
                  STRATEGY="ddim50", CFG_WEIGHT=3.5, CFG_WEIGHT_INTERACTION=3, CFG_WEIGHT_INDIVIDUAL=1, T_BAR=700,
                  NAME="in2IN" if mode == "interaction" else "in2INind")
    return types.SimpleNamespace(**values)


def official_denoiser(nets, mode: str, cfg: DenoiserConfig) -> nn.Module:
    return nets.in2INDenoiser(cfg.input_dim, mode=mode, latent_dim=cfg.latent_dim, ff_size=cfg.ff_size,
                              num_layers=cfg.num_layers, num_heads=cfg.num_heads, dropout=cfg.dropout,
                              activation="gelu")


def inputs(seed: int, persons: int, conds: int) -> dict[str, np.ndarray]:
    g = torch.Generator().manual_seed(seed)
    mask = torch.ones(BATCH, FRAMES, 2)
    mask[1, 11:] = 0  # the second sample is padded after 11 frames
    return {"x": torch.randn(BATCH, FRAMES, persons * 262, generator=g), "t": torch.tensor([3, 700]),
            "cond": torch.randn(BATCH, conds * 768, generator=g), "mask": mask}


def npz(path: Path, **arrays) -> None:
    out = {}
    for k, v in arrays.items():
        v = v.detach().numpy() if isinstance(v, torch.Tensor) else np.asarray(v)
        out[k] = v.astype(np.float32) if v.dtype == np.float64 else v
    np.savez_compressed(path, **out)
    print(f"wrote {path.name}: " + ", ".join(f"{k}{tuple(a.shape)}" for k, a in out.items()))


def config_arrays(cfg) -> dict[str, np.ndarray]:
    return {"latent_dim": cfg.latent_dim, "ff_size": cfg.ff_size, "num_layers": cfg.num_layers,
            "num_heads": cfg.num_heads}


@torch.no_grad()
def denoiser_goldens(nets, out: Path) -> None:
    for mode, seed, conds in (("interaction", 1, 3), ("individual", 2, 1)):
        ours = randomize_(In2INDenoiser(mode, SMALL), seed)
        theirs = official_denoiser(nets, mode, SMALL)
        theirs.load_state_dict(ours.state_dict(), strict=True)
        theirs.eval()
        persons = 2 if mode == "interaction" else 1
        data = inputs(100 + seed, persons, conds)
        free = theirs(data["x"], data["t"], mask=None, cond=data["cond"])
        masked = theirs(data["x"], data["t"], mask=data["mask"], cond=data["cond"])
        npz(out / f"in2in_{mode}.npz", seed=seed, **config_arrays(SMALL), **data, out=free, out_masked=masked)


def clip_tokens() -> tuple[torch.Tensor, list[str]]:
    """Token ids of two short texts for the small CLIP tower (registered with the ``clip`` stand-in)."""
    _clip_size.update(layers=SMALL_CLIP.layers, vocab=SMALL_CLIP.vocab)
    g = torch.Generator().manual_seed(7)
    tokens = torch.zeros(BATCH, 77, dtype=torch.long)
    for b, length in enumerate((5, 12)):  # start token, words, end token (the largest id), zeros
        tokens[b, 0] = SMALL_CLIP.vocab - 2
        tokens[b, 1:length - 1] = torch.randint(1, SMALL_CLIP.vocab - 2, (length - 2,), generator=g)
        tokens[b, length - 1] = SMALL_CLIP.vocab - 1
    texts = [f"text {b}" for b in range(BATCH)]
    _tokens.update(zip(texts, tokens))
    return tokens, texts


@torch.no_grad()
def text_goldens(in2in_module, out: Path) -> None:
    tokens, texts = clip_tokens()
    results = {}
    for mode, seed in (("interaction", 11), ("individual", 12)):
        ours = randomize_(In2IN(mode, SMALL, clip=SMALL_CLIP), seed)
        theirs = in2in_module.in2IN(official_cfg(SMALL, mode), mode)
        theirs.load_state_dict(ours.state_dict(), strict=True)
        theirs.eval()
        batch = theirs.text_process({"text": texts}, mode=mode, text_name="text", out_name="cond")
        results[f"cond_{mode}"] = batch["cond"]
    npz(out / "in2in_text.npz", seed_interaction=11, seed_individual=12, clip_layers=SMALL_CLIP.layers,
        clip_vocab=SMALL_CLIP.vocab, **config_arrays(SMALL), tokens=tokens, **results)


def write_statistics(workdir: Path, seed: int) -> dict[str, torch.Tensor]:
    """Random 262-d mean/std of both models, saved under ``workdir/data`` where the official normalisers read
    them (the Mixer's and ``MixerDiffusion``'s, built with ``workdir`` as the working folder)."""
    g = torch.Generator().manual_seed(seed)
    stats = {"ind_mean": torch.randn(262, generator=g), "ind_std": 0.5 + torch.rand(262, generator=g),
             "int_mean": torch.randn(262, generator=g), "int_std": 0.5 + torch.rand(262, generator=g)}
    (workdir / "data" / "HumanML3D").mkdir(parents=True, exist_ok=True)
    np.save(workdir / "data" / "global_mean.npy", stats["int_mean"].numpy())
    np.save(workdir / "data" / "global_std.npy", stats["int_std"].numpy())
    np.save(workdir / "data" / "HumanML3D" / "mean_ih_new.npy", stats["ind_mean"].numpy())
    np.save(workdir / "data" / "HumanML3D" / "std_ih_new.npy", stats["ind_std"].numpy())
    return stats


def seeded_mixer(cfg: MixerConfig, seed: int) -> Mixer:
    """Our Mixer (with both small denoisers) filled from ``seed``."""
    return randomize_(Mixer(In2INDenoiser("individual", SMALL), In2INDenoiser("interaction", SMALL), cfg), seed)


def official_mixer(mixer_module, workdir: Path, ours: Mixer, align: bool, mode: str = "eval_intermediate"):
    """The official Mixer at ``ours``' sizes and mode, holding its seeded weights (built in ``workdir``, whose
    statistics its normalisers read)."""
    nets, cfg = sys.modules["models.in2in"], ours.cfg
    with contextlib.chdir(workdir):
        theirs = mixer_module.Mixer(
            denoiser1=official_denoiser(nets, "individual", SMALL),
            denoiser2=official_denoiser(nets, "interaction", SMALL), nfeats=262, latent_dim=cfg.latent_dim,
            ff_size=cfg.ff_size, text_dim=768, n_blocks=cfg.num_layers, n_heads=cfg.num_heads,
            mixing_mode=cfg.mixing_mode, store_influence=True, force_influence_val=None, mode=mode, align=align)
    theirs.load_state_dict(ours.state_dict(), strict=True)
    return theirs.eval()


def denoiser_arrays() -> dict[str, int]:
    """The small denoisers' sizes, as a Mixer fixture stores them."""
    return {f"denoiser_{k}": v for k, v in config_arrays(SMALL).items()}


@torch.no_grad()
def mixer_goldens(mixer_module, workdir: Path, out: Path) -> None:
    stats = write_statistics(workdir, 31)
    for mode, name in MODE_NAMES.items():
        cfg = MixerConfig(mixing_mode=mode, **SMALL_MIXER)
        seed = 40 + mode
        ours = seeded_mixer(cfg, seed)
        theirs = official_mixer(mixer_module, workdir, ours, align=False)
        g = torch.Generator().manual_seed(200 + mode)
        x1 = torch.randn(BATCH, FRAMES, 524, generator=g)
        x2 = torch.randn(BATCH, FRAMES, 524, generator=g)
        cond = torch.randn(BATCH, 8 * 768, generator=g)
        t = torch.tensor([5, 640])
        mask = inputs(0, 2, 1)["mask"]
        results = {}
        for tag, m in (("", None), ("_masked", mask)):
            theirs.history_influence_i1, theirs.history_influence_i2 = [], []
            results[f"mixed{tag}"] = theirs(x1, t, cond=cond, mask=m, x2=x2)
            results[f"weights1{tag}"] = theirs.history_influence_i1[-1]
            results[f"weights2{tag}"] = theirs.history_influence_i2[-1]
        if mode == 4:  # the released mode also with the official alignment (sampling passes no mask)
            aligned = official_mixer(mixer_module, workdir, ours, align=True)
            results["mixed_aligned"] = aligned(x1, t, cond=cond, mask=None, x2=x2)
            results["weights1_aligned"] = aligned.history_influence_i1[-1]
            results["weights2_aligned"] = aligned.history_influence_i2[-1]
        npz(out / f"mixer_{name}.npz", seed=seed, mixing_mode=mode, **config_arrays(cfg), **denoiser_arrays(),
            **stats, x1=x1, x2=x2, t=t, cond=cond, mask=mask, **results)


@torch.no_grad()
def alignment_golden(mixer_module, out: Path) -> None:
    """The official Mixer's align step on its own: ih_to_smpl, align_motions, smpl_to_ih per person."""
    align = sys.modules["utils.alignment"]
    g = torch.Generator().manual_seed(51)
    inter = torch.randn(BATCH, FRAMES, 524, generator=g)
    ind = torch.randn(BATCH, FRAMES, 524, generator=g)
    for x in (inter, ind):  # root trajectories that travel, so the yaw between them is well defined
        for k in range(2):
            x[..., k * 262:k * 262 + 3] += 3 * torch.linspace(0, 1, FRAMES)[None, :, None] \
                * torch.randn(BATCH, 1, 3, generator=g)
    people_ind, people_int = [], []
    for k in range(2):
        a = align.ih_to_smpl(inter[..., k * 262:(k + 1) * 262])
        b = align.ih_to_smpl(ind[..., k * 262:(k + 1) * 262])
        _, b = align.align_motions(a, b, None)
        people_ind.append(align.smpl_to_ih(b))
        people_int.append(align.smpl_to_ih(a))
    npz(out / "alignment.npz", inter=inter, ind=ind, aligned_ind=torch.cat(people_ind, -1),
        roundtrip_inter=torch.cat(people_int, -1))


STEP_INDEX, STEP_FRAMES, GUIDANCE = 35, 10, 3.5  # index 35 of the official 50-step chain: t = 700 -> 680
WEIGHT_COLUMNS = [*range(0, 66, 3), 258]  # one feature per ST head output: joint j's x position, the contacts


@contextlib.contextmanager
def exact_axis_angles():
    """The official rotation round trip (``utils.alignment``: 6D -> matrix -> axis-angle -> matrix -> 6D) with its
    first half in float64, same formulas. Near an angle of pi the quaternion's real part is the square root of a
    near-zero sum, so the float32 rounding of the matrix moves the returned 6D by up to ~3e-4; random weights give
    such rotations often. The fixture so holds the official arithmetic without that rounding."""
    rc = sys.modules["utils.rotation_conversions"]
    to_matrix, to_axis_angle = rc.rotation_6d_to_matrix, rc.matrix_to_axis_angle
    rc.rotation_6d_to_matrix = lambda d6: to_matrix(d6.double())
    rc.matrix_to_axis_angle = lambda matrix: to_axis_angle(matrix).float()
    try:
        yield
    finally:
        rc.rotation_6d_to_matrix, rc.matrix_to_axis_angle = to_matrix, to_axis_angle


@torch.no_grad()
def step_golden(mixer_module, workdir: Path, out: Path) -> None:
    """One step of the official MixerMDM sampler: ``MixerDiffusion.ddim_sample`` as its sampling loop calls it,
    with the released model (the ST Mixer, aligning, under ``ClassifierFreeSampleModelX2`` at guidance 3.5).
    In: both chains' states (individual ``x1``, interaction ``x2``; they differ after the first step), t and the
    packed conditions. Out: the Mixer's x0 predictions (aligned individual, interaction; conditioned rows then
    unconditioned), its weights, the guided mix, the individual chain's centred normalised x0 and both chains'
    next states. The rotation round trips run through ``exact_axis_angles``."""
    diffusion_module = sys.modules["models.utils.gaussian_diffusion"]
    stats = write_statistics(workdir, 61)
    ours = seeded_mixer(MixerConfig(mixing_mode=MODES["st"], **SMALL_MIXER), 60)
    mixer = official_mixer(mixer_module, workdir, ours, align=True, mode="eval")
    guided = sys.modules["models.utils.cfg_sampler"].ClassifierFreeSampleModelX2(mixer, GUIDANCE)
    captured = {}
    guided.register_forward_hook(lambda module, args, output: captured.update(mix=output))
    with contextlib.chdir(workdir):  # as MixerMDM.forward builds it
        diffusion = diffusion_module.MixerDiffusion(
            use_timesteps=diffusion_module.space_timesteps(1000, "ddim50"),
            betas=diffusion_module.get_named_beta_schedule("cosine", 1000),
            model_mean_type=diffusion_module.ModelMeanType.START_X,
            model_var_type=diffusion_module.ModelVarType.FIXED_SMALL,
            loss_type=diffusion_module.LossType.MSE, rescale_timesteps=False)
    g = torch.Generator().manual_seed(300)
    x1 = torch.randn(BATCH, STEP_FRAMES, 524, generator=g)
    x2 = torch.randn(BATCH, STEP_FRAMES, 524, generator=g)
    cond = torch.randn(BATCH, 8 * 768, generator=g)
    with exact_axis_angles():
        step = diffusion.ddim_sample(guided, x1, x2, torch.full((BATCH,), STEP_INDEX), clip_denoised=False,
                                     model_kwargs={"mask": None, "cond": cond})
    npz(out / "mixer_step.npz", seed=60, mixing_mode=ours.cfg.mixing_mode, **config_arrays(ours.cfg),
        **denoiser_arrays(), **stats, guidance=GUIDANCE, t=diffusion.timestep_map[STEP_INDEX],
        t_prev=diffusion.timestep_map[STEP_INDEX - 1], x1=x1, x2=x2, cond=cond, out1=mixer.history_out1[-1],
        out2=mixer.history_out2[-1], weights1=mixer.history_influence_i1[-1][..., WEIGHT_COLUMNS],
        weights2=mixer.history_influence_i2[-1][..., WEIGHT_COLUMNS], mix=captured["mix"],
        x0_individual=step["pred_xstart"], next_x1=step["sample"], next_x2=step["sample2"])


TOKENIZER_TEXTS = ["two people shake hands", "The person jumps, then waves!", "  one person pushes   the other  ",
                   "a person walks 3 steps forward & turns left", "someone's hugging their friend (tightly)",
                   "<|endoftext|> stray markers", "x" * 300, "", "café déjà vu"]


def learn_merges(texts: list[str], count: int) -> list[tuple[str, str]]:
    """A small BPE merge list learnt from ``texts`` (most frequent adjacent pair first, ties by first seen), so the
    tokenizer test needs no CLIP file."""
    words = [list(w[:-1]) + [w[-1] + "</w>"] for t in texts for w in t.lower().split()]
    merges = []
    for _ in range(count):
        pairs: dict[tuple[str, str], int] = {}
        for w in words:
            for pair in zip(w, w[1:]):
                pairs[pair] = pairs.get(pair, 0) + 1
        if not pairs:
            break
        best = max(pairs, key=pairs.get)
        merges.append(best)
        for k, w in enumerate(words):
            merged, i = [], 0
            while i < len(w):
                if i + 1 < len(w) and (w[i], w[i + 1]) == best:
                    merged.append(w[i] + w[i + 1])
                    i += 2
                else:
                    merged.append(w[i])
                    i += 1
            words[k] = merged
    return merges


def tokenizer_golden(clip_dir: Path, out: Path) -> None:
    """openai/CLIP's SimpleTokenizer + tokenize(truncate=True) on a small merges file learnt here."""
    import gzip

    from mixermdm_core.corpus.texts import INDIVIDUAL  # the corpus's templates: words the models know

    texts = [t for templates in INDIVIDUAL.values() for t in templates]
    merges = learn_merges(texts, 300)
    path = out / "bpe_small.txt.gz"
    with gzip.open(path, "wt", encoding="utf-8") as f:
        f.write("#version: 0.2\n" + "\n".join(" ".join(m) for m in merges) + "\n")
    sys.modules["ftfy"] = types.SimpleNamespace(fix_text=lambda text: text)
    spec = importlib.util.spec_from_file_location("openai_simple_tokenizer", clip_dir / "clip" / "simple_tokenizer.py")
    ref = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(ref)
    tok = ref.SimpleTokenizer(str(path))
    ids = torch.zeros(len(TOKENIZER_TEXTS), 77, dtype=torch.long)
    for row, text in enumerate(TOKENIZER_TEXTS):  # clip.tokenize(texts, truncate=True)
        tokens = [tok.encoder["<|startoftext|>"]] + tok.encode(text) + [tok.encoder["<|endoftext|>"]]
        if len(tokens) > 77:
            tokens = tokens[:77]
            tokens[-1] = tok.encoder["<|endoftext|>"]
        ids[row, :len(tokens)] = torch.tensor(tokens)
    npz(out / "clip_tokenizer.npz", ids=ids, vocab=len(tok.encoder))
    (out / "clip_tokenizer.json").write_text(json.dumps(TOKENIZER_TEXTS, indent=0) + "\n")


def import_intergen(intergen_dir: Path):
    """InterGen's ``models.nets`` and ``models.intergen``; its top-level packages are then dropped from
    ``sys.modules``, since MixerMDM's source has packages of the same names (``models``, ``utils``)."""
    sys.path.insert(0, str(intergen_dir))
    import models.intergen as intergen_module  # noqa: E402  (the official InterGen package)
    import models.nets as nets  # noqa: E402
    sys.path.remove(str(intergen_dir))
    for name in list(sys.modules):
        if name.split(".")[0] in ("models", "utils", "common", "datasets", "configs"):
            del sys.modules[name]
    return nets, intergen_module


@contextlib.contextmanager
def intergen_workdir():
    """A working folder with the ``data/global_{mean,std}.npy`` InterGen's diffusion wrapper reads when built
    (its normaliser; no forward pass used here touches them)."""
    with tempfile.TemporaryDirectory() as tmp:
        (Path(tmp) / "data").mkdir()
        np.save(Path(tmp) / "data" / "global_mean.npy", np.zeros(262, np.float32))
        np.save(Path(tmp) / "data" / "global_std.npy", np.ones(262, np.float32))
        with contextlib.chdir(tmp):
            yield


@torch.no_grad()
def intergen_goldens(nets, intergen_module, out: Path) -> None:
    """The InterGen denoiser on its own (with and without padding) and the whole module's text path."""
    seed, text_seed = 21, 22
    ours = randomize_(InterGenDenoiser(SMALL), seed)
    theirs = nets.InterDenoiser(SMALL.input_dim, latent_dim=SMALL.latent_dim, ff_size=SMALL.ff_size,
                                num_layers=SMALL.num_layers, num_heads=SMALL.num_heads, dropout=SMALL.dropout,
                                activation="gelu")
    theirs.load_state_dict(ours.state_dict(), strict=True)
    theirs.eval()
    data = inputs(121, 2, 1)
    free = theirs(data["x"], data["t"], mask=None, cond=data["cond"])
    masked = theirs(data["x"], data["t"], mask=data["mask"], cond=data["cond"])
    tokens, texts = clip_tokens()
    whole = randomize_(InterGen(SMALL, clip=SMALL_CLIP), text_seed)
    with intergen_workdir():
        theirs_whole = intergen_module.InterGen(official_cfg(SMALL, "interaction"))
    theirs_whole.load_state_dict(whole.state_dict(), strict=True)
    theirs_whole.eval()
    cond_text = theirs_whole.text_process({"text": texts})["cond"]
    npz(out / "intergen.npz", seed=seed, text_seed=text_seed, clip_layers=SMALL_CLIP.layers,
        clip_vocab=SMALL_CLIP.vocab, **config_arrays(SMALL), **data, out=free, out_masked=masked, tokens=tokens,
        cond_text=cond_text)


def shapes(module: nn.Module) -> dict[str, list[int]]:
    return {k: list(v.shape) for k, v in module.state_dict().items()}


def full_size_names(in2in_module, mixer_module, intergen_module, in2in_dir: Path | None, workdir: Path | None,
                    out: Path) -> None:
    """Names and shapes at the released sizes, from the official constructors and configs, on the meta device
    (their checkpoint loads are skipped: no files, no memory). Entries of models not given are kept."""
    _clip_size.update(layers=12, vocab=49408)
    path = out / "names.json"
    names = json.loads(path.read_text()) if path.is_file() else {}
    with torch.device("meta"):
        if in2in_module is not None:
            for mode in ("interaction", "individual"):
                yaml = "in2IN.yaml" if mode == "interaction" else "individual.yaml"
                cfg = sys.modules["utils.configs"].get_config(str(in2in_dir / "configs" / "models" / yaml))
                names[f"in2in_{mode}"] = shapes(in2in_module.in2IN(cfg, mode))
        if intergen_module is not None:  # configs/model.yaml: the sizes DenoiserConfig defaults to
            with intergen_workdir():
                names["intergen"] = shapes(intergen_module.InterGen(official_cfg(DenoiserConfig(), "interaction")))
        if mixer_module is not None:
            real_load, real_load_sd = torch.load, nn.Module.load_state_dict
            torch.load = lambda *a, **k: {}
            nn.Module.load_state_dict = lambda self, *a, **k: None
            try:
                with contextlib.chdir(workdir):
                    cfg = sys.modules["utils.configs"].get_config("configs/models/MixerMDM.yaml")
                    names["mixermdm"] = shapes(mixer_module.MixerMDM(cfg))
            finally:
                torch.load, nn.Module.load_state_dict = real_load, real_load_sd
    path.write_text(json.dumps(names, indent=0, sort_keys=True))
    print(f"wrote {path.name}: " + ", ".join(f"{k} {len(v)} tensors" for k, v in names.items()))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--clip", type=Path, required=True, help="checkout of openai/CLIP")
    parser.add_argument("--in2in", type=Path, help="checkout of pabloruizponce/in2IN (with --mixermdm)")
    parser.add_argument("--mixermdm", type=Path, help="checkout of pabloruizponce/MixerMDM (with --in2in)")
    parser.add_argument("--intergen", type=Path, help="checkout of tr3e/InterGen")
    parser.add_argument("--out", type=Path, default=ROOT / "tests" / "fixtures" / "official")
    args = parser.parse_args()
    if (args.in2in is None) != (args.mixermdm is None) or not (args.in2in or args.intergen):
        parser.error("give --in2in with --mixermdm, or --intergen, or all three")
    torch.set_num_threads(1)
    args.out.mkdir(parents=True, exist_ok=True)
    install_stand_ins(args.clip.resolve())
    tokenizer_golden(args.clip.resolve(), args.out)
    intergen_module = None
    if args.intergen:  # first: its packages leave sys.modules before MixerMDM's namesakes are imported
        nets, intergen_module = import_intergen(args.intergen.resolve())
        intergen_goldens(nets, intergen_module, args.out)
    if not args.in2in:
        full_size_names(None, None, intergen_module, None, None, args.out)
        return
    sys.path.insert(0, str(args.in2in.resolve()))
    import in2in.models.in2in as in2in_module  # noqa: E402  (the official in2IN package)
    import in2in.models.nets as nets  # noqa: E402
    sys.path.insert(0, str((args.mixermdm / "src").resolve()))
    import models.mixermdm as mixer_module  # noqa: E402  (the official MixerMDM package)

    denoiser_goldens(nets, args.out)
    text_goldens(in2in_module, args.out)
    with tempfile.TemporaryDirectory() as tmp:
        workdir = Path(tmp)
        os.symlink(args.mixermdm.resolve() / "configs", workdir / "configs")
        mixer_goldens(mixer_module, workdir, args.out)
        alignment_golden(mixer_module, args.out)
        step_golden(mixer_module, workdir, args.out)
        full_size_names(in2in_module, mixer_module, intergen_module, args.in2in.resolve(), workdir, args.out)


if __name__ == "__main__":
    main()
