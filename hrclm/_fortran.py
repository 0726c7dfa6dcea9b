"""Access to the compiled core (``_hrclm_core``, built by f90wrap + f2py) and
its error convention: a non-zero ``ierr`` with a one-sentence message that
starts with the argument name and gives 1-based (column, layer) positions."""

import os
import threading
from concurrent.futures import ThreadPoolExecutor

from .errors import InputError

try:
    from . import _hrclm_core as core
except ImportError as err:
    _here = os.path.dirname(os.path.abspath(__file__))
    raise ImportError(
        f"hrclm's compiled core (_hrclm_core) is not in {_here}: this is the source tree, "
        "which Python found first (it is on sys.path, e.g. as the current folder); run from "
        "another folder to use the installed hrclm, or build it with "
        "'pip install --no-build-isolation -e .'") from err

__all__ = ["core", "raise_on_error", "COLUMN_BLOCK", "column_blocks", "map_column_blocks",
           "thread_count"]

#: Columns per call of the compiled core: its per-step scratch arrays live on
#: the stack and its working set stays in cache.
COLUMN_BLOCK = 64


def column_blocks(ncol):
    """Slices of at most COLUMN_BLOCK columns covering range(ncol)."""
    return [slice(b0, min(ncol, b0 + COLUMN_BLOCK)) for b0 in range(0, ncol, COLUMN_BLOCK)]


def thread_count():
    """Threads for ensembles: the HRCLM_NUM_THREADS environment variable, or
    else every core this process may use (as OMP_NUM_THREADS in OpenMP codes)."""
    value = os.environ.get("HRCLM_NUM_THREADS", "").strip()
    if value:
        if not value.isdigit() or int(value) < 1:
            raise InputError(f"HRCLM_NUM_THREADS = {value!r} is not valid: give a whole number "
                             ">= 1 (or unset it to use every core)", argument="HRCLM_NUM_THREADS")
        return int(value)
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:                       # not on Linux
        return os.cpu_count() or 1


#: Stack the calling thread may use for a block [bytes]; deeper columns run
#: in a thread of their own with a stack sized for them.
MAIN_STACK_BYTES = 4 * 2**20


def stack_bytes(nlev):
    """Stack a call of the core needs for nlev layers [bytes]: the dense
    implicit HR system of a column (nlev x nlev) and the Ryel pair list
    (nlev (nlev - 1) / 2 conductances and sources), plus a margin for the
    per-step scratch arrays of a block."""
    return 8 * nlev * nlev + 6 * nlev * nlev + 4 * 2**20


def map_column_blocks(ncol, run_block, nlev=0):
    """run_block(slice) for every block of columns, in parallel threads when
    there are several blocks (the compiled core releases the GIL), results in
    block order. One shallow block runs in the calling thread; blocks of
    deep columns (``nlev`` layers) run in threads whose stack fits them."""
    blocks = column_blocks(ncol)
    threads = min(thread_count(), len(blocks))
    need = stack_bytes(nlev)
    if threads == 1 and need <= MAIN_STACK_BYTES:
        return [run_block(b) for b in blocks]
    previous = threading.stack_size()
    threading.stack_size(max(previous, 2 * need, 32 * 2**20))
    try:
        with ThreadPoolExecutor(max_workers=threads) as pool:
            return list(pool.map(run_block, blocks))
    finally:
        threading.stack_size(previous)


def raise_on_error(ierr, errmsg, ecol=0, elev=0, one_column=False):
    """Raise :class:`InputError` if the core reported an error.

    The Fortran message is kept; the numpy (0-based) index of the offending
    value is appended, and ``argument``, ``column`` and ``layer`` are set.
    """
    if ierr == 0:
        return
    msg = errmsg.decode() if isinstance(errmsg, bytes) else str(errmsg)
    msg = msg.strip()
    argument = msg.split(" = ", 1)[0] if " = " in msg else None
    column = ecol - 1 if ecol > 0 else None
    layer = elev - 1 if elev > 0 else None
    if layer is not None:
        index = f"[{layer}]" if one_column else f"[{column}, {layer}]"
        msg = f"{msg} (numpy index {index})"
    elif column is not None and not one_column:
        msg = f"{msg} (numpy index [{column}])"
    raise InputError(msg, argument=argument, column=column, layer=layer)
