"""Definitions, one module per concern: ingest, transform, reports."""

from sources.lib.safety import require_defusedxml

# Before any module that opens delivered files is imported: the code location does not load without defusedxml.
require_defusedxml()
