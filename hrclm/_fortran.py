"""Access to the compiled core (``_hrclm_core``, built by f90wrap + f2py) and
its error convention: a non-zero ``ierr`` with a one-sentence message that
starts with the argument name and gives 1-based (column, layer) positions."""

from . import _hrclm_core as core
from .errors import InputError

__all__ = ["core", "raise_on_error"]


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
