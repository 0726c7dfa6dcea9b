"""Shared test helpers."""

import os

import numpy as np
import pandas as pd
import pytest


def pytest_configure(config):
    """Tests (and the notebook kernels they start) see the packaged site
    registry and the default thread count, whatever HRCLM_SITE_PATH or
    HRCLM_NUM_THREADS the user has set."""
    for name in ("HRCLM_SITE_PATH", "HRCLM_NUM_THREADS"):
        os.environ.pop(name, None)


@pytest.fixture(scope="session")
def base_file():
    """Write two days of plausible half-hourly data in the exact AmeriFlux BASE
    layout (two '#' lines, -9999 for missing) plus a measurement-height table
    placing SWC_1_1_1 at 0.05 m and SWC_1_2_1 at 0.3 m. Returns (csv, heights)."""

    def write(folder, site, start, ta_mean=15.0, ta_amp=6.0, sw_max=700.0, swc=(15.0, 25.0)):
        t0 = pd.Timestamp(start)
        rows = []
        for i in range(96):
            a = (t0 + pd.Timedelta(minutes=30 * i)).strftime("%Y%m%d%H%M")
            b = (t0 + pd.Timedelta(minutes=30 * (i + 1))).strftime("%Y%m%d%H%M")
            hour = (i % 48) / 2
            sw = max(0.0, sw_max * np.sin(np.pi * (hour - 6) / 12))
            ta = ta_mean + ta_amp * np.sin(np.pi * (hour - 9) / 12)
            rows.append(f"{a},{b},{ta:.2f},35,{sw:.1f},320,0,87,2.5,{sw / 5:.1f},"
                        f"{swc[0] - i * 0.005:.3f},{swc[1] - i * 0.002:.3f}")
        csv = folder / f"AMF_{site}_BASE_HH_1-5.csv"
        csv.write_text(f"# Site: {site}\n# Version: 1-5\nTIMESTAMP_START,TIMESTAMP_END,TA,RH,"
                       "SW_IN,LW_IN,P,PA,WS,LE,SWC_1_1_1,SWC_1_2_1\n" + "\n".join(rows) + "\n")
        heights = folder / "heights.csv"
        heights.write_text("Site_ID,Variable,Start_Date,Height,Instrument_Model,"
                           "Instrument_Model2,Comment,BASE_Version\n"
                           f"{site},SWC_1_1_1,,-0.05,,,,1-5\n{site},SWC_1_2_1,,-0.3,,,,1-5\n")
        return csv, heights

    return write
