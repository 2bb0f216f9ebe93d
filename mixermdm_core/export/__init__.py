"""Motion exports: BVH per person, animated GLB of the skeletons, and NumPy arrays (InterHuman layout)."""
from .bvh import read_bvh, write_bvh, write_bvh_pair
from .bundle import write_bundle
from .glb import write_glb
from .npy import load_npy, save_motion_npy, save_weights_npy

__all__ = ["load_npy", "read_bvh", "save_motion_npy", "save_weights_npy", "write_bvh", "write_bundle", "write_bvh_pair",
           "write_glb"]
