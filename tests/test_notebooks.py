"""The notebooks run from top to bottom, and are stored without outputs."""

import json
import shutil
from pathlib import Path

import pytest

nbclient = pytest.importorskip("nbclient")
nbformat = pytest.importorskip("nbformat")

NOTEBOOKS = sorted((Path(__file__).resolve().parents[1] / "notebooks").glob("*.ipynb"))


def test_there_are_four_notebooks():
    assert [p.name for p in NOTEBOOKS] == ["01_quickstart.ipynb", "02_hr_on_off_site.ipynb",
                                           "03_benchmark.ipynb", "04_root_scale.ipynb"]


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_is_stored_without_outputs(path):
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_notebook_runs(path, tmp_path):
    # run in a copy of the notebooks folder next to the project so that relative
    # paths to ../../shared work as in the repository, without writing into it
    work = path.parents[1] / ".notebook_runs"        # same depth as notebooks/
    shutil.rmtree(work, ignore_errors=True)
    work.mkdir(parents=True)
    try:
        nb = nbformat.read(path, as_version=4)
        nbclient.NotebookClient(nb, timeout=600, kernel_name="python3",
                                resources={"metadata": {"path": str(work)}}).execute()
    finally:
        shutil.rmtree(work, ignore_errors=True)
