"""Where the pipeline keeps its state: one data directory, set by VC_DATA_DIR (default ./var/)."""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]
SOURCES_DIR = Path(__file__).resolve().parents[1]


def data_dir() -> Path:
    return Path(os.environ.get("VC_DATA_DIR") or REPO_ROOT / "var").resolve()


def sources_dir() -> Path:
    """Folder holding one sub-folder per source; VC_SOURCES_DIR lets a test add a source elsewhere."""
    return Path(os.environ.get("VC_SOURCES_DIR") or SOURCES_DIR).resolve()


@dataclass(frozen=True)
class DataDir:
    root: Path

    @classmethod
    def current(cls) -> DataDir:
        return cls(data_dir())

    def landing(self, source: str) -> Path:
        return self.root / "landing" / source

    def archive(self, source: str) -> Path:
        return self.root / "archive" / source

    def raw(self, source: str) -> Path:
        return self.root / "raw" / source

    def quarantine(self, source: str) -> Path:
        return self.root / "quarantine" / source

    @property
    def deliveries(self) -> Path:
        """One Parquet per archived file: what came in, when, and how much of it was accepted."""
        return self.root / "raw" / "_deliveries"

    @property
    def source_states(self) -> Path:
        """One Parquet per source: its state for the run (sources.lib.state)."""
        return self.root / "raw" / "_sources"

    @property
    def warehouse(self) -> Path:
        return self.root / "warehouse.duckdb"

    @property
    def reports(self) -> Path:
        return self.root / "reports"

    @property
    def dagster_home(self) -> Path:
        return self.root / "dagster"

    def ensure(self) -> DataDir:
        for sub in ("landing", "archive", "raw", "quarantine", "reports"):
            (self.root / sub).mkdir(parents=True, exist_ok=True)
        self.deliveries.mkdir(parents=True, exist_ok=True)
        return self
