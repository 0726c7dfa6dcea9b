"""Site registry: one TOML file per site in ``site_data/`` (installed as
``hrclm/site_data``), each value with its source.

Users add their own sites without touching the installation: folders of site
TOML files named in the environment variable ``HRCLM_SITE_PATH`` (separated
by ``os.pathsep``, ``:`` on Linux) are searched first, in order, then the
packaged registry; the first file giving an id wins.

A :class:`Site` turns the registry entry into model inputs on a soil grid:
texture per layer, cover-weighted root fractions and PFT parameters, and a
daily leaf area index from the monthly climatology.
"""

import os
import sys
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import Path

import numpy as np

from .errors import InputError
from .pft import get_pft

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover - Python 3.10
    import tomli as tomllib

_REQUIRED = ("id", "name", "latitude", "longitude", "elevation", "utc_offset", "igbp",
             "canopy_height", "measurement_height", "pft", "soil", "lai", "sources")
_CLIMATE = ("tmean", "trange", "precip", "wetfrac", "rh")

SITE_PATH_ENV = "HRCLM_SITE_PATH"
"""Environment variable naming the user's site folders (searched first)."""

#: Units of the entries of :meth:`Site.vegetation`.
VEGETATION_UNITS = {"smpso": "mm", "smpsc": "mm", "rsmin": "s m-1", "rgl": "W m-2",
                    "hs": "(kg kg-1)-1", "sai": "m2 m-2", "albedo": "", "htop": "m",
                    "zref": "m"}


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
    climate: dict   # monthly normals for the weather generator; empty if the file has none
    sources: dict
    swc_depths: tuple = ()
    data_years: tuple = ()
    uscrn_folder: str = ""
    file: str = ""  # the TOML file this entry was read from

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

    def lai_at(self, day_of_year):
        """Leaf area index [m2 m-2] on fractional days of year (1-366), linear
        between mid-month values of the monthly climatology (periodic)."""
        mid = np.array([15.5, 45.0, 74.5, 105.0, 135.5, 166.0, 196.5, 227.5, 258.0, 288.5,
                        319.0, 349.5])
        lai = np.asarray(self.lai, dtype=float)
        return np.interp(np.asarray(day_of_year, dtype=float), mid, lai, period=365.25)


def site_dir():
    """The folder holding the packaged site TOML files."""
    return resources.files("hrclm") / "site_data"


def user_site_dirs():
    """The folders named in HRCLM_SITE_PATH, in order (searched before the packaged registry)."""
    user = [d for d in os.environ.get(SITE_PATH_ENV, "").split(os.pathsep) if d]
    for d in user:
        if not os.path.isdir(d):
            raise InputError(f"{SITE_PATH_ENV} names {d!r}, which is not a folder; set it to "
                             f"folders holding site TOML files, separated by {os.pathsep!r}",
                             argument=SITE_PATH_ENV)
    return tuple(os.path.abspath(d) for d in user)


