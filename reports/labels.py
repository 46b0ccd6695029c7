"""Every label in the workbook, in Swedish and English: one table, one place to translate.

Texts that come with the data are translated where they live: indicator names, definitions, formulas, owners and
limitations in the catalogue (dbt_project/seeds/indicator_catalogue.csv), instrument names in
ref_funding_instruments, sector names in ref_smhi_sectors, source titles, publishers and licences in each
source's contract (`translations:` in sources/<name>/source.yaml). Numbers written into text follow the
language's decimal separator (sv: 0,95; en: 0.95).
"""

from __future__ import annotations

from collections.abc import Mapping

LANGUAGES = ("sv", "en")

_STATUS_DEFINITIONS = {
    "achieved": (
        "Målvärdet är nått eller passerat i önskad riktning (för en indikator som ska öka: värdet är minst målet; "
        "som ska minska: högst målet).",
        "The target is reached or passed in the desired direction (for an indicator that should increase: the "
        "value is at least the target; that should decrease: at most the target).",
    ),
    "on_track": (
        "Den genomsnittliga årliga förändringen sedan utgångsåret är minst 95 % av den som krävs för att nå "
        "målet till målåret (kvot ≥ 0,95).",
        "The average yearly change since the baseline year is at least 95 % of the change required to reach the "
        "target by the target year (ratio ≥ 0.95).",
    ),
    "moderate_progress": (
        "Förändringen går åt rätt håll men bara hälften till 95 % så fort som krävs (kvot 0,5–0,95).",
        "The change goes the right way but only half to 95 % as fast as required (ratio 0.5–0.95).",
    ),
    "limited_progress": (
        "Förändringen går åt rätt håll men mindre än hälften så fort som krävs (kvot 0–0,5).",
        "The change goes the right way but less than half as fast as required (ratio 0–0.5).",
    ),
    "regressing": (
        "Värdet har rört sig bort från målet sedan utgångsåret (kvot < 0).",
        "The value has moved away from the target since the baseline year (ratio < 0).",
    ),
    "not_assessed": (
        "Indikatorn har ett mål men takten kan inte bedömas: utgångsvärdet saknas eller utgångsåret är inte passerat.",
        "The indicator has a target but its pace cannot be assessed: the baseline is missing or the baseline year "
        "has not passed.",
    ),
    "no_target": (
        "Katalogen anger inget målvärde för indikatorn; den följs utan bedömning (en jämförelse eller ett "
        "sammanhang till andra indikatorer).",
        "The catalogue sets no target for the indicator; it is followed without an assessment (a comparison or "
        "context for other indicators).",
    ),
    "no_data": (
        "Det finns inget godkänt värde för perioden; inget visas som noll och ingen status sätts.",
        "There is no accepted value for the period; nothing is shown as zero and no status is set.",
    ),
}

