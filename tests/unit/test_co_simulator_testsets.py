"""Test sets: their requirements, DIAN's acceptance and rejection rule, and their storage."""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest

from services.countries.co.simulator.rules import BOGOTA
from services.countries.co.simulator.storage import open_database
from services.countries.co.simulator.testsets import (
    ACCEPTED,
    IN_PROCESS,
    REJECTED,
    Counts,
    Requirements,
    TestSets,
    decide,
    group_of,
)

NOW = datetime(2026, 3, 2, 10, tzinfo=BOGOTA)


def test_the_defaults_are_the_providers_guides() -> None:
    required = Requirements.read("invoice", None)
    assert required == Requirements(50, 10, {"invoices": 8, "credit_notes": 1, "debit_notes": 1})
    support = Requirements.read("support", {})
    assert support.per_group == {"support_documents": 8, "adjustment_notes": 1}


def test_requirements_are_configurable_and_checked() -> None:
    required = Requirements.read("invoice", {"invoices_accepted": 2, "debit_notes_accepted": 0})
    assert (required.accepted, required.documents) == (3, 50)
    for body, field in [
        ({"invoices_accepted": "2"}, "required.invoices_accepted"),
        ({"support_documents_accepted": 1}, "required.support_documents_accepted"),
        ({"accepted": 1}, "required.accepted"),
        ({"documents": 5}, "required.documents"),
        ([], "required"),
    ]:
        with pytest.raises(ValueError) as refused:
            Requirements.read("invoice", body)
        assert str(refused.value).startswith(field)


def counts(rejected: int = 0, **accepted: int) -> Counts:
    groups = {g: {"sent": n, "accepted": n, "rejected": 0} for g, n in accepted.items()}
    total = sum(accepted.values())
    return Counts(total + rejected, total, rejected, groups)


def test_acceptance_needs_every_group_and_rejection_needs_too_many_failures() -> None:
    required = Requirements(50, 10, {"invoices": 8, "credit_notes": 1, "debit_notes": 1})
    assert decide(required, counts(invoices=8, credit_notes=1), IN_PROCESS) == IN_PROCESS
    assert decide(required, counts(invoices=8, credit_notes=1, debit_notes=1), IN_PROCESS) == (
        ACCEPTED
    )
    assert decide(required, counts(40, invoices=3), IN_PROCESS) == IN_PROCESS  # 40 = 50 - 10
    assert decide(required, counts(41, invoices=3), IN_PROCESS) == REJECTED
    # Acceptance is checked first, and a decided set stays decided.
    assert decide(required, counts(41, invoices=8, credit_notes=1, debit_notes=1), IN_PROCESS) == (
        ACCEPTED
    )
    assert decide(required, counts(), REJECTED) == REJECTED


def test_document_types_count_in_their_groups() -> None:
    assert [group_of(t) for t in ("01", "02", "03", "04", "91", "92", "05", "95", "96")] == [
        "invoices",
        "invoices",
        "invoices",
        "invoices",
        "credit_notes",
        "debit_notes",
        "support_documents",
        "adjustment_notes",
        "",
    ]


def test_a_set_counts_each_document_once_and_stays_decided(tmp_path: Path) -> None:
    sets = TestSets(open_database(tmp_path))
    required = Requirements(3, 2, {"invoices": 2, "credit_notes": 0, "debit_notes": 0})
    made = sets.create("900373076", "sw", "invoice", "own", required, NOW)
    assert len(made.test_set_id) == 36 and sets.get(made.test_set_id.upper()) == made
    assert sets.count(made, "k1", "01", False) == IN_PROCESS
    assert sets.count(made, "k1", "01", True) == IN_PROCESS  # the resend replaced the failure
    assert sets.counts(made.test_set_id).rejected == 0
    assert sets.count(made, "k2", "01", True) == ACCEPTED
    decided = sets.get(made.test_set_id)
    assert decided.status == ACCEPTED and decided.status_text == "Aceptado"
    assert sets.count(decided, "k3", "01", False) == ACCEPTED
    assert sets.counts(made.test_set_id).sent == 2  # nothing counted after the decision
