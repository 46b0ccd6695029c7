"""Checks on a delivered file's bytes before any parser opens it.

openpyxl and calamine trust the zip they are given: a small .xlsx can inflate to gigabytes (a zip bomb), carry
XML entity declarations, macros, or claim a sheet of a billion cells. These checks read only the zip directory
and the first bytes of each XML part, so they are cheap and run on every file.
"""

from __future__ import annotations

import mmap
import re
import zipfile
from pathlib import Path

from sources.lib.errors import SourceFileError

MIB = 1024 * 1024
DEFUSEDXML_MISSING = (
    "defusedxml is not installed: delivered .xlsx files would be parsed with XML entity expansion on. "
    "Install the pinned dependencies (make setup, or pip install -e .) before running the pipeline"
)


def require_defusedxml() -> None:
    """Fail at start-up, not on the first hostile file: readers and openpyxl must parse XML through defusedxml."""
    try:
        import defusedxml  # noqa: F401
        from openpyxl.xml import DEFUSEDXML
    except ImportError:
        raise RuntimeError(DEFUSEDXML_MISSING) from None
    if not DEFUSEDXML:  # openpyxl only uses defusedxml when it could import it
        raise RuntimeError(DEFUSEDXML_MISSING)


ZIP_MAGIC = b"PK\x03\x04"
OLE_MAGIC = b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"
MAX_MEMBER_BYTES = 512 * MIB  # uncompressed size of one part of an .xlsx
MAX_TOTAL_BYTES = 1024 * MIB
MAX_RATIO = 200  # legitimate sheet XML compresses 5-30x; bombs 1000x and more
MAX_CELLS = 50_000_000
_DIMENSION = re.compile(rb'<dimension\s+ref="([A-Z]+)(\d+)(?::([A-Z]+)(\d+))?"')


def column_number(letters: str) -> int:
    n = 0
    for ch in letters:
        n = n * 26 + (ord(ch) - 64)
    return n


def check_size(path: Path, name: str, max_mib: float) -> int:
    size = path.stat().st_size
    if size == 0:
        raise SourceFileError(name, "empty_file", "the file is empty (0 bytes)")
    if size > max_mib * MIB:
        raise SourceFileError(
            name, "file_too_large", f"the file is {size / MIB:.1f} MiB; the contract allows {max_mib:g} MiB"
        )
    return size


def check_text(path: Path, name: str) -> None:
    """A CSV must be text: not a zip, not an OLE container, no NUL byte anywhere (not only in its first 64 KiB:
    text with a binary tail is no delivery either). The file is mapped, not copied: its reader maps it again from
    the page cache."""
    if not path.stat().st_size:
        return  # no bytes, no binary content: the reader says the file is empty
    with path.open("rb") as fh, mmap.mmap(fh.fileno(), 0, access=mmap.ACCESS_READ) as data:
        head = data[:8]
        if head.startswith(ZIP_MAGIC):
            raise SourceFileError(
                name, "wrong_container", "expected a CSV text file but found a zip (.xlsx?) container"
            )
        if head.startswith(OLE_MAGIC):
            raise SourceFileError(name, "wrong_container", "expected a CSV text file but found a legacy Office file")
        if (at := data.find(b"\x00")) >= 0:
            line = data[:at].count(b"\n") + 1
            raise SourceFileError(
                name,
                "binary_content",
                f"expected a CSV text file but found a NUL byte at byte {at:,} (line {line:,}): UTF-16 or binary?",
            )


