"""Evaluation: the text-to-motion metric suite, physical plausibility figures and MixerMDM's alignment and
adaptability metrics (evaluator networks live in ``models.evaluator``)."""
