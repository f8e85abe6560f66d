"""Thin Dagster assets and checks around :mod:`domain`: one asset per table of the warehouse."""
