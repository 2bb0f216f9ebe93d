"""ONNX Runtime as the sampling backend on CPUs: each frozen network exported once, at load time, and run by
ONNX Runtime's CPU kernels.

Measured on a 2-core AMD EPYC (AVX-512, no AMX), the interaction model's guided forward of a two-strategy,
4-s request (batch 4, 120 frames): PyTorch eager 87 ms, ONNX Runtime 53 ms (best of 15, interleaved), outputs
equal to 6e-6 (``scripts/onnx_probe.py``); ``benchmark`` shows whole requests. The export takes about a second per
network and is kept in memory (no files: a changed checkpoint can never meet a stale graph).

The export uses PyTorch's TorchScript-based exporter (``dynamo=False``): it needs no package beyond ``onnx`` and
keeps the batch and frame dimensions free for these networks (``models/blocks.py`` reads no sizes from its
inputs for that reason); its deprecation notices are silenced here.

``OnnxNetwork`` is called exactly like the network it wraps. Calls it cannot serve go to the network itself:
with a padding mask (sampling has none; training and evaluation of padded clips do), or with gradients.
bfloat16 sampling (``precision="bf16"``) stays on PyTorch, which has the bfloat16 kernels.
"""
from __future__ import annotations

import importlib.util
import io
import os
import warnings
from typing import Sequence

import torch
from torch import nn

BACKENDS = ("torch", "onnxruntime")
ENV = "MIXERMDM_BACKEND"  # "torch" forces PyTorch for sampling


def default_backend(device: str | torch.device, precision: str) -> str:
    """onnxruntime for float32 sampling on the CPU when it is installed (unless ``MIXERMDM_BACKEND=torch``),
    else torch."""
    asked = os.environ.get(ENV, "").strip().lower()
    if asked and asked not in BACKENDS:
        raise ValueError(f"{ENV} must be one of {', '.join(BACKENDS)}, got {asked!r}")
    usable = torch.device(device).type == "cpu" and precision == "fp32" and importlib.util.find_spec("onnxruntime")
    return "onnxruntime" if usable and asked != "torch" else "torch"


class OnnxNetwork:
    """A frozen network run by ONNX Runtime; ``names`` are its tensor arguments in order (the padding mask,
    always last, is not one of them). Attributes not defined here are the network's (``granularity``, ...)."""

    def __init__(self, net: nn.Module, names: Sequence[str], example: Sequence[torch.Tensor], threads: int | None = None):
        import onnxruntime as ort

        self.net, self.names = net, tuple(names)
        axes = {n: {0: "batch", 1: "frames"} if a.dim() > 2 else {0: "batch"} for n, a in zip(self.names, example)}
        buffer = io.BytesIO()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # the exporter's deprecation notice and tracer remarks
            torch.onnx.export(net, tuple(example), buffer, input_names=list(self.names), output_names=["out"],
                              dynamic_axes={**axes, "out": {0: "batch", 1: "frames"}}, dynamo=False, opset_version=17)
        options = ort.SessionOptions()
        options.intra_op_num_threads = threads or torch.get_num_threads()
        options.inter_op_num_threads = 1
        options.add_session_config_entry("session.intra_op.allow_spinning", "0")  # leave the cores to PyTorch between calls
        self.session = ort.InferenceSession(buffer.getvalue(), options, providers=["CPUExecutionProvider"])

    def __call__(self, *args: torch.Tensor | None) -> torch.Tensor:
        tensors, mask = args[:len(self.names)], args[len(self.names):]
        if any(m is not None for m in mask) or (torch.is_grad_enabled() and any(a.requires_grad for a in tensors)):
            return self.net(*args)
        feed = {n: a.detach().cpu().numpy() for n, a in zip(self.names, tensors)}
        return torch.from_numpy(self.session.run(None, feed)[0]).to(tensors[0].device)

    def __getattr__(self, name: str):
        if name == "net":  # not set yet (a copy being built): no recursion through the line below
            raise AttributeError(name)
        return getattr(self.net, name)


def _example(kind: str, net: nn.Module) -> tuple[tuple[str, ...], tuple[torch.Tensor, ...]]:
    """Argument names and example inputs of each kind of network (2 samples, 8 frames; any size runs after)."""
    cfg = net.cfg
    t = torch.tensor([10, 500])
    if kind == "individual":
        return ("x", "t", "text"), (torch.randn(2, 8, cfg.feature_dim), t, torch.randn(2, cfg.text_dim))
    motion, text, person = torch.randn(2, 8, 2, cfg.feature_dim), torch.randn(2, cfg.text_dim), torch.randn(2, 2, cfg.text_dim)
    if kind == "interaction":
        return ("x", "t", "text", "person_text"), (motion, t, text, person)
    return ("x_a", "x_b", "t", "text", "person_text"), (motion, torch.randn_like(motion), t, text, person)


def on_onnxruntime(net: nn.Module, kind: str) -> OnnxNetwork:
    """``net`` (an ``interaction``, ``individual`` or ``mixer`` network of ours, frozen) behind ONNX Runtime."""
    names, example = _example(kind, net)
    with torch.no_grad():
        return OnnxNetwork(net, names, example)
