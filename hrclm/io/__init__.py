"""Forcing and observation data: readers of tower and station files, and a
weather generator. Every source returns the same CF-named forcing Dataset:

=========  ===========  ==========================================
variable   units        meaning
=========  ===========  ==========================================
Tair       K            air temperature
Qair       kg kg-1      specific humidity
Psurf      Pa           surface air pressure
Wind       m s-1        wind speed
SWdown     W m-2        incoming shortwave radiation
LWdown     W m-2        incoming longwave radiation
Rainf      kg m-2 s-1   precipitation (rain and snow)
CO2air     ppm          atmospheric CO2
=========  ===========  ==========================================

on a ``time`` coordinate in UTC marking the start of each period, with the
site's UTC offset and the provenance in the attributes.
"""

from .ameriflux import read_ameriflux
from .plumber2 import read_plumber2_flux, read_plumber2_met
from .uscrn import read_uscrn
from ..variables import FORCING_VARIABLES
from .weather import generate_forcing

__all__ = ["FORCING_VARIABLES", "generate_forcing", "read_ameriflux", "read_plumber2_flux",
           "read_plumber2_met", "read_uscrn"]
