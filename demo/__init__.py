"""Gradio demo of MixerMDM studio: UI wiring, plots and temporary files around ``mixermdm_core``."""
