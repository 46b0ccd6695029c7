"""The source contract: what `sources/<name>/source.yaml` declares, loaded and checked once."""

from __future__ import annotations

import importlib.util
from dataclasses import dataclass, field
from pathlib import Path
from types import ModuleType
from typing import TYPE_CHECKING, Any, Protocol, runtime_checkable

import yaml

from sources.lib.paths import SOURCES_DIR, sources_dir

if TYPE_CHECKING:
    from sources.lib.cells import RawTable

COLUMN_TYPES = {"string", "integer", "decimal", "date", "boolean", "municipality_code"}
DELIVERY_KINDS = {"snapshot", "increment"}
FORMATS = {"csv", "xlsx", "json", "custom"}
ENCODINGS = {"utf-8", "cp1252"}  # cp1252 only where a publisher really delivers it; UTF-8 with or without BOM
ROW_RULE_OPERATORS = {"<", "<=", "==", "!=", ">=", ">"}
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
    # plausibility where each row states its own unit (a ledger's kr/tkr/MSEK/EUR…): the column holding the unit,
    # and the largest value that can be true in each unit
    unit_column: str | None = None
    max_per_unit: dict[str, float] = field(default_factory=dict)
    # a date at most this many days after the file's delivery (its vintage): not decades in the future
    max_days_after_delivery: int | None = None


@dataclass(frozen=True)
class RowRule:
    """A rule across columns of one row, checked after every cell is typed.

    Either `when` with `then` and/or `require` (if every `when` column holds one of its values, every `then`
    column must hold one of its values: a funding ledger's unit tkr means currency SEK; and every `require`
    column must be filled in: an action row needs its number), or `compare` ([left, operator, right]: an end
    date on or after the start date). A `compare` rule with an empty column, or a `when` rule with an empty
    `when` column, does not apply.
    """

    name: str
    message: str
    when: dict[str, tuple[str, ...]] = field(default_factory=dict)
    then: dict[str, tuple[str, ...]] = field(default_factory=dict)
    require: tuple[str, ...] = ()
    compare: tuple[str, str, str] | None = None

    @property
    def columns(self) -> list[str]:
        if self.compare:
            return [self.compare[0], self.compare[2]]
        return [*self.when, *self.then, *[c for c in self.require if c not in self.then]]


@dataclass(frozen=True)
class Connector:
    """Where a public source can be fetched from (see sources.lib.connectors)."""

    url: str  # empty when url_env names where the URL comes from
    file_name: str  # name in landing; may hold {date} (the fetch date, YYYY-MM-DD) and {url_name} (the URL's file)
    token_env: str | None = None  # environment variable holding a token; sent as a header, never logged
    token_header: str = "Authorization"
    token_prefix: str = "Bearer "
    extract: str | None = None  # the member to take out of a zip download (ECB and CORDIS ship zips)
    allowed_hosts: tuple[str, ...] = ()  # hosts a redirect may lead to besides the URL's own
    allow_http: bool = False  # plain http only when the contract says so (never for a token)
    timeout_s: float = 60.0
    max_mib: float | None = None  # default: the contract's max_file_mib
    # an environment variable holding the URL, for publishers whose links change with every publication (SCB);
    # its host must be the url's or one of allowed_hosts
    url_env: str | None = None


