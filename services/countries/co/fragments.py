"""Per-thread caches of XML fragments that repeat from one document to the next.

An issuer's party group, the resolution part of DianExtensions or a tax category are the same
for thousands of invoices; building them once and copying them (a C-level deep copy) keeps the
builder well under a millisecond. Fragments are built under a holder that declares the invoice
namespaces, so a copy appended to an invoice root carries no redundant declarations.
"""

from __future__ import annotations

import copy
import threading
from collections.abc import Callable, Hashable
from typing import Generic, TypeVar

from lxml import etree

from services.countries.co.namespaces import INV, INVOICE_NSMAP

K = TypeVar("K", bound=Hashable)


def holder() -> etree._Element:
    """A detached invoice root to build a fragment under (it supplies the namespace prefixes)."""
    return etree.Element(INV + "Invoice", nsmap=INVOICE_NSMAP)


class FragmentCache(Generic[K]):
    """Builds a fragment once per key and thread, and hands out deep copies of it."""

    def __init__(self, build: Callable[[K], etree._Element], limit: int = 1024) -> None:
        self._build = build
        self._limit = limit
        # One cache per thread: lxml trees should not be read from threads that did not make
        # them, and the copies must never share nodes with the cached original.
        self._local = threading.local()

    def copy(self, key: K) -> etree._Element:
        """A fresh copy of the fragment for `key`, free to be appended and edited."""
        entries: dict[K, etree._Element] | None = getattr(self._local, "entries", None)
        if entries is None:
            entries = self._local.entries = {}
        fragment = entries.get(key)
        if fragment is None:
            if len(entries) >= self._limit:
                entries.clear()  # crude but bounded; the working set is small in practice
            fragment = entries[key] = self._build(key)
        return copy.deepcopy(fragment)
