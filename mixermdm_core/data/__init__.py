"""Motion data: readers for the real datasets and batching of clips for training."""
