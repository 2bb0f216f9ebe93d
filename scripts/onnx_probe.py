"""One guided forward of the interaction model (a two-strategy, 4-s request: batch 4, 120 frames), PyTorch eager
against ONNX Runtime on the same weights, interleaved, best and median of N (default 15).

    PYTHONPATH=. python scripts/onnx_probe.py [N]
"""
import sys
import time

import numpy as np
import torch

from mixermdm_core.models.onnx_backend import on_onnxruntime
from mixermdm_core.models.precision import set_threads
from mixermdm_core.models.pretrained import load_denoiser

set_threads()
net, _ = load_denoiser("checkpoints/interaction.safetensors", "interaction")
fast = on_onnxruntime(net, "interaction")
args = (torch.randn(4, 120, 2, 262), torch.full((4,), 500), torch.randn(4, 384), torch.randn(4, 2, 384), None)
times = {"pytorch": [], "onnxruntime": []}
with torch.no_grad():
    print(f"max difference {float((fast(*args) - net(*args)).abs().max()):.2e}, {torch.get_num_threads()} threads")
    for _ in range(int(sys.argv[1]) if len(sys.argv) > 1 else 15):
        for name, run in (("pytorch", net), ("onnxruntime", fast)):
            start = time.perf_counter()
            run(*args)
            times[name].append(time.perf_counter() - start)
for name, t in times.items():
    print(f"{name:12s} best {1000 * min(t):.1f} ms  median {1000 * float(np.median(t)):.1f} ms")
