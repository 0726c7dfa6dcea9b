"""CLM4.5 plant functional type (PFT) parameters, read from
``hrclm/data/pft_clm45.csv`` (values and their sources documented there)."""

import csv
from dataclasses import dataclass, fields
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
    c3psn : float
        Photosynthetic pathway: 1.0 C3, 0.0 C4 [-] (Tech Note Table 8.1).
    slatop : float
        Specific leaf area at the canopy top [m2 g-1 C] (Table 8.1).
    leafcn : float
        Leaf carbon:nitrogen ratio [g C g-1 N] (Table 8.1).
    flnr : float
        Fraction of leaf nitrogen in Rubisco [g N g-1 N] (Table 8.1).
    vcmax25top : float
        Canopy-top Vcmax at 25 C [umol CO2 m-2 s-1] (Table 8.1; equals
        flnr 7.16 60 / (leafcn slatop), Tech Note eqs. 8.17-8.18).
    mbbopt, bbbopt : float
        Ball-Berry slope [-] and minimum conductance before water stress
        [umol H2O m-2 s-1] (CLM4.5: 9 and 10000 for C3, 4 and 40000 for C4).
    xl : float
        Leaf orientation index chi_L [-] (Table 3.1).
    rholvis, rholnir, rhosvis, rhosnir : float
        Leaf and stem reflectance in the visible and near-infrared [-] (Table 3.1).
    taulvis, taulnir, tausvis, tausnir : float
        Leaf and stem transmittance in the visible and near-infrared [-] (Table 3.1).
    dleaf : float
        Characteristic leaf dimension [m] (Table 5.1).
    z0mr, displar : float
        Momentum roughness length and displacement height as fractions of the
        canopy top height [-] (Table 5.1).
    woody : float
        1.0 for trees and shrubs, 0.0 for grasses and crops [-].
    dsladlai : float
        Increase of specific leaf area with overlying LAI [m2 g-1 C].
    frootcn, livewdcn : float
        Fine-root and live-wood carbon:nitrogen ratios [g C g-1 N].
    froot_leaf, stem_leaf, croot_stem, flivewd : float
        Allocation of new growth: fine root per leaf, stem per leaf (-1:
        CLM4.5's dynamic allocation of trees), coarse root per stem [-], and
        the live fraction of new wood [-].
    lf_flab, lf_fcel, lf_flig, fr_flab, fr_fcel, fr_flig : float
        Labile, cellulose and lignin fractions of leaf and fine-root litter [-].
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
    c3psn: float
    slatop: float
    leafcn: float
    flnr: float
    vcmax25top: float
    mbbopt: float
    bbbopt: float
    xl: float
    rholvis: float
    rholnir: float
    rhosvis: float
    rhosnir: float
    taulvis: float
    taulnir: float
    tausvis: float
    tausnir: float
    dleaf: float
    z0mr: float
    displar: float
    woody: float
    dsladlai: float
    frootcn: float
    livewdcn: float
    froot_leaf: float
    stem_leaf: float
    croot_stem: float
    flivewd: float
    lf_flab: float
    lf_fcel: float
    lf_flig: float
    fr_flab: float
    fr_fcel: float
    fr_flig: float


@lru_cache(maxsize=1)
def pft_table():
    """All PFTs of the table, keyed by index."""
    text = resources.files("hrclm").joinpath("data/pft_clm45.csv").read_text()
    rows = csv.DictReader(line for line in text.splitlines() if not line.startswith("#"))
    numeric = tuple(f.name for f in fields(PFT))[2:]
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
