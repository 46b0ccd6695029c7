"""The shared ingest machinery: contracts, readers, typing and rules, landing, archive, isolation, state."""
