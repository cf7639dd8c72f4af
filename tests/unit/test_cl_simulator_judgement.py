"""Judging checked DTEs against what the SII holds, and getEstDte's answers from it."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest
from lxml import etree

from services.countries.cl.simulator.codes import Finding, finding
from services.countries.cl.simulator.document_check import DocumentCheck
from services.countries.cl.simulator.dte_facts import DocumentFacts, Reference
from services.countries.cl.simulator.inspection import Inspection
from services.countries.cl.simulator.judgement import Judge
from services.countries.cl.simulator.ledger import Ledger
from services.countries.cl.simulator.queries import DocumentQuery, document_state
from services.countries.cl.simulator.registry import CafRecord, Registry
from services.countries.cl.simulator.storage import open_database

COMPANY = "76192083-9"
PATH = ("REC", "SOK", "CRT", "FOK", "PDR", "EPR")
DAY = date(2025, 3, 3)


class World:
    """A registry and ledger in a fresh database, and a way to judge envelopes."""

    def __init__(self, directory: Path) -> None:
        database = open_database(directory)
        self.registry, self.ledger = Registry(database), Ledger(database)
        self.registry.register(COMPANY, "Demo", date(2024, 3, 1), 0, ["13185095-6"])
        self.registry.record_caf(CafRecord(COMPANY, 33, 1, 100, DAY, 100), 0.0)
        self.registry.record_caf(CafRecord(COMPANY, 61, 1, 100, DAY, 100), 0.0)
        self.judge = Judge(self.registry, self.ledger)

    def send(self, *checks: DocumentCheck) -> etree._Element:
        track = self.ledger.add_upload(COMPANY, "13185095-6", "f.xml", b"x", str(id(checks)), 0.0)
        upload = self.ledger.upload(track)
        outcome, informe = self.judge.judge(
            upload, Inspection(PATH, (), checks), datetime(2025, 3, 3)
        )
        self.ledger.finish(track, outcome, informe, 1.0)
        return etree.fromstring(informe)

    def state(self, dte_type: int, folio: int, total: int = 1190, company: str = COMPANY) -> str:
        query = DocumentQuery(company, "77777777-7", dte_type, folio, DAY, total)
        return document_state(self.registry, self.ledger, query).estado


@pytest.fixture
def world(tmp_path: Path) -> World:
    return World(tmp_path)


def check(
    folio: int, total: int = 1190, *found: Finding, kind: int = 33, **facts: object
) -> DocumentCheck:
    values = {
        "dte_type": kind,
        "folio": folio,
        "issuer": COMPANY,
        "receiver": "77777777-7",
        "issued_on": DAY,
        "total": total,
        "signed_at": None,
        "references": (),
    } | facts
    return DocumentCheck(DocumentFacts(**values), found)  # type: ignore[arg-type]


def details(report: etree._Element) -> list[tuple[str, str]]:
    return [
        (entry.findtext("FOLIO"), entry.findtext("DETALLE")[1:].split(")")[0])
        for entry in report.iterfind("REVISIONENVIO/REVISIONDTE")
    ]


def test_accepted_documents_are_held_and_counted(world: World) -> None:
    report = world.send(check(1), check(2, 1190, finding("TOT-1-601", iva=1, expected=2)))
    subtotal = report.find("ESTADISTICA/SUBTOTAL")
    counts = [subtotal.findtext(n) for n in ("INFORMADO", "ACEPTA", "RECHAZO", "REPARO")]
    assert counts == ["2", "2", "0", "1"]
    assert report.findtext("REVISIONENVIO/REVISIONDTE/ESTADO").startswith("RLV")
    assert (world.state(33, 1), world.state(33, 2)) == ("DOK", "DOK")


def test_a_folio_held_is_repeated_or_reused(world: World) -> None:
    world.send(check(3))
    assert details(world.send(check(3), check(3, 5000))) == [("3", "DTE-3-100"), ("3", "DTE-3-101")]
    assert details(world.send(check(4), check(4, 9))) == [("4", "DTE-3-101")]


def test_the_issuer_then_annulments_then_the_inspection_decide(world: World) -> None:
    world.registry.annul(COMPANY, 33, 5, 5, "error", 0.0)
    report = world.send(
        check(5),
        check(6, 1190, finding("DTE-3-505"), finding("TOT-1-601", iva=1, expected=2)),
        check(7, issuer="96874030-K"),
    )
    assert details(report) == [("5", "DTE-3-601"), ("6", "DTE-3-505"), ("7", "DTE-3-102")]
    assert world.state(33, 5) == "FAN" and world.state(33, 6) == "FAU"


def test_references_must_name_documents_the_sii_holds(world: World) -> None:
    annul = (Reference(1, "33", "10", 1),)
    report = world.send(
        check(10),
        check(1, kind=61, references=annul),
        check(2, kind=61, references=(Reference(1, "33", "11", 3),)),
    )
    assert details(report) == [("2", "REF-3-750")]
    assert world.state(33, 10) == "ANC"
    sets = (Reference(1, "SET", "0", None), Reference(2, "801", "OC-1", None))
    assert details(world.send(check(3, kind=61, references=sets))) == []


def test_get_est_dte_states(world: World) -> None:
    world.send(check(20))
    assert world.state(33, 20) == "DOK"
    assert world.state(33, 20, total=1) == "DNK"
    assert world.state(33, 21) == "FAU"
    assert world.state(33, 500) == "FNA"
    assert world.state(33, 20, company="96874030-K") == "EMP"
