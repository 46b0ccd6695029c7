"""Dagster definitions for the warehouse: the only package that imports Dagster."""
