"""`leadgen validate faults` passes on the fault data set of any seed and scale.

The default test data set (scale 0.02, seed 42) is one draw among many: a
fault the generator lands on a row where it does not really make the fault
(a soft-deleted lead, a table with too few rows) only shows with another
seed.  Each case here generates a small data set with every fault, builds
only the models the fault check reads and their parents (models and seeds,
no tests), and asserts the check finds every injected fault handled.

To stay fast, every case reuses one raw folder and one DuckDB path, so that
dbt parses the project once and later runs parse partially (the sources
render LEADGEN_RAW_DIR and the profile the DuckDB path: changing either
would force a full parse); each built warehouse is then moved into the
case's own tmp_path.
"""

from __future__ import annotations

import shutil

import pytest

from conftest import run_dbt
from leadgen.generate import generate
from leadgen.validate.faults import MODELS_READ, validate_faults

SEEDS = (1, 2, 3, 5, 7, 11)
SCALES = (0.01, 0.02)


@pytest.fixture(scope="module")
def work(tmp_path_factory):
    """The raw folder, DuckDB path and dbt target every case of this module shares."""
    return tmp_path_factory.mktemp("fault_seeds")


@pytest.mark.parametrize("scale", SCALES)
@pytest.mark.parametrize("seed", SEEDS)
def test_every_injected_fault_is_handled(seed: int, scale: float, work, tmp_path):
    raw_dir, built = work / "raw", work / "leadgen.duckdb"
    built.unlink(missing_ok=True)  # a fresh warehouse: incremental models build from scratch
    generate(raw_dir, scale=scale, seed=seed, faults=True)
    selection = [f"+{model}" for model in MODELS_READ]
    run_dbt(
        [
            "build",
            "--select",
            *selection,
            "--resource-type",
            "model",
            "--resource-type",
            "seed",
            "--target-path",
            str(work / "target"),
            "--quiet",
        ],
        raw_dir,
        built,
    )
    warehouse = tmp_path / "leadgen.duckdb"
    shutil.move(built, warehouse)

    report = validate_faults(raw_dir, warehouse, tmp_path / "report")
    assert report.error is None, report.error
    assert report.manifest is not None and report.results, "no fault was reconciled"
    assert not report.failed, f"scale {scale} seed {seed}: faults not handled:\n" + "\n".join(
        result.line() for result in report.failed
    )
