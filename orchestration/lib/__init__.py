"""Factories and helpers that build definitions; nothing here defines assets at import time."""
