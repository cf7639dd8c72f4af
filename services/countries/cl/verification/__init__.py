"""Verifying SII files (a DTE or an EnvioDTE) offline, check by check, for `timbra verify`.

The pack's own functions do the SII's arithmetic (flattening, TED, CAF, schemas, the envelope's
standalone DTEs); this package judges a file with them and with libxmlsec1, and reports.
"""
