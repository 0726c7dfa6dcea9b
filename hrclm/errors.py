"""Exceptions raised by hrclm."""


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