def _check(entry, source):
    missing = [k for k in _REQUIRED if k not in entry]
    if missing:
        raise InputError(f"site file {source} lacks {', '.join(missing)}", argument="site")
    if "climate" in entry:
        for k in _CLIMATE:
            if len(entry["climate"].get(k, [])) != 12:
                raise InputError(f"site file {source}: climate.{k} must have 12 monthly values",
                                 argument="site")
    if not isinstance(entry["lai"], list) or len(entry["lai"]) != 12:
        raise InputError(f"site file {source}: lai must have 12 monthly values", argument="site")
    for table, keys, what in (("pft", ("index", "fraction"), "index (CLM4.5 PFT) and fraction"),
                              ("soil", ("top", "bottom", "sand", "clay"),
                               "top, bottom (m), sand and clay (%)")):
        entries = entry[table]
        if not isinstance(entries, list) or not entries:
            raise InputError(f"site file {source}: {table} must be one or more [[{table}]] "
                             f"tables, each with {what}", argument="site")
        for i, h in enumerate(entries, 1):
            bad = [k for k in keys if not isinstance(h, dict) or isinstance(h.get(k), bool)
                   or not isinstance(h.get(k), (int, float))]
            if bad:
                raise InputError(f"site file {source}: [[{table}]] {i} lacks a number for "
                                 f"{', '.join(bad)}; each [[{table}]] needs {what}",
                                 argument="site")
    for i, p in enumerate(entry["pft"], 1):
        try:
            get_pft(int(p["index"]))
        except InputError:
            raise InputError(f"site file {source}: [[pft]] {i} index = {p['index']!r} is not a "
                             "CLM4.5 PFT; use one of 1-16 (hrclm/data/pft_clm45.csv)", argument="site") from None
    for h in entry["soil"]:
        if not (0 <= h["sand"] and 0 <= h["clay"] and h["sand"] + h["clay"] <= 100):
            raise InputError(f"site file {source}: soil horizon {h} has sand + clay outside "
                             "0-100 %", argument="site")


_PACKAGED = "hrclm/site_data/"   # how packaged files are named in messages and Site.file


def _file(label):
    """The site file a Site.file label names: a path, or a packaged file."""
    return site_dir() / label[len(_PACKAGED):] if label.startswith(_PACKAGED) else Path(label)


def _read_site_file(label):
    """The site file named by ``label`` as a :class:`Site`; InputError naming it if not valid."""
    try:
        entry = tomllib.loads(_file(label).read_text())
    except tomllib.TOMLDecodeError as err:
        raise InputError(f"site file {label} is not valid TOML ({err}); fix it there or start "
                         "from a packaged one (hrclm sites --show US-SRM prints it)",
                         argument="site") from None
    _check(entry, label)
    try:
        return Site(
            id=str(entry["id"]), name=str(entry["name"]), latitude=float(entry["latitude"]),
            longitude=float(entry["longitude"]), elevation=float(entry["elevation"]),
            utc_offset=float(entry["utc_offset"]), igbp=str(entry["igbp"]),
            canopy_height=float(entry["canopy_height"]),
            measurement_height=float(entry["measurement_height"]),
            pft=tuple(entry["pft"]), soil=tuple(entry["soil"]), lai=tuple(entry["lai"]),
            climate=dict(entry.get("climate", {})), sources=dict(entry["sources"]),
            swc_depths=tuple(entry.get("swc_depths", ())),
            data_years=tuple(entry.get("data_years", ())),
            uscrn_folder=entry.get("uscrn_folder", ""), file=label)
    except (TypeError, ValueError) as err:
        raise InputError(f"site file {label} has a value of the wrong type ({err}); numbers "
                         "must be numbers, not strings", argument="site") from None


@lru_cache(maxsize=None)
def _registry(user_dirs):
    sites = {}
    labels = [os.path.join(d, name) for d in user_dirs for name in sorted(os.listdir(d))]
    labels += [_PACKAGED + name for name in sorted(f.name for f in site_dir().iterdir())]
    for label in labels:
        if label.endswith(".toml"):
            site = _read_site_file(label)
            sites.setdefault(site.id, site)     # the first folder giving an id wins
    return sites


def registered_sites():
    """All registered sites, keyed by id: HRCLM_SITE_PATH folders first, then the package's."""
    return _registry(user_site_dirs())


def get_site(site_id):
    """The registered site with this id; InputError listing the valid ids otherwise."""
    sites = registered_sites()
    if site_id not in sites:
        raise InputError(f"site {site_id!r} is not registered; registered sites: "
                         f"{', '.join(sites)}; to add one, put its TOML file in a folder named "
                         f"in {SITE_PATH_ENV} (hrclm sites --show US-SRM prints one to copy)",
                         argument="site")
    return sites[site_id]


def site_file_text(site_id):
    """The TOML text of a registered site's file (a template for a new site)."""
    return _file(get_site(site_id).file).read_text()
