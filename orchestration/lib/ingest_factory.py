"""One factory turns every `sources/<name>/source.yaml` into an ingest asset: no per-source Dagster code."""

import hashlib

import dagster as dg

from orchestration.resources import PipelineSettings
from sources.lib.contract import SourceContract
from sources.lib.ingest import ingest_source
from sources.lib.paths import DataDir


def raw_data_version(contract: SourceContract, data: DataDir) -> dg.DataVersion:
    """What the source's raw data is: the deliveries ingest has recorded for it (each named by its file's SHA-256,
    each ingested once). The same deliveries give the same version, so the warehouse built from them is current."""
    names = sorted(p.name for p in data.deliveries.glob(f"{contract.name}__*.parquet"))
    return dg.DataVersion(hashlib.sha256("\n".join(names).encode()).hexdigest()[:24])


def build_ingest_asset(contract: SourceContract) -> dg.AssetsDefinition:
    @dg.asset(
        key=["raw", contract.name],
        group_name="raw",
        description=f"{contract.title}. Landing -> archive -> raw Parquet ({contract.format}); "
        f"publisher: {contract.publisher}.",
        kinds={"python", "parquet"},
        owners=[],
        metadata={
            "publisher": contract.publisher,
            "licence": contract.licence,
            "cadence": contract.cadence,
            "contract": dg.MetadataValue.path(str(contract.folder / "source.yaml")),
            "primary_key": ", ".join(contract.primary_key),
            **({"url": dg.MetadataValue.url(contract.connector.url)} if contract.connector else {}),
            # the contract's columns, as the UI shows a table's schema
            "dagster/column_schema": dg.TableSchema(
                columns=[
                    dg.TableColumn(
                        name=c.name,
                        type=c.type,
                        description=" ".join(
                            part
                            for part in [
                                f"file header: {c.header}.",
                                c.description.strip(),
                                f"unit: {c.unit}." if c.unit else "",
                            ]
                            if part
                        ),
                        constraints=dg.TableColumnConstraints(nullable=not c.required),
                    )
                    for c in contract.columns
                ]
            ),
        },
        tags={"family": contract.family},
    )
    def _ingest(context: dg.AssetExecutionContext, settings: PipelineSettings) -> dg.MaterializeResult:
        # Only the source's own lock (sources/lib/archive.py, taken by ingest_source), not the run's writer lock: on
        # Celery workers the ingest steps of different sources run side by side (orchestration/resources.py).
        data = settings.data
        report = ingest_source(contract, data)
        for f in report.new_files:
            log = context.log.warning if f.status != "accepted" else context.log.info
            first = f" (the first: {f.first_rejection}; all in the data-quality sheet)" if f.first_rejection else ""
            log(
                f"{contract.name}: {f.file_name} {f.status.replace('_', ' ')}: {f.rows_accepted} rows accepted, "
                f"{f.rows_rejected} rejected{first}{'; ' + f.error if f.error else ''}"
            )
        return dg.MaterializeResult(
            data_version=raw_data_version(contract, data),
            metadata={
                "new_files": len(report.new_files),
                "already_ingested": report.already_ingested,
                "rows_accepted": report.rows_accepted,
                "rows_rejected": report.rows_rejected,
                "files_rejected": sum(f.status == "rejected" for f in report.new_files),
            },
        )

    return _ingest
