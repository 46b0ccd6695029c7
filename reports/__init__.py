"""Workbook builders: plain functions from rpt_ tables to an .xlsx; no Dagster."""
