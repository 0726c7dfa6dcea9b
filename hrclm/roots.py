"""Root profiles: Zeng (2001) two-parameter root fractions as used by CLM4.5.

Zeng, X. (2001): Global vegetation root distribution for land modeling.
J. Hydrometeorol. 2, 525-530. Computed by ``fortran/RootFractionMod.F90``.
"""

import numpy as np

from ._fortran import core as _core, raise_on_error


def zeng_rootfr(zi, ra, rb):
    """Root fraction of each layer from the Zeng (2001) profile.

    The cumulative fraction above depth d is ``1 - (exp(-ra d) + exp(-rb d))/2``;
    the deepest layer takes all roots below its top, so each profile sums to 1.

    Parameters
    ----------
    zi : array_like (nlev + 1,) or (ncol, nlev + 1)
        Interface depths of the rooted layers [m], starting at the surface (0).
    ra, rb : float or array_like (ncol,)
        Zeng parameters r_a and r_b [m-1] (CLM4.5 PFT table).

    Returns
    -------
    ndarray (nlev,) or (ncol, nlev)
        Root fractions [-].
    """
    zi = np.asarray(zi, dtype=np.float64)
    one_column = zi.ndim == 1
    zi2 = np.asfortranarray(np.atleast_2d(zi))
    ncol, nlev = zi2.shape[0], zi2.shape[1] - 1
    if nlev < 1:
        raise ValueError("zi must hold at least two interfaces (one layer)")
    ra1 = np.ascontiguousarray(np.broadcast_to(np.asarray(ra, dtype=np.float64), (ncol,)))
    rb1 = np.ascontiguousarray(np.broadcast_to(np.asarray(rb, dtype=np.float64), (ncol,)))
    rootfr = np.zeros((ncol, nlev), order="F")
    ierr, errmsg = _core.f90wrap_hrclm_api__api_root_fraction_zeng(ncol, nlev, zi2, ra1, rb1, rootfr)
    raise_on_error(ierr, errmsg)
    return rootfr[0] if one_column else np.ascontiguousarray(rootfr)
