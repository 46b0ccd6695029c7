"""Write demo deliveries into the landing folders, in each source's real format, seeded and deterministic.

Figures are plausible, not official: the programme's 23 municipalities of 2019 and 2021, two confirmed 2025
newcomers and further seeded 2025 newcomers; the seven Swedish mission cities with their real label rounds;
populations, emissions and EUR/SEK rates drawn around public reference figures (sources/demo/reference: SCB,
SMHI, ECB), so the demo reads like Sweden; synthetic funding, follow-ups and engagements. Every workbook built from
them says so on its cover.

Each source writes its own demo files (sources/<source>/demo.py, a function write(landing, world, scale, seed));
what they share, the seed, the scales, the municipalities and the register, is in sources.demo.world.

    python -m sources.demo.generate [--landing DIR] [--scale demo|sweden|europe]
"""

from __future__ import annotations

import argparse
import hashlib
import importlib
import json
from pathlib import Path

from sources.cordis_projects.demo import CORDIS_PARTNERS_PER_EXTRA_PROJECT, CORDIS_PROJECTS
from sources.demo.world import SCALES, SEED, Scale, build_world, load_municipalities
from sources.lib.ingest import DEMO_MANIFEST
from sources.lib.paths import SOURCES_DIR, DataDir
from sources.smhi_emissions.demo import SECTORS

# The files the generator wrote, by hash, go into DEMO_MANIFEST: ingest marks exactly those as demo data.


def expected_rows(spec: Scale) -> dict[str, int]:
    """The rows each source's ingest accepts at a scale (what the tests and the benchmark count)."""
    munis = load_municipalities()
    counties = len({m.county_name for m in munis})
    n_extra = spec.cordis_extra_projects
    return {
        "smhi_emissions": (len(munis) + counties + 1) * (len(SECTORS) + 1) * len(spec.emission_years),
        "funding_ledger": spec.funding_records,
        "eu_city_emissions": spec.eu_cities * spec.eu_sectors * len(spec.emission_years),
        "cordis_projects": len(CORDIS_PROJECTS) + n_extra,
        "cordis_organizations": sum(1 + len(p[-1]) for p in CORDIS_PROJECTS)
        + n_extra * CORDIS_PARTNERS_PER_EXTRA_PROJECT,
    }


def write_demo(landing: Path, scale: str | Scale = "demo", seed: int = SEED) -> list[Path]:
    """Write every source's demo delivery under `landing`; returns the files written."""
    spec = scale if isinstance(scale, Scale) else SCALES[scale]
    world = build_world(seed)
    for writer in sorted(SOURCES_DIR.glob("*/demo.py")):  # each source folder's own demo writer
        importlib.import_module(f"sources.{writer.parent.name}.demo").write(landing, world, spec, seed)
    written = sorted(p for p in landing.glob("*/*") if p.is_file() and not p.name.startswith("."))
    for folder in sorted({p.parent for p in written}):
        files = {p.name: hashlib.sha256(p.read_bytes()).hexdigest() for p in written if p.parent == folder}
        (folder / DEMO_MANIFEST).write_text(
            json.dumps({"generator": "sources.demo.generate", "files": files}, indent=1, sort_keys=True),
            encoding="utf-8",
        )
    return written


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--landing", type=Path, default=None, help="landing folder (default: $VC_DATA_DIR/landing)")
    parser.add_argument("--scale", choices=sorted(SCALES), default="demo")
    parser.add_argument("--seed", type=int, default=SEED)
    args = parser.parse_args()
    landing = args.landing or DataDir.current().root / "landing"
    files = write_demo(landing, args.scale, args.seed)
    print(f"wrote {len(files)} demo files under {landing}")


if __name__ == "__main__":
    main()
