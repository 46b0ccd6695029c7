"""Definitions, one module per concern: ingest, transform, reports."""
