"""Build step: generate the Python glue for fortran/hrclm_api.F90.

Called by meson (fortran/meson.build) as

    python wrap.py OUTDIR KIND_MAP MODULE_NAME SOURCE...

It runs f90wrap, which writes Fortran wrappers ``f90wrap_<source>.f90`` that
flatten module procedures into plain subroutines, then f2py-f90wrap, which
writes the C extension source ``<MODULE_NAME>module.c`` and
``<MODULE_NAME>-f2pywrappers.f``. All output goes to OUTDIR inside the build
tree; nothing generated is ever committed or edited by hand.
"""
import os
import subprocess
import sys


def main(argv):
    outdir, kind_map, modname = argv[1:4]
    sources = [os.path.abspath(s) for s in argv[4:]]
    kind_map = os.path.abspath(kind_map)
    os.makedirs(outdir, exist_ok=True)
    os.chdir(outdir)
    run = [sys.executable, "-c"]
    subprocess.run(
        run + ["import sys; from f90wrap.scripts.main import main; sys.exit(main())",
               "-m", modname.lstrip("_"), "-k", kind_map, *sources],
        check=True, stdout=subprocess.DEVNULL)
    wrappers = ["f90wrap_" + os.path.splitext(os.path.basename(s))[0] + ".f90"
                for s in sources]
    for w in wrappers:
        release_gil(w)
    subprocess.run(
        run + ["import sys; from f90wrap.scripts.f2py_f90wrap import main; sys.exit(main())",
               "-m", modname, "--lower", "--build-dir", ".", *wrappers],
        check=True, stdout=subprocess.DEVNULL)


def release_gil(path):
    """Mark every wrapper threadsafe, so that f2py releases the GIL while the
    Fortran runs and Python threads can run column blocks in parallel. The
    physics holds no module state and is compiled with -frecursive (all
    locals on the stack), so concurrent calls are safe."""
    with open(path) as f:
        lines = f.read().splitlines(keepends=True)
    out = []
    for line in lines:
        out.append(line)
        if line.strip().lower() == "implicit none":
            out.append("    !f2py threadsafe\n")
    with open(path, "w") as f:
        f.writelines(out)


if __name__ == "__main__":
    main(sys.argv)
