"""SII schema validation of DTEs and envelopes, with the XSDs the `cl-sii` package ships.

The XSDs are located through the installed distribution (never copied into this repository)
and compiled once per process by a parser that reads local files only: `xs:include` and
`xs:import` resolve inside the package's schema folder and anything else is refused.
`EnvioDTE_v10.xsd` includes `DTE_v10.xsd`, so one schema validates both a DTE and an EnvioDTE.
"""

from __future__ import annotations

import threading
from importlib import metadata
from pathlib import Path

from lxml import etree

from services.countries.cl.xml_input import UnreadableXml, parse_xml

_FOLDER = "cl_sii/data/ref/factura_electronica/schemas-xml"
_lock = threading.Lock()
_compiled: etree.XMLSchema | None = None


class SchemaUnavailable(RuntimeError):
    """The SII XSDs could not be found or compiled (cl-sii missing or damaged)."""


def schema_folder() -> Path:
    """The installed cl-sii package's folder of SII XSDs."""
    try:
        distribution = metadata.distribution("cl-sii")
    except metadata.PackageNotFoundError as error:
        raise SchemaUnavailable("the cl-sii package (SII XSDs) is not installed") from error
    folder = Path(str(distribution.locate_file(_FOLDER)))
    if not (folder / "EnvioDTE_v10.xsd").is_file():
        raise SchemaUnavailable(f"no SII schemas under {folder}")
    return folder


class _LocalOnly(etree.Resolver):
    """Lets schema includes read files in the schema folder and nothing else."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self._root = root.resolve()

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        """Serve a local XSD of the folder; refuse network and outside paths."""
        if "://" in system_url and not system_url.startswith("file://"):
            raise SchemaUnavailable(f"schema import {system_url!r} would need the network")
        path = Path(system_url.removeprefix("file://")).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            raise SchemaUnavailable(f"schema import {system_url!r} is not a local SII XSD")
        return self.resolve_filename(str(path), context)


def _schema() -> etree.XMLSchema:
    global _compiled
    with _lock:
        if _compiled is None:
            folder = schema_folder()
            parser = etree.XMLParser(no_network=True, resolve_entities=False, load_dtd=False)
            parser.resolvers.add(_LocalOnly(folder))
            try:
                tree = etree.parse(str(folder / "EnvioDTE_v10.xsd"), parser)
                _compiled = etree.XMLSchema(tree)
            except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as error:
                raise SchemaUnavailable(f"cannot compile the SII schemas: {error}") from error
        return _compiled


def validate(document: bytes | etree._Element) -> list[str]:
    """Schema errors of a DTE or EnvioDTE ("line N: message"); empty when it is valid."""
    if isinstance(document, bytes):
        try:
            root = parse_xml(document)
        except UnreadableXml as error:
            return [f"line 0: {error}"]
    else:
        root = document
    schema = _schema()
    # One XMLSchema object keeps one error log: validations are serialised to keep logs apart.
    with _lock:
        if schema.validate(root):
            return []
        return [f"line {entry.line}: {entry.message}" for entry in schema.error_log]
