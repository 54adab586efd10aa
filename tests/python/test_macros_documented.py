"""Every macro and generic test is documented in YAML (dbt docs shows them), and nothing else is.

macros/*.sql are documented in macros/*.yml, tests/generic/*.sql in
tests/generic/*.yml (a generic test `x` is the macro `test_x`).  Each entry
needs a description, and arguments named as in the Jinja signature, in the
same order, each with a type dbt accepts and a description.  dbt checks the
argument names itself only with the validate_macro_args flag, which in dbt
1.11 cannot check generic tests (it reads no arguments from them), so the
check is made here.
"""

from __future__ import annotations

import re

import jinja2
import pytest
import yaml
from dbt.parser.schemas import is_valid_type

from conftest import REPO

FOLDERS = [REPO / "macros", REPO / "tests" / "generic"]


def _signatures() -> dict[str, list[str]]:
    """Macro name -> argument names, for every macro and generic test in FOLDERS."""
    env = jinja2.Environment(extensions=["jinja2.ext.do"])
    found: dict[str, list[str]] = {}
    for folder in FOLDERS:
        for path in sorted(folder.rglob("*.sql")):
            text = path.read_text()
            # a generic test block is a macro named test_<name>
            text = re.sub(r"{%(-?)\s*test\s+(\w+)", r"{%\1 macro test_\2", text)
            text = re.sub(r"{%(-?)\s*endtest\b", r"{%\1 endmacro", text)
            for macro in env.parse(text).find_all(jinja2.nodes.Macro):
                assert macro.name not in found, f"{path.name}: macro {macro.name} defined twice"
                found[macro.name] = [arg.name for arg in macro.args]
    return found


def _entries() -> list[tuple[str, dict]]:
    """(yml file name, entry) for every macros: entry in the YAML of FOLDERS."""
    entries = []
    for folder in FOLDERS:
        for path in sorted([*folder.glob("*.yml"), *folder.glob("*.yaml")]):
            for entry in (yaml.safe_load(path.read_text()) or {}).get("macros") or []:
                entries.append((f"{folder.name}/{path.name}", entry))
    return entries


SIGNATURES = _signatures()
ENTRIES = _entries()


def test_macros_are_found():
    assert "first_values_by" in SIGNATURES and "test_expression_is_true" in SIGNATURES
    assert len(SIGNATURES) > 100


def test_every_macro_has_one_entry_and_every_entry_a_macro():
    names = [entry["name"] for _, entry in ENTRIES]
    duplicates = sorted({name for name in names if names.count(name) > 1})
    undocumented = sorted(set(SIGNATURES) - set(names))
    unknown = sorted(set(names) - set(SIGNATURES))
    problems = [
        f"{label}: {names}"
        for label, names in [
            ("documented more than once", duplicates),
            ("macros without a YAML entry", undocumented),
            ("YAML entries naming no macro", unknown),
        ]
        if names
    ]
    assert not problems, "\n".join(problems)


@pytest.mark.parametrize("source, entry", ENTRIES, ids=[entry["name"] for _, entry in ENTRIES])
def test_entry_describes_the_macro_and_its_arguments(source, entry):
    name = entry["name"]
    assert str(entry.get("description") or "").strip(), f"{source}: {name} has no description"
    if name not in SIGNATURES:
        pytest.skip("no such macro (reported by the test above)")
    arguments = entry.get("arguments")
    assert arguments is not None, f"{source}: {name} lists no arguments (write arguments: [] when it takes none)"
    assert [a.get("name") for a in arguments] == SIGNATURES[name], (
        f"{source}: {name} arguments {[a.get('name') for a in arguments]} != the macro's {SIGNATURES[name]}"
    )
    for argument in arguments:
        assert is_valid_type(str(argument.get("type") or "")), (
            f"{source}: {name}({argument['name']}) needs a type dbt accepts, not {argument.get('type')!r}"
        )
        assert str(argument.get("description") or "").strip(), (
            f"{source}: {name}({argument['name']}) has no description"
        )
