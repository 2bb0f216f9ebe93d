"""Text encoders: sentence embeddings for the prompts that condition every network."""
from .encoders import CachedEncoder, ClipEncoder, MiniLMEncoder, TextEncoder, default_encoder

__all__ = ["TextEncoder", "MiniLMEncoder", "ClipEncoder", "CachedEncoder", "default_encoder"]
