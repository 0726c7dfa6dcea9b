"""History tapes with CLM's conventions (``&output_inparm``).

A tape is a set of history fields written every ``hist_nhtfrq`` (0: monthly
means, > 0: every N steps, < 0: every |N| hours), ``hist_mfilt`` records per
file (0: one file for the whole run), each field averaged (A), sampled at
the record's last step (I), or reduced to its maximum (X) or minimum (M) over
the record. The compiled driver accumulates the tapes as it runs
(``fortran/HistAccumMod.F90``); this module lays the tapes out for it, marks
the steps that end a record, and turns closed records into netCDF files
(written as the run goes, each renamed into place only when complete) or,
for runs kept in memory, into xarray Datasets.

Time: every record is labelled with the UTC start of its period (``time``)
and carries ``time_bounds`` [start, end). CLM labels averages with the end of
the period; hrclm uses the start so that a daily mean of 1 March is dated
1 March, and gives the bounds so that nothing is ambiguous.
"""

import os
import re
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
import pandas as pd
import xarray as xr

from .errors import InputError
from .variables import HISTORY

__all__ = ["Tape", "tapes_from_config", "TapeSet", "FLAGS", "MAX_TAPES"]

FLAGS = {"A": 1, "I": 2, "X": 3, "M": 4}
"""CLM averaging flags and their codes in HistAccumMod."""
CELL_METHODS = {"A": "time: mean", "I": "time: point", "X": "time: maximum",
                "M": "time: minimum"}
TIME_CHUNK = 512
"""Records per netCDF chunk along time in tape files."""
MAX_TAPES = 4
"""Tapes h0 .. h3 (hist_fincl1 .. hist_fincl4)."""


@dataclass
class Tape:
    """One history tape: ``fields`` is a list of (history name, flag)."""

    index: int
    nhtfrq: int
    mfilt: int
    fields: list

    @property
    def name(self):
        return f"h{self.index}"


def _slot_starts(nlev, npatch):
    """1-based first slot of every history field in the driver's step array."""
    starts, s = {}, 1
    for name, var in HISTORY.items():
        starts[name] = s
        s += var.width(nlev, npatch)
    return starts


def tapes_from_config(config):
    """The tapes the configuration asks for, checked.

    Raises InputError naming the option for an unknown field or flag, a
    missing field list, or a period that is not a whole number of steps.
    """
    nhtfrq = list(config["hist_nhtfrq"])
    ntape = len(nhtfrq)
    if not 1 <= ntape <= MAX_TAPES:
        raise InputError(f"&output_inparm hist_nhtfrq has {ntape} values; give one per tape, "
                         f"1 to {MAX_TAPES} tapes", argument="hist_nhtfrq")

    def per_tape(name):
        values = list(config[name])
        if len(values) == 1:
            return values * ntape
        if len(values) != ntape:
            raise InputError(f"&output_inparm {name} has {len(values)} values but hist_nhtfrq "
                             f"has {ntape}; give one value, or one per tape", argument=name)
        return values

    mfilt = per_tape("hist_mfilt")
    flags = per_tape("hist_avgflag_pertape")
    dtime = config["dtime"]
    tapes = []
    for k in range(ntape):
        if nhtfrq[k] < 0 and (-nhtfrq[k] * 3600.0) % dtime != 0:
            raise InputError(f"&output_inparm hist_nhtfrq = {nhtfrq[k]} (tape h{k}) is not a "
                             f"whole number of steps of dtime = {dtime:g} s", argument="hist_nhtfrq")
        names = list(config[f"hist_fincl{k + 1}"])
        if not names:
            if k > 0:
                raise InputError(f"&output_inparm hist_fincl{k + 1} is empty but tape h{k} is "
                                 "asked for by hist_nhtfrq; list its fields, e.g. "
                                 "hist_fincl2 = 'H2OSOI', 'QHR'", argument=f"hist_fincl{k + 1}")
            names = list(HISTORY)
        fields, seen = [], set()
        for entry in names:
            name, _, flag = entry.partition(":")
            name, flag = name.strip(), (flag.strip().upper() or flags[k])
            # names match whatever their case (CLM's own mix: HR_vr, W_SCALAR)
            name = next((n for n in HISTORY if n.upper() == name.upper()), name)
            if name not in HISTORY:
                raise InputError(f"&output_inparm hist_fincl{k + 1}: {entry!r} is not a history "
                                 f"field; valid fields are {', '.join(HISTORY)}",
                                 argument=f"hist_fincl{k + 1}")
            if flag not in FLAGS:
                raise InputError(f"&output_inparm hist_fincl{k + 1}: {entry!r} has flag {flag!r}; "
                                 "use A, I, X or M", argument=f"hist_fincl{k + 1}")
            if name in seen:
                raise InputError(f"&output_inparm hist_fincl{k + 1} lists {name} twice",
                                 argument=f"hist_fincl{k + 1}")
            seen.add(name)
            fields.append((name, flag))
        tapes.append(Tape(k, int(nhtfrq[k]), int(mfilt[k]), fields))
    return tapes


