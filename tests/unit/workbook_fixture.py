"""A small quarter of report data, every sheet's rows, shaped as the rpt_ models give them: for the workbook's unit
and layout tests, without a warehouse. Figures are made up; what is tested is where they go and how they read."""

from __future__ import annotations

import datetime as dt

from reports.data import ReportData

T = dt.datetime(2026, 10, 2, 9, 0, tzinfo=dt.UTC)
QUARTER = "2025Q2"


def _indicator(
    indicator_id: str,
    sort_order: int,
    goal: str,
    unit: str,
    frequency: str,
    name_sv: str,
    name_en: str,
    baseline: float | None,
    baseline_year: int,
    target: float | None,
    target_year: int | None,
    direction: str = "increase",
) -> dict[str, object]:
    return {
        "indicator_id": indicator_id,
        "sort_order": sort_order,
        "goal": goal,
        "goal_type": "impact" if goal == "impact" else "result",
        "name_sv": name_sv,
        "name_en": name_en,
        "definition_sv": f"Definition av {name_sv.lower()}, som programkontoret skriver den i katalogen.",
        "definition_en": f"Definition of {name_en.lower()}, as the programme office writes it in the catalogue.",
        "unit": unit,
        "formula_en": "count of register rows with joined_date <= period end",
        "formula_sv": "antal rader i registret med anslutningsdatum <= periodens slut",
        "desired_direction": direction,
        # as rpt_method_indicators gives it: the catalogue's, else the indicator's own value in the baseline year
        "baseline_value": baseline if baseline is not None else 25.8,
        "is_baseline_computed": baseline is None,
        "baseline_year": baseline_year,
        "target_value": target,
        "target_year": target_year,
        "target_scope": "programme",
        "on_track_ratio": 0.95,
        "moderate_ratio": 0.5,
        "frequency": frequency,
        "sources": "klimatkontrakt_register; scb_population",
        "owner_en": "Programme office",
        "owner_sv": "Programkontoret",
        "contact": "Viable Cities (KTH)",
        "limitations_sv": "Räknar bara det registret säger.",
        "limitations_en": "Counts only what the register says.",
        "publication_lag_sv": "Samma kvartal",
        "publication_lag_en": "The same quarter",
    }


