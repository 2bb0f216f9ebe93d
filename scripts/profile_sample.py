"""Where one app request's sampling time goes: torch.profiler over a default two-strategy sample.

    PYTHONPATH=. python scripts/profile_sample.py [steps] [strategy ...] [--keep-denormals]

Prints the top operators by self CPU time and the share of the wall time spent inside each network's forward
(interaction, individual, mixer); what is left is the sampler's own work (guidance, centring, alignment,
mixing, DDIM arithmetic) and Python.
"""
import sys
import time

import torch
from torch.profiler import ProfilerActivity, profile, record_function

from mixermdm_core import ComposedPipeline
from mixermdm_core.models.precision import set_threads

steps = int(sys.argv[1]) if len(sys.argv) > 1 else 50
names = sys.argv[2:] or ["st", "dualmdm"]
keep_denormals = "--keep-denormals" in names  # to measure what flushing them saves
names = [n for n in names if n != "--keep-denormals"]
set_threads()
pipe = ComposedPipeline.from_pretrained("checkpoints")  # loading the denoisers flushes subnormals
if keep_denormals:
    torch.set_flush_denormal(False)
prompt = ("two people shake hands", ("the person is limping", ""))
pipe(prompt[0], prompt[1], names, seconds=4.0, steps=5)  # warm up: text encoder, allocator
for name, net in [("interaction", pipe.pair.interaction), ("individual", pipe.pair.individual),
                  *[(f"mixer_{k}", m) for k, m in pipe.mixers.items()]]:
    net.register_forward_pre_hook(lambda m, a, n=name: setattr(m, "_rf", record_function(n).__enter__()))
    net.register_forward_hook(lambda m, a, o: m._rf.__exit__(None, None, None))
t0 = time.perf_counter()
with profile(activities=[ProfilerActivity.CPU]) as prof:
    pipe(prompt[0], prompt[1], names, seconds=4.0, steps=steps)
wall = time.perf_counter() - t0
print(f"{' + '.join(names)}, {steps} steps, 4-s motion: {wall:.2f} s with the profiler on, {torch.get_num_threads()} threads")
events = {e.key: e for e in prof.key_averages()}
for name in ["interaction", "individual", *[f"mixer_{k}" for k in pipe.mixers]]:
    if name in events:
        e = events[name]
        print(f"  inside {name:<12} {e.cpu_time_total / 1e6:6.2f} s  {100 * e.cpu_time_total / 1e6 / wall:5.1f} %  ({e.count} calls)")
print(prof.key_averages().table(sort_by="self_cpu_time_total", row_limit=15))
