"""Source contracts, safe readers and ingest: one folder per source, no Dagster."""