def every_step_tape():
    """One tape of every field at every step (soil-only runs, tests)."""
    return [Tape(0, 1, 0, [(name, "A") for name in HISTORY])]


def _steps_per_record(tape, dtime):
    if tape.nhtfrq > 0:
        return tape.nhtfrq
    if tape.nhtfrq < 0:
        return int(round(-tape.nhtfrq * 3600.0 / dtime))
    return None                                  # monthly


@dataclass
class _Open:
    """Records of one tape waiting to be written (a file being filled)."""

    path: Path = None
    tmp: str = None
    nrec: int = 0
    data: list = field(default_factory=list)
    starts: list = field(default_factory=list)
    ends: list = field(default_factory=list)


class TapeSet:
    """The tapes of one run: the driver's layout, record ends, and output.

    Parameters
    ----------
    tapes : list of Tape
    nlev, ncol : int
    dtime : float
        Step [s].
    time : numpy datetime64 array
        UTC start of every step of the run.
    dataset_attrs : callable
        Returns the global attributes and time-invariant variables of a tape
        file: ``dataset_attrs() -> (attrs, coords, extra_vars)``.
    outdir, case : optional
        Write tapes to ``outdir/<case>.hrclm.h<k>.<date>.nc`` as the run goes;
        without them the records are kept in memory (:meth:`datasets`).
    """

    def __init__(self, tapes, nlev, ncol, dtime, time, dataset_attrs, outdir=None, case=None,
                 npatch=1):
        self.tapes, self.nlev, self.ncol, self.dtime = tapes, nlev, ncol, dtime
        self.npatch = npatch
        self.time = time
        self.dataset_attrs = dataset_attrs
        self.outdir = Path(outdir) if outdir is not None else None
        self.case = case
        starts = _slot_starts(nlev, npatch)
        src, flag, first, n = [], [], [], []
        self.columns = []               # per tape: [(name, flag, first index in tape, width)]
        for tape in tapes:
            first.append(len(src) + 1)
            cols = []
            for name, fl in tape.fields:
                width = HISTORY[name].width(nlev, npatch)
                cols.append((name, fl, len(src) - (first[-1] - 1), width))
                src.extend(range(starts[name], starts[name] + width))
                flag.extend([FLAGS[fl]] * width)
            n.append(len(src) - (first[-1] - 1))
            self.columns.append(cols)
        self.hsrc = np.array(src, dtype=np.int32)
        self.hflag = np.array(flag, dtype=np.int32)
        self.tape_first = np.array(first, dtype=np.int32)
        self.tape_n = np.array(n, dtype=np.int32)
        self.hacc = np.zeros((ncol, len(src)), order="F")
        self.hcnt = np.zeros(len(tapes), dtype=np.int32)
        self.open_start = [None] * len(tapes)
        self._open = [_Open() for _ in tapes]
        self.files = [[] for _ in tapes]
        self.final_attrs = {}           # written into each file as it is closed
        self._memory = [[] for _ in tapes]
        self._month = pd.DatetimeIndex(time).month.values if any(
            t.nhtfrq == 0 for t in tapes) else None
        if self.outdir is not None and self.outdir.is_dir():
            remove_stale_temporaries(self.outdir, case)

    # -- layout of one call ---------------------------------------------------
    def record_ends(self, start, stop):
        """(ntape, stop - start) int32: 1 where step i ends a record of tape k.
        Every tape's record ends at the last step of the run."""
        nstep = self.time.size
        idx = np.arange(start, stop)
        ends = np.zeros((len(self.tapes), idx.size), dtype=np.int32, order="F")
        for k, tape in enumerate(self.tapes):
            per = _steps_per_record(tape, self.dtime)
            if per is None:
                nxt = np.minimum(idx + 1, nstep - 1)
                ends[k] = self._month[idx] != self._month[nxt]
            else:
                ends[k] = (idx + 1) % per == 0
            if stop == nstep:
                ends[k, -1] = 1
        return ends

    def record_bytes_per_step(self):
        """Upper bound of history output per step of a call [bytes per column]."""
        return 8 * sum(int(n) / (_steps_per_record(t, self.dtime) or 28 * 86400 / self.dtime)
                       for t, n in zip(self.tapes, self.tape_n))

    def out_layout(self, ends):
        """Offsets (tape_base) and size of the output buffer for these ends."""
        nrec = ends.sum(axis=1)
        sizes = nrec * self.tape_n
        base = np.concatenate([[0], np.cumsum(sizes)[:-1]]).astype(np.int32)
        return base, int(sizes.sum()), nrec

    # -- closed records ---------------------------------------------------------
    def take(self, start, stop, ends, base, nrec, hout):
        """Hand the records closed in steps [start, stop) to their tapes."""
        step = pd.Timedelta(seconds=self.dtime).to_timedelta64()
        for k in range(len(self.tapes)):
            if self.open_start[k] is None:
                self.open_start[k] = self.time[start]
            if nrec[k] == 0:
                continue
            n = int(self.tape_n[k])
            block = hout[:, base[k]:base[k] + nrec[k] * n].reshape(self.ncol, nrec[k], n, order="C")
            last = start + np.flatnonzero(ends[k])
            rec_end = self.time[last] + step
            rec_start = np.concatenate([[self.open_start[k]], rec_end[:-1]])
            self.open_start[k] = rec_end[-1] if last[-1] + 1 < self.time.size else None
            # the buffer belongs to this call (never reused): a view is enough
            self._add(k, block, rec_start, rec_end)
        # the steps already in each open record, for the next call
        for k in range(len(self.tapes)):
            after = np.flatnonzero(ends[k])
            self.hcnt[k] = (stop - start) - (after[-1] + 1) if after.size else \
                self.hcnt[k] + (stop - start)

    def _add(self, k, block, starts, ends):
        if self.outdir is None:
            self._memory[k].append((block, starts, ends))
            return
        tape = self.tapes[k]
        i = 0
        while i < block.shape[1]:
            op = self._open[k]
            room = block.shape[1] - i if tape.mfilt <= 0 else min(block.shape[1] - i,
                                                                  tape.mfilt - op.nrec)
            self._append(k, block[:, i:i + room], starts[i:i + room], ends[i:i + room])
            i += room
            if tape.mfilt > 0 and self._open[k].nrec >= tape.mfilt:
                self._close(k)

    # -- files ------------------------------------------------------------------
    def _file_name(self, k, first):
        stamp = pd.Timestamp(first)
        secs = stamp.hour * 3600 + stamp.minute * 60 + stamp.second
        return f"{self.case}.hrclm.h{k}.{stamp:%Y-%m-%d}-{secs:05d}.nc"

    def _append(self, k, block, starts, ends):
        """Append records to tape k's open file (creating it in a temporary)."""
        import netCDF4
        op = self._open[k]
        if op.tmp is None:
            op.path = self.outdir / self._file_name(k, starts[0])
            self.outdir.mkdir(parents=True, exist_ok=True)
            fd, op.tmp = tempfile.mkstemp(prefix=f".{op.path.name}.", suffix=".tmp",
                                          dir=self.outdir)
            os.close(fd)
            # the header: an empty tape written by xarray, then records appended
            empty = self._dataset(k, np.zeros((self.ncol, 0, int(self.tape_n[k]))),
                                  starts[:0], ends[:0])
            empty.to_netcdf(op.tmp, unlimited_dims=["time"])
        with netCDF4.Dataset(op.tmp, "a") as nc:
            i0 = op.nrec
            units = nc["time"].units
            cal = nc["time"].calendar
            nc["time"][i0:i0 + len(starts)] = netCDF4.date2num(
                pd.DatetimeIndex(starts).to_pydatetime(), units, cal)
            nc["time_bounds"][i0:i0 + len(starts), :] = np.stack(
                [netCDF4.date2num(pd.DatetimeIndex(x).to_pydatetime(), units, cal)
                 for x in (starts, ends)], axis=1)
            one = self.ncol == 1
            for name, _, first, width in self.columns[k]:
                vals = block[:, :, first:first + width]
                if one:
                    vals = vals[0]
                if HISTORY[name].levels == 0:
                    vals = vals[..., 0]
                var = nc[name]
                if one:
                    var[i0:i0 + len(starts), ...] = vals
                else:
                    var[:, i0:i0 + len(starts), ...] = vals
        op.nrec += len(starts)

    def _close(self, k):
        import netCDF4
        op = self._open[k]
        if op.tmp is None:
            return
        if self.final_attrs:
            with netCDF4.Dataset(op.tmp, "a") as nc:
                nc.setncatts(self.final_attrs)
        umask = os.umask(0)
        os.umask(umask)
        os.chmod(op.tmp, 0o666 & ~umask)
        os.replace(op.tmp, op.path)
        self.files[k].append(op.path)
        self._open[k] = _Open()

    def finish(self):
        """Close every open file (the run has ended)."""
        for k in range(len(self.tapes)):
            self._close(k)

    def abort(self):
        """Remove the temporaries of files not yet complete (a failed run)."""
        for op in self._open:
            if op.tmp and os.path.exists(op.tmp):
                os.remove(op.tmp)
        self._open = [_Open() for _ in self.tapes]

    # -- datasets -----------------------------------------------------------------
    def datasets(self):
        """One Dataset per tape: in memory, or opened lazily from its files."""
        out = []
        for k in range(len(self.tapes)):
            if self.outdir is None:
                parts = self._memory[k]
                block = (parts[0][0] if len(parts) == 1 else
                         np.concatenate([p[0] for p in parts], axis=1) if parts else
                         np.zeros((self.ncol, 0, int(self.tape_n[k]))))
                starts = np.concatenate([p[1] for p in parts]) if parts else self.time[:0]
                ends = np.concatenate([p[2] for p in parts]) if parts else self.time[:0]
                out.append(self._dataset(k, block, starts, ends))
            elif len(self.files[k]) == 1:
                out.append(xr.open_dataset(self.files[k][0]))      # lazy, read on use
            else:
                # one dask chunk per file (the files are written in chunks of records)
                out.append(xr.open_mfdataset(self.files[k], combine="by_coords",
                                             chunks={"time": -1}, data_vars="minimal",
                                             coords="minimal", compat="override"))
        return out

    def _dataset(self, k, block, starts, ends):
        """A tape's Dataset from its records block (ncol, nrec, n)."""
        tape = self.tapes[k]
        one = self.ncol == 1
        layer = ("time", "levsoi") if one else ("column", "time", "levsoi")
        ground = ("time", "levgrnd") if one else ("column", "time", "levgrnd")
        patch = ("time", "patch") if one else ("column", "time", "patch")
        flat = ("time",) if one else ("column", "time")
        attrs, coords, extra = self.dataset_attrs()
        variables = {}
        for name, fl, first, width in self.columns[k]:
            var = HISTORY[name]
            vals = block[:, :, first:first + width]
            vals = vals[0] if one else vals
            dims = (layer if var.per_layer else patch if var.per_patch else
                    ground if var.per_ground_level else flat)
            if var.levels == 0:
                vals = vals[..., 0]
            variables[name] = xr.Variable(dims, vals, {"long_name": var.long_name,
                                                       "units": var.units,
                                                       "cell_methods": CELL_METHODS[fl]})
        variables.update(extra)
        coords = dict(coords)
        coords["time"] = ("time", np.asarray(starts, dtype="datetime64[ns]"),
                          {"long_name": "start of the record's period, UTC",
                           "bounds": "time_bounds"})
        variables["time_bounds"] = xr.Variable(
            ("time", "nbnd"), np.stack([np.asarray(starts, dtype="datetime64[ns]"),
                                        np.asarray(ends, dtype="datetime64[ns]")], axis=1)
            if len(starts) else np.zeros((0, 2), dtype="datetime64[ns]"))
        ds = xr.Dataset(variables, coords=coords)
        ds.attrs.update(attrs)
        ds.attrs.update({
            "tape": tape.name, "hist_nhtfrq": tape.nhtfrq, "hist_mfilt": tape.mfilt,
            "time_convention": "UTC; time is the start of each record's period, time_bounds "
                               "its [start, end)"})
        enc = {"time": {"units": "seconds since 1970-01-01 00:00:00", "calendar": "proleptic_gregorian",
                        "dtype": "float64"},
               "time_bounds": {"units": "seconds since 1970-01-01 00:00:00",
                               "calendar": "proleptic_gregorian", "dtype": "float64"}}
        # (ds.variables: no DataArrays built)
        for name, e in enc.items():
            ds.variables[name].encoding.update(e)
        if self.outdir is not None:
            # records are appended as the run goes: chunks of TIME_CHUNK records
            for name, var in ds.variables.items():
                if "time" in var.dims and name not in ds.coords:
                    var.encoding["chunksizes"] = tuple(
                        TIME_CHUNK if d == "time" else ds.sizes[d] for d in var.dims)
        return ds


def remove_stale_temporaries(outdir, case):
    """Remove the temporaries that an earlier run of this case left behind
    when it was killed (SIGKILL, power loss) before it could clean up."""
    for tmp in Path(outdir).glob(f".{case}.hrclm.*.nc.*.tmp"):
        try:
            tmp.unlink()
        except OSError:
            pass


_SAFE = re.compile(r"^[A-Za-z0-9._+-]+$")


def check_case_name(case):
    """A case name is used in file names: letters, digits and . _ + - only."""
    if not case or not _SAFE.match(case) or case.startswith("."):
        raise InputError(f"case_name = {case!r} is not valid: use letters, digits and . _ + - "
                         "only (it becomes part of file names)", argument="case_name")
    return case
