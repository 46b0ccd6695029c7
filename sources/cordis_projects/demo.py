"""Demo delivery of cordis_projects: CORDIS bulk export: project.csv and, from the same export, cordis_organizations'
organization.csv (";", every field quoted, UTF-8). The two files are one download, so one writer makes both.

Called by sources.demo.generate.write_demo, seeded by the shared world and scale (sources.demo.world)."""

from __future__ import annotations

import csv
import datetime as dt
import io
import random
from pathlib import Path

from sources.demo.world import EU_COUNTRIES, SEED, Scale, World, source_rng, write_file

DELIVERED = dt.datetime(2026, 9, 15, 6, 0, tzinfo=dt.UTC)  # when the demo delivery was "dropped" (its vintage)
CORDIS_PARTNERS_PER_EXTRA_PROJECT = 5

CORDIS_PROJECT_HEADER = [
    "id", "acronym", "status", "title", "startDate", "endDate", "totalCost", "ecMaxContribution", "legalBasis",
    "topics", "ecSignatureDate", "frameworkProgramme", "masterCall", "subCall", "fundingScheme", "nature",
    "objective", "contentUpdateDate", "rcn", "grantDoi",
]  # fmt: skip

CORDIS_ORGANIZATION_HEADER = [
    "projectID", "projectAcronym", "organisationID", "vatNumber", "name", "shortName", "SME", "activityType",
    "street", "postCode", "city", "country", "nutsCode", "geolocation", "organizationURL", "contactForm",
    "contentUpdateDate", "rcn", "order", "role", "ecContribution", "netEcContribution", "totalCost",
    "endOfParticipation", "active",
]  # fmt: skip

# (PIC-like id, name as CORDIS writes it, short name, activity type, city, country, postcode, NUTS 3)
CORDIS_ORGS = {
    "STH": ("999870141", "STOCKHOLMS KOMMUN", "Stockholm", "PUB", "STOCKHOLM", "SE", "105 35", "SE110"),
    "GBG": ("999869462", "GOTEBORGS KOMMUN", "Göteborgs Stad", "PUB", "GOTEBORG", "SE", "404 82", "SE232"),
    "MAL": ("999866843", "MALMO STAD", "Malmö stad", "PUB", "MALMO", "SE", "205 80", "SE224"),
    "LUN": ("999863933", "LUNDS KOMMUN", "Lunds kommun", "PUB", "LUND", "SE", "221 00", "SE224"),
    "UME": ("999861115", "UMEA KOMMUN", "Umeå kommun", "PUB", "UMEA", "SE", "901 84", "SE331"),
    "GAV": ("999858593", "GAVLE KOMMUN", "Gävle kommun", "PUB", "GAVLE", "SE", "801 84", "SE313"),
    "HBG": ("999855876", "HELSINGBORGS STAD", "Helsingborg", "PUB", "HELSINGBORG", "SE", "251 89", "SE224"),
    "UPP": ("999852963", "UPPSALA KOMMUN", "Uppsala kommun", "PUB", "UPPSALA", "SE", "753 75", "SE121"),
    "KTH": ("999977172", "KUNGLIGA TEKNISKA HOEGSKOLAN", "KTH", "HES", "STOCKHOLM", "SE", "100 44", "SE110"),
    "LU": ("999985804", "LUNDS UNIVERSITET", "LU", "HES", "LUND", "SE", "221 00", "SE224"),
    "CTH": ("999976396", "CHALMERS TEKNISKA HOGSKOLA AB", "Chalmers", "HES", "GOTEBORG", "SE", "412 96", "SE232"),
    "UMU": ("999882072", "UMEA UNIVERSITET", "UmU", "HES", "UMEA", "SE", "901 87", "SE331"),
    "RISE": ("999568657", "RISE RESEARCH INSTITUTES OF SWEDEN AB", "RISE", "REC", "BORAS", "SE", "501 15", "SE232"),
    "IVL": ("999990266", "IVL SVENSKA MILJOEINSTITUTET AB", "IVL", "REC", "STOCKHOLM", "SE", "100 31", "SE110"),
    "HABO": ("999841227", "HABO KOMMUN", "Habo kommun", "PUB", "HABO", "SE", "566 80", "SE211"),
    "KIC": ("999422718", "CLIMATE KIC HOLDING BV", "Climate-KIC", "OTH", "AMSTERDAM", "NL", "1019 GM", "NL329"),
    "AMS": ("999855973", "GEMEENTE AMSTERDAM", "Amsterdam", "PUB", "AMSTERDAM", "NL", "1011 PN", "NL329"),
    "MAD": ("999859948", "AYUNTAMIENTO DE MADRID", "Madrid", "PUB", "MADRID", "ES", "28014", "ES300"),
    "MIL": ("999861212", "COMUNE DI MILANO", "Milano", "PUB", "MILANO", "IT", "20121", "ITC4C"),
    "MAN": ("999862885", "STADT MANNHEIM", "Mannheim", "PUB", "MANNHEIM", "DE", "68159", "DE126"),
    "TRE": ("999858787", "TAMPEREEN KAUPUNKI", "Tampere", "PUB", "TAMPERE", "FI", "33100", "FI197"),
    "OSL": ("999866261", "OSLO KOMMUNE", "Oslo", "PUB", "OSLO", "NO", "0037", "NO081"),
    "THE": ("999873245", "DIMOS THESSALONIKIS", "Thessaloniki", "PUB", "THESSALONIKI", "EL", "546 21", "EL522"),
    "TNO": ("999988133", "NEDERLANDSE ORGANISATIE VOOR TOEGEPAST NATUURWETENSCHAPPELIJK ONDERZOEK TNO", "TNO",
            "REC", "DEN HAAG", "NL", "2595 DA", "NL332"),
    "DTU": ("999994796", "DANMARKS TEKNISKE UNIVERSITET", "DTU", "HES", "KONGENS LYNGBY", "DK", "2800", "DK012"),
    "ACC": ("888765432", "URBAN FUTURES CONSULTING AB", "Urban Futures", "PRC", "STOCKHOLM", "SE", "111 22", "SE110"),
}  # fmt: skip

