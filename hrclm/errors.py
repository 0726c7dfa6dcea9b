"""Exceptions raised by hrclm, the one check that an input file exists, and
the flag by which a stop request (SIGTERM, Ctrl-C) reaches the time loop."""

import threading
from pathlib import Path

_STOP = threading.Event()


def request_stop():
    """Note that the user asked the run to stop (the CLI's SIGTERM handler).

    The handler also raises KeyboardInterrupt at once; the flag makes the
    request survive when that exception lands where Python ignores it (a
    finaliser or weakref callback running at that moment): the time loop
    checks it between chunks (:func:`check_stop`)."""
    _STOP.set()


def clear_stop():
    """Forget an earlier stop request (a new command starts)."""
    _STOP.clear()


def check_stop():
    """Raise KeyboardInterrupt if a stop was requested."""
    if _STOP.is_set():
        raise KeyboardInterrupt


class InputError(ValueError):
    """Bad input to the hrclm core.

    Attributes
    ----------
    argument : str or None
        Name of the offending argument, where known.
    column, layer : int or None
        0-based (numpy) column and layer index of the offending value, where
        the error concerns one value.
    """

    def __init__(self, message, argument=None, column=None, layer=None):
        super().__init__(message)
        self.argument = argument
        self.column = column
        self.layer = layer


def existing_file(path, what, argument, folder=""):
    """``path`` as a Path if it is a file; else InputError in one sentence:
    "<what> <path> is a folder<folder>" or "<what> <path> does not exist"."""
    path = Path(path)
    if path.is_dir():
        raise InputError(f"{what} {path} is a folder{folder}", argument=argument)
    if not path.is_file():
        raise InputError(f"{what} {path} does not exist", argument=argument)
    return path
