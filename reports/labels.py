"""Every label in the workbook, in Swedish and English: one table, one place to translate."""

from __future__ import annotations

LANGUAGES = ("sv", "en")

LABELS: dict[str, dict[str, str]] = {
    "programme": {
        "sv": "Viable Cities – Klimatneutrala städer 2030",
        "en": "Viable Cities – Climate-neutral cities 2030",
    },
    "report_title": {
        "sv": "Kvartalsrapport: indikatorer för resultat- och effektmål",
        "en": "Quarterly report: indicators for result and impact goals",
    },
    "quarter": {"sv": "Kvartal", "en": "Quarter"},
    "revision": {"sv": "Revision", "en": "Revision"},
    "published": {"sv": "Publicerad", "en": "Published"},
    "data_as_of": {"sv": "Data levererade till och med", "en": "Data delivered up to"},
    "demo_notice": {
        "sv": "DEMODATA: siffrorna i denna rapport bygger på framtagna demonstrationsdata, inte officiell statistik.",
        "en": "DEMO DATA: the figures in this report are built from generated demonstration data, "
        "not official statistics.",
    },
    "contents": {"sv": "Innehåll", "en": "Contents"},
    "vintage_heading": {"sv": "Dataårgång per källa", "en": "Data vintage per source"},
    "source": {"sv": "Källa", "en": "Source"},
    "publisher": {"sv": "Utgivare", "en": "Publisher"},
    "latest_delivery": {"sv": "Senaste leverans", "en": "Latest delivery"},
    "files": {"sv": "Filer", "en": "Files"},
    "rows_accepted": {"sv": "Godkända rader", "en": "Rows accepted"},
    "rows_rejected": {"sv": "Avvisade rader", "en": "Rows rejected"},
    "sheet_cover": {"sv": "Försättsblad", "en": "Cover"},
    "sheet_summary": {"sv": "Sammanfattning", "en": "Summary"},
    "sheet_sources": {"sv": "Källor", "en": "Sources"},
    "cover_summary": {
        "sv": "Alla indikatorer med senaste värde, mål och status",
        "en": "Every indicator with its latest value, target and status",
    },
    "cover_sources": {
        "sv": "Varje indatafil med SHA-256, årgång och antal rader",
        "en": "Every input file with SHA-256, vintage and row counts",
    },
    "goal": {"sv": "Mål", "en": "Goal"},
    "indicator": {"sv": "Indikator", "en": "Indicator"},
    "unit": {"sv": "Enhet", "en": "Unit"},
    "baseline": {"sv": "Utgångsvärde", "en": "Baseline"},
    "baseline_year": {"sv": "Utgångsår", "en": "Baseline year"},
    "value": {"sv": "Senaste värde", "en": "Latest value"},
    "value_period": {"sv": "Avser period", "en": "Refers to"},
    "previous": {"sv": "Föregående kvartal", "en": "Previous quarter"},
    "change": {"sv": "Förändring", "en": "Change"},
    "target": {"sv": "Målvärde", "en": "Target"},
    "target_year": {"sv": "Målår", "en": "Target year"},
    "status": {"sv": "Status", "en": "Status"},
    "file_name": {"sv": "Filnamn", "en": "File name"},
    "sha256": {"sv": "SHA-256", "en": "SHA-256"},
    "delivered_at": {"sv": "Levererad (UTC)", "en": "Delivered (UTC)"},
    "delivery_status": {"sv": "Inläsning", "en": "Ingest"},
    "licence": {"sv": "Licens", "en": "Licence"},
    "status_method": {
        "sv": "Status jämför den genomsnittliga årliga förändringen sedan utgångsåret med den årliga förändring som "
        "krävs för att nå målet till målåret (i andan av FN:s metod för bedömning av framsteg mot de globala målen). "
        "Kvot ≥ 0,95: i fas; ≥ 0,5: måttliga framsteg; ≥ 0: begränsade framsteg; < 0: går bakåt.",
        "en": "Status compares the average yearly change since the baseline with the yearly change required to reach "
        "the target by the target year (in the spirit of the UN SDG progress assessment). Ratio ≥ 0.95: on track; "
        "≥ 0.5: moderate progress; ≥ 0: limited progress; < 0: regressing.",
    },
    # goals
    "direction_1": {
        "sv": "Inriktning 1: kunskapsnätverk och allianser",
        "en": "Direction 1: knowledge networks and alliances",
    },
    "direction_2": {
        "sv": "Inriktning 2: ledande position för Sverige",
        "en": "Direction 2: a leading position for Sweden",
    },
    "direction_3": {"sv": "Inriktning 3: mobilisera finansiering", "en": "Direction 3: mobilising finance"},
    "impact": {"sv": "Effektmål", "en": "Impact goals"},
    # statuses: a word as well as a colour, so the status survives black-and-white printing
    "achieved": {"sv": "Uppnått", "en": "Achieved"},
    "on_track": {"sv": "I fas", "en": "On track"},
    "moderate_progress": {"sv": "Måttliga framsteg", "en": "Moderate progress"},
    "limited_progress": {"sv": "Begränsade framsteg", "en": "Limited progress"},
    "regressing": {"sv": "Går bakåt", "en": "Regressing"},
    "not_assessed": {"sv": "Ej bedömd", "en": "Not assessed"},
    "no_target": {"sv": "Mål saknas", "en": "No target"},
    "no_data": {"sv": "Data saknas", "en": "No data"},
    "accepted": {"sv": "Godkänd", "en": "Accepted"},
    "accepted_with_rejections": {"sv": "Godkänd med avvisade rader", "en": "Accepted with rejected rows"},
    "rejected": {"sv": "Avvisad", "en": "Rejected"},
}


def label(key: str, language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return LABELS[key][language]
