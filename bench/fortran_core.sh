#!/usr/bin/env bash
# The compiled core alone, without Python: builds bench/fortran/column_driver.F90
# with the physics sources and Fortran flags of fortran/meson.build (release
# build: -O3) and prints the time per column-step of ColumnDriverRun for one
# column and for one block of 64 columns (hrclm._fortran.COLUMN_BLOCK), HR off
# and on: first with a one-slot history tape (the physics alone), then, on a
# second line, with a tape of every field at every step (the default h0).
#
#   bash bench/fortran_core.sh            # from the project root
#   VALGRIND=1 bash bench/fortran_core.sh # also: instructions per column-year (callgrind),
#                                       # physics alone (one-slot tape)
set -euo pipefail
cd "$(dirname "$0")/.."
out=$(mktemp -d)
trap 'rm -rf "$out"' EXIT
# the physics sources, in the build's dependency order, and the build's flags
src=$(sed -n "/^physics_src = files(/,/^)/p" fortran/meson.build | grep -o "'[A-Za-z_0-9]*\.F90'" | tr -d "'" | sed 's|^|fortran/|')
flags=$(sed -n "/^fortran_args = /,/])/p" fortran/meson.build | grep -o "'-[^']*'" | tr -d "'")
gfortran -O3 $flags -J "$out" $src bench/fortran/column_driver.F90 -o "$out/column_driver"
echo "gfortran $(gfortran -dumpfullversion) -O3 $(echo $flags)"
for canopy in 1 2; do
    echo "canopy $canopy ($([[ $canopy == 1 ]] && echo CLM4.5 || echo Penman-Monteith))"
    for hr in 0 1; do
        "$out/column_driver" 1 365 $hr 2 $canopy
        "$out/column_driver" 64 30 $hr 2 $canopy
    done
done
echo "canopy 1 (CLM4.5), HR on, carbon on"
"$out/column_driver" 1 365 1 2 1 1
if [[ "${VALGRIND:-0}" == 1 ]]; then
    for hr in 0 1; do
        valgrind --tool=callgrind --callgrind-out-file="$out/cg.$hr" "$out/column_driver" 1 365 $hr 0 > /dev/null 2> "$out/log.$hr"
        echo "use_hr $hr: $(grep -o 'Collected : [0-9]*' "$out/log.$hr" | grep -o '[0-9]*') instructions per column-year"
    done
    valgrind --tool=callgrind --callgrind-out-file="$out/cg.c" "$out/column_driver" 1 365 1 0 1 1 > /dev/null 2> "$out/log.c"
    echo "use_hr 1, carbon on: $(grep -o 'Collected : [0-9]*' "$out/log.c" | grep -o '[0-9]*') instructions per column-year"
    if [[ -n "${CALLGRIND_KEEP:-}" ]]; then cp "$out"/cg.* "$CALLGRIND_KEEP"/; fi
fi
