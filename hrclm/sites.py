"""Site registry: one TOML file per site in ``site_data/`` (installed as
``hrclm/site_data``), each value with its source.

A :class:`Site` turns the registry entry into model inputs on a soil grid:
texture per layer, cover-weighted root fractions and PFT parameters, and a
daily leaf area index from the monthly climatology.
"""

import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources

import numpy as np

from .errors import InputError
from .pft import get_pft
from .roots import zeng_rootfr

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_REQUIRED = ("id", "name", "latitude", "longitude", "elevation", "utc_offset", "igbp",
             "canopy_height", "measurement_height", "pft", "soil", "lai", "climate", "sources")
_CLIMATE = ("tmean", "trange", "precip", "wetfrac", "rh")


@dataclass(frozen=True)
class Site:
    """One registered site (fields as in its site_data TOML file)."""

    id: str
    name: str
    latitude: float
    longitude: float
    elevation: float
    utc_offset: float
    igbp: str
    canopy_height: float
    measurement_height: float
    pft: tuple
    soil: tuple
    lai: tuple
    climate: dict
    sources: dict
    swc_depths: tuple = ()
    data_years: tuple = ()
    uscrn_folder: str = ""

    # -- model inputs --------------------------------------------------------
    def pft_weights(self):
        """(PFT, fraction of the vegetated cover) pairs; fractions sum to 1."""
        total = sum(p["fraction"] for p in self.pft)
        return [(get_pft(int(p["index"])), p["fraction"] / total) for p in self.pft]

    def texture(self, grid):
        """Sand and clay [%] of each layer, from the soil horizon holding its node;
        layers below the deepest horizon take its values."""
        sand = np.empty(grid.nlev)
        clay = np.empty(grid.nlev)
        horizons = sorted(self.soil, key=lambda h: h["top"])
        for j, z in enumerate(grid.z):
            h = next((h for h in horizons if h["top"] <= z < h["bottom"]), horizons[-1])
            sand[j], clay[j] = h["sand"], h["clay"]
        return sand, clay

    def rootfr(self, grid):
        """Cover-weighted Zeng (2001) root fractions on the grid [-]."""
        return sum(w * zeng_rootfr(grid.zi, p.ra, p.rb) for p, w in self.pft_weights())

    def vegetation(self):
        """Cover-weighted PFT parameters for a single big-leaf column.

        Conductances add, so 1/rsmin is weighted; other parameters are
        weighted linearly. htop is the site's canopy height.
        """
        w = self.pft_weights()
        return dict(
            smpso=sum(f * p.smpso for p, f in w), smpsc=sum(f * p.smpsc for p, f in w),
            rsmin=1.0 / sum(f / p.rsmin for p, f in w), rgl=sum(f * p.rgl for p, f in w),
            hs=sum(f * p.hs for p, f in w), sai=sum(f * p.sai for p, f in w),
            albedo=sum(f * p.albedo for p, f in w), htop=float(self.canopy_height),
            zref=float(self.measurement_height))

    def lai_at(self, day_of_year):
        """Leaf area index [m2 m-2] on fractional days of year (1-366), linear
        between mid-month values of the monthly climatology (periodic)."""
        mid = np.array([15.5, 45.0, 74.5, 105.0, 135.5, 166.0, 196.5, 227.5, 258.0, 288.5,
                        319.0, 349.5])
        lai = np.asarray(self.lai, dtype=float)
        return np.interp(np.asarray(day_of_year, dtype=float), mid, lai, period=365.25)


def site_dir():
    """The folder holding the site TOML files."""
    return resources.files("hrclm") / "site_data"


def _check(entry, source):
    missing = [k for k in _REQUIRED if k not in entry]
    if missing:
        raise InputError(f"site file {source} lacks {', '.join(missing)}", argument="site")
    for k in _CLIMATE:
        if len(entry["climate"].get(k, [])) != 12:
            raise InputError(f"site file {source}: climate.{k} must have 12 monthly values",
                             argument="site")
    if len(entry["lai"]) != 12:
        raise InputError(f"site file {source}: lai must have 12 monthly values", argument="site")
    for h in entry["soil"]:
        if not (0 <= h["sand"] and 0 <= h["clay"] and h["sand"] + h["clay"] <= 100):
            raise InputError(f"site file {source}: soil horizon {h} has sand + clay outside "
                             "0-100 %", argument="site")


@lru_cache(maxsize=None)
def registered_sites():
    """All registered sites, keyed by id."""
    sites = {}
    for f in sorted(site_dir().iterdir(), key=lambda p: p.name):
        if not f.name.endswith(".toml"):
            continue
        entry = tomllib.loads(f.read_text())
        _check(entry, f.name)
        sites[entry["id"]] = Site(
            id=entry["id"], name=entry["name"], latitude=float(entry["latitude"]),
            longitude=float(entry["longitude"]), elevation=float(entry["elevation"]),
            utc_offset=float(entry["utc_offset"]), igbp=entry["igbp"],
            canopy_height=float(entry["canopy_height"]),
            measurement_height=float(entry["measurement_height"]),
            pft=tuple(entry["pft"]), soil=tuple(entry["soil"]), lai=tuple(entry["lai"]),
            climate=dict(entry["climate"]), sources=dict(entry["sources"]),
            swc_depths=tuple(entry.get("swc_depths", ())),
            data_years=tuple(entry.get("data_years", ())),
            uscrn_folder=entry.get("uscrn_folder", ""))
    return sites


def get_site(site_id):
    """The registered site with this id; InputError listing the valid ids otherwise."""
    sites = registered_sites()
    if site_id not in sites:
        raise InputError(f"site {site_id!r} is not registered; registered sites: "
                         f"{', '.join(sites)}", argument="site")
    return sites[site_id]
