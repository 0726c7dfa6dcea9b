"""hrclm: hydraulic redistribution by roots in a CLM4.5-style soil column.

The physics is compiled Fortran (``fortran/``); this package shapes data for
it and reads, runs and scores sites around it.
"""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("hrclm")
except PackageNotFoundError:  # running from a source tree that was not installed
    __version__ = "0+unknown"

from .config import load_config  # noqa: E402
from .errors import InputError  # noqa: E402
from .hr import hr_conductance, hr_flux, hr_night_switch  # noqa: E402
from .model import run, run_with_state  # noqa: E402

__all__ = ["InputError", "hr_conductance", "hr_flux", "hr_night_switch", "load_config", "run",
           "run_with_state", "__version__"]
