"""MixerMDM composition: centring/alignment, mixing strategies, and the composed sampler."""