@dataclass(frozen=True)
class Delivery:
    """What one delivered file is (`delivery:` in source.yaml).

    * `kind: snapshot`: the file is the whole source as it stands (or, with `scope`, the whole of each scope it
      holds, e.g. one municipality's follow-up for one report year): a key the newest file lacks is gone from
      that vintage on. `kind: increment`: the file adds and restates records; a record stays until restated.
    * `blocks_publishing`: while the source's newest delivery is rejected, no report is published (by default
      the report publishes with the source's last accepted vintage and says so).
    * `published_on`: where the publisher states the content's date: `{column_max: <date column>}` (the newest
      date in the file, e.g. ECB's newest rate) or `{file_name: <regex with one YYYY-MM-DD group>}`; a parse.py
      may also set it (SMHI's report date). Kept beside the vintage, never used to order deliveries.
    * `indicators_read`: the values of a column the indicators use (SMHI: the substance); a delivery without
      any such row is accepted and noted `not_read_by_indicators`, so an indicator left without data can say why.
    """

    kind: str = "increment"
    scope: tuple[str, ...] = ()
    blocks_publishing: bool = False
    published_on_column_max: str | None = None
    published_on_file_name: str | None = None
    indicators_read: dict[str, tuple[str, ...]] = field(default_factory=dict)


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
    row_rules: tuple[RowRule, ...] = ()
    # dataset-level checks run by great-expectations on the ingested data (sources/lib/expectations.py)
    expectations: tuple[dict[str, Any], ...] = ()
    connector: Connector | None = None
    delivery: Delivery = field(default_factory=Delivery)
    # the workbook's texts in other languages than the contract's English: {"sv": {"title": ..., "publisher": ...}}
    translations: dict[str, dict[str, str]] = field(default_factory=dict)
    # cell texts that mean "no value" in this publisher's files (JRC's "-", SCB's ".."): read as empty, never as a
    # value and never as an unreadable number; an empty cell is always missing
    missing_values: tuple[str, ...] = ()

    def text(self, name: str, language: str) -> str | None:
        """title, publisher or licence in a language ("en" is the contract's own); None when not translated."""
        return str(getattr(self, name)) if language == "en" else self.translations.get(language, {}).get(name)

    @property
    def column_names(self) -> list[str]:
        return [c.name for c in self.columns]

    def column(self, name: str) -> Column:
        for col in self.columns:
            if col.name == name:
                return col
        raise KeyError(name)

    def parser(self) -> Parser | None:
        """The source's own parse.py for irregular layouts, if it has one: the module sources.<name>.parse for a
        source in this repository, else (a source folder a test or VC_SOURCES_DIR adds) loaded from its file."""
        path = self.folder / "parse.py"
        if not path.exists():
            return None
        if self.folder.resolve() == (SOURCES_DIR / self.name).resolve():
            module = importlib.import_module(f"sources.{self.name}.parse")
        else:
            key = (path, path.stat().st_mtime_ns)
            if key not in _PARSERS:  # loaded once, not compiled again for each of a source's files
                spec = importlib.util.spec_from_file_location(f"vc_source_{self.name}_parse", path)
                assert spec and spec.loader
                _PARSERS[key] = importlib.util.module_from_spec(spec)
                spec.loader.exec_module(_PARSERS[key])
            module = _PARSERS[key]
        if not isinstance(module, Parser):
            raise ContractError(f"{path}: a parse.py must define parse(path, name, contract) -> RawTable")
        return module


@runtime_checkable
class Parser(Protocol):
    """What a source's parse.py provides: the file's records as raw cells (sources.lib.cells.RawTable), with the
    row and cell each came from; typing and the contract's rules are applied afterwards, as for every source."""

    def parse(self, path: Path, name: str, contract: SourceContract) -> RawTable: ...


_PARSERS: dict[tuple[Path, int], ModuleType] = {}


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
        unit_column=raw.get("unit_column"),
        max_per_unit={str(k): float(v) for k, v in (raw.get("max_per_unit") or {}).items()},
        max_days_after_delivery=raw.get("max_days_after_delivery"),
    )


def _values(raw: object) -> tuple[str, ...]:
    items = raw if isinstance(raw, list) else [raw]
    return tuple(str(v) for v in items)


