"""MixerMDM core: learnable composition of human motion diffusion models.

Layout follows the data flow: ``skeleton``/``kinematics``/``rotations`` (the body), ``representation``
(feature vectors), ``data`` and ``corpus`` (motion sources), ``text`` (text encoders), ``models``
(networks), ``diffusion`` (schedules and samplers), ``composition`` (mixing strategies and pipelines),
``evaluation`` (metrics), ``visualize``/``export`` (outputs). No module here imports Gradio.
"""

__version__ = "0.1.0"