# (id, acronym, title, topic, framework, start, months, EC max EUR, coordinator, participants)
CORDIS_PROJECTS = [
    ("101036519", "NetZeroCities", "Accelerating cities' transition to net zero emissions by 2030", "LC-GD-1-1-2020",
     "H2020", "2021-10-01", 60, 53_000_000, "KIC", ["KTH", "LU", "RISE", "AMS", "MAD", "TNO", "DTU"]),
    ("101094001", "CITYMOVE-N", "Zero-emission mobility hubs for mission cities", "HORIZON-MISS-2021-CIT-02-01",
     "HORIZON", "2022-11-01", 48, 9_850_000, "STH", ["KTH", "MIL", "MAN", "RISE", "ACC"]),
    ("101096445", "NORDPED", "Positive energy districts in Nordic climate", "HORIZON-MISS-2021-CIT-02-03",
     "HORIZON", "2023-01-01", 48, 11_200_000, "LU", ["LUN", "MAL", "TRE", "OSL", "DTU"]),
    ("101103775", "CLIMAGOV", "Climate governance labs for net zero cities", "HORIZON-MISS-2022-CIT-01-01",
     "HORIZON", "2023-06-01", 36, 4_999_750, "GBG", ["CTH", "THE", "AMS", "IVL"]),
    ("101104221", "FINCIT", "Blended finance for city climate investment plans", "HORIZON-MISS-2022-CIT-01-03",
     "HORIZON", "2023-09-01", 36, 2_998_437.5, "TNO", ["UME", "UMU", "MAD", "ACC"]),
    ("101121930", "RENOZERO", "One-stop shops for deep renovation in mission cities", "HORIZON-MISS-2023-CIT-01-01",
     "HORIZON", "2024-01-01", 48, 7_400_000, "MIL", ["GAV", "HBG", "RISE", "TRE"]),
    ("101139817", "HEATSHARE", "Sharing waste heat between industry and districts", "HORIZON-MISS-2023-CIT-02-02",
     "HORIZON", "2024-05-01", 42, 6_100_000, "DTU", ["HBG", "LU", "IVL", "MAN"]),
    ("101147602", "SAMSKAPA", "Citizen co-creation of climate city contracts", "HORIZON-MISS-2024-CIT-01-02",
     "HORIZON", "2025-01-01", 36, 3_500_000, "UPP", ["UMU", "THE", "OSL", "HABO"]),
    ("101158311", "DATA4NZ", "MEL data spaces for net zero cities", "HORIZON-MISS-2024-CIT-02-01",
     "HORIZON", "2025-03-01", 36, 5_200_000, "RISE", ["STH", "MAL", "GBG", "AMS", "TNO"]),
    ("101167054", "LOGIZERO", "Zero-emission urban logistics pilots", "HORIZON-MISS-2025-CIT-01-01",
     "HORIZON", "2026-01-01", 48, 8_000_000, "MAN", ["GBG", "CTH", "MAD", "ACC"]),
]  # fmt: skip


