"""Exceptions raised by hrclm, and the one check that an input file exists."""

from pathlib import Path


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
