"""Placeholder: the generator is being written (see generate/ package)."""
import datetime as _dt

DEFAULT_AS_OF = _dt.date(2026, 10, 31)


def generate(out_dir, scale=1.0, seed=42, faults=False, as_of=DEFAULT_AS_OF):
    raise NotImplementedError