def _cordis_amount(value: float) -> str:
    """CORDIS writes amounts with a decimal point and no thousands separator ("9850000", "2998437.5")."""
    return f"{value:.2f}".rstrip("0").rstrip(".")


def cordis_rows(rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    projects, organisations = [], []
    updated = "2026-09-10 08:14:32"
    for pid, acronym, title, topic, fp, start, months, ec_max, coordinator, partners in CORDIS_PROJECTS:
        begin = dt.date.fromisoformat(start)
        end = dt.date(begin.year + (begin.month - 1 + months) // 12, (begin.month - 1 + months) % 12 + 1, 1)
        end -= dt.timedelta(days=1)
        total = round(ec_max * rng.uniform(1.0, 1.25), 2)
        call = topic.rsplit("-", 1)[0] if fp == "HORIZON" else "H2020-LC-GD-2020"
        status = "CLOSED" if end < dt.date(2026, 9, 1) else "SIGNED"
        scheme = "H2020-IA" if fp == "H2020" else rng.choice(["HORIZON-IA", "HORIZON-RIA", "HORIZON-CSA"])
        projects.append(
            [
                pid, acronym, status, title, start, end.isoformat(), _cordis_amount(total), _cordis_amount(ec_max),
                "H2020-EU.3.3." if fp == "H2020" else "HORIZON.2.5", topic,
                (begin - dt.timedelta(days=rng.randrange(30, 120))).isoformat(), fp, call,
                call if fp == "H2020" else topic.rsplit("-", 1)[0] + "-two-stage", scheme, "",
                f"Demo objective of {acronym}.\nIt spans two lines; {title.lower()}.", updated,
                str(200000 + int(pid) % 100000), f"10.3030/{pid}",
            ]
        )  # fmt: skip
        members = [coordinator, *partners]
        weights = [rng.uniform(1.5, 2.5) if m == coordinator else rng.uniform(0.5, 1.5) for m in members]
        shares = [round(ec_max * w / sum(weights), 2) for w in weights]
        shares[-1] = round(ec_max - sum(shares[:-1]), 2)  # the contributions add up to the EC maximum exactly
        for order, (key, share) in enumerate(zip(members, shares, strict=True), start=1):
            pic, name, short, activity, city, country, postcode, nuts = CORDIS_ORGS[key]
            role = "coordinator" if key == coordinator else ("thirdParty" if key == "ACC" else "participant")
            net = share if role != "coordinator" else round(share * 0.97, 2)
            organisations.append(
                [
                    pid, acronym, pic, f"{country}{pic}01" if activity == "PRC" else "", name, short,
                    "true" if activity == "PRC" else "false", activity, "Demo street 1", postcode, city, country,
                    nuts, f"{rng.uniform(55, 64):.4f},{rng.uniform(11, 21):.4f}" if country == "SE" else "",
                    "", "", updated, str(300000 + order), str(order), role, _cordis_amount(share),
                    _cordis_amount(net), _cordis_amount(round(share * total / ec_max, 2)), "false", "true",
                ]
            )  # fmt: skip
    return projects, organisations


def _quoted_csv(header: list[str], rows: list[list[str]]) -> bytes:
    text = io.StringIO()
    writer = csv.writer(text, delimiter=";", quoting=csv.QUOTE_ALL, lineterminator="\n")
    writer.writerow(header)
    writer.writerows(rows)
    return text.getvalue().encode("utf-8")


def cordis_extra_rows(n: int, rng: random.Random) -> tuple[list[list[str]], list[list[str]]]:
    """Synthetic CORDIS projects (Cities Mission and other cluster-5 topics) for the larger scales."""
    projects, organisations = [], []
    pool = [
        (f"{930000000 + k}", f"ORGANISATION {k:05d}", rng.choice(["PUB", "HES", "REC", "PRC", "OTH"]),
         rng.choice(EU_COUNTRIES))
        for k in range(max(50, n // 2))
    ]  # fmt: skip
    topics = ["HORIZON-MISS-2023-CIT-01-01", "HORIZON-MISS-2024-CIT-02-01", "HORIZON-CL5-2023-D4-01-02",
              "HORIZON-CL5-2024-D6-01-05", "HORIZON-CL6-2024-COMMUNITIES-01"]  # fmt: skip
    for k in range(n):
        pid = str(101200000 + k)
        begin = dt.date(2021, 1, 1) + dt.timedelta(days=rng.randrange(0, 2000))
        end = begin + dt.timedelta(days=rng.choice([730, 1095, 1461]))
        ec_max = round(rng.uniform(0.5, 12) * 1_000_000, 2)
        topic = rng.choice(topics)
        projects.append(
            [pid, f"P{k:05d}", "CLOSED" if end < dt.date(2026, 9, 1) else "SIGNED", f"Demo project {k}",
             begin.isoformat(), end.isoformat(), _cordis_amount(round(ec_max * 1.1, 2)), _cordis_amount(ec_max),
             "HORIZON.2.5", topic, (begin - dt.timedelta(days=60)).isoformat(), "HORIZON", topic.rsplit("-", 1)[0],
             topic.rsplit("-", 1)[0], rng.choice(["HORIZON-IA", "HORIZON-RIA", "HORIZON-CSA"]), "",
             f"Demo objective {k}.", "2026-09-10 08:14:32", str(900000 + k), f"10.3030/{pid}"]
        )  # fmt: skip
        members = rng.sample(pool, CORDIS_PARTNERS_PER_EXTRA_PROJECT)
        share = round(ec_max / len(members), 2)
        for order, (pic, name, activity, country) in enumerate(members, start=1):
            role = "coordinator" if order == 1 else "participant"
            organisations.append(
                [pid, f"P{k:05d}", pic, "", name, "", "true" if activity == "PRC" else "false", activity, "",
                 "", "", country, "", "", "", "", "2026-09-10 08:14:32", str(300000 + order), str(order), role,
                 _cordis_amount(share), _cordis_amount(share), _cordis_amount(round(share * 1.1, 2)), "false",
                 "true"]
            )  # fmt: skip
    return projects, organisations


def write_cordis(landing: Path, rng: random.Random, extra: int = 0, seed: int = SEED) -> None:
    projects, organisations = cordis_rows(rng)
    if extra:
        more_projects, more_organisations = cordis_extra_rows(extra, source_rng(seed, "cordis_extra"))
        projects += more_projects
        organisations += more_organisations
    delivered = DELIVERED
    write_file(landing / "cordis_projects" / "project.csv", _quoted_csv(CORDIS_PROJECT_HEADER, projects), delivered)
    write_file(
        landing / "cordis_organizations" / "organization.csv",
        _quoted_csv(CORDIS_ORGANIZATION_HEADER, organisations),
        delivered,
    )


def write(landing: Path, world: World, scale: Scale, seed: int) -> None:
    """This source's demo files under `landing`."""
    write_cordis(landing, source_rng(seed, "cordis"), scale.cordis_extra_projects, seed)
