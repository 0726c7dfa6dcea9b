#!/usr/bin/env bash
# hrclm quick start for a fresh Debian/Ubuntu machine.
#
#   bash quickstart.sh demo   # install what is missing, build, run the main job
#   bash quickstart.sh test   # install what is missing, build, run the test suite
#
# Installs gfortran (and python3-venv) with apt-get when run as root; as any
# other user it stops and names the package to install. Everything else goes
# into a virtual environment in .venv (override with HRCLM_VENV=/path).
set -euo pipefail
cd "$(dirname "$0")"

task=${1:-demo}
case "$task" in
  demo|test) ;;
  *) echo "quickstart.sh: unknown task '$task'; use 'demo' or 'test'" >&2; exit 2 ;;
esac

python=${PYTHON:-python3}
venv=${HRCLM_VENV:-.venv}

if ! command -v "$python" >/dev/null 2>&1; then
  echo "quickstart.sh: $python was not found; install Python 3.10 or newer (Debian package python3)" >&2
  exit 1
fi
if ! "$python" -c 'import sys; sys.exit(sys.version_info < (3, 10))'; then
  echo "quickstart.sh: hrclm needs Python 3.10 or newer, but $python is $("$python" -V 2>&1)" >&2
  exit 1
fi

missing=()
command -v gfortran >/dev/null 2>&1 || missing+=(gfortran)
if [ ! -x "$venv/bin/python" ] && ! "$python" -c 'import ensurepip, venv' >/dev/null 2>&1; then
  missing+=(python3-venv)
fi
if [ ${#missing[@]} -gt 0 ]; then
  if [ "$(id -u)" -eq 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "quickstart.sh: installing ${missing[*]} with apt-get"
    export DEBIAN_FRONTEND=noninteractive
    apt-get update -qq
    apt-get install -y -qq "${missing[@]}" >/dev/null
  else
    echo "quickstart.sh: hrclm needs the Debian/Ubuntu package(s) ${missing[*]}; install them (sudo apt-get install ${missing[*]}) and run this again" >&2
    exit 1
  fi
fi

if [ ! -x "$venv/bin/python" ]; then
  "$python" -m venv "$venv"
fi
"$venv/bin/python" -m pip install --quiet --upgrade pip
# Builds the Fortran core with meson-python + f90wrap and installs hrclm.
"$venv/bin/python" -m pip install --quiet ".[test]"

if [ "$task" = demo ]; then
  "$venv/bin/hrclm" run
else
  # the pytest script (not "python -m pytest", which would put the source
  # tree first on sys.path) imports the installed, compiled package
  "$venv/bin/pytest"
fi
