"""An ingest asset and its blocking check for every source folder with a source.yaml."""

from __future__ import annotations

from orchestration.lib.ingest_factory import build_ingest_asset, ingest_asset_check
from sources.contract import discover_contracts

CONTRACTS = discover_contracts()
ingest_assets = [build_ingest_asset(c) for c in CONTRACTS]
ingest_checks = [ingest_asset_check(c) for c in CONTRACTS]