def report_data(call_text: str = "Kommuner med Klimatkontrakt 2030") -> ReportData:
    method = [
        _indicator("kk_municipalities", 10, "direction_2", "count", "quarterly", call_text, call_text,
                   9.0, 2020, 60.0, 2027),
        _indicator("kk_population_share", 20, "direction_2", "percent", "quarterly",
                   "Andel av Sveriges befolkning i Klimatkontraktskommuner",
                   "Share of Sweden's population living in Klimatkontrakt municipalities", None, 2020, 50.0, 2027),
        _indicator("intl_funding_awarded_msek_cumulative", 50, "direction_3", "MSEK", "quarterly",
                   "Internationell finansiering beviljad sedan 2019 (ackumulerad)",
                   "International funding awarded since 2019 (cumulative)", 0.0, 2019, 1500.0, 2027),
        _indicator("kk_emissions_change_pct", 70, "impact", "percent", "annual",
                   "Utsläppsförändring sedan 2015 i Klimatkontraktskommunerna",
                   "Change in emissions since 2015 in the Klimatkontrakt municipalities", 0.0, 2015, -80.0, 2030,
                   "decrease"),
    ]  # fmt: skip
    names = {m["indicator_id"]: m for m in method}

    def summary_row(indicator: str, value: float | None, period: str, previous: float | None, previous_period: str,
                    status: str, comment: tuple[str, str] | None = None) -> dict[str, object]:  # fmt: skip
        m = names[indicator]
        return {
            "report_quarter": QUARTER,
            "indicator_id": indicator,
            "sort_order": m["sort_order"],
            "goal": m["goal"],
            "goal_type": m["goal_type"],
            "name_sv": m["name_sv"],
            "name_en": m["name_en"],
            "frequency": m["frequency"],
            "desired_direction": m["desired_direction"],
            "unit": m["unit"],
            "baseline_value": m["baseline_value"],
            "baseline_year": m["baseline_year"],
            "value": value,
            "value_period": period,
            "previous_value": previous,
            "previous_period": previous_period,
            "change_from_previous": None if value is None or previous is None else value - previous,
            "change_unit": "percentage_points" if m["unit"] == "percent" else m["unit"],
            "target_value": m["target_value"],
            "target_year": m["target_year"],
            "progress_ratio": 1.04,
            "status": status,
            "comment_sv": comment[0] if comment else None,
            "comment_en": comment[1] if comment else None,
        }

    summary = [
        summary_row("kk_municipalities", 43.0, "2025Q2", 28.0, "2025Q1", "on_track",
                    ("Femton kommuner anslöt i april.", "Fifteen municipalities joined in April.")),
        summary_row("kk_population_share", 38.9, "2025Q2", 36.2, "2025Q1", "moderate_progress"),
        summary_row("intl_funding_awarded_msek_cumulative", 1543.7, "2025Q2", 1408.5, "2025Q1", "achieved"),
        summary_row("kk_emissions_change_pct", -11.1, "2024", -10.4, "2023", "limited_progress"),
    ]  # fmt: skip
    trends = []
    quarters = [("2025Q1", dt.date(2025, 3, 31), 28.0, 36.2), ("2025Q2", dt.date(2025, 6, 30), 43.0, 38.9)]
    for quarter, end, value, share in quarters:
        for indicator, v, path in [("kk_municipalities", value, 40.0), ("kk_population_share", share, 40.1)]:
            m = names[indicator]
            trends.append(
                {
                    "indicator_id": indicator, "period": quarter, "goal": m["goal"], "sort_order": m["sort_order"],
                    "frequency": "quarterly", "desired_direction": "increase", "unit": m["unit"],
                    "period_end_date": end, "value": v, "baseline_value": m["baseline_value"],
                    "baseline_year": m["baseline_year"], "target_value": m["target_value"],
                    "target_year": m["target_year"], "target_path_value": path,
                }
            )  # fmt: skip
    for year, value in [(2015, 0.0), (2020, -5.3), (2023, -10.4), (2024, -11.1)]:
        trends.append(
            {
                "indicator_id": "kk_emissions_change_pct", "period": str(year), "goal": "impact", "sort_order": 70,
                "frequency": "annual", "desired_direction": "decrease", "unit": "percent",
                "period_end_date": dt.date(year, 12, 31), "value": value, "baseline_value": 0.0,
                "baseline_year": 2015, "target_value": -80.0, "target_year": 2030,
                "target_path_value": -80.0 * (year - 2015) / 15,
            }
        )  # fmt: skip
    sources = [
        {
            "source_name": "funding_ledger",
            "file_sha256": "ab" * 32,
            "source_title": "Funding ledger",
            "publisher": "Viable Cities",
            "licence": "internal",
            "file_name": '=HYPERLINK("http://evil")',
            "file_bytes": 10,
            "delivered_at": T,
            "delivery_status": "accepted",
            "rows_accepted": 1,
            "rows_rejected": 0,
            "error_rule": None,
            "is_demo": True,
        },
    ]
    vintages = [
        {
            "source_name": "funding_ledger",
            "source_title": "Funding ledger",
            "publisher": "Viable Cities",
            "source_state": "delivered",
            "has_accepted_rows": True,
            "used_file_name": '=HYPERLINK("http://evil")',
            "rejected_file_name": None,
            "rejected_error_rule": None,
            "latest_delivery_at": T,
            "files_delivered": 1,
            "files_rejected": 0,
            "rows_accepted": 1,
            "rows_rejected": 0,
            "has_demo_data": True,
        },
    ]
    source_texts = {
        "funding_ledger": {
            "title_sv": "Finansieringsliggare", "title_en": "Funding ledger",
            "publisher_sv": "Viable Cities programkontor", "publisher_en": "Viable Cities programme office",
            "licence_sv": "Programkontorets interna liggare", "licence_en": "Internal ledger of the programme office",
            "cadence": "quarterly",
        },
        "smhi_emissions": {
            "title_sv": "Territoriella utsläpp (SMHI)", "title_en": "Territorial emissions (SMHI)",
            "publisher_sv": "SMHI", "publisher_en": "SMHI", "licence_sv": "Öppna data", "licence_en": "Open data",
            "cadence": "yearly",
        },
    }  # fmt: skip
    freshness = [
        {"source_name": "funding_ledger", "due_after_count": 107, "due_after_period": "day", "latest_delivery_at": T,
         "next_due_on": dt.date(2027, 1, 17), "as_of_date": dt.date(2026, 10, 15), "freshness_status": "on_time"},
        {"source_name": "smhi_emissions", "due_after_count": 397, "due_after_period": "day", "latest_delivery_at": None,
         "next_due_on": None, "as_of_date": dt.date(2026, 10, 15), "freshness_status": "missing"},
    ]  # fmt: skip
    municipalities = [
        {
            "report_quarter": QUARTER, "municipality_code": code, "municipality_name": name, "county_name": "län",
            "cohort_year": cohort, "joined_date": dt.date(cohort, 6, 1), "population_year": 2024,
            "population": population, "emission_year": 2024, "emissions_t": emissions,
            "emissions_t_per_capita": emissions / population, "change_since_baseline_pct": -20.0,
            "achieved_yearly_change_pct": -2.4, "required_yearly_change_pct": -9.5, "is_on_track": False,
            "is_mission_city": code == "0180", "label_round": "R1" if code == "0180" else None,
            "label_date": dt.date(2023, 10, 12) if code == "0180" else None,
            "ccc_status": "endorsed" if code == "0180" else None,
            "international_funding_msek": intl, "national_funding_msek": 8.2, "green_loans_msek": 0.0,
        }
        for code, name, cohort, population, emissions, intl in [
            ("0180", "Stockholm", 2019, 986_864, 1_240_955.0, 142.4),
            ("1280", "Malmö", 2019, 361_198, 372_630.0, 24.9),
        ]
    ]  # fmt: skip
    reconciliation = [
        {"report_quarter": QUARTER, "recipient_group": "members", "awards": 2, "amount_msek": 167.3},
        {"report_quarter": QUARTER, "recipient_group": "no_municipality", "awards": 1, "amount_msek": 1376.4},
        {"report_quarter": QUARTER, "recipient_group": "other_municipalities", "awards": 0, "amount_msek": 0.0},
    ]
    funding = [
        {
            "report_quarter": QUARTER, "instrument_code": "DUT", "decision_year": 2024, "municipality_code": "0180",
            "instrument_name_en": "Driving Urban Transitions Partnership",
            "instrument_name_sv": "Driving Urban Transitions",
            "instrument_scope": "international", "awards": 1, "amount_eur": 300_000.0, "amount_sek": 3_429_750.0,
            "min_sek_per_eur": 11.4325, "max_sek_per_eur": 11.4325, "awards_without_rate": 0,
        },
    ]  # fmt: skip
    sectors = [
        {
            "emission_year": year, "sector_code": code, "municipality_group": group, "sector_name_sv": sv,
            "sector_name_en": en, "emissions_kt": kt * (0.9 if year == 2024 else 1.0), "baseline_year": 2015,
            "baseline_emissions_kt": kt, "change_since_baseline_pct": -10.0 if year == 2024 else 0.0,
        }
        for year in (2015, 2024)
        for code, sv, en, kt in [
            ("transport", "Transporter", "Domestic transport", 7000.0),
            ("industry", "Industri (energi + processer)", "Industry (energy and processes)", 5000.0),
        ]
        for group in ("members", "others")
    ]  # fmt: skip
    data_quality = [
        {"source_name": "funding_ledger", "rule_name": "-", "files_delivered": 1, "files_rejected": 0,
         "rows_accepted": 1, "rows_rejected": 0, "rejected_values": 0, "example": None, "example_file_name": None,
         "example_cell": None, "example_value": None},
    ]  # fmt: skip
    checks = [
        {"name": "not_null_rpt_quarterly_summary_status", "engine": "dbt", "kind": "not_null",
         "area": "report_sheets", "column": "status", "status": "pass"},
        {"name": "assert_funding_amounts_plausible", "engine": "dbt", "kind": "assert_funding_amounts_plausible",
         "area": "indicators", "column": None, "status": "warn"},
        {"name": "funding_ledger: expect_column_values_to_not_be_null (amount)", "engine": "expectation",
         "kind": "expect_column_values_to_not_be_null", "area": "funding_ledger", "column": "amount", "status": "pass"},
    ]  # fmt: skip
    indicator_data = [
        {"indicator_id": t["indicator_id"], "period": t["period"], "geography_type": "programme",
         "geography_code": "SE", "sort_order": t["sort_order"], "name_sv": names[t["indicator_id"]]["name_sv"],
         "name_en": names[t["indicator_id"]]["name_en"], "frequency": t["frequency"], "municipality_name": None,
         "period_end_date": t["period_end_date"], "value": t["value"], "unit": t["unit"], "status": "on_track"}
        for t in trends
    ] + [
        {"indicator_id": "kk_emissions_change_pct", "period": "2024", "geography_type": "municipality",
         "geography_code": "0180", "sort_order": 70, "name_sv": names["kk_emissions_change_pct"]["name_sv"],
         "name_en": names["kk_emissions_change_pct"]["name_en"], "frequency": "annual",
         "municipality_name": "Stockholm", "period_end_date": dt.date(2024, 12, 31), "value": -20.0,
         "unit": "percent", "status": "limited_progress"},
    ]  # fmt: skip
    pathway = [
        {"emission_year": year, "members_index": 100 + v, "others_index": 100 + v * 2,
         "required_pathway_index": 100 - 80 * (year - 2015) / 15}
        for year, v in [(2015, 0.0), (2020, -5.3), (2024, -11.1)]
    ]  # fmt: skip
    return ReportData(
        quarter=QUARTER,
        summary=summary,
        sources=sources,
        vintages=vintages,
        trends=trends,
        pathway=pathway,
        municipalities=municipalities,
        funding=funding,
        data_quality=data_quality,
        method=method,
        checks=checks,
        as_of_date=dt.date(2025, 7, 15),
        freshness=freshness,
        sectors=sectors,
        indicator_data=indicator_data,
        reconciliation=reconciliation,
        source_texts=source_texts,
    )