LABELS: dict[str, dict[str, str]] = {
    "programme": {
        "sv": "Viable Cities – Klimatneutrala städer 2030",
        "en": "Viable Cities – Climate-neutral cities 2030",
    },
    "report_title": {
        "sv": "Kvartalsrapport: indikatorer för resultat- och effektmål",
        "en": "Quarterly report: indicators for result and impact goals",
    },
    "report_title_short": {"sv": "Kvartalsrapport", "en": "Quarterly report"},
    "page_x_of_y": {"sv": "Sida &P av &N", "en": "Page &P of &N"},
    "quarter": {"sv": "Kvartal", "en": "Quarter"},
    "revision": {"sv": "Revision", "en": "Revision"},
    "published": {"sv": "Publicerad", "en": "Published"},
    "data_as_of": {"sv": "Data levererade till och med", "en": "Data delivered up to"},
    "assessed_as_of": {"sv": "Leveranser bedömda per", "en": "Deliveries assessed as of"},
    "revision_note": {"sv": "Revisionsnot", "en": "Revision note"},
    "demo_notice": {
        "sv": "DEMODATA: siffrorna i denna rapport bygger på framtagna demonstrationsdata, inte officiell statistik.",
        "en": "DEMO DATA: the figures in this report are built from generated demonstration data, "
        "not official statistics.",
    },
    "demo_footer": {"sv": "DEMODATA – inte officiell statistik", "en": "DEMO DATA – not official statistics"},
    "late_sources": {"sv": "Leveranser som är sena eller saknas", "en": "Deliveries late or missing"},
    "contents": {"sv": "Innehåll", "en": "Contents"},
    "vintage_heading": {"sv": "Leveranser per källa", "en": "Deliveries per source"},
    "source": {"sv": "Källa", "en": "Source"},
    "publisher": {"sv": "Utgivare", "en": "Publisher"},
    "latest_delivery": {"sv": "Senaste leverans (UTC)", "en": "Latest delivery (UTC)"},
    "next_due": {"sv": "Nästa leverans senast", "en": "Next delivery due"},
    "freshness": {"sv": "Leveransläge", "en": "Delivery state"},
    "freshness:on_time": {"sv": "I tid", "en": "On time"},
    "freshness:late": {"sv": "Försenad", "en": "Late"},
    "freshness:missing": {"sv": "Saknas", "en": "Missing"},
    "files": {"sv": "Filer", "en": "Files"},
    "rows_accepted": {"sv": "Godkända rader", "en": "Rows accepted"},
    "rows_rejected": {"sv": "Avvisade rader", "en": "Rows rejected"},
    # sheets and what the cover says of them
    "sheet_cover": {"sv": "Försättsblad", "en": "Cover"},
    "sheet_summary": {"sv": "Sammanfattning", "en": "Summary"},
    "sheet_direction_1": {"sv": "Inriktning 1", "en": "Direction 1"},
    "sheet_direction_2": {"sv": "Inriktning 2", "en": "Direction 2"},
    "sheet_direction_3": {"sv": "Inriktning 3", "en": "Direction 3"},
    "sheet_impact": {"sv": "Effektmål", "en": "Impact"},
    "sheet_sectors": {"sv": "Utsläpp per sektor", "en": "Emissions by sector"},
    "sheet_municipalities": {"sv": "Bilaga kommuner", "en": "Annex municipalities"},
    "sheet_funding": {"sv": "Bilaga finansiering", "en": "Annex funding"},
    "sheet_metadata": {"sv": "Indikatorbeskrivningar", "en": "Indicator metadata"},
    "sheet_quality": {"sv": "Datakvalitet", "en": "Data quality"},
    "sheet_sources": {"sv": "Källor", "en": "Sources"},
    "sheet_method": {"sv": "Metod", "en": "Method"},
    "sheet_data": {"sv": "Indikatordata", "en": "Indicator data"},
    "cover_summary": {
        "sv": "Status per mål, alla indikatorer med trend, förändring, mål, status och kommentar",
        "en": "Status per goal, every indicator with its trend, change, target, status and comment",
    },
    "cover_direction_1": {
        "sv": "Kunskapsnätverk och allianser: trend mot målbanan",
        "en": "Knowledge networks and alliances: trend against the target path",
    },
    "cover_direction_2": {
        "sv": "Ledande position för Sverige: trend mot målbanan",
        "en": "A leading position for Sweden: trend against the target path",
    },
    "cover_direction_3": {
        "sv": "Mobilisera finansiering: trend mot målbanan",
        "en": "Mobilising finance: trend against the target path",
    },
    "cover_impact": {
        "sv": "Utsläppsbana mot målbanan och mot övriga kommuner",
        "en": "Emissions pathway against the required pathway and the other municipalities",
    },
    "cover_sectors": {
        "sv": "Utsläpp per huvudsektor: kontraktskommunerna mot övriga kommuner",
        "en": "Emissions by main sector: the contract municipalities against the others",
    },
    "cover_municipalities": {
        "sv": "En rad per kommun: kohort, befolkning, utsläpp, i fas, finansiering, med summor",
        "en": "One row per municipality: cohort, population, emissions, on track, funding, with totals",
    },
    "cover_funding": {
        "sv": "Finansiering per instrument, år och kommun med växelkurser, med summor",
        "en": "Funding by instrument, year and municipality with exchange rates, with totals",
    },
    "cover_metadata": {
        "sv": "Varje indikator: definition, enhet, periodicitet, källa, fördröjning, begränsningar, ansvarig",
        "en": "Each indicator: definition, unit, periodicity, source, lag, limitations, owner",
    },
    "cover_quality": {
        "sv": "Per källa: leveranser, leveransläge, kontroller; avvisade rader och filer",
        "en": "Per source: deliveries, delivery state, checks; rejected rows and files",
    },
    "cover_sources": {
        "sv": "Varje indatafil med SHA-256, leveranstid och antal rader",
        "en": "Every input file with SHA-256, delivery time and row counts",
    },
    "cover_method": {
        "sv": "Statusmetod och statusord, utgångsvärden och mål, revisionsnoter",
        "en": "Status method and status words, baselines and targets, revision notes",
    },
    "cover_data": {
        "sv": "Alla värden i långt format, för pivottabeller",
        "en": "Every value in long format, for pivot tables",
    },
    # summary
    "status_counts": {"sv": "Status per mål (antal indikatorer)", "en": "Status per goal (number of indicators)"},
    "total": {"sv": "Totalt", "en": "Total"},
    "summary_legend": {
        "sv": "Förändring och trendpil jämför med föregående period av indikatorns egen periodicitet: kvartalet "
        "före, eller året före för årliga indikatorer. ▲ ökning, ▼ minskning, ► oförändrad; grön pil i önskad "
        "riktning, röd pil bort från den. Förändringar av procentsatser anges i procentenheter (p.e.). Klicka på "
        "en indikator för dess beskrivning.",
        "en": "Change and trend arrow compare with the previous period of the indicator's own frequency: the "
        "quarter before, or the year before for annual indicators. ▲ up, ▼ down, ► unchanged; a green arrow in the "
        "desired direction, a red one away from it. Changes of percentages are in percentage points (pp). Click an "
        "indicator for its description.",
    },
    "goal": {"sv": "Mål", "en": "Goal"},
    "indicator": {"sv": "Indikator", "en": "Indicator"},
    "unit": {"sv": "Enhet", "en": "Unit"},
    "baseline": {"sv": "Utgångsvärde", "en": "Baseline"},
    "baseline_short": {"sv": "Utgångs-\nvärde", "en": "Base-\nline"},
    "year_short": {"sv": "År", "en": "Year"},
    "baseline_year": {"sv": "Utgångsår", "en": "Baseline year"},
    "value": {"sv": "Senaste värde", "en": "Latest value"},
    "previous_short": {"sv": "Före-\ngående", "en": "Previous"},
    "change_short": {"sv": "Föränd-\nring", "en": "Change"},
    "target_short": {"sv": "Mål-\nvärde", "en": "Target"},
    "value_period": {"sv": "Avser", "en": "Refers to"},
    "previous": {"sv": "Föregående period", "en": "Previous period"},
    "previous_period": {"sv": "Avser", "en": "Refers to"},
    "change": {"sv": "Förändring", "en": "Change"},
    "trend": {"sv": "Trend", "en": "Trend"},
    "target": {"sv": "Målvärde", "en": "Target"},
    "target_year": {"sv": "Målår", "en": "Target year"},
    "status": {"sv": "Status", "en": "Status"},
    "revised": {"sv": "Reviderat sedan", "en": "Revised since"},
    "revised_since": {"sv": "Reviderat sedan r{revision}", "en": "Revised since r{revision}"},
    "revised_first": {"sv": "Reviderat (första revisionen)", "en": "Revised (first revision)"},
    "details": {"sv": "Mer", "en": "More"},
    "details_link": {"sv": "läs", "en": "read"},
    "target_point": {"sv": "mål", "en": "target"},
    "revised_new": {"sv": "ny indikator", "en": "new indicator"},
    "revised_was": {"sv": "var", "en": "was"},
    "comment": {"sv": "Kommentar", "en": "Comment"},
    "pp_suffix": {"sv": "p.e.", "en": "pp"},
    "goal_short:direction_1": {"sv": "Inriktning 1", "en": "Direction 1"},
    "goal_short:direction_2": {"sv": "Inriktning 2", "en": "Direction 2"},
    "goal_short:direction_3": {"sv": "Inriktning 3", "en": "Direction 3"},
    "goal_short:impact": {"sv": "Effektmål", "en": "Impact"},
    # charts
    "period": {"sv": "Period", "en": "Period"},
    "value_short": {"sv": "Värde", "en": "Value"},
    "target_path": {"sv": "Målbana", "en": "Target path"},
    "year": {"sv": "År", "en": "Year"},
    "index": {"sv": "Index (utgångsår = 100)", "en": "Index (baseline year = 100)"},
    "pathway_title": {
        "sv": "Utsläppsbana, index (utgångsår = 100)",
        "en": "Emissions pathway, index (baseline year = 100)",
    },
    "members_index": {"sv": "Klimatkontraktskommuner", "en": "Contract municipalities"},
    "members_short": {"sv": "Kontrakts-\nkommuner", "en": "Contract\nmunici-\npalities"},
    "required_short": {"sv": "Nödvändig\nbana", "en": "Required\npathway"},
    "others_short": {"sv": "Övriga\nkommuner", "en": "Other\nmunici-\npalities"},
    "required_index": {"sv": "Nödvändig bana till målet", "en": "Required pathway to the target"},
    "others_index": {"sv": "Övriga kommuner", "en": "Other municipalities"},
    # emissions by sector
    "sectors_title": {
        "sv": "Territoriella utsläpp per huvudsektor (SMHI)",
        "en": "Territorial emissions by main sector (SMHI)",
    },
    "sectors_intro": {
        "sv": "Dagens Klimatkontraktskommuner mot Sveriges övriga kommuner, kt CO2e, {baseline} och {newest}, och "
        "förändringen däremellan. Samma kommuner alla år.",
        "en": "Today's contract municipalities against Sweden's other municipalities, kt CO2e, {baseline} and "
        "{newest}, and the change between. The same municipalities every year.",
    },
    "sectors_chart": {
        "sv": "Förändring {baseline}–{newest} per sektor",
        "en": "Change {baseline}–{newest} by sector",
    },
    "no_sector_data": {"sv": "Inga sektorsuppgifter från SMHI.", "en": "No sector figures from SMHI."},
    "sector": {"sv": "Huvudsektor", "en": "Main sector"},
    "baseline_year_kt": {"sv": "{baseline} (kt)", "en": "{baseline} (kt)"},
    "newest_year_kt": {"sv": "{newest} (kt)", "en": "{newest} (kt)"},
    "change_pct_short": {"sv": "Föränd-\nring", "en": "Change"},
    "change_since": {"sv": "Förändring sedan {baseline} (%)", "en": "Change since {baseline} (%)"},
    # municipalities
    "municipality_code": {"sv": "Kommunkod", "en": "Code"},
    "municipality": {"sv": "Kommun", "en": "Municipality"},
    "cohort": {"sv": "Kohort", "en": "Cohort"},
    "population": {"sv": "Folkmängd", "en": "Population"},
    "emission_year": {"sv": "Utsläppsår", "en": "Emissions year"},
    "emissions_kt": {"sv": "Utsläpp (kt CO2e)", "en": "Emissions (kt CO2e)"},
    "per_capita": {"sv": "t CO2e per invånare", "en": "t CO2e per inhabitant"},
    "change_pct": {"sv": "Föränd-\nring sedan utgångs-\nåret", "en": "Change since the baseline"},
    "achieved_rate": {"sv": "Uppnådd årlig föränd-\nring", "en": "Achieved yearly change"},
    "required_rate": {"sv": "Nödvän-\ndig årlig föränd-\nring", "en": "Required yearly change"},
    "on_track_flag": {"sv": "I fas", "en": "On track"},
    "mission_label": {"sv": "Mission Label (omgång, datum)", "en": "Mission Label (round, date)"},
    "ccc_status": {"sv": "Klimatstadskontrakt", "en": "Climate City Contract"},
    "ccc:not_submitted": {"sv": "ej inlämnat", "en": "not submitted"},
    "ccc:submitted": {"sv": "inlämnat", "en": "submitted"},
    "ccc:in_revision": {"sv": "under revidering", "en": "in revision"},
    "ccc:endorsed": {"sv": "godkänt", "en": "endorsed"},
    "code_short": {"sv": "Kod", "en": "Code"},
    "population_short": {"sv": "Folk-\nmängd", "en": "Popu-\nlation"},
    "emissions_kt_short": {"sv": "Utsläpp\n(kt CO2e)", "en": "Emis-\nsions\n(kt CO2e)"},
    "per_capita_short": {"sv": "t CO2e\nper in-\nvånare", "en": "t CO2e\nper in-\nhabitant"},
    "mission_label_short": {"sv": "Mission Label", "en": "Mission Label"},
    "ccc_short": {"sv": "Klimat-\nstads-\nkontrakt", "en": "Climate\nCity\nContract"},
    "intl_msek_short": {"sv": "Interna-\ntionell\nfinansie-\nring\n(MSEK)", "en": "Interna-\ntional\nfunding\n(MSEK)"},
    "national_msek_short": {"sv": "Nationell\nfinansie-\nring\n(MSEK)", "en": "National\nfunding\n(MSEK)"},
    "green_msek_short": {"sv": "Gröna\nlån\n(MSEK)", "en": "Green\nloans\n(MSEK)"},
    "intl_msek": {"sv": "Internationell finansiering (MSEK)", "en": "International funding (MSEK)"},
    "national_msek": {"sv": "Nationell finansiering (MSEK)", "en": "National funding (MSEK)"},
    "green_msek": {"sv": "Gröna lån (MSEK)", "en": "Green loans (MSEK)"},
    "followup_status": {"sv": "Uppföljning", "en": "Follow-up"},
    "recipient_group": {"sv": "Mottagare", "en": "Recipients"},
    "recipients:members": {
        "sv": "Kommuner i programmet (summan ovan)",
        "en": "Municipalities in the programme (the total above)",
    },
    "recipients:other_municipalities": {"sv": "Övriga kommuner", "en": "Other municipalities"},
    "recipients:no_municipality": {
        "sv": "Aktörer utan kommun (myndigheter, lärosäten, företag)",
        "en": "Actors without a municipality (agencies, universities, companies)",
    },
    "recipients:total": {
        "sv": "Totalt, som i sammanfattningen",
        "en": "Total, as in the summary",
    },
    "reconciliation_intro": {
        "sv": "Den internationella finansieringen i tabellen ({annex} MSEK) gäller kommunerna i programmet. "
        "Sammanfattningens {summary} MSEK gäller alla svenska mottagare sedan programmets start:",
        "en": "The international funding in the table ({annex} MSEK) is that of the municipalities in the "
        "programme. The summary's {summary} MSEK covers every Swedish recipient since the programme's start:",
    },
    # funding
    "trend_no_data": {
        "sv": "Data saknas för alla perioder hittills; skälet står i sammanfattningen.",
        "en": "No data for any period so far; the summary gives the reason.",
    },
    "funding_none": {
        "sv": "Data saknas: inga beviljade medel finns i underlaget för kvartalet (se källornas tillstånd på "
        "försättsbladet). Summan visas därför inte som 0.",
        "en": "No data: no awarded funding is in the data for the quarter (see the sources' states on the cover). "
        "The total is therefore not shown as 0.",
    },
    "funding_intro": {
        "sv": "Beviljade medel med beslut senast kvartalets slut. Belopp i EUR räknas om till SEK beslut för beslut "
        "med ECB:s referenskurs; lägsta och högsta kurs som använts visas.",
        "en": "Awards decided by the end of the quarter. EUR amounts are converted to SEK award by award at the "
        "ECB reference rate; the lowest and highest rate used are shown.",
    },
    "instrument_name": {"sv": "Instrument", "en": "Instrument"},
    "scope": {"sv": "Typ", "en": "Scope"},
    "scope:international": {"sv": "internationell", "en": "international"},
    "scope:national": {"sv": "nationell", "en": "national"},
    "decision_year": {"sv": "Beslutsår", "en": "Decision year"},
    "awards": {"sv": "Beviljade", "en": "Awards"},
    "amount_eur": {"sv": "Belopp (EUR)", "en": "Amount (EUR)"},
    "amount_sek": {"sv": "Belopp (SEK)", "en": "Amount (SEK)"},
    "min_rate": {"sv": "Lägsta kurs SEK/EUR", "en": "Lowest rate SEK/EUR"},
    "max_rate": {"sv": "Högsta kurs SEK/EUR", "en": "Highest rate SEK/EUR"},
    "without_rate": {"sv": "Utan kurs", "en": "Without a rate"},
    # indicator metadata
    "metadata_intro": {
        "sv": "Beskrivning av varje indikator, i stil med FN:s Open SDG-plattform.",
        "en": "A description of each indicator, in the style of the UN's Open SDG platform.",
    },
    "indicator_id": {"sv": "Id", "en": "Id"},
    "definition": {"sv": "Definition", "en": "Definition"},
    "formula": {"sv": "Beräkning", "en": "Computation"},
    "frequency": {"sv": "Periodicitet", "en": "Periodicity"},
    "frequency:quarterly": {"sv": "kvartalsvis", "en": "quarterly"},
    "frequency:annual": {"sv": "årlig", "en": "annual"},
    "desired_direction": {"sv": "Önskad riktning", "en": "Desired direction"},
    "direction:increase": {"sv": "ökning", "en": "increase"},
    "direction:decrease": {"sv": "minskning", "en": "decrease"},
    "sources": {"sv": "Källor", "en": "Sources"},
    "publication_lag": {"sv": "Publiceringsfördröjning", "en": "Publication lag"},
    "limitations": {"sv": "Begränsningar", "en": "Limitations"},
    "owner": {"sv": "Ansvarig", "en": "Owner"},
    "contact": {"sv": "Kontakt", "en": "Contact"},
    # data quality
    "quality_intro": {
        "sv": "Varje leverans kontrolleras mot källans kontrakt vid inläsningen (rader som bryter mot en regel "
        "avvisas och visas nedan); sedan kontrolleras datamängden (förväntningar) och varje beräkningssteg "
        "(datatester). En kontroll som underkänns stoppar publiceringen; en varning visas här. Filer och rader "
        "räknas över alla leveranser källan har haft: en källa som levereras hel (till exempel registret) har "
        "bara den senaste leveransens rader i bruk.",
        "en": "Every delivery is checked against its source's contract on ingest (rows breaking a rule are "
        "rejected and shown below); then the data set is checked (expectations) and every computation step "
        "(data tests). A check that fails stops publishing; a warning shows here. Files and rows count every "
        "delivery the source has had: a source delivered whole each time (the register, for one) has only its "
        "newest delivery's rows in use.",
    },
    "next_due_short": {"sv": "Nästa leverans senast", "en": "Next delivery due"},
    "files_rejected_short": {"sv": "Avvi-\nsade filer", "en": "Files re-\njected"},
    "rows_accepted_short": {"sv": "God-\nkända rader", "en": "Rows ac-\ncepted"},
    "rows_rejected_short": {"sv": "Avvi-\nsade rader", "en": "Rows re-\njected"},
    "quality_per_source": {"sv": "Per källa", "en": "Per source"},
    "files_rejected": {"sv": "Avvisade filer", "en": "Files rejected"},
    "checks_run": {"sv": "Kon-\ntroller", "en": "Checks"},
    "checks_passed": {"sv": "God-\nkända", "en": "Passed"},
    "checks_warned": {"sv": "Var-\nningar", "en": "Warn-\nings"},
    "checks_failed": {"sv": "Under-\nkända", "en": "Failed"},
    "rejections_heading": {"sv": "Avvisade rader och filer per regel", "en": "Rejected rows and files by rule"},
    "cell_line": {"sv": "rad", "en": "line"},  # a CSV cell: "Kommunkod (rad 3)"
    "cell_record": {"sv": "post", "en": "record"},  # a JSON record's value: "code (post 2)"
    "no_rejections": {"sv": "Inga rader eller filer avvisades.", "en": "No rows or files were rejected."},
    "rule": {"sv": "Regel", "en": "Rule"},
    "rejected_values": {"sv": "Avvisade värden", "en": "Rejected values"},
    "example": {"sv": "Exempel (fil, cell: värde)", "en": "Example (file, cell: value)"},
    "checks_by_kind": {"sv": "Kontroller per slag", "en": "Checks by kind"},
    "check_kind": {"sv": "Slag av kontroll", "en": "Kind of check"},
    "checks_not_passed": {"sv": "Kontroller som inte godkändes", "en": "Checks that did not pass"},
    "all_checks_passed": {"sv": "Alla kontroller godkändes.", "en": "Every check passed."},
    "check": {"sv": "Kontroll", "en": "Check"},
    "outcome": {"sv": "Utfall", "en": "Outcome"},
    "no_checks": {
        "sv": "Inga kontrollresultat från bygget hittades.",
        "en": "No check results from the build were found.",
    },
    "pass": {"sv": "godkänd", "en": "passed"},
    "fail": {"sv": "underkänd", "en": "failed"},
    "warn": {"sv": "varning", "en": "warning"},
    "area:indicators": {"sv": "Indikatorberäkningar", "en": "Indicator computations"},
    "area:report_sheets": {"sv": "Rapportens blad", "en": "The report's sheets"},
    "area:catalogue": {"sv": "Indikatorkatalogen", "en": "The indicator catalogue"},
    "area:pipeline": {"sv": "Leveransregistret", "en": "The delivery records"},
    # sources
    "sources_per_source": {"sv": "Källorna", "en": "The sources"},
    "sources_per_file": {"sv": "Varje levererad fil", "en": "Every delivered file"},
    "licence": {"sv": "Licens", "en": "Licence"},
    "cadence": {"sv": "Leveransrytm", "en": "Delivery rhythm"},
    "cadence:daily": {"sv": "dagligen", "en": "daily"},
    "cadence:weekly": {"sv": "varje vecka", "en": "weekly"},
    "cadence:monthly": {"sv": "månadsvis", "en": "monthly"},
    "cadence:quarterly": {"sv": "kvartalsvis", "en": "quarterly"},
    "cadence:yearly": {"sv": "årligen", "en": "yearly"},
    "file_name": {"sv": "Filnamn", "en": "File name"},
    "sha256": {"sv": "SHA-256", "en": "SHA-256"},
    "delivered_at": {"sv": "Levererad (UTC)", "en": "Delivered (UTC)"},
    "delivery_status": {"sv": "Inläsning", "en": "Ingest"},
    "accepted": {"sv": "Godkänd", "en": "Accepted"},
    "accepted_with_rejections": {"sv": "Godkänd med avvisade rader", "en": "Accepted with rejected rows"},
    "rejected": {"sv": "Avvisad", "en": "Rejected"},
    # method
    "status_method": {
        "sv": "Status jämför den genomsnittliga årliga förändringen sedan utgångsåret med den årliga förändring som "
        "krävs för att nå målet till målåret (i andan av FN:s metod för bedömning av framsteg mot de globala målen). "
        "Kvoten mellan dem avgör statusordet: kvot ≥ 0,95: i fas; ≥ 0,5: måttliga framsteg; ≥ 0: begränsade "
        "framsteg; < 0: går bakåt. Ett nått mål är uppnått oavsett kvot. Färgen upprepar ordet, så att statusen "
        "går att läsa i svartvitt.",
        "en": "Status compares the average yearly change since the baseline with the yearly change required to reach "
        "the target by the target year (in the spirit of the UN SDG progress assessment). Their ratio sets the "
        "status word: ratio ≥ 0.95: on track; ≥ 0.5: moderate progress; ≥ 0: limited progress; < 0: regressing. A "
        "target that is reached is achieved whatever the ratio. The colour repeats the word, so the status reads "
        "in black and white.",
    },
    "status_legend": {"sv": "Statusord", "en": "Status words"},
    "meaning": {"sv": "Betydelse", "en": "Meaning"},
    "change_method": {
        "sv": "Förändring: senaste värdet minus värdet en period tidigare i indikatorns egen periodicitet (kvartalet "
        "före för kvartalsindikatorer, året före för årliga). För procentsatser är förändringen i procentenheter. "
        "Ett utgångsvärde som katalogen inte anger är indikatorns eget värde i utgångsåret.",
        "en": "Change: the latest value minus the value one period earlier in the indicator's own frequency (the "
        "quarter before for quarterly indicators, the year before for annual ones). For percentages the change is "
        "in percentage points. A baseline the catalogue does not give is the indicator's own value in the baseline "
        "year.",
    },
    "baselines_heading": {"sv": "Utgångsvärden och mål", "en": "Baselines and targets"},
    "thresholds": {"sv": "Trösklar (i fas / måttliga)", "en": "Thresholds (on track / moderate)"},
    "baseline_source": {"sv": "Utgångsvärdet", "en": "Baseline"},
    "baseline_computed": {"sv": "eget värde i utgångsåret", "en": "own value in the baseline year"},
    "baseline_set": {"sv": "satt i katalogen", "en": "set in the catalogue"},
    "revision_notes": {"sv": "Revisionsnoter", "en": "Revision notes"},
    "note": {"sv": "Not", "en": "Note"},
    "note_first": {"sv": "första publiceringen", "en": "first publication"},
    "note_revised": {"sv": "reviderade värden", "en": "revised figures"},
    "note_new_files": {"sv": "nya indatafiler", "en": "new input files"},
    "note_deliveries": {"sv": "ändrat leveransläge", "en": "delivery state changed"},
    "note_layout": {
        "sv": "layout eller kod ändrad; värdena oförändrade",
        "en": "layout or code changed; figures unchanged",
    },
    # e-mail to the workbook's readers
    "mail_greeting": {"sv": "Hej,", "en": "Hello,"},
    "mail_report": {
        "sv": "här är Viable Cities kvartalsrapport för {quarter}, revision r{revision}, publicerad {published}.",
        "en": "here is Viable Cities' quarterly report for {quarter}, revision r{revision}, published {published}.",
    },
    "mail_attachment": {
        "sv": "Arbetsboken är bifogad: {file} (SHA-256 {sha256}).",
        "en": "The workbook is attached: {file} (SHA-256 {sha256}).",
    },
    # indicator data
    "data_intro": {
        "sv": "Alla indikatorvärden i långt format ({rows} rader: en per indikator, period och geografi), för "
        "pivottabeller. Utskriften visar bara första sidan; hela tabellen finns i bladet.",
        "en": "Every indicator value in long format ({rows} rows: one per indicator, period and geography), for "
        "pivot tables. Printing shows the first page only; the whole table is in the sheet.",
    },
    "geography_type": {"sv": "Geografi", "en": "Geography"},
    "geography_code": {"sv": "Kod", "en": "Code"},
    "geography_name": {"sv": "Namn", "en": "Name"},
    "geography:programme": {"sv": "programmet", "en": "programme"},
    "geography:cohort": {"sv": "kohort", "en": "cohort"},
    "geography:municipality": {"sv": "kommun", "en": "municipality"},
    "geography:comparison": {"sv": "jämförelse", "en": "comparison"},
    "geography_name:programme": {"sv": "Alla kontraktskommuner", "en": "All contract municipalities"},
    "geography_name:comparison": {"sv": "Övriga kommuner", "en": "Other municipalities"},
    "yes": {"sv": "ja", "en": "yes"},
    "no": {"sv": "nej", "en": "no"},
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
    **{f"status_definition:{status}": {"sv": sv, "en": en} for status, (sv, en) in _STATUS_DEFINITIONS.items()},
    # kinds of check (dbt tests and great-expectations expectations), as an evaluator reads them
    "check:not_null": {"sv": "Värde finns", "en": "Value present"},
    "check:expect_column_values_to_not_be_null": {"sv": "Värde finns", "en": "Value present"},
    "check:unique": {"sv": "Unik nyckel", "en": "Unique key"},
    "check:unique_combination": {"sv": "Unik nyckel", "en": "Unique key"},
    "check:expect_column_values_to_be_unique": {"sv": "Unik nyckel", "en": "Unique key"},
    "check:expect_compound_columns_to_be_unique": {"sv": "Unik nyckel", "en": "Unique key"},
    "check:accepted_values": {"sv": "Tillåtet värde", "en": "Allowed value"},
    "check:expect_column_values_to_be_in_set": {"sv": "Tillåtet värde", "en": "Allowed value"},
    "check:relationships": {"sv": "Hänvisningen finns", "en": "Reference exists"},
    "check:expect_column_values_to_be_between": {"sv": "Inom rimligt intervall", "en": "Within a plausible range"},
    "check:expect_table_row_count_to_be_between": {"sv": "Rimligt antal rader", "en": "Plausible number of rows"},
    "check:expect_column_values_to_match_regex": {"sv": "Rätt format", "en": "Right format"},
    "check:expect_column_value_lengths_to_be_between": {"sv": "Rimlig textlängd", "en": "Plausible text length"},
    "check:suite_error": {"sv": "Kontrollerna kunde inte köras", "en": "The checks could not run"},
    "check:assert_funding_amounts_plausible": {
        "sv": "Rimliga belopp (inget belopp tusen gånger instrumentets median)",
        "en": "Plausible amounts (none a thousand times its instrument's median)",
    },
    "check:assert_target_on_desired_side_of_baseline": {
        "sv": "Målvärdet ligger på rätt sida om utgångsvärdet",
        "en": "The target lies on the desired side of the baseline",
    },
    "check:assert_funding_reconciliation_adds_up": {
        "sv": "Finansieringen per mottagare summerar till sammanfattningen",
        "en": "Funding by recipient adds up to the summary",
    },
    "check:assert_sector_emissions_add_up": {
        "sv": "Utsläppen per sektor summerar till totalen",
        "en": "Emissions by sector add up to the total",
    },
    "check:assert_followup_totals_agree_with_their_actions": {
        "sv": "Uppföljningens summarad stämmer med åtgärderna",
        "en": "The follow-up's total row agrees with its actions",
    },
    "check:assert_indicator_values_plausible": {
        "sv": "Indikatorvärdet inom katalogens rimliga intervall",
        "en": "The indicator value lies within the catalogue's plausible range",
    },
    "check:assert_missing_values_have_a_reason": {
        "sv": "Varje saknat värde har ett skäl",
        "en": "Every missing value has its reason",
    },
    "check:stated_total_matches_parts": {
        "sv": "Den angivna totalen stämmer med delarna",
        "en": "The stated total agrees with its parts",
    },
    "check:other": {"sv": "Övrig kontroll", "en": "Other check"},
    # rules broken by rejected rows and files (sources/lib: types, validate, readers, safety, landing, ingest; the
    # contracts' row rules; the parsers): tests/unit/test_rule_labels.py finds each and fails on one without words
    "rule:required": {"sv": "Obligatoriskt värde saknas", "en": "Required value missing"},
    "rule:allowed_values": {"sv": "Otillåtet värde", "en": "Value not allowed"},
    "rule:minimum": {"sv": "Under lägsta tillåtna värde", "en": "Below the minimum"},
    "rule:maximum": {"sv": "Över högsta tillåtna värde", "en": "Above the maximum"},
    "rule:out_of_range": {"sv": "Orimligt stort tal", "en": "Implausibly large number"},
    "rule:date_after_delivery": {"sv": "Datum för långt efter leveransen", "en": "Date too far after the delivery"},
    "rule:duplicate_key": {"sv": "Dubblett av nyckel", "en": "Duplicate key"},
    "rule:unknown_municipality_code": {"sv": "Okänd kommunkod", "en": "Unknown municipality code"},
    "rule:municipality_code": {"sv": "Felaktig kommunkod", "en": "Malformed municipality code"},
    "rule:not_a_number": {"sv": "Inte ett tal", "en": "Not a number"},
    "rule:not_an_integer": {"sv": "Inte ett heltal", "en": "Not an integer"},
    "rule:ambiguous_number": {"sv": "Tvetydigt tal", "en": "Ambiguous number"},
    "rule:invalid_date": {"sv": "Ogiltigt datum", "en": "Invalid date"},
    "rule:date_out_of_range": {"sv": "Datum utanför rimligt intervall", "en": "Date out of range"},
    "rule:not_a_boolean": {"sv": "Inte ja eller nej", "en": "Not yes or no"},
    "rule:ended_after_started": {"sv": "Slutdatum före startdatum", "en": "End date before start date"},
    "rule:unit_matches_currency": {"sv": "Enheten stämmer inte med valutan", "en": "Unit does not match currency"},
    "rule:decision_after_application": {"sv": "Beslut före ansökan", "en": "Decision before application"},
    "rule:external_within_investment": {
        "sv": "Extern finansiering större än investeringen",
        "en": "External funding larger than the investment",
    },
    "rule:action_needs_number_and_name": {
        "sv": "Åtgärd saknar nummer eller namn",
        "en": "Action without number or name",
    },
    "rule:file:empty_file": {"sv": "Tom fil", "en": "Empty file"},
    "rule:file:wrong_container": {"sv": "Fel filformat", "en": "Wrong file format"},
    "rule:file:zip_bomb": {"sv": "Misstänkt komprimerad fil", "en": "Suspect compressed file"},
    "rule:file:encrypted": {"sv": "Krypterad fil", "en": "Encrypted file"},
    "rule:file:macros": {"sv": "Filen innehåller makron", "en": "File contains macros"},
    "rule:file:external_links": {"sv": "Filen länkar till andra filer", "en": "File links to other files"},
    "rule:file:unreadable_workbook": {"sv": "Arbetsboken går inte att läsa", "en": "Unreadable workbook"},
    "rule:file:csv_syntax": {"sv": "Felaktig CSV", "en": "Malformed CSV"},
    "rule:file:json_shape": {"sv": "Felaktig JSON", "en": "Malformed JSON"},
    "rule:file:encoding": {"sv": "Fel teckenkodning", "en": "Wrong character encoding"},
    "rule:file:mojibake": {"sv": "Förvanskade tecken", "en": "Garbled characters"},
    "rule:file:formula_without_value": {"sv": "Formel utan sparat värde", "en": "Formula without a saved value"},
    "rule:file:merged_cells": {"sv": "Sammanfogade celler över data", "en": "Merged cells over data"},
    "rule:file:hidden_sheet": {"sv": "Dolt blad", "en": "Hidden sheet"},
    "rule:file:header_not_found": {"sv": "Rubrikrad saknas", "en": "Header row missing"},
    "rule:file:missing_column": {"sv": "Kolumn saknas", "en": "Column missing"},
    "rule:file:missing_sheet": {"sv": "Blad saknas", "en": "Sheet missing"},
    "rule:file:wrong_field_count": {"sv": "Fel antal fält på en rad", "en": "Wrong number of fields on a line"},
    "rule:file:json_syntax": {"sv": "Ogiltig JSON", "en": "Invalid JSON"},
    "rule:file:nested_value": {"sv": "Nästlat värde i JSON", "en": "Nested value in JSON"},
    "rule:file:duplicate_key": {"sv": "Nyckel två gånger i en post", "en": "Key twice in one record"},
    "rule:file:not_a_number": {"sv": "Inte ett tal", "en": "Not a number"},
    "rule:file:binary_content": {"sv": "Binärt innehåll i en textfil", "en": "Binary content in a text file"},
    "rule:file:corrupt_zip": {"sv": "Skadad fil", "en": "Corrupt file"},
    "rule:file:file_too_large": {"sv": "Filen är för stor", "en": "File too large"},
    "rule:file:sheet_dimension": {"sv": "Orimligt stort blad", "en": "Implausibly large sheet"},
    "rule:file:xml_syntax": {"sv": "Felaktig XML i bladet", "en": "Malformed sheet XML"},
    "rule:file:xml_entities": {"sv": "Otillåtna XML-entiteter", "en": "Disallowed XML entities"},
    "rule:file:no_data": {"sv": "Inga data i filen", "en": "No data in the file"},
    "rule:file:required": {"sv": "Obligatoriskt värde saknas", "en": "Required value missing"},
    "rule:file:template_version": {"sv": "Okänd mallversion", "en": "Unknown template version"},
    "rule:file:unit": {"sv": "Oväntad enhet", "en": "Unexpected unit"},
    "rule:file:reader_crashed": {"sv": "Inläsningen kraschade", "en": "The reader crashed"},
    "rule:file:reader_error": {"sv": "Fel vid inläsningen", "en": "Reader error"},
    "rule:file:reader_memory_limit": {"sv": "Inläsningen nådde minnesgränsen", "en": "The reader hit its memory limit"},
    "rule:file:reader_time_limit": {"sv": "Inläsningen nådde tidsgränsen", "en": "The reader hit its time limit"},
    "rule:file:ingest_interrupted": {"sv": "Inläsningen avbröts", "en": "Ingest interrupted"},
    "rule:file:landing_folder_is_a_link": {"sv": "Leveransmappen är en länk", "en": "Landing folder is a link"},
    "rule:file:symlink": {"sv": "Symbolisk länk", "en": "Symbolic link"},
    "rule:file:not_a_regular_file": {"sv": "Inte en vanlig fil", "en": "Not a regular file"},
    "rule:file:hard_link": {"sv": "Hård länk till en annan fil", "en": "Hard link to another file"},
    "rule:file:changed_while_read": {"sv": "Filen ändrades under inläsningen", "en": "File changed while read"},
    "rule:file:duplicate_header": {"sv": "Dubblerad rubrik", "en": "Duplicate header"},
    "rule:file:wrong_separator": {"sv": "Fel avgränsare", "en": "Wrong separator"},
    "rule:file:template_drift": {"sv": "Mallen har ändrats", "en": "The template has changed"},
    # accepted, but said (the follow-up forms' own arithmetic: sources/klimatkontrakt_followup/parse.py)
    "rule:warning:number_as_text": {"sv": "Varning: tal inskrivet som text", "en": "Warning: number entered as text"},
    "rule:warning:summa_mismatch": {
        "sv": "Varning: summaraden stämmer inte med åtgärderna",
        "en": "Warning: the Summa row disagrees with the actions",
    },
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
    "missing:followups_not_received": {
        "sv": "ingen uppföljning för {detail} har kommit in ({sources})",
        "en": "no follow-up for {detail} has been received ({sources})",
    },
    "missing:followup_not_received": {
        "sv": "uppföljningen har inte kommit in (förföll {detail})",
        "en": "the follow-up has not been received (due {detail})",
    },
    "missing:followups_none_received": {
        "sv": "ingen av de {detail} uppföljningar som ska lämnas har kommit in",
        "en": "none of the {detail} follow-ups owed has been received",
    },
    "missing:only_cancelled_actions": {
        "sv": "alla rapporterade åtgärder är inställda",
        "en": "every reported action is cancelled",
    },
    "missing:actions_without_investment": {
        "sv": "{detail} åtgärd(er) saknar investering (tkr)",
        "en": "{detail} action(s) without an investment (tkr)",
    },
    "missing:templates_without_external_column": {
        "sv": "{detail} uppföljning(ar) på en mall utan kolumnen för extern finansiering",
        "en": "{detail} follow-up(s) on a template without the external-funding column",
    },
    "missing:actions_without_external_funding": {
        "sv": "{detail} åtgärd(er) saknar uppgift om extern finansiering",
        "en": "{detail} action(s) without external funding stated",
    },
    "missing:no_template_with_external_column": {
        "sv": "ingen uppföljning på en mall med kolumnen för extern finansiering",
        "en": "no follow-up on a template with the external-funding column",
    },
    "missing:no_planned_investment": {"sv": "ingen planerad investering", "en": "no planned investment"},
    "missing:no_new_initiative": {
        "sv": "inget nytt initiativ sedan {detail}",
        "en": "no new initiative since {detail}",
    },
    "missing:initiatives_without_funding_flag": {
        "sv": "{detail} nytt/nya initiativ saknar uppgift om säkrad grundfinansiering",
        "en": "{detail} new initiative(s) without basic funding stated",
    },
    "missing:no_active_engagement": {
        "sv": "inget engagemang pågick under kvartalet",
        "en": "no engagement was active in the quarter",
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
    # a municipality's follow-up for its newest report year due by the quarter's end (rpt_municipality_annex)
    "followup:on_time": {"sv": "i tid", "en": "on time"},
    "followup:late": {"sv": "sen", "en": "late"},
    "followup:missing": {"sv": "saknas", "en": "missing"},
    "state:no_contract": {"sv": "leveranser utan källkontrakt", "en": "deliveries without a source contract"},
    # evidence of the follow-up and engagement-portfolio indicators (int_indicator_evidence__followups)
    "role:followup_on_time": {"sv": "uppföljning inkommen i tid", "en": "follow-up received on time"},
    "role:followup_owed_on_time": {
        "sv": "medlem som ska lämna uppföljning: i tid",
        "en": "member owing a follow-up: on time",
    },
    "role:followup_owed_late": {"sv": "medlem som ska lämna uppföljning: sen", "en": "member owing a follow-up: late"},
    "role:followup_owed_missing": {
        "sv": "medlem som ska lämna uppföljning: saknas",
        "en": "member owing a follow-up: missing",
    },
    "role:action_planerad": {"sv": "åtgärd (planerad)", "en": "action (planned)"},
    "role:action_pågående": {"sv": "åtgärd (pågående)", "en": "action (ongoing)"},
    "role:action_genomförd": {"sv": "åtgärd (genomförd)", "en": "action (completed)"},
    "role:action_inställd": {"sv": "åtgärd (inställd)", "en": "action (cancelled)"},
    "role:action_investment": {"sv": "åtgärdens investering (MSEK)", "en": "the action's investment (MSEK)"},
    "role:action_external_funding": {
        "sv": "åtgärdens externa finansiering (MSEK)",
        "en": "the action's external funding (MSEK)",
    },
    **{
        f"role:level_{level}": {"sv": f"nivå: {sv}", "en": f"level: {en}"}
        for level, (sv, en) in {
            "hyperlocal": ("hyperlokal", "hyperlocal"),
            "local": ("lokal", "local"),
            "regional": ("regional", "regional"),
            "national": ("nationell", "national"),
            "nordic": ("nordisk", "Nordic"),
            "european": ("europeisk", "European"),
            "global": ("global", "global"),
        }.items()
    },
    **{f"role:direction_{d}": {"sv": f"inriktning {d}", "en": f"direction {d}"} for d in (1, 2, 3)},
    "role:system_demonstrator": {
        "sv": "internationellt systemdemonstratorpartnerskap",
        "en": "international system-demonstrator partnership",
    },
    "role:basic_funding_secured": {"sv": "grundfinansiering säkrad", "en": "basic funding secured"},
    "role:basic_funding_not_secured": {"sv": "grundfinansiering inte säkrad", "en": "basic funding not secured"},
    "role:basic_funding_not_stated": {"sv": "grundfinansiering inte angiven", "en": "basic funding not stated"},
    # a check whose tables hold no rows has tested nothing
    "no_data_checked": {"sv": "ej prövad: ingen data", "en": "not tested: no data"},
    "checks_untested": {"sv": "Ej prö-\nvade", "en": "Not\ntested"},
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
}


def label(key: str, language: str) -> str:
    if language not in LANGUAGES:
        raise ValueError(f"language must be one of {LANGUAGES}, got {language!r}")
    return LABELS[key][language]


def label_or(key: str, language: str, default: str) -> str:
    """A label where the table has one, else `default` (a code as the data writes it)."""
    return label(key, language) if key in LABELS else default


def unit_label(unit: object, language: str) -> str:
    """A catalogue unit in the workbook's language; a unit the table does not know is shown as written."""
    return label_or(f"unit:{unit}", language, str(unit))


def rule_label(rule: str, language: str) -> str:
    """A broken rule in words; a contract's own row rule the table does not know is shown by its name."""
    return label_or(f"rule:{rule}", language, rule)


def check_text(kind: str, language: str) -> str:
    return label_or(f"check:{kind}", language, label("check:other", language) + f" ({kind})")


def number_text(value: object, decimals: int, language: str) -> str:
    """A number written into text: 1 543,7 in Swedish (no-break space between thousands), 1,543.7 in English."""
    if value is None:
        return "–"
    text = f"{float(value):,.{decimals}f}"
    if language == "sv":
        text = text.replace(",", "\u00a0").replace(".", ",").replace("-", "−")
    return text


def source_text(texts: Mapping[str, Mapping[str, object]], source: str, field: str, language: str) -> str:
    """A source's title, publisher or licence in the language (from its contract); its name where none is given."""
    value = texts.get(source, {}).get(f"{field}_{language}")
    return str(value) if value else source


def revision_note_text(
    note: Mapping[str, object] | None,
    language: str,
    indicators: Mapping[str, Mapping[str, object]],
    texts: Mapping[str, Mapping[str, object]] | None = None,
) -> str:
    """A revision's note in the workbook's language, from the structured changes its manifest records."""
    if note is None:
        return label("note_first", language)
    changes = note.get("changes")
    if not isinstance(changes, Mapping):
        return str(note.get("note") or "")  # a revision published before notes were recorded structured
    if changes.get("first"):
        return label("note_first", language)
    parts = []
    figures = changes.get("figures") or []
    if figures:
        items = []
        for f in figures:
            row = indicators.get(str(f["id"]), {})
            name = row.get(f"name_{language}") or f["id"]
            was = _figure(f.get("was"), f.get("was_period"), language)
            now = _figure(f.get("now"), f.get("now_period"), language)
            items.append(f"{name}: {was} → {now}")
        parts.append(f"{label('note_revised', language)}: " + "; ".join(items))
    new_files = changes.get("new_files") or []
    if new_files:
        parts.append(f"{label('note_new_files', language)}: " + ", ".join(str(f) for f in new_files))
    deliveries = changes.get("deliveries") or []
    if deliveries:
        states = [
            f"{source_text(texts or {}, str(d['source']), 'title', language)}: "
            f"{label('freshness:' + str(d['now']), language).lower()}"
            for d in deliveries
        ]
        parts.append(f"{label('note_deliveries', language)}: " + "; ".join(states))
    text = ". ".join(parts) or label("note_layout", language)
    return text[0].upper() + text[1:]


def _figure(value: object, period: object, language: str) -> str:
    if value is None:
        return "–"
    decimals = 0 if float(value) == int(float(value)) else 2
    return f"{number_text(value, decimals, language)} ({period or '–'})"
