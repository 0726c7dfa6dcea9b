"""The one door into the compiled time loop (``fortran/ColumnDriverMod.F90``).

:class:`ColumnInputs` holds the named groups of :mod:`hrclm.variables` as
arrays, filled by name; :func:`advance` runs the columns over a block of
forcing steps, in blocks of ``COLUMN_BLOCK`` columns on parallel threads,
accumulating the history tapes of a :class:`hrclm.history.TapeSet`. Both
surface modes, every kind of run (site, ensemble, soil only, spin-up) and
every input check go through here.
"""

import numpy as np

from ._fortran import core as _core, map_column_blocks
from .variables import (COLPAR, CTL_I, CTL_R, FORCING, LAYPAR, NLEVBED, PATLAY, PATPAR,
                        STATE_COL, STATE_GRND, STATE_LEV, STATE_PAT)

__all__ = ["ColumnInputs", "ColumnState", "forcing_block", "advance"]


def _fill(array, group, values, name_of_group):
    for name, value in values.items():
        try:
            var = group[name]
        except KeyError:
            raise KeyError(f"{name} is not a variable of {name_of_group} "
                           f"(fortran/ColumnVarsMod.F90): {', '.join(group)}") from None
        array[..., var.index] = value


class ColumnInputs:
    """Time-invariant inputs of ncol columns of nlev layers and npatch
    patches, by group.

    ``ctl`` : {name: value} of CTL_I and CTL_R; ``layers`` : {name: (nlev,) or
    (ncol, nlev)} of LAYPAR; ``columns`` : {name: scalar or (ncol,)} of COLPAR;
    ``patches`` : {name: (npatch,) or (ncol, npatch)} of PATPAR;
    ``patch_layers`` : {name: (nlev, npatch) or (ncol, nlev, npatch)} of PATLAY.
    Every variable of every group must be given (a missing one is an error,
    not a silent zero).
    """

    def __init__(self, ncol, nlev, npatch, ctl, layers, columns, patches, patch_layers):
        self.ncol, self.nlev, self.npatch = ncol, nlev, npatch
        for group, given, label in ((LAYPAR, layers, "layer parameters"),
                                    (COLPAR, columns, "column parameters"),
                                    (PATPAR, patches, "patch parameters"),
                                    (PATLAY, patch_layers, "patch layer parameters"),
                                    ({**CTL_I, **CTL_R}, ctl, "run control")):
            missing = [k for k in group if k not in given]
            if missing:
                raise KeyError(f"{label} lack {', '.join(missing)}")
        self.ctl_i = np.zeros(len(CTL_I), dtype=np.int32)
        self.ctl_r = np.zeros(len(CTL_R))
        _fill(self.ctl_i, CTL_I, {k: v for k, v in ctl.items() if k in CTL_I}, "ctl_i")
        _fill(self.ctl_r, CTL_R, {k: v for k, v in ctl.items() if k in CTL_R}, "ctl_r")
        self.laypar = np.zeros((ncol, nlev, len(LAYPAR)), order="F")
        _fill(self.laypar, LAYPAR, {k: np.broadcast_to(np.asarray(v, float), (ncol, nlev))
                                    for k, v in layers.items()}, "laypar")
        self.colpar = np.zeros((ncol, len(COLPAR)), order="F")
        _fill(self.colpar, COLPAR, {k: np.broadcast_to(np.asarray(v, float), (ncol,))
                                    for k, v in columns.items()}, "colpar")
        self.patpar = np.zeros((ncol, npatch, len(PATPAR)), order="F")
        _fill(self.patpar, PATPAR, {k: np.broadcast_to(np.asarray(v, float), (ncol, npatch))
                                    for k, v in patches.items()}, "patpar")
        self.patlay = np.zeros((ncol, nlev, npatch, len(PATLAY)), order="F")
        _fill(self.patlay, PATLAY, {k: np.broadcast_to(np.asarray(v, float), (ncol, nlev, npatch))
                                    for k, v in patch_layers.items()}, "patlay")

    def layer(self, name):
        return self.laypar[:, :, LAYPAR[name].index]

    def column(self, name):
        return self.colpar[:, COLPAR[name].index]

    def patch(self, name):
        """(ncol, npatch) patch parameter, or (ncol, nlev, npatch) per layer."""
        if name in PATLAY:
            return self.patlay[:, :, :, PATLAY[name].index]
        return self.patpar[:, :, PATPAR[name].index]


