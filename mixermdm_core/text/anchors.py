"""Text anchoring: pull a prompt's sentence embedding part of the way towards the training captions nearest to it.

The interaction model learnt from about ten wordings per interaction. A paraphrase it never saw lands between
them in MiniLM space (cosine 0.65-0.9 to the nearest), and there the network does something vaguer than any of
them: "two people wrap their arms around each other" stood the pair 75 cm apart without touching, while every
training wording of a hug closes it. Anchoring moves each embedding towards a similarity-weighted mean of its
nearest training captions of the same role (interaction texts to interaction texts, per-person texts to
per-person texts), keeping ``1 - strength`` of the prompt itself, so what the wording adds (a side, a speed)
still reaches the network; a training caption is pulled towards itself and its own paraphrases. The anchors are
the captions' embeddings alone (no motion, no evaluator), stored beside the checkpoints; the empty prompt (the
"no condition" input of guidance) stays zero. The individual model's texts can be anchored the same way, towards
its own training captions (role "individual", a file of its own with its own strength; the shipped folder holds
none, since the shipped Mixers score lower with it). Measured in ``docs/evaluation.md``, "Text anchoring" and
"The individual model's texts anchored".

    python -m mixermdm_core.text.anchors --out checkpoints/text_anchors.safetensors   # from the training corpus
    python -m mixermdm_core.text.anchors --model individual --out FOLDER/individual_anchors.safetensors
"""
from __future__ import annotations

import argparse
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Sequence

import torch
from safetensors import safe_open
from safetensors.torch import load_file, save_file

MODEL_ROLES = {"interaction": ("interaction", "person"),  # the interaction model's two kinds of text condition
               "individual": ("individual",)}  # the individual model's one
DEFAULT_STRENGTH = 0.5
TOP_K = 16  # nearest captions that share the pull
TEMPERATURE = 0.03  # of the softmax over their cosine similarities: 0.03 apart weighs e times less


@dataclass
class TextAnchors:
    """Unit-norm caption embeddings (N, D) per role, and how far a prompt is pulled towards them."""

    captions: dict[str, torch.Tensor]
    encoder: str  # the text encoder that made them; prompts must come from the same one
    strength: float = DEFAULT_STRENGTH

    def __post_init__(self):
        if not 0.0 <= self.strength <= 1.0:
            raise ValueError(f"text anchoring strength must be in 0..1, got {self.strength}")
        if not self.captions:
            raise ValueError("text anchors need the captions of at least one role")

    @property
    def dim(self) -> int:
        return next(iter(self.captions.values())).shape[1]

    def require(self, roles: Sequence[str]) -> "TextAnchors":
        """Self, after checking that it holds every role in ``roles``."""
        missing = set(roles) - self.captions.keys()
        if missing:
            raise ValueError(f"text anchors lack the role(s) {sorted(missing)}")
        return self

    def pull(self, embedding: torch.Tensor, role: str) -> torch.Tensor:
        """``embedding`` (..., D) moved towards its nearest captions of ``role``, renormalised; zero rows stay zero."""
        if embedding.shape[-1] != self.dim:
            raise ValueError(f"text anchors are {self.dim}-d ({self.encoder}); got {embedding.shape[-1]}-d "
                             "embeddings from another text encoder")
        if self.strength == 0.0:
            return embedding
        self.require((role,))
        flat = embedding.reshape(-1, self.dim).float()
        anchors = self.captions[role].to(flat.device)
        near = (flat @ anchors.T).topk(min(TOP_K, len(anchors)), dim=1)
        weights = torch.softmax(near.values / TEMPERATURE, dim=1)
        target = torch.einsum("nk,nkd->nd", weights, anchors[near.indices])
        pulled = torch.nn.functional.normalize((1 - self.strength) * flat + self.strength * target, dim=1)
        pulled = torch.where(flat.norm(dim=1, keepdim=True) > 0, pulled, flat)
        return pulled.reshape(embedding.shape).to(embedding.dtype)

    def save(self, path: str | Path) -> None:
        tensors = {role: emb.to(torch.float16).contiguous() for role, emb in self.captions.items()}
        save_file(tensors, str(path), metadata={"encoder": self.encoder, "strength": str(self.strength)})

    @classmethod
    def load(cls, path: str | Path, strength: float | None = None) -> "TextAnchors":
        """Read a file written by :meth:`save`; ``strength`` (0..1) overrides the stored default."""
        with safe_open(str(path), "pt") as f:
            meta = f.metadata() or {}
        captions = {role: t.float() for role, t in load_file(str(path)).items()}
        stored = float(meta.get("strength", DEFAULT_STRENGTH))
        return cls(captions, meta.get("encoder", "unknown"), stored if strength is None else float(strength))


def from_captions(captions: dict[str, Sequence[str]], encoder, strength: float = DEFAULT_STRENGTH) -> TextAnchors:
    """Anchors from the distinct non-empty captions of each role, embedded by ``encoder``."""
    table = {}
    for role, texts in captions.items():
        distinct = sorted({t for t in texts if t.strip()})
        if not distinct:
            raise ValueError(f"no captions for the role {role!r}")
        table[role] = torch.nn.functional.normalize(encoder.encode(distinct).float(), dim=1)
    return TextAnchors(table, encoder.name, strength)


def training_captions(model: str, clips: int, seed: int) -> dict[str, list[str]]:
    """Each role's captions of a model's training split of the corpus: the interaction model reads the
    interaction clips' two kinds of text; the individual model learnt from the individual clips and from each
    person of the interaction clips (``training.sources``)."""
    from ..corpus.storage import load_or_generate

    inter = load_or_generate("interaction", clips, "train", seed)
    person = [t for pair in inter.person_texts for t in pair]
    if model == "interaction":
        return {"interaction": list(inter.texts), "person": person}
    return {"individual": list(load_or_generate("individual", clips, "train", seed).texts) + person}


def main(argv: list[str] | None = None) -> int:
    p = argparse.ArgumentParser(prog="python -m mixermdm_core.text.anchors", description=__doc__,
                                formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--out", required=True, help="safetensors file to write")
    p.add_argument("--model", choices=sorted(MODEL_ROLES), default="interaction", help="whose texts to anchor")
    p.add_argument("--clips", type=int, default=10000, help="training clips of each corpus (the shipped models')")
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--strength", type=float, default=DEFAULT_STRENGTH)
    args = p.parse_args(argv)

    from .encoders import default_encoder

    anchors = from_captions(training_captions(args.model, args.clips, args.seed), default_encoder(), args.strength)
    anchors.save(args.out)
    print(f"{args.out}: " + ", ".join(f"{len(v)} {k} captions" for k, v in anchors.captions.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
