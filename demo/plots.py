"""Matplotlib figures of the demo (object-oriented API only: safe in Gradio's worker threads)."""
from __future__ import annotations

import numpy as np
from matplotlib.figure import Figure

from mixermdm_core.composition.strategies import DualMDM
from mixermdm_core.skeleton import FPS, JOINT_NAMES

CMAP = "viridis"


def _figure(width: float, height: float) -> Figure:
    return Figure(figsize=(width, height), dpi=110, layout="constrained")


def dualmdm_curve(schedule: DualMDM) -> Figure:
    """w(t) of a DualMDM schedule over t = 1000..0 (left to right, the order of denoising)."""
    t = np.linspace(1000, 0, 201)
    w = np.array([schedule.at(float(x)) for x in t])
    fig = _figure(4.2, 2.3)
    ax = fig.add_subplot()
    ax.plot(t, w, color="#d9480f", lw=2)
    ax.fill_between(t, 0, w, color="#d9480f", alpha=0.15)
    ax.set(xlim=(1000, 0), ylim=(-0.02, 1.02), xlabel="diffusion step t (denoising →)", ylabel="w (individual)")
    ax.set_title(f"DualMDM {schedule.shape}: rate {schedule.rate:g}, scale {schedule.scale:g}", fontsize=9)
    ax.grid(alpha=0.3)
    return fig


def people_shown(active: list[bool]) -> list[int]:
    """The people whose weights are worth showing: those mixed with an individual text (else person 1)."""
    return [p for p, a in enumerate(active) if a] or [0]


def weights_heatmap(weights: np.ndarray, step: int, active: list[bool], title: str, timesteps: list[int]) -> Figure:
    """Per-joint weights (22 joints x frames) at denoising ``step`` (1-based) of (steps, T, 2, 22) weights."""
    step = int(np.clip(step, 1, len(weights)))
    people = people_shown(active)
    fig = _figure(5.2, 1.2 + 2.4 * len(people))
    axes = fig.subplots(len(people), 1, squeeze=False)[:, 0]
    frames = weights.shape[1]
    for ax, p in zip(axes, people):
        image = ax.imshow(weights[step - 1, :, p].T, aspect="auto", origin="lower", cmap=CMAP, vmin=0, vmax=1,
                          extent=(0, frames / FPS, -0.5, len(JOINT_NAMES) - 0.5), interpolation="nearest")
        ax.set_yticks(range(0, len(JOINT_NAMES), 3), [JOINT_NAMES[j] for j in range(0, len(JOINT_NAMES), 3)], fontsize=7)
        ax.set_ylabel(f"person {p + 1}", fontsize=8)
        ax.tick_params(axis="x", labelsize=7)
    axes[-1].set_xlabel("time (s)", fontsize=8)
    fig.colorbar(image, ax=list(axes), label="w (0 interaction, 1 individual)", shrink=0.9)
    axes[0].set_title(f"{title}\nstep {step}/{len(weights)} (t = {timesteps[step - 1]})", fontsize=9)
    return fig


def mean_weights(weights: np.ndarray, active: list[bool]) -> np.ndarray:
    """Mean weight per denoising step over frames, joints and the people shown."""
    return weights[:, :, people_shown(active)].mean(axis=(1, 2, 3))


def mean_weight_chart(series: list[tuple[str, np.ndarray]], active: list[bool], timesteps: list[int]) -> Figure:
    """One line per strategy: mean weight at each denoising step, plotted over t (1000 → 0)."""
    fig = _figure(8.5, 2.8)
    ax = fig.add_subplot()
    for title, weights in series:
        ax.plot(timesteps, mean_weights(weights, active), lw=2, marker="o", ms=2.5, label=title)
    ax.set(xlim=(1000, 0), ylim=(-0.02, 1.02), xlabel="diffusion step t (denoising →)", ylabel="mean w")
    ax.set_title("Mean mixing weight per denoising step (0 = interaction model, 1 = individual model)", fontsize=9)
    ax.grid(alpha=0.3)
    ax.legend(fontsize=7, loc="best")
    return fig
