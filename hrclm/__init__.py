"""hrclm: hydraulic redistribution by roots in a CLM4.5-style soil column.

The physics is compiled Fortran (``fortran/``); this package shapes data for
it and reads, runs and scores sites around it.
"""

from importlib.metadata import PackageNotFoundError, version

from .errors import InputError
from .hr import hr_conductance, hr_flux, hr_night_switch

try:
    __version__ = version("hrclm")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

__all__ = ["InputError", "hr_conductance", "hr_flux", "hr_night_switch", "__version__"]
