"""Tooling for the leadgen dbt project."""
