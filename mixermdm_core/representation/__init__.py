"""Motion feature vectors: InterHuman 262-d (the project's native layout) and HumanML3D 263-d."""
