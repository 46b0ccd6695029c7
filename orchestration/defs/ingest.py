"""An ingest asset for every source folder with a source.yaml (its checks: orchestration.defs.quality)."""

from __future__ import annotations

from orchestration.lib.ingest_factory import build_ingest_asset
from sources.lib.contract import discover_contracts

CONTRACTS = discover_contracts()
ingest_assets = [build_ingest_asset(c) for c in CONTRACTS]