def check_xlsx(path: Path, name: str, max_cells: int = MAX_CELLS) -> tuple[str, str] | None:
    """Reject anything but a plain, well-formed, reasonably sized .xlsx before it is parsed.

    A workbook whose named ranges link to other files (JRC's Covenant of Mayors export carries fifteen such
    links from its authors' templates) is read: no cell reads them, and the values are the ones saved. It comes
    back as a warning for the delivery record; a cell formula that reads another file refuses the workbook."""
    with path.open("rb") as fh:
        head = fh.read(8)
    if head.startswith(OLE_MAGIC):
        raise SourceFileError(
            name,
            "wrong_container",
            "an OLE container, not .xlsx: a legacy .xls or a password-protected workbook; "
            "save it as an unprotected .xlsx",
        )
    if not head.startswith(ZIP_MAGIC):
        raise SourceFileError(
            name, "wrong_container", "not an .xlsx (zip) file: it does not start with the zip signature"
        )
    try:
        archive = zipfile.ZipFile(path)
    except (zipfile.BadZipFile, OSError) as exc:
        raise SourceFileError(
            name, "corrupt_zip", f"the zip container cannot be read (truncated upload?): {exc}"
        ) from exc
    with archive:
        infos = archive.infolist()
        names = {i.filename for i in infos}
        if "xl/workbook.bin" in names:
            raise SourceFileError(name, "wrong_container", "a binary workbook (.xlsb); save it as .xlsx")
        if "xl/workbook.xml" not in names or "[Content_Types].xml" not in names:
            raise SourceFileError(name, "wrong_container", "a zip file but not an Excel workbook (no xl/workbook.xml)")
        if "xl/vbaProject.bin" in names:
            raise SourceFileError(name, "macros", "the workbook contains macros (.xlsm); save it as a plain .xlsx")
        links = sorted(n for n in names if re.fullmatch(r"xl/externalLinks/externalLink\d+\.xml", n))
        total = 0
        for info in infos:
            if info.flag_bits & 0x1:
                raise SourceFileError(name, "encrypted", f"zip member {info.filename} is encrypted")
            total += info.file_size
            if info.file_size > MAX_MEMBER_BYTES or (
                info.file_size > 10 * MIB and info.file_size > MAX_RATIO * max(info.compress_size, 1)
            ):
                raise SourceFileError(
                    name,
                    "zip_bomb",
                    f"zip member {info.filename} inflates from {info.compress_size} to {info.file_size} bytes",
                )
        if total > MAX_TOTAL_BYTES:
            raise SourceFileError(name, "zip_bomb", f"the workbook inflates to {total} bytes in all")
        for info in infos:
            if not info.filename.endswith((".xml", ".rels")):
                continue
            with archive.open(info) as member:
                try:
                    start = member.read(4096)
                except (zipfile.BadZipFile, OSError, EOFError) as exc:
                    raise SourceFileError(
                        name, "corrupt_zip", f"zip member {info.filename} cannot be read: {exc}"
                    ) from exc
            if b"<!DOCTYPE" in start or b"<!ENTITY" in start:
                raise SourceFileError(
                    name, "xml_entities", f"zip member {info.filename} declares a DOCTYPE or XML entities"
                )
            if info.filename.startswith("xl/worksheets/"):
                _check_dimension(name, info.filename, start, max_cells)
        if not links:
            return None
        for member in sorted(n for n in names if re.fullmatch(r"xl/worksheets/[^/]+\.xml", n)):
            if cell := _external_formula(archive, member):
                raise SourceFileError(
                    name,
                    "external_links",
                    f"the cell {cell} ({member}) holds a formula that reads another workbook: its value depends on "
                    "a file we do not have; paste the values and save the workbook again",
                    row=int(re.sub(r"\D", "", cell) or 0) or None,
                    column=re.sub(r"\d", "", cell) or None,
                )
    return (
        "external_links_in_names",
        f"the workbook's named ranges link to {len(links)} other file(s); no cell reads them, so the saved values "
        "were read; the delivered file, links included, is kept unchanged in the archive",
    )


_EXTERNAL_FORMULA = re.compile(rb"<(?:\w+:)?f\b[^>]*>[^<]*\[\d+\][^<]*</(?:\w+:)?f>")
_CELL_START = re.compile(rb'<(?:\w+:)?c\b[^>]*\br="([A-Z]+\d+)"')


def _external_formula(archive: zipfile.ZipFile, member: str) -> str | None:
    """The first cell whose formula names an external workbook ([1]Sheet!A1), streamed in chunks; None if none."""
    tail = b""
    with archive.open(member) as fh:
        for chunk in iter(lambda: fh.read(1 << 20), b""):
            text = tail + chunk
            if b"[" in text and (m := _EXTERNAL_FORMULA.search(text)):
                cells = list(_CELL_START.finditer(text, 0, m.start()))
                return cells[-1].group(1).decode() if cells else "?"
            tail = text[-8192:]
    return None


def _check_dimension(name: str, member: str, start: bytes, max_cells: int) -> None:
    match = _DIMENSION.search(start)
    if not match or not match.group(3):
        return
    c1, r1, c2, r2 = match.group(1), int(match.group(2)), match.group(3), int(match.group(4))
    cells = (r2 - r1 + 1) * (column_number(c2.decode()) - column_number(c1.decode()) + 1)
    if cells > max_cells:
        raise SourceFileError(
            name,
            "sheet_dimension",
            f"{member} claims {cells:,} cells ({match.group(0).decode()}); at most {max_cells:,} are accepted",
        )
