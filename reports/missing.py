"""Why a figure has no value, in the workbook's language: one sentence from fct_indicator_values' missing_reason,
missing_sources and missing_detail (rpt_ rows carry the same three), with each unavailable source's state."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping

from reports.labels import LABELS, label


def source_states(vintages: Iterable[Mapping[str, object]]) -> dict[str, str]:
    """Source name -> state, from rpt_source_vintages rows."""
    return {str(v["source_name"]): str(v["source_state"]) for v in vintages if v.get("source_state")}


def state_text(state: str, language: str) -> str:
    key = f"state:{state}"
    return label(key, language) if key in LABELS else state


def missing_text(
    row: Mapping[str, object],
    language: str,
    states: Mapping[str, str] | None = None,
    *,
    prefix: bool = True,
    name_of: Callable[[str], str] | None = None,
) -> str:
    """'Data saknas: ingen godkänd data från funding_ledger (ingen leverans)' for a row whose value is missing
    (without 'Data saknas: ' when prefix is False); an empty string for one that has a value."""
    reason = row.get("missing_reason")
    if not reason:
        return ""
    names = [s.strip() for s in str(row.get("missing_sources") or "").split(";") if s.strip()]
    shown = {n: name_of(n) if name_of else n for n in names}  # a source by its title in the language, if given
    sources = ", ".join(shown[n] for n in names)
    if reason == "source_unavailable" and states:
        by_state: dict[str, list[str]] = {}
        for name in names:
            by_state.setdefault(states.get(name, ""), []).append(name)
        sources = "; ".join(
            ", ".join(shown[n] for n in group) + (f" ({state_text(state, language)})" if state else "")
            for state, group in by_state.items()
        )
    period = row.get("period") or row.get("value_period") or ""
    key = f"missing:{reason}"
    text = (
        label(key, language).format(sources=sources, period=period, detail=row.get("missing_detail") or "")
        if key in LABELS
        else str(reason)
    )
    return f"{label('no_data', language)}: {text}" if prefix else text[:1].upper() + text[1:]