def _row_rule(path: Path, names: list[str], raw: dict[str, Any]) -> RowRule:
    if not isinstance(raw, dict) or "name" not in raw or "message" not in raw:
        raise ContractError(f"{path}: every row rule needs a name and a message: {raw}")
    compare = raw.get("compare")
    if compare is not None:
        if not (isinstance(compare, list) and len(compare) == 3 and compare[1] in ROW_RULE_OPERATORS):
            raise ContractError(
                f"{path}: row rule {raw['name']}: compare must be [column, operator, column] with an operator in "
                f"{sorted(ROW_RULE_OPERATORS)}"
            )
        rule = RowRule(raw["name"], raw["message"], compare=(compare[0], compare[1], compare[2]))
    else:
        when, then, require = raw.get("when") or {}, raw.get("then") or {}, raw.get("require") or []
        if not when or not (then or require):
            raise ContractError(
                f"{path}: row rule {raw['name']} needs `compare`, or `when` with `then` and/or `require`"
            )
        rule = RowRule(
            raw["name"],
            raw["message"],
            when={k: _values(v) for k, v in when.items()},
            then={k: _values(v) for k, v in then.items()},
            require=_values(require),
        )
    unknown = [c for c in rule.columns if c not in names]
    if unknown:
        raise ContractError(f"{path}: row rule {rule.name} names undeclared columns {unknown}")
    return rule


def _connector(path: Path, raw: dict[str, Any] | None) -> Connector | None:
    if not raw:
        return None
    if ("url" not in raw and "url_env" not in raw) or "file_name" not in raw:
        raise ContractError(f"{path}: a connector needs a url (or url_env) and a file_name")
    if "url_env" in raw and not raw.get("url") and not raw.get("allowed_hosts"):
        raise ContractError(f"{path}: a connector whose URL comes from {raw['url_env']} must list allowed_hosts")
    return Connector(
        url=str(raw.get("url") or ""),
        url_env=raw.get("url_env"),
        file_name=str(raw["file_name"]),
        token_env=raw.get("token_env"),
        token_header=str(raw.get("token_header", "Authorization")),
        token_prefix=str(raw.get("token_prefix", "Bearer ")),
        extract=raw.get("extract"),
        allowed_hosts=tuple(raw.get("allowed_hosts") or ()),
        allow_http=bool(raw.get("allow_http", False)),
        timeout_s=float(raw.get("timeout_s", 60)),
        max_mib=float(raw["max_mib"]) if raw.get("max_mib") is not None else None,
    )


def _expectation(path: Path, raw: object) -> dict[str, Any]:
    """One entry of `expectations:`: a great-expectations expectation by its snake_case name, with kwargs."""
    if not isinstance(raw, dict) or not str(raw.get("expectation", "")).startswith("expect_"):
        raise ContractError(f"{path}: each expectation needs `expectation: expect_...` (got {raw!r})")
    severity = raw.get("severity", "error")
    if severity not in ("error", "warn"):
        raise ContractError(f"{path}: expectation severity must be error or warn, not {severity!r}")
    kwargs = raw.get("kwargs") or {}
    if not isinstance(kwargs, dict):
        raise ContractError(f"{path}: kwargs of {raw['expectation']} must be a mapping")
    return {
        "expectation": raw["expectation"],
        "kwargs": kwargs,
        "severity": severity,
        "description": str(raw.get("description", "")),
    }


TRANSLATED = ("title", "publisher", "licence")


def _translations(path: Path, raw: object) -> dict[str, dict[str, str]]:
    if raw is None:
        return {}
    if not isinstance(raw, dict) or not all(isinstance(v, dict) for v in raw.values()):
        raise ContractError(f"{path}: translations must map a language to its texts, e.g. sv: {{title: ...}}")
    unknown = sorted({k for texts in raw.values() for k in texts} - set(TRANSLATED))
    if unknown:
        raise ContractError(f"{path}: translations may give {', '.join(TRANSLATED)}, not {unknown}")
    return {str(lang): {str(k): str(v) for k, v in texts.items()} for lang, texts in raw.items()}


