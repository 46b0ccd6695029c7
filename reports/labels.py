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
    "sheet_direction_1": {"sv": "Inriktning 1", "en": "Direction 1"},
    "sheet_direction_2": {"sv": "Inriktning 2", "en": "Direction 2"},
    "sheet_direction_3": {"sv": "Inriktning 3", "en": "Direction 3"},
    "sheet_impact": {"sv": "Effektmål", "en": "Impact"},
    "sheet_municipalities": {"sv": "Bilaga kommuner", "en": "Annex municipalities"},
    "sheet_funding": {"sv": "Bilaga finansiering", "en": "Annex funding"},
    "sheet_quality": {"sv": "Datakvalitet", "en": "Data quality"},
    "sheet_method": {"sv": "Metod", "en": "Method"},
    "cover_direction_1": {
        "sv": "Kunskapsnätverk och allianser: trend mot mål",
        "en": "Knowledge networks and alliances: trend against target",
    },
    "cover_direction_2": {
        "sv": "Ledande position för Sverige: trend mot mål",
        "en": "A leading position for Sweden: trend against target",
    },
    "cover_direction_3": {
        "sv": "Mobilisera finansiering: trend mot mål",
        "en": "Mobilising finance: trend against target",
    },
    "cover_impact": {
        "sv": "Utsläppsbana mot målbanan och mot övriga kommuner",
        "en": "Emissions pathway against the required pathway and the other municipalities",
    },
    "cover_municipalities": {
        "sv": "Per kommun: kohort, befolkning, utsläpp, i fas, missionsstad, finansiering",
        "en": "Per municipality: cohort, population, emissions, on track, mission city, funding",
    },
    "cover_funding": {
        "sv": "Finansiering per instrument, år och kommun med växelkurs",
        "en": "Funding by instrument, year and municipality with exchange rates",
    },
    "cover_quality": {
        "sv": "Kontroller och avvisade rader och filer per källa",
        "en": "Checks and rejected rows and files per source",
    },
    "cover_method": {
        "sv": "Definitioner, formler, statusmetod och revisionsnoter",
        "en": "Definitions, formulas, status method and revision notes",
    },
    "period": {"sv": "Period", "en": "Period"},
    "target_path": {"sv": "Målbana", "en": "Target path"},
    "year": {"sv": "År", "en": "Year"},
    "pathway_title": {
        "sv": "Utsläppsbana, index (utgångsår = 100)",
        "en": "Emissions pathway, index (baseline year = 100)",
    },
    "members_index": {"sv": "Klimatkontrakt-kommuner", "en": "Contract municipalities"},
    "required_index": {"sv": "Nödvändig bana till målet", "en": "Required pathway to the target"},
    "others_index": {"sv": "Övriga kommuner", "en": "Other municipalities"},
    "municipality_code": {"sv": "Kommunkod", "en": "Municipality code"},
    "municipality": {"sv": "Kommun", "en": "Municipality"},
    "county": {"sv": "Län", "en": "County"},
    "cohort": {"sv": "Kohort", "en": "Cohort"},
    "joined": {"sv": "Anslöt", "en": "Joined"},
    "population": {"sv": "Folkmängd", "en": "Population"},
    "population_year": {"sv": "Folkmängd år", "en": "Population year"},
    "emission_year": {"sv": "Utsläppsår", "en": "Emissions year"},
    "emissions_t": {"sv": "Utsläpp (t CO2e)", "en": "Emissions (t CO2e)"},
    "per_capita": {"sv": "t CO2e per invånare", "en": "t CO2e per inhabitant"},
    "change_pct": {"sv": "Förändring sedan utgångsår (%)", "en": "Change since baseline (%)"},
    "achieved_rate": {"sv": "Uppnådd årlig förändring (%)", "en": "Achieved yearly change (%)"},
    "required_rate": {"sv": "Nödvändig årlig förändring (%)", "en": "Required yearly change (%)"},
    "on_track_flag": {"sv": "I fas", "en": "On track"},
    "mission_city": {"sv": "Missionsstad", "en": "Mission city"},
    "label_round": {"sv": "Label-omgång", "en": "Label round"},
    "label_date": {"sv": "Label-datum", "en": "Label date"},
    "ccc_status": {"sv": "Klimatstadskontrakt", "en": "Climate City Contract"},
    "intl_msek": {"sv": "Internationell finansiering (MSEK)", "en": "International funding (MSEK)"},
    "national_msek": {"sv": "Nationell finansiering (MSEK)", "en": "National funding (MSEK)"},
    "green_msek": {"sv": "Gröna lån (MSEK)", "en": "Green loans (MSEK)"},
    "instrument": {"sv": "Instrument", "en": "Instrument"},
    "instrument_name": {"sv": "Namn", "en": "Name"},
    "scope": {"sv": "Typ", "en": "Scope"},
    "decision_year": {"sv": "Beslutsår", "en": "Decision year"},
    "awards": {"sv": "Beviljade", "en": "Awards"},
    "amount_eur": {"sv": "Belopp (EUR)", "en": "Amount (EUR)"},
    "amount_sek": {"sv": "Belopp (SEK)", "en": "Amount (SEK)"},
    "min_rate": {"sv": "Lägsta kurs SEK/EUR", "en": "Lowest rate SEK/EUR"},
    "max_rate": {"sv": "Högsta kurs SEK/EUR", "en": "Highest rate SEK/EUR"},
    "without_rate": {"sv": "Utan kurs", "en": "Without a rate"},
    "rule": {"sv": "Regel", "en": "Rule"},
    "files_delivered": {"sv": "Levererade filer", "en": "Files delivered"},
    "files_rejected": {"sv": "Avvisade filer", "en": "Files rejected"},
    "rejected_values": {"sv": "Avvisade värden", "en": "Rejected values"},
    "example": {"sv": "Exempel", "en": "Example"},
    "checks_heading": {"sv": "Kontroller som körts", "en": "Checks run"},
    "check": {"sv": "Kontroll", "en": "Check"},
    "kind": {"sv": "Slag", "en": "Kind"},
    "outcome": {"sv": "Utfall", "en": "Outcome"},
    "indicator_id": {"sv": "Id", "en": "Id"},
    "definition": {"sv": "Definition", "en": "Definition"},
    "formula": {"sv": "Formel", "en": "Formula"},
    "thresholds": {"sv": "Trösklar (i fas / måttliga)", "en": "Thresholds (on track / moderate)"},
    "sources": {"sv": "Källor", "en": "Sources"},
    "owner": {"sv": "Ansvarig", "en": "Owner"},
    "revision_notes": {"sv": "Revisionsnoter", "en": "Revision notes"},
    "note": {"sv": "Not", "en": "Note"},
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
    "pass": {"sv": "godkänd", "en": "pass"},
    "fail": {"sv": "underkänd", "en": "fail"},
    "warn": {"sv": "varning", "en": "warning"},
    "error": {"sv": "fel", "en": "error"},
    "skipped": {"sv": "överhoppad", "en": "skipped"},
    "test": {"sv": "datatest (dbt)", "en": "data test (dbt)"},
    "unit_test": {"sv": "enhetstest (dbt)", "en": "unit test (dbt)"},
    "expectation": {"sv": "förväntan (great-expectations)", "en": "expectation (great-expectations)"},
    "comparison": {"sv": "Jämförelse", "en": "Comparison"},
    "no_checks": {
        "sv": "Inga kontrollresultat från bygget hittades.",
        "en": "No check results from the build were found.",
    },
    "value_short": {"sv": "Värde", "en": "Value"},
    # units, as the catalogue writes them
    "unit:count": {"sv": "antal", "en": "count"},
    "unit:percent": {"sv": "procent", "en": "per cent"},
    "unit:MSEK": {"sv": "MSEK", "en": "MSEK"},
    "unit:kt CO2e": {"sv": "kt CO2e", "en": "kt CO2e"},
    "unit:t CO2e per inhabitant": {"sv": "t CO2e per invånare", "en": "t CO2e per inhabitant"},
    "unit:SEK per SEK": {"sv": "SEK per SEK", "en": "SEK per SEK"},
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
    # missing data: why a figure has no value ({sources}, {period}, {detail} filled in by reports.missing)
    "missing_reason": {"sv": "Orsak till att data saknas", "en": "Why data is missing"},
    "missing:source_unavailable": {
        "sv": "ingen godkänd data från {sources}",
        "en": "no accepted data from {sources}",
    },
    "missing:substance_not_delivered": {
        "sv": "leveranserna från {sources} innehåller inte {detail}, som indikatorn bygger på",
        "en": "the deliveries of {sources} hold no {detail}, which the indicator is built on",
    },
    "missing:no_rows_for_period": {
        "sv": "inga uppgifter för {period} från {sources}",
        "en": "no data for {period} from {sources}",
    },
    "missing:population_missing": {
        "sv": "folkmängd saknas för {detail} kommun(er) ({sources}, {period})",
        "en": "population missing for {detail} municipalities ({sources}, {period})",
    },
    "missing:emissions_incomplete": {
        "sv": "utsläpp saknas för {detail} kommun(er) ({sources}, {period})",
        "en": "emissions missing for {detail} municipalities ({sources}, {period})",
    },
    "missing:rate_missing": {
        "sv": "ECB-kurs inom 7 dagar saknas för {detail} belopp i EUR ({sources})",
        "en": "no ECB rate within 7 days for {detail} amounts in EUR ({sources})",
    },
    "missing:no_baseline": {
        "sv": "utgångsåret {detail} saknar utsläppsdata ({sources})",
        "en": "the baseline year {detail} has no emissions total ({sources})",
    },
    "missing:no_decided_applications": {
        "sv": "inga beslutade ansökningar de senaste 12 månaderna",
        "en": "no decided applications in the last 12 months",
    },
    "missing:no_national_funding": {
        "sv": "ingen nationell programfinansiering att jämföra med",
        "en": "no national programme funding to compare with",
    },
    "missing:no_labelled_cities": {
        "sv": "ingen stad hade Mission Label vid periodens slut",
        "en": "no city held the Mission Label at the end of the period",
    },
    # a source's state for this revision (rpt_source_vintages.source_state)
    "source_state": {"sv": "Tillstånd", "en": "State"},
    "used_file": {"sv": "Fil som används", "en": "File used"},
    "state:delivered": {"sv": "levererad", "en": "delivered"},
    "state:newest_rejected": {
        "sv": "senaste leveransen avvisad, senast godkända årgången används",
        "en": "newest delivery rejected, the last accepted vintage is used",
    },
    "state:rejected": {"sv": "alla leveranser avvisade", "en": "every delivery rejected"},
    "state:no_rows": {"sv": "levererad utan rader", "en": "delivered without rows"},
    "state:no_delivery": {"sv": "ingen leverans", "en": "no delivery"},
    # a check whose tables hold no rows has tested nothing
    "no_data_checked": {"sv": "ej prövad: ingen data", "en": "not tested: no data"},
    # the trace of one figure (reports.trace): its evidence rows, in the workbook's language
    "trace_sheet": {"sv": "Underlag", "en": "Evidence"},
    "trace_title": {"sv": "Underlag för en publicerad siffra", "en": "Evidence behind a published figure"},
    "trace_geography": {"sv": "Geografi", "en": "Geography"},
    "trace_value": {"sv": "Publicerat värde", "en": "Published value"},
    "trace_kind": {"sv": "Beräkning från raderna", "en": "Computed from the rows as"},
    "trace_total": {"sv": "Summa", "en": "Total"},
    "trace_recomputed": {"sv": "Omräknat från raderna", "en": "Recomputed from the rows"},
    "trace_agrees": {"sv": "Stämmer med publicerat värde", "en": "Agrees with the published value"},
    "trace_rows": {"sv": "Rader", "en": "Rows"},
    "trace_text_safety": {
        "sv": "Text som börjar med = + - @ (eller tabb eller vagnretur) har i CSV-filen fått en inledande apostrof (') "
        "så att ett kalkylprogram visar den som text och aldrig kör den som formel (OWASP: CSV injection). I "
        "arbetsboken lagras all text som text.",
        "en": "Text starting with = + - @ (or a tab or carriage return) carries a leading apostrophe (') in the CSV "
        "file, so that a spreadsheet shows it as text and never runs it as a formula (OWASP: CSV injection). In the "
        "workbook all text is stored as text.",
    },
    "trace_col_part": {"sv": "Del", "en": "Part"},
    "trace_col_role": {"sv": "Roll", "en": "Role"},
    "trace_col_contribution": {"sv": "Bidrag", "en": "Contribution"},
    "trace_col_item": {"sv": "Post", "en": "Item"},
    "trace_col_sheet": {"sv": "Blad", "en": "Sheet"},
    "trace_col_row": {"sv": "Rad", "en": "Row"},
    "trace_col_vintage": {"sv": "Årgång (leverans, UTC)", "en": "Vintage (delivery, UTC)"},
    "trace_col_original_amount": {"sv": "Belopp som angivet", "en": "Amount as entered"},
    "trace_col_original_unit": {"sv": "Enhet som angiven", "en": "Unit as entered"},
    "trace_col_original_currency": {"sv": "Valuta", "en": "Currency"},
    "trace_col_rate": {"sv": "Kurs SEK/EUR", "en": "Rate SEK/EUR"},
    "trace_col_rate_date": {"sv": "Kursdatum", "en": "Rate date"},
    "kind:count": {
        "sv": "antal: summan av värderaderna (1 per rad)",
        "en": "count: the sum of the value rows (1 a row)",
    },
    "kind:sum": {"sv": "summa av värderaderna", "en": "sum of the value rows"},
    "kind:share": {"sv": "100 × täljare / nämnare", "en": "100 × numerator / denominator"},
    "kind:ratio": {"sv": "täljare / nämnare", "en": "numerator / denominator"},
    "kind:change": {"sv": "100 × (aktuellt år / utgångsår − 1)", "en": "100 × (current year / baseline year − 1)"},
    "part:value": {"sv": "värde", "en": "value"},
    "part:numerator": {"sv": "täljare", "en": "numerator"},
    "part:denominator": {"sv": "nämnare", "en": "denominator"},
    "part:current": {"sv": "aktuellt år", "en": "current year"},
    "part:baseline": {"sv": "utgångsår", "en": "baseline year"},
    "part:supporting": {"sv": "underlag (ingår inte i beräkningen)", "en": "supporting (not computed with)"},
    "role:active_engagement": {
        "sv": "pågående allians, avtal eller nätverk",
        "en": "running alliance, agreement or network",
    },
    "role:event": {"sv": "evenemang under kvartalet", "en": "event in the quarter"},
    "role:swedish_mission_city": {"sv": "svensk missionsstad", "en": "Swedish mission city"},
    "role:labelled_swedish_city": {"sv": "svensk stad med Mission Label", "en": "Swedish city with the Mission Label"},
    "role:labelled_nordic_baltic_city": {
        "sv": "nordisk-baltisk stad med Mission Label",
        "en": "Nordic-Baltic city with the Mission Label",
    },
    "role:labelled_city": {"sv": "stad med Mission Label", "en": "city with the Mission Label"},
    "role:member_with_pilot_grant": {
        "sv": "medlem med beviljat NetZeroCities-pilotbidrag",
        "en": "member with an awarded NetZeroCities pilot grant",
    },
    "role:pilot_grant": {"sv": "NetZeroCities-pilotbidrag", "en": "NetZeroCities pilot grant"},
    "role:member": {"sv": "medlem vid periodens slut", "en": "member at the end of the period"},
    "role:member_population": {"sv": "folkmängd i en medlemskommun", "en": "population of a member"},
    "role:population_of_sweden": {"sv": "Sveriges folkmängd", "en": "population of Sweden"},
    "role:award": {"sv": "beviljat belopp (MSEK)", "en": "amount awarded (MSEK)"},
    "role:national_programme_award": {
        "sv": "nationell programfinansiering (MSEK)",
        "en": "national programme funding (MSEK)",
    },
    "role:green_loan": {"sv": "grönt lån (MSEK)", "en": "green loan (MSEK)"},
    "role:awarded_application": {"sv": "beviljad ansökan", "en": "awarded application"},
    "role:decided_application": {"sv": "beslutad ansökan", "en": "decided application"},
    "role:exchange_rate": {"sv": "ECB:s referenskurs som använts", "en": "ECB reference rate used"},
    "role:sector_emissions_kt": {"sv": "utsläpp i en sektor (kt CO2e)", "en": "emissions of a sector (kt CO2e)"},
    "role:sector_emissions_t": {"sv": "utsläpp i en sektor (t CO2e)", "en": "emissions of a sector (t CO2e)"},
    "role:sector_emissions_t_baseline": {
        "sv": "utsläpp i en sektor under utgångsåret (t CO2e)",
        "en": "emissions of a sector in the baseline year (t CO2e)",
    },
    "role:population": {"sv": "folkmängd 31 december", "en": "population on 31 December"},
    "role:member_on_track": {"sv": "medlem i fas", "en": "member on track"},
    "role:member_assessed": {"sv": "medlem med utsläppsdata", "en": "member with emissions data"},
    "accepted": {"sv": "Godkänd", "en": "Accepted"},
    "accepted_with_rejections": {"sv": "Godkänd med avvisade rader", "en": "Accepted with rejected rows"},
    "rejected": {"sv": "Avvisad", "en": "Rejected"},
}


def label(key: str, language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return LABELS[key][language]


def unit_label(unit: object, language: str) -> str:
    """A catalogue unit in the workbook's language; a unit the table does not know is shown as written."""
    key = f"unit:{unit}"
    return label(key, language) if key in LABELS else str(unit)
