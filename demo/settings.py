"""Settings of the demo, read from environment variables once at start-up."""
from __future__ import annotations

import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

from mixermdm_core.devices import check_device, default_device
from mixermdm_core.models.precision import check_precision, native_cpu_precision
from mixermdm_core.paths import checkpoints_dir


def _int_env(name: str, default: int) -> int:
    value = os.environ.get(name, "").strip()
    return int(value) if value else default


def _device_env() -> str:
    """``MIXERMDM_DEVICE``, checked (ValueError naming the variable); unset: cuda where there is a GPU, else cpu."""
    value = os.environ.get("MIXERMDM_DEVICE", "").strip().lower()
    if not value:
        return default_device()
    try:
        return check_device(value)
    except ValueError as err:
        raise ValueError(f"MIXERMDM_DEVICE={value}: {err}") from None


@dataclass(frozen=True)
class Settings:
    """Where checkpoints are read and outputs written, and how much the app may keep or run at once."""

    checkpoints: Path
    output_dir: Path
    keep_requests: int = 16  # newest request folders kept on disk
    max_age_s: int = 3600  # request folders older than this are removed
    concurrency: int = 1  # requests sampled at once (1 on a CPU)
    precision: str = "fp32"  # of the networks: fp32, bf16, or auto (bf16 where the CPU computes it natively)
    device: str = "cpu"  # the networks run on (from_env: cuda where there is a GPU)

    def __post_init__(self):
        if self.precision != "auto":
            check_precision(self.precision)
        check_device(self.device)

    @classmethod
    def from_env(cls) -> Settings:
        """``MIXERMDM_CHECKPOINTS``, ``MIXERMDM_OUTPUT_DIR``, ``MIXERMDM_KEEP_REQUESTS``, ``MIXERMDM_MAX_AGE_S``,
        ``MIXERMDM_CONCURRENCY``, ``MIXERMDM_PRECISION`` and ``MIXERMDM_DEVICE``, with the defaults above;
        ValueError naming the variable when one is invalid."""
        return cls(
            checkpoints=checkpoints_dir(),
            output_dir=Path(os.environ.get("MIXERMDM_OUTPUT_DIR") or Path(tempfile.gettempdir()) / "mixermdm_studio"),
            keep_requests=max(1, _int_env("MIXERMDM_KEEP_REQUESTS", cls.keep_requests)),
            max_age_s=max(60, _int_env("MIXERMDM_MAX_AGE_S", cls.max_age_s)),
            concurrency=max(1, _int_env("MIXERMDM_CONCURRENCY", cls.concurrency)),
            precision=os.environ.get("MIXERMDM_PRECISION", "").strip().lower() or cls.precision,
            device=_device_env(),
        )

    def network_precision(self) -> str:
        """The precision the networks run in on the CPU (``auto`` resolved for this machine)."""
        return native_cpu_precision() if self.precision == "auto" else self.precision
