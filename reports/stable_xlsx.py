"""Byte-stable .xlsx: the same workbook content always gives the same bytes.

openpyxl stamps the save time into docProps/core.xml and the zip entries; here both are pinned, the entry
order is kept, and the document properties are reduced to an allowlist (no user or machine names).
"""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile

from openpyxl import Workbook

ZIP_EPOCH = (1980, 1, 1, 0, 0, 0)
_MODIFIED = re.compile(rb"<dcterms:modified([^>]*)>[^<]*</dcterms:modified>")
_CREATED = re.compile(rb"<dcterms:created([^>]*)>[^<]*</dcterms:created>")


def stable_xlsx_bytes(workbook: Workbook, timestamp: dt.datetime, *, title: str = "", creator: str = "") -> bytes:
    props = workbook.properties
    props.creator = creator or None
    props.lastModifiedBy = None
    props.title = title or None
    props.created = timestamp.replace(tzinfo=None, microsecond=0)
    buffer = io.BytesIO()
    workbook.save(buffer)
    stamp = timestamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    out = io.BytesIO()
    with zipfile.ZipFile(buffer) as src, zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as dst:
        for info in src.infolist():
            data = src.read(info.filename)
            if info.filename == "docProps/core.xml":
                data = _MODIFIED.sub(rb"<dcterms:modified\1>" + stamp + rb"</dcterms:modified>", data)
                data = _CREATED.sub(rb"<dcterms:created\1>" + stamp + rb"</dcterms:created>", data)
            entry = zipfile.ZipInfo(info.filename, date_time=ZIP_EPOCH)
            entry.compress_type = zipfile.ZIP_DEFLATED
            entry.external_attr = 0o600 << 16
            dst.writestr(entry, data, compresslevel=6)
    return out.getvalue()
