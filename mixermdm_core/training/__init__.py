"""Training loops (denoisers, Mixer, evaluators), their configs and data assembly."""
