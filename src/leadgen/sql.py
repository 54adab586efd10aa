"""Quoting for the SQL the tooling writes itself (DuckDB, PostgreSQL): a value or name never reaches SQL raw."""

from __future__ import annotations


def literal(text: str) -> str:
    """A string literal: the text in single quotes, each quote in it doubled."""
    return "'" + text.replace("'", "''") + "'"


def quoted_identifier(name: str) -> str:
    """A quoted identifier: the name in double quotes, each double quote in it doubled."""
    return '"' + name.replace('"', '""') + '"'
