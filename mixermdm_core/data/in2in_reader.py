"""Reader for in2IN's individual descriptions of InterHuman clips, and in2IN's normalisation statistics.

in2IN (``in2in/datasets/interhuman.py``) extends an InterHuman root with ``annots_individual/person1/{id}.txt``
and ``annots_individual/person2/{id}.txt``: one description of that person's own motion per line, written
by a language model from the interaction descriptions in ``annots/{id}.txt``. in2IN draws the interaction
text and each person's text independently; :meth:`In2INReader.triples` pairs them by line number, which
assumes line i of every file comes from interaction description i (so it requires equal line counts).
Clips without individual files are skipped by in2IN, and by :meth:`In2INReader.ids` here.
"""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from ..representation.interhuman import FEATURE_DIM
from ..representation.normalization import Normalizer
from ._io import DatasetFormatError, read_lines, require_dir
from .interhuman_reader import InterHumanReader

WHAT = "in2IN individual annotation"


@dataclass(frozen=True)
class TextTriple:
    """The interaction description and what each person does in it."""

    interaction: str
    person1: str
    person2: str


class In2INReader:
    """Interaction and individual texts of the clips under one InterHuman root folder."""

    def __init__(self, root: str | Path):
        self.interhuman = InterHumanReader(root)
        self.folder = self.interhuman.root / "annots_individual"

    def ids(self, split: str) -> list[str]:
        """The split's clips that have individual descriptions."""
        require_dir(self.folder / "person1", WHAT)
        return [c for c in self.interhuman.ids(split) if (self.folder / "person1" / f"{c}.txt").is_file()]

    def individual_texts(self, clip: str) -> tuple[list[str], list[str]]:
        """(person-1 descriptions, person-2 descriptions); a file without any is an error."""
        texts = []
        for person in ("person1", "person2"):
            path = self.folder / person / f"{clip}.txt"
            lines = read_lines(path, WHAT)
            if not lines:
                raise DatasetFormatError(f"{path}: no descriptions")
            texts.append(lines)
        return texts[0], texts[1]

    def triples(self, clip: str) -> list[TextTriple]:
        """(interaction, person 1, person 2) by line number; the three files must have as many lines."""
        interaction = self.interhuman.texts(clip)
        person1, person2 = self.individual_texts(clip)
        if not len(interaction) == len(person1) == len(person2):
            raise DatasetFormatError(
                f"{self.interhuman.root / 'annots' / f'{clip}.txt'} has {len(interaction)} descriptions but "
                f"{self.folder / 'person1' / f'{clip}.txt'} has {len(person1)} and "
                f"{self.folder / 'person2' / f'{clip}.txt'} has {len(person2)}: cannot pair them by line")
        return [TextTriple(*t) for t in zip(interaction, person1, person2)]


def load_in2in_normalizer(folder: str | Path, kind: Literal["interhuman", "hml3d"] = "interhuman") -> Normalizer:
    """in2IN's 262-d statistics from ``in2in/utils``: ``interhuman_*`` (its interaction model, equal to
    InterGen's) or ``hml3d_*`` (its individual model, HumanML3D motions in the 262-d layout)."""
    if kind not in ("interhuman", "hml3d"):
        raise ValueError(f"kind must be 'interhuman' or 'hml3d', got {kind!r}")
    return Normalizer.load(Path(folder) / kind, dim=FEATURE_DIM)
