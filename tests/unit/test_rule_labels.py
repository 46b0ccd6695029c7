"""Every rule a delivery can break has words in both languages: the data-quality sheet and the cover name the rule
a rejected row or file broke, and an evaluator reading the Swedish workbook must not meet a code such as
`allowed_values`. The codes are collected from the code that raises them, so a new rule without words fails here."""

import ast
import functools

from reports.labels import LABELS
from sources.lib.contract import discover_contracts
from sources.lib.ingest import INTERRUPTED
from sources.lib.paths import REPO_ROOT

# the constructor or helper, and the position of its rule argument (a connector's errors stop `python -m
# sources.lib.connectors` and never reach a workbook)
FILE_RULES = {"SourceFileError": 1, "Refusal": 1}
CELL_RULES = {"_fail": 2, "reject": 2}
_PREFIXES = {"cell": "", "file": "file:", "warning": "warning:"}


def _name(call: ast.Call) -> str:
    return call.func.id if isinstance(call.func, ast.Name) else getattr(call.func, "attr", "")


def _constant(node: ast.expr) -> str | None:
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


@functools.cache
def collected_rules() -> dict[str, set[str]]:
    """file, cell and warning rule codes, as the ingest code and the source parsers write them."""
    found: dict[str, set[str]] = {"file": {INTERRUPTED}, "cell": set(), "warning": set()}
    for path in (REPO_ROOT / "sources").rglob("*.py"):
        if "demo" in path.parts or path.name == "demo.py":
            continue
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if isinstance(node, ast.Call):
                name = _name(node)
                for kind, table in (("file", FILE_RULES), ("cell", CELL_RULES)):
                    at = table.get(name)
                    if at is not None and len(node.args) > at and (code := _constant(node.args[at])):
                        found[kind].add(code)
                # validate's cell checks: found.append((mask, "rule", value, message))
                entry = node.args[0] if name == "append" and node.args else None
                if isinstance(entry, ast.Tuple) and len(entry.elts) == 4 and (code := _constant(entry.elts[1])):
                    found["cell"].add(code)
            # a follow-up form's warning record: {"check_rule": "summa_mismatch", ...}
            if isinstance(node, ast.Dict):
                for key, value in zip(node.keys, node.values, strict=True):
                    if key is not None and _constant(key) == "check_rule" and (code := _constant(value)):
                        found["warning"].add(code)
    for contract in discover_contracts():
        found["cell"].update(rule.name for rule in contract.row_rules)
    return found


def test_the_collector_finds_the_rules_of_each_kind() -> None:
    """Guards the collector itself: rules known to exist are found, so the test below judges real codes."""
    found = collected_rules()
    assert {"csv_syntax", "formula_without_value", "hard_link", "reader_crashed", INTERRUPTED} <= found["file"]
    assert {"allowed_values", "minimum", "maximum", "required", "invalid_date", "duplicate_key"} <= found["cell"]
    assert {"ended_after_started", "unit_matches_currency"} <= found["cell"]  # contracts' row rules
    assert found["warning"] == {"number_as_text", "summa_mismatch"}


def label_keys() -> set[str]:
    """The LABELS key of each rule found: rule:<cell rule>, rule:file:<rule>, rule:warning:<rule> (as
    dbt_project/models/reports/rpt_data_quality.sql names them and reports.labels.rule_label looks them up)."""
    found = collected_rules()
    return {f"rule:{prefix}{code}" for kind, prefix in _PREFIXES.items() for code in found[kind]}


def test_every_rule_has_words_in_swedish_and_english() -> None:
    keys = label_keys()
    missing = sorted(k for k in keys if k not in LABELS)
    assert not missing, f"no label in reports/labels.py for {missing}"
    for key in keys:
        sv, en = LABELS[key]["sv"], LABELS[key]["en"]
        assert sv and en and sv != key.rsplit(":", 1)[1], key


def test_no_label_for_a_rule_that_nothing_breaks() -> None:
    """A label whose code no longer exists (renamed rules) would hide the renamed one's missing words."""
    keys = label_keys()
    stale = sorted(k for k in LABELS if k.startswith("rule:") and k not in keys)
    assert not stale, f"labels for rules nothing raises: {stale}"
