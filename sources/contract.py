"""The source contract: what `sources/<name>/source.yaml` declares, loaded and checked once."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import Any

import yaml

from sources.paths import sources_dir

COLUMN_TYPES = {"string", "integer", "decimal", "date", "boolean", "municipality_code"}
FORMATS = {"csv", "xlsx", "custom"}
REQUIRED_KEYS = ("name", "title", "family", "publisher", "licence", "owner", "cadence", "format", "columns")


class ContractError(ValueError):
    """A source.yaml that does not describe a usable source."""


@dataclass(frozen=True)
class Column:
    name: str
    type: str
    header: str  # the column's label in the delivered file
    description: str = ""
    required: bool = False
    unit: str | None = None
    allowed: tuple[str, ...] | None = None
    minimum: float | None = None
    maximum: float | None = None
    month_precision: bool = False  # dates may come as YYYY-MM (first of the month is stored)


@dataclass(frozen=True)
class SourceContract:
    name: str
    title: str
    family: str
    publisher: str
    licence: str
    owner: str
    cadence: str
    format: str
    columns: tuple[Column, ...]
    folder: Path
    primary_key: tuple[str, ...] = ()
    landing_glob: str = "*"
    reader: dict[str, Any] = field(default_factory=dict)
    url: str | None = None
    max_file_mib: float = 50.0
    description: str = ""

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def parser(self) -> ModuleType | None:
        """The source's own parse.py for irregular layouts, if it has one."""
        path = self.folder / "parse.py"
        if not path.exists():
            return None
        spec = importlib.util.spec_from_file_location(f"vc_source_{self.name}_parse", path)
        assert spec and spec.loader
        module = importlib.util.module_from_spec(spec)
        spec.loader.exec_module(module)
        if not hasattr(module, "parse"):
            raise ContractError(f"{path}: a parse.py must define parse(path, contract)")
        return module


def _column(source: str, raw: dict[str, Any]) -> Column:
    if "name" not in raw or "type" not in raw:
        raise ContractError(f"source {source}: every column needs a name and a type: {raw}")
    if raw["type"] not in COLUMN_TYPES:
        raise ContractError(
            f"source {source}: column {raw['name']} has type {raw['type']!r}; allowed types are {sorted(COLUMN_TYPES)}"
        )
    allowed = raw.get("allowed")
    return Column(
        name=raw["name"],
        type=raw["type"],
        header=str(raw.get("header", raw["name"])),
        description=raw.get("description", ""),
        required=bool(raw.get("required", False)),
        unit=raw.get("unit"),
        allowed=tuple(str(a) for a in allowed) if allowed else None,
        minimum=raw.get("min"),
        maximum=raw.get("max"),
        month_precision=bool(raw.get("month_precision", False)),
    )


def load_contract(folder: Path) -> SourceContract:
    path = folder / "source.yaml"
    try:
        raw = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as exc:
        raise ContractError(f"{path}: not valid YAML: {exc}") from exc
    if not isinstance(raw, dict):
        raise ContractError(f"{path}: expected a mapping at the top level")
    missing = [k for k in REQUIRED_KEYS if k not in raw]
    if missing:
        raise ContractError(f"{path}: missing required keys {missing}")
    if raw["name"] != folder.name:
        raise ContractError(f"{path}: name {raw['name']!r} must equal the folder name {folder.name!r}")
    if raw["format"] not in FORMATS:
        raise ContractError(f"{path}: format must be one of {sorted(FORMATS)}")
    columns = tuple(_column(raw["name"], c) for c in raw["columns"])
    names = [c.name for c in columns]
    if len(set(names)) != len(names):
        raise ContractError(f"{path}: duplicate column names")
    pk = tuple(raw.get("primary_key") or ())
    unknown = [k for k in pk if k not in names]
    if unknown:
        raise ContractError(f"{path}: primary key columns {unknown} are not declared columns")
    if raw["format"] == "custom" and not (folder / "parse.py").exists():
        raise ContractError(f"{path}: format 'custom' needs a parse.py beside source.yaml")
    return SourceContract(
        name=raw["name"],
        title=raw["title"],
        family=raw["family"],
        publisher=raw["publisher"],
        licence=raw["licence"],
        owner=raw["owner"],
        cadence=raw["cadence"],
        format=raw["format"],
        columns=columns,
        folder=folder,
        primary_key=pk,
        landing_glob=raw.get("landing_glob", "*"),
        reader=dict(raw.get("reader") or {}),
        url=raw.get("url"),
        max_file_mib=float(raw.get("max_file_mib", 50)),
        description=raw.get("description", ""),
    )


def discover_contracts(root: Path | None = None) -> list[SourceContract]:
    """Every folder under sources/ holding a source.yaml is a source, in name order."""
    root = root or sources_dir()
    return [load_contract(p.parent) for p in sorted(root.glob("*/source.yaml"))]
