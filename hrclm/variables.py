"""The named groups that cross into the compiled driver, read from it.

The variables of each group (name, units, long name, CF standard name,
levels) and their order are defined once, in ``fortran/ColumnVarsMod.F90``;
this module reads them from the compiled core at import so that Python
fills and reads every array by name and never by a hand-kept index:

============  ==============================  ====================================
group         array                           CTSM counterpart
============  ==============================  ====================================
CTL_I, CTL_R  run control (mode, options)     namelist control (clm_varctl)
LAYPAR        (ncol, nlev, n) soil layers     soilstate_type parameters
COLPAR        (ncol, n) column                column parameters
PATPAR        (ncol, npatch, n) patches       pftcon: cover weight, vegetation, HR
PATLAY        (ncol, nlev, npatch, n)         roots of each patch per layer
FORCING       (ncolf, n, nstep)               atm2lnd_type (+ phenology, or the
                                              prescribed surface fluxes)
STATE_LEV     (ncol, nlev, n)                 waterstate_type per layer
STATE_COL     (ncol, n)                       waterstate_type per column
STATE_PAT     (ncol, npatch, n)               waterstate_type per patch
STATE_GRND    (ncol, nlev + NLEVBED, n)       temperature_type per ground level
HISTORY       fields a step can write         hist_addfld1d / hist_addfld2d
============  ==============================  ====================================
"""

from dataclasses import dataclass

from ._fortran import core as _core

__all__ = ["Var", "CTL_I", "CTL_R", "LAYPAR", "COLPAR", "PATPAR", "PATLAY", "FORCING",
           "STATE_LEV", "STATE_COL", "STATE_PAT", "STATE_GRND", "NLEVBED", "HISTORY", "FORCING_VARIABLES", "MODE_CANOPY", "MODE_PRESCRIBED"]

MODE_CANOPY = 1
"""Surface mode: snow, interception, canopy fluxes from the atmospheric forcing."""
MODE_PRESCRIBED = 2
"""Surface mode: water input, soil evaporation and transpiration demand given."""


@dataclass(frozen=True)
class Var:
    """One variable of a group: its 0-based position ``index`` in the group's
    last dimension, and its metadata from ColumnVarsMod."""

    index: int
    name: str
    units: str
    long_name: str
    standard_name: str
    levels: int          # 0: one value per column, 1: one per soil layer, 2: one per patch,
                         # 3: one per ground level (soil layers and NLEVBED bedrock levels)
    role: int            # forcing: 1 atmosphere, 2 phenology, 3 prescribed surface

    @property
    def per_layer(self):
        return self.levels == 1

    @property
    def per_patch(self):
        return self.levels == 2

    @property
    def per_ground_level(self):
        return self.levels == 3

    def width(self, nlev, npatch):
        """Values per column: 1, nlev, npatch or nlev + NLEVBED."""
        return {1: nlev, 2: npatch, 3: nlev + NLEVBED}.get(self.levels, 1)


def _text(b):
    return (b.decode() if isinstance(b, bytes) else str(b)).strip()


def _group(g):
    """{name: Var} of group g (numbering of api_var_info)."""
    n = _core.f90wrap_hrclm_api__api_var_info(g, 1)[0]
    out = {}
    for i in range(1, n + 1):
        _, name, units, long_name, std_name, levels, role = \
            _core.f90wrap_hrclm_api__api_var_info(g, i)
        name = _text(name)
        out[name] = Var(i - 1, name, _text(units), _text(long_name), _text(std_name),
                        int(levels), int(role))
    return out


CTL_I = _group(1)
CTL_R = _group(2)
LAYPAR = _group(3)
COLPAR = _group(4)
FORCING = _group(5)
STATE_LEV = _group(6)
STATE_COL = _group(7)
HISTORY = _group(8)
PATPAR = _group(9)
PATLAY = _group(10)
STATE_PAT = _group(11)
STATE_GRND = _group(12)

NLEVBED = 5
"""Bedrock levels below the soil layers for soil temperature (ColumnVarsMod
nlevbed; CLM4.5's levels 11-15)."""

FORCING_VARIABLES = {v.name: (v.units, v.standard_name) for v in FORCING.values() if v.role == 1}
"""Atmospheric forcing every reader and the weather generator give: name ->
(units, CF standard name), in the driver's order."""
