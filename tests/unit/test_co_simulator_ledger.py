"""The sandbox's memory: registrations, resolutions and processed documents, across restarts."""

from __future__ import annotations

import re
from datetime import date, datetime
from pathlib import Path

import pytest

from services.countries.co.simulator.ledger import ACCEPTED_ORIGINAL, Entry, Ledger, kind_of
from services.countries.co.simulator.registry import Registry, RegistryConflict, UnknownIssuer
from services.countries.co.simulator.responses import DianAnswer
from services.countries.co.simulator.rules import BOGOTA
from services.countries.co.simulator.storage import open_database

TODAY = date(2026, 3, 2)
NOW = datetime(2026, 3, 2, 10, 0, tzinfo=BOGOTA)


def accepted(key: str) -> DianAnswer:
    return DianAnswer(True, "00", "Procesado Correctamente.", "", (), b"<AR/>", key, "fv1")


def rejected(key: str) -> DianAnswer:
    errors = ("Regla: FAD06, Rechazo: Valor del CUFE no está calculado correctamente.",)
    return DianAnswer(False, "99", "Validación contiene errores.", "", errors, b"<AR/>", key, "fv1")


def test_issuers_get_a_software_id_and_a_five_digit_pin(tmp_path: Path) -> None:
    registry = Registry(open_database(tmp_path))
    software = registry.register_issuer("900373076", "Demo", None, None, TODAY)
    assert re.fullmatch(r"[0-9a-f-]{36}", software.software_id)
    assert re.fullmatch(r"[0-9]{5}", software.pin)
    assert registry.software(software.software_id) == software
    mine = registry.register_issuer("900373076", "Demo", "my-software", "12345", TODAY)
    assert (mine.software_id, mine.pin) == ("my-software", "12345")
    with pytest.raises(RegistryConflict):
        registry.register_issuer("800197268", "Other", "my-software", None, TODAY)


def test_resolutions_look_like_dians_and_belong_to_their_issuer(tmp_path: Path) -> None:
    registry = Registry(open_database(tmp_path))
    with pytest.raises(UnknownIssuer):
        registry.issue_resolution("900373076", "SETP", 1, 10, TODAY, TODAY, TODAY)
    registry.register_issuer("900373076", "Demo", None, None, TODAY)
    first = registry.issue_resolution(
        "900373076", "SETP", 990000000, 995000000, TODAY, TODAY, TODAY
    )
    second = registry.issue_resolution("900373076", "FE", 1, 5000, TODAY, TODAY, TODAY)
    assert re.fullmatch(r"1876[0-9]{10}", first.number)
    assert re.fullmatch(r"[0-9a-f]{40}", first.technical_key)
    assert first.technical_key != second.technical_key
    assert registry.resolution(first.number) == first
    assert registry.resolutions_of("900373076") == [first, second]
    assert registry.resolutions_of("800197268") == []


def test_an_accepted_number_is_found_by_identity_or_key(tmp_path: Path) -> None:
    ledger = Ledger(open_database(tmp_path))
    ledger.record(Entry("900373076", "SETP1", "01", "2026-03-02"), accepted("k1"), NOW)
    assert ledger.accepted_original("900373076", "01", "SETP1", "other").document_key == "k1"
    assert ledger.accepted_original("800197268", "01", "SETP9", "k1").document_key == "k1"
    assert ledger.accepted_original("900373076", "01", "SETP2", "k2") is None


def test_a_rejection_is_replaced_by_a_later_acceptance_but_never_the_reverse(
    tmp_path: Path,
) -> None:
    ledger = Ledger(open_database(tmp_path))
    ledger.record(Entry("900373076", "SETP1", "01", "2026-03-02"), rejected("k1"), NOW)
    assert ledger.accepted_original("900373076", "01", "SETP1", "k1") is None
    ledger.record(Entry("900373076", "SETP1", "01", "2026-03-02"), accepted("k1"), NOW)
    ledger.record(Entry("900373076", "SETP1", "01", "2026-03-02"), rejected("k1"), NOW)
    assert ledger.status("K1").is_valid


def test_state_survives_a_restart(tmp_path: Path) -> None:
    connection = open_database(tmp_path)
    registry, ledger = Registry(connection), Ledger(connection)
    software = registry.register_issuer("900373076", "Demo", None, None, TODAY)
    resolution = registry.issue_resolution("900373076", "SETP", 1, 9, TODAY, TODAY, TODAY)
    ledger.record(Entry("900373076", "SETP1", "01", "2026-03-02"), accepted("k1"), NOW)
    connection.close()

    reopened = open_database(tmp_path)
    assert Registry(reopened).software(software.software_id) == software
    assert Registry(reopened).resolution(resolution.number) == resolution
    assert Ledger(reopened).status("k1") == accepted("k1")


def test_invoice_types_share_one_numbering_identity() -> None:
    assert {kind_of(code) for code in ("01", "02", "04", "")} == {"01"}
    assert kind_of("91") == "91"


def test_finding_an_accepted_original_reads_indexes_never_the_whole_ledger(tmp_path: Path) -> None:
    # Asked once per document received: a scan would grow with every document ever accepted.
    db = open_database(tmp_path)
    Ledger(db)
    plan = db.execute(f"EXPLAIN QUERY PLAN {ACCEPTED_ORIGINAL}", ("n", "01", "1", "k")).fetchall()
    steps = [row[-1] for row in plan]
    assert not [step for step in steps if step.startswith("SCAN")], steps
    assert sum(step.startswith("SEARCH documents USING") for step in steps) == 2, steps
