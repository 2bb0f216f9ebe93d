"""Networks: the two denoisers, the Mixer, the discriminators and the evaluators."""
