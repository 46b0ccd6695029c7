"""Seeded demo data in the real formats of every source (not official figures)."""
