"""CLM4.5 plant functional type (PFT) parameters, read from
``hrclm/data/pft_clm45.csv`` (values and their sources documented there)."""

import csv
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

from .errors import InputError


@dataclass(frozen=True)
class PFT:
    """Parameters of one CLM4.5 PFT.

    Attributes
    ----------
    index : int
        CLM4.5 PFT number (1-16).
    name : str
    ra, rb : float
        Zeng (2001) root profile parameters [m-1].
    smpso, smpsc : float
        Soil matric potential at full stomatal opening and closure [mm].
    """

    index: int
    name: str
    ra: float
    rb: float
    smpso: float
    smpsc: float


@lru_cache(maxsize=1)
def pft_table():
    """All PFTs of the table, keyed by index."""
    text = resources.files("hrclm").joinpath("data/pft_clm45.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    return {int(r["pft"]): PFT(int(r["pft"]), r["name"], float(r["ra"]), float(r["rb"]),
                               float(r["smpso"]), float(r["smpsc"])) for r in rows}


def get_pft(pft):
    """Look up a PFT by CLM4.5 index or name.

    Raises
    ------
    InputError
        For an unknown PFT, listing the valid ones.
    """
    table = pft_table()
    if isinstance(pft, str):
        for p in table.values():
            if p.name == pft:
                return p
    elif isinstance(pft, int) and pft in table:
        return table[pft]
    valid = ", ".join(f"{p.index} ({p.name})" for p in table.values())
    raise InputError(f"PFT {pft!r} is not known; valid CLM4.5 PFTs are {valid}", argument="pft")
