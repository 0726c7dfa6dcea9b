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
    rsmin, rgl, hs : float
        Jarvis-Stewart conductance parameters: minimum stomatal resistance
        [s m-1], light half-saturation scale [W m-2], vapour-deficit factor
        [(kg kg-1)-1].
    sai, albedo, htop : float
        Stem area index [m2 m-2], albedo [-], default canopy height [m].
    """

    index: int
    name: str
    ra: float
    rb: float
    smpso: float
    smpsc: float
    rsmin: float
    rgl: float
    hs: float
    sai: float
    albedo: float
    htop: float


@lru_cache(maxsize=1)
def pft_table():
    """All PFTs of the table, keyed by index."""
    text = resources.files("hrclm").joinpath("data/pft_clm45.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    numeric = ("ra", "rb", "smpso", "smpsc", "rsmin", "rgl", "hs", "sai", "albedo", "htop")
    return {int(r["pft"]): PFT(int(r["pft"]), r["name"], *(float(r[k]) for k in numeric))
            for r in rows}


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
