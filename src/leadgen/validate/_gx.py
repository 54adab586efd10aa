"""Great Expectations 1.x plumbing shared by the raw and marts gates.

One ephemeral Data Context per run: nothing is written outside the report
folder, no analytics leave the machine, no progress bars clutter the log.
Each data set (a pandas frame) gets its own Data Source asset, batch
definition, suite, validation definition and Checkpoint; every Checkpoint
runs an UpdateDataDocsAction that renders its result into one Data Docs site
under the report folder.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path

# Before great_expectations is imported: it reads the variable at import time.
os.environ.setdefault("GX_ANALYTICS_ENABLED", "false")

SITE_NAME = "leadgen_data_quality"


def _cached_view(base_name: str):
    """A Data Docs page view whose Jinja templates compile once per process.

    GX builds a new Jinja environment for every page it renders, so each page
    recompiles the same templates (about 0.3 s a page, most of a raw run).
    Site builders accept a custom `view` class; ours shares a bytecode cache.
    """
    import jinja2
    from great_expectations.render import view as gx_view

    class _MemoryBytecodeCache(jinja2.BytecodeCache):
        store: dict[str, bytes] = {}

        def load_bytecode(self, bucket):
            data = self.store.get(bucket.key)
            if data is not None:
                bucket.bytecode_from_string(data)

        def dump_bytecode(self, bucket):
            self.store[bucket.key] = bucket.bytecode_to_string()

    base = getattr(gx_view, base_name)

    class CachedView(base):
        def __init__(self, *args, **kwargs):
            super().__init__(*args, **kwargs)
            self.env.bytecode_cache = _MemoryBytecodeCache()

    CachedView.__name__ = f"Cached{base_name}"
    return CachedView


def __getattr__(name: str):
    # GX instantiates views by module and class name (see _site_config).
    if name in ("CachedDefaultJinjaPageView", "CachedDefaultJinjaIndexPageView"):
        cls = _cached_view(name.removeprefix("Cached"))
        globals()[name] = cls
        return cls
    raise AttributeError(name)


def _site_config(docs_dir: Path) -> dict:
    """One Data Docs site: validation result pages and an index (suite pages add nothing here)."""
    return {
        "class_name": "SiteBuilder",
        "show_how_to_buttons": False,
        "store_backend": {"class_name": "TupleFilesystemStoreBackend", "base_directory": str(docs_dir)},
        "site_section_builders": {
            "expectations": "0",
            "profiling": "0",
            "validations": {"view": {"module_name": __name__, "class_name": "CachedDefaultJinjaPageView"}},
        },
        "site_index_builder": {
            "class_name": "DefaultSiteIndexBuilder",
            "view": {"module_name": __name__, "class_name": "CachedDefaultJinjaIndexPageView"},
        },
    }


@dataclass
class SuiteOutcome:
    """What one suite run said, in the terms the command line reports."""

    name: str
    rows: int
    passed: int = 0
    failed_critical: list[str] = field(default_factory=list)
    failed_warning: list[str] = field(default_factory=list)


def _plain(value) -> str:
    if isinstance(value, str):
        return repr(value)
    if hasattr(value, "item"):  # numpy scalars print as np.float64(...)
        value = value.item()
    if isinstance(value, float):
        return f"{value:.6g}"
    if isinstance(value, dt.datetime) and value.time() == dt.time():
        value = value.date()
    return str(value)


def _describe(result) -> str:
    """One line for a failed expectation: its type, column and what was off."""
    config = result.expectation_config
    kwargs = config.kwargs
    target = kwargs.get("column") or ",".join(kwargs.get("column_list") or []) or "table"
    detail = result.result or {}
    if result.exception_info and result.exception_info.get("raised_exception"):
        what = f"error: {result.exception_info.get('exception_message')}"
    elif "unexpected_percent" in detail and detail.get("unexpected_percent") is not None:
        # the sample of a not-null check is only nulls: not worth printing
        index_rows = detail.get("partial_unexpected_index_list") or []
        if index_rows and isinstance(index_rows[0], dict):
            # rows named by their index columns (kpi_id, period_month, ...) say more than bare values
            shown = "; ".join(" ".join(f"{k}={_plain(v)}" for k, v in row.items()) for row in index_rows[:3])
        else:
            sample = [] if "not_be_null" in config.type else detail.get("partial_unexpected_list") or []
            shown = ", ".join(_plain(v) for v in sample[:3])
        what = f"{detail.get('unexpected_count')} rows ({detail['unexpected_percent']:.2f}%) unexpected" + (
            f", e.g. {shown}" if shown else ""
        )
    elif "observed_value" in detail:
        what = f"observed {detail['observed_value']!r}"
    else:
        what = "failed"
    mostly = kwargs.get("mostly")
    if mostly is not None and mostly < 1:
        what += f" (allowed: {1 - mostly:.0%})"
    return f"{target}: {config.type} {what}"


class GxRun:
    """An ephemeral Data Context whose Data Docs site is `docs_dir`."""

    def __init__(self, docs_dir: Path, source_name: str, docs: bool = True):
        import great_expectations as gx
        from great_expectations.data_context.types.base import (
            DataContextConfig,
            InMemoryStoreBackendDefaults,
            ProgressBarsConfig,
        )

        self._gx = gx
        self.docs = docs
        self.docs_dir = docs_dir.resolve()
        if docs:
            # A fresh site each run: pages of tables from an earlier run must not linger.
            if self.docs_dir.exists():
                shutil.rmtree(self.docs_dir)
            self.docs_dir.mkdir(parents=True)
        config = DataContextConfig(
            store_backend_defaults=InMemoryStoreBackendDefaults(),
            analytics_enabled=False,
            progress_bars=ProgressBarsConfig(globally=False),
            data_docs_sites={SITE_NAME: _site_config(self.docs_dir)},
        )
        self.context = gx.get_context(mode="ephemeral", project_config=config)
        self.source = self.context.data_sources.add_pandas(source_name)
        from great_expectations.core.run_identifier import RunIdentifier

        self.run_id = RunIdentifier(run_name=f"leadgen_{source_name}", run_time=dt.datetime.now(dt.UTC))

    def validate(self, name: str, frame, expectations: list, index_columns: list[str] | None = None) -> SuiteOutcome:
        """Run `expectations` on `frame` through a Checkpoint that updates Data Docs.

        `index_columns` name the columns that identify a failing row in messages.
        """
        gx = self._gx
        from great_expectations.checkpoint import UpdateDataDocsAction

        asset = self.source.add_dataframe_asset(name=name)
        batch = asset.add_batch_definition_whole_dataframe(f"{name} (whole frame)")
        # built whole: add_expectation re-serialises the suite on every call
        suite = self.context.suites.add(gx.ExpectationSuite(name=name, expectations=expectations))
        definition = self.context.validation_definitions.add(
            gx.ValidationDefinition(name=name, data=batch, suite=suite)
        )
        result_format = {"result_format": "SUMMARY", "partial_unexpected_count": 5}
        if index_columns:
            result_format["unexpected_index_column_names"] = index_columns
        checkpoint = self.context.checkpoints.add(
            gx.Checkpoint(
                name=name,
                validation_definitions=[definition],
                actions=[UpdateDataDocsAction(name="update_data_docs", site_names=[SITE_NAME])] if self.docs else [],
                result_format=result_format,
            )
        )
        run = checkpoint.run(batch_parameters={"dataframe": frame}, run_id=self.run_id)
        outcome = SuiteOutcome(name=name, rows=len(frame))
        for validation in run.run_results.values():
            for result in validation.results:
                if result.success:
                    outcome.passed += 1
                elif str(getattr(result.expectation_config.severity, "value", "critical")) == "critical":
                    outcome.failed_critical.append(_describe(result))
                else:
                    outcome.failed_warning.append(_describe(result))
        return outcome

    @property
    def index(self) -> Path | None:
        return self.docs_dir / "index.html" if self.docs else None


def expectation(name: str, *, critical: bool = False, **kwargs):
    """An expectation of gx.expectations by class name, severity warning unless critical."""
    import great_expectations as gx

    cls = getattr(gx.expectations, name)
    return cls(severity="critical" if critical else "warning", **kwargs)
