"""Official InterGen / in2IN / MixerMDM network architectures in our own code, with the official parameter names.

State dicts of the released checkpoints load into these modules with ``strict=True``; the golden tests
(tests/test_official_*.py, fixtures made by scripts/make_official_goldens.py) check their outputs against the
official implementation on seeded random weights.
"""
from .alignment import official_alignment
from .discriminator import DiscriminatorConfig, MotionDiscriminator
from .in2in import DenoiserConfig, In2IN, In2INDenoiser
from .intergen import InterGen, InterGenDenoiser
from .mixer import Mixer, MixerConfig, expand_joint_weights, feature_weights
from .mixermdm import MixerMDM, read_official_mixermdm
from .seeding import randomize_
from .text import ClipConfig, ClipTextTower, SentenceHead

__all__ = ["ClipConfig", "ClipTextTower", "DenoiserConfig", "DiscriminatorConfig", "In2IN", "In2INDenoiser",
           "InterGen", "InterGenDenoiser", "Mixer", "MixerConfig", "MixerMDM", "MotionDiscriminator", "SentenceHead",
           "expand_joint_weights", "feature_weights", "official_alignment", "randomize_", "read_official_mixermdm"]
