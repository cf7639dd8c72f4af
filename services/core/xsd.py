"""XSDs shipped inside an installed package, compiled once per process and validated safely.

Country packs validate against schemas a maintained package ships (UBL 2.1 for Colombia, the
SII's for Chile), never copies in this repository. The files are located through the installed
distribution, and compiled by a parser that reads local files only: every `xs:include` and
`xs:import` must resolve inside the package's schema folder, anything else (network, paths
outside) is refused.
"""

from __future__ import annotations

import threading
from importlib import metadata
from pathlib import Path

from lxml import etree

from services.core.untrusted_xml import UnsafeXml, parse


class SchemaUnavailable(RuntimeError):
    """The XSDs could not be found or compiled (their package missing or damaged)."""


class LocalOnly(etree.Resolver):
    """Lets schema imports and includes read files under one folder and nothing else."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self._root = root.resolve()

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        """Serve a local XSD below the folder; refuse network and outside paths."""
        if "://" in system_url and not system_url.startswith("file://"):
            raise SchemaUnavailable(f"schema import {system_url!r} would need the network")
        path = Path(system_url.removeprefix("file://")).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            raise SchemaUnavailable(
                f"schema import {system_url!r} is not a local file of {self._root}"
            )
        return self.resolve_filename(str(path), context)


def package_folder(distribution: str, folder: str, marker: str) -> Path:
    """`folder` inside an installed distribution; SchemaUnavailable unless it holds `marker`."""
    try:
        found = metadata.distribution(distribution)
    except metadata.PackageNotFoundError as error:
        raise SchemaUnavailable(f"the {distribution} package (XSDs) is not installed") from error
    path = Path(str(found.locate_file(folder)))
    if not (path / marker).is_file():
        raise SchemaUnavailable(f"no {marker} under {path}")
    return path


class PackagedSchema:
    """One XSD of an installed package: compiled on first use, shared by every thread.

    lxml keeps one error log per XMLSchema object, so two threads validating with the same
    object at once would mix their errors; a lock keeps each validation's log its own.
    """

    def __init__(self, distribution: str, folder: str, entry: str) -> None:
        self._distribution = distribution
        self._folder = folder
        self._entry = entry
        self._schema: etree.XMLSchema | None = None
        self._lock = threading.Lock()

    def folder(self) -> Path:
        """The installed folder the schema and everything it imports live in."""
        return package_folder(self._distribution, self._folder, self._entry)

    def compiled(self) -> etree.XMLSchema:
        """The compiled schema (compiled once); SchemaUnavailable when it cannot be."""
        with self._lock:
            if self._schema is None:
                folder = self.folder()
                parser = etree.XMLParser(
                    no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False
                )
                parser.resolvers.add(LocalOnly(folder))
                path = folder / self._entry
                try:
                    self._schema = etree.XMLSchema(etree.parse(str(path), parser))
                except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as error:
                    raise SchemaUnavailable(f"cannot compile {path}: {error}") from error
            return self._schema

    def validate(self, root: etree._Element) -> list[str]:
        """Schema errors of a parsed document ("line N: message"); empty when it is valid."""
        schema = self.compiled()
        with self._lock:
            if schema.validate(root):
                return []
            return [f"line {entry.line}: {entry.message}" for entry in schema.error_log]


def parse_for_validation(document: bytes | etree._Element) -> etree._Element | list[str]:
    """The root of a document to validate, or its one error when the bytes are unacceptable."""
    if not isinstance(document, bytes):
        return document
    try:
        return parse(document)
    except UnsafeXml as error:
        return [f"line 0: {error}"]
