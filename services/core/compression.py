"""Event-state compression tuned for signed XML: zlib at its fastest level.

Every document's XML is stored several times over its life (draft, signature, submission), so
compressing it pays for itself in disk and I/O; the library's default level costs three times
the CPU for a few percent more. Stored data stays plain zlib, readable by either setting.
"""

from __future__ import annotations

import zlib

from eventsourcing.persistence import Compressor


class FastZlib(Compressor):
    """zlib level 1 for writing; any zlib stream for reading."""

    def compress(self, data: bytes) -> bytes:
        """Compress event state."""
        return zlib.compress(data, 1)

    def decompress(self, data: bytes) -> bytes:
        """Decompress event state."""
        return zlib.decompress(data)