class ColumnState:
    """Prognostic state of ncol columns (all a restart needs), by group:
    ``lev`` (ncol, nlev, len(STATE_LEV)), ``col`` (ncol, len(STATE_COL)),
    ``pat`` (ncol, npatch, len(STATE_PAT)) and ``grnd`` (ncol, nlev +
    NLEVBED, len(STATE_GRND))."""

    def __init__(self, lev, col, pat, grnd=None, weights=None):
        self.lev = np.asfortranarray(lev, dtype=np.float64)
        self.col = np.asfortranarray(col, dtype=np.float64)
        self.pat = np.asfortranarray(pat, dtype=np.float64)
        if grnd is None:                      # 15 C everywhere
            grnd = np.full((self.lev.shape[0], self.lev.shape[1] + NLEVBED, len(STATE_GRND)),
                           288.15)
        self.grnd = np.asfortranarray(grnd, dtype=np.float64)
        #: (ncol, npatch) cover weights of the patches (for column totals)
        self.weights = (np.full(self.pat.shape[:2], 1.0 / self.pat.shape[1]) if weights is None
                        else np.broadcast_to(np.asarray(weights, float), self.pat.shape[:2]))

    @classmethod
    def from_values(cls, ncol, nlev, npatch=1, weights=None, **values):
        """State from {name: value} of the state groups; unnamed ones are 0."""
        lev = np.zeros((ncol, nlev, len(STATE_LEV)), order="F")
        col = np.zeros((ncol, len(STATE_COL)), order="F")
        pat = np.zeros((ncol, npatch, len(STATE_PAT)), order="F")
        grnd = np.zeros((ncol, nlev + NLEVBED, len(STATE_GRND)), order="F")
        values.setdefault("t_soisno", 288.15)
        values.setdefault("t_veg", 288.15)
        values.setdefault("t10", 288.15)
        for name, v in values.items():
            if name in STATE_GRND:
                grnd[:, :, STATE_GRND[name].index] = np.broadcast_to(v, (ncol, nlev + NLEVBED))
            elif name in STATE_LEV:
                lev[:, :, STATE_LEV[name].index] = np.broadcast_to(v, (ncol, nlev))
            elif name in STATE_COL:
                col[:, STATE_COL[name].index] = np.broadcast_to(v, (ncol,))
            elif name in STATE_PAT:
                pat[:, :, STATE_PAT[name].index] = np.broadcast_to(v, (ncol, npatch))
            else:
                raise KeyError(f"{name} is not a state variable: "
                               f"{', '.join([*STATE_LEV, *STATE_COL, *STATE_PAT, *STATE_GRND])}")
        return cls(lev, col, pat, grnd, weights)

    def __getitem__(self, name):
        if name in STATE_GRND:
            return self.grnd[:, :, STATE_GRND[name].index]
        if name in STATE_LEV:
            return self.lev[:, :, STATE_LEV[name].index]
        if name in STATE_PAT:
            return self.pat[:, :, STATE_PAT[name].index]
        return self.col[:, STATE_COL[name].index]

    def copy(self):
        return ColumnState(self.lev.copy(order="F"), self.col.copy(order="F"),
                           self.pat.copy(order="F"), self.grnd.copy(order="F"), self.weights)

    def total_water(self):
        """Water held by each column [mm]: soil liquid, aquifer, snow, and the
        canopy water of the patches weighted by their cover."""
        return (self["h2osoi_liq"].sum(axis=1) + self["wa"] + self["h2osno"]
                + (self.weights * self["h2ocan"]).sum(axis=1))

    # names of the previous interface
    @property
    def h2osoi_liq(self):
        return self["h2osoi_liq"]

    @property
    def zwt(self):
        return self["zwt"]

    @property
    def wa(self):
        return self["wa"]


def forcing_block(values, nstep, ncolf=1):
    """(ncolf, nforc, nstep) forcing array from {name: (nstep,) or (ncolf, nstep)};
    variables not given are 0 (a mode reads only its own, and checks them)."""
    block = np.zeros((ncolf, len(FORCING), nstep), order="F")
    for name, v in values.items():
        block[:, FORCING[name].index, :] = v
    return block


def advance(inputs, state, forc, tapes, start, stop, theta_presc=None):
    """Run steps [start, stop) of a run: ``forc`` holds their forcing
    (ncolf, nforc, stop - start); ``state`` is updated in place and the
    records the tapes close are handed to them. ``theta_presc`` (ncolp,
    nlev, stop - start) [m3 m-3], ncolp 1 or ncol, prescribes the soil
    moisture of the layers where it is not NaN (the water this takes is
    the history field QIMPOSED).

    Returns (ierr, ecol, estep, errmsg, diag): the error code of the core
    (0: success), the 1-based column and step of an error, its message, and
    per column the largest water and energy balance errors [mm, W m-2], the
    number of steps whose HR the limiter reduced, the largest soil heat
    balance error [W m-2], the most passes of the leaf temperature
    iteration (CLM4.5 canopy) and the largest soil carbon balance error
    [gC m-2] (carbon on).
    """
    ncol, nlev = inputs.ncol, inputs.nlev
    nstep = forc.shape[2]
    ends = tapes.record_ends(start, stop)
    base, nout, nrec = tapes.out_layout(ends)
    # every slot of a closed record is written by the core before it is read
    hout = np.empty((ncol, max(nout, 1)), order="F")
    diag = np.zeros((ncol, 6), order="F")
    hcnt = tapes.hcnt.copy()
    ncolf = forc.shape[0]
    presc = (np.full((1, nlev, 1), np.nan, order="F") if theta_presc is None
             else np.asfortranarray(theta_presc, dtype=np.float64))

    def run_block(blk):
        ierr, ecol, estep, errmsg = _core.f90wrap_hrclm_api__api_column_run(
            ncol, blk.start, blk.stop - blk.start, nlev, inputs.npatch, nstep, ncolf,
            presc.shape[0], presc.shape[2],
            inputs.ctl_i.size, inputs.ctl_r.size, inputs.laypar.shape[2],
            inputs.colpar.shape[1], inputs.patpar.shape[2], inputs.patlay.shape[3],
            forc.shape[1], state.lev.shape[2], state.col.shape[1], state.pat.shape[2],
            tapes.hsrc.size, len(tapes.tapes), hout.shape[1],
            inputs.ctl_i, inputs.ctl_r, inputs.laypar, inputs.colpar, inputs.patpar,
            inputs.patlay, forc, presc, state.lev, state.col, state.pat, state.grnd.shape[2],
            state.grnd, tapes.hsrc, tapes.hflag,
            tapes.tape_first, tapes.tape_n, base, ends, hcnt, tapes.hacc, hout, diag)
        return ierr, ecol + blk.start if ecol > 0 else 0, estep, errmsg

    for ierr, ecol, estep, errmsg in map_column_blocks(ncol, run_block, nlev):
        if ierr != 0:
            return ierr, ecol, estep, errmsg, diag
    tapes.take(start, stop, ends, base, nrec, hout)
    return 0, 0, 0, "", diag