def _check_column_bounds(path: Path, columns: tuple[Column, ...]) -> None:
    names = {c.name for c in columns}
    for col in columns:
        if col.max_per_unit and (col.type not in ("decimal", "integer") or col.unit_column not in names):
            raise ContractError(
                f"{path}: column {col.name}: max_per_unit needs a numeric column and a declared unit_column"
            )
        if col.max_days_after_delivery is not None and col.type != "date":
            raise ContractError(f"{path}: column {col.name}: max_days_after_delivery is for date columns")


def _delivery(path: Path, columns: tuple[Column, ...], raw: object) -> Delivery:
    if raw is None:
        return Delivery()
    if not isinstance(raw, dict) or raw.get("kind") not in DELIVERY_KINDS:
        raise ContractError(f"{path}: delivery.kind must be one of {sorted(DELIVERY_KINDS)}")
    by_name = {c.name: c for c in columns}
    scope = tuple(raw.get("scope") or ())
    if scope and raw["kind"] != "snapshot":
        raise ContractError(f"{path}: delivery.scope is for snapshots: a snapshot of each scope the file holds")
    for name in scope:
        if name not in by_name or not by_name[name].required:
            raise ContractError(f"{path}: delivery.scope column {name!r} must be a declared, required column")
    published = raw.get("published_on") or {}
    if not isinstance(published, dict) or not set(published) <= {"column_max", "file_name"}:
        raise ContractError(f"{path}: delivery.published_on takes column_max or file_name")
    column_max = published.get("column_max")
    if column_max is not None and (column_max not in by_name or by_name[column_max].type != "date"):
        raise ContractError(f"{path}: delivery.published_on.column_max must name a date column")
    read = raw.get("indicators_read") or {}
    if not isinstance(read, dict) or any(k not in by_name for k in read):
        raise ContractError(f"{path}: delivery.indicators_read must map declared columns to their values")
    return Delivery(
        kind=raw["kind"],
        scope=scope,
        blocks_publishing=bool(raw.get("blocks_publishing", False)),
        published_on_column_max=column_max,
        published_on_file_name=published.get("file_name"),
        indicators_read={k: _values(v) for k, v in read.items()},
    )


def load_contract(folder: Path) -> SourceContract:
    path = folder / "source.yaml"
    try:
        # libyaml's safe loader where PyYAML was built with it (the wheels are): the same documents, read in C
        raw = yaml.load(path.read_text(encoding="utf-8"), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
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
    reader = dict(raw.get("reader") or {})
    encoding = str(reader.get("encoding", "utf-8")).lower().replace("_", "-")
    if encoding in ("utf8", "utf-8-sig"):
        encoding = "utf-8"
    if encoding not in ENCODINGS:
        raise ContractError(f"{path}: reader.encoding must be one of {sorted(ENCODINGS)}, not {encoding!r}")
    reader["encoding"] = encoding
    for key in ("sheet", "header_anchor"):  # a sheet named 1 is the text "1", as the workbook has it
        if reader.get(key) is not None:
            reader[key] = str(reader[key])
    _check_column_bounds(path, columns)
    rules = tuple(_row_rule(path, names, r) for r in raw.get("row_rules") or ())
    expectations = tuple(_expectation(path, e) for e in raw.get("expectations") or ())
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
        reader=reader,
        url=raw.get("url"),
        max_file_mib=float(raw.get("max_file_mib", 50)),
        description=raw.get("description", ""),
        row_rules=rules,
        expectations=expectations,
        connector=_connector(path, raw.get("connector")),
        translations=_translations(path, raw.get("translations")),
        delivery=_delivery(path, columns, raw.get("delivery")),
        missing_values=_values(raw.get("missing_values") or []),
    )


def discover_contracts(root: Path | None = None) -> list[SourceContract]:
    """Every folder under sources/ holding a source.yaml is a source, in name order."""
    root = root or sources_dir()
    return [load_contract(p.parent) for p in sorted(root.glob("*/source.yaml"))]
