"""The simulator's DIAN rules on hand-made facts: each rule fires alone, and only when broken."""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from services.countries.co.cufe import KeyFields, cufe, software_security_code
from services.countries.co.simulator.facts import InvoiceFacts
from services.countries.co.simulator.findings import Finding
from services.countries.co.simulator.registry import Resolution, Software
from services.countries.co.simulator.rules import evaluate

NIT = "900373076"
KEY = "fc8eac422eba16e22ffd8c6f94b3f40a6e38162c"
SOFTWARE = Software("5f2c8a4e-1b7d-4c39-9e0a-6d3b2f81c7a4", NIT, "75315")
RESOLUTION = Resolution(
    "18760000001",
    NIT,
    "SETP",
    990000000,
    995000000,
    date(2019, 1, 19),
    date(2030, 1, 19),
    KEY,
    date(2019, 1, 19),
)


def facts(**changes: object) -> InvoiceFacts:
    """A consistent invoice (CUFE and security code computed), then `changes` applied."""
    base = InvoiceFacts(
        number="SETP990000001",
        uuid="",
        uuid_scheme_id="2",
        issue_date="2026-03-02",
        issue_time="10:15:00-05:00",
        environment="2",
        invoice_type="01",
        line_extension=Decimal("100000.00"),
        payable=Decimal("119000.00"),
        taxes={"01": Decimal("19000.00")},
        supplier_nit=NIT,
        supplier_name="Demo S.A.S.",
        customer_id="800197268",
        authorization="18760000001",
        period_start="2019-01-19",
        period_end="2030-01-19",
        prefix="SETP",
        range_from="990000000",
        range_to="995000000",
        software_id=SOFTWARE.software_id,
    )
    base = replace(base, **changes)
    fields = KeyFields(
        base.number,
        base.issue_date,
        base.issue_time,
        base.line_extension,
        base.taxes,
        base.payable,
        base.supplier_nit,
        base.customer_id,
        base.environment,
    )
    computed = {
        "uuid": cufe(fields, KEY),
        "security_code": software_security_code(SOFTWARE.software_id, SOFTWARE.pin, base.number),
    }
    return replace(base, **{k: v for k, v in computed.items() if k not in changes})


def rules_of(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def judge(
    invoice: InvoiceFacts,
    resolution: Resolution | None = RESOLUTION,
    software: Software | None = SOFTWARE,
    signing_time: str = "2026-03-02T10:15:01.000-05:00",
) -> list[Finding]:
    return evaluate(invoice, (), signing_time, resolution, software)


def test_a_consistent_invoice_breaks_no_rule() -> None:
    assert judge(facts()) == []


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"authorization": ""}, "FAB05a"),
        ({"period_start": "2019-01-20"}, "FAB07b"),
        ({"period_end": "2030-01-18"}, "FAB08b"),
        ({"range_from": "990000001"}, "FAB11b"),
        ({"range_to": "not-a-number"}, "FAB12b"),
        ({"number": "SETP989999999"}, "FAD05b"),
        ({"number": "SETP995000001"}, "FAD05c"),
        ({"number": "FE990000001"}, "FAD05d"),
        ({"uuid": "0" * 96}, "FAD06"),
        ({"uuid_scheme_id": "1"}, "FAD07"),
        ({"security_code": "0" * 96}, "FAB27b"),
    ],
)
def test_each_rule_fires_alone(changes: dict[str, object], rule: str) -> None:
    findings = judge(facts(**changes))
    assert rules_of(findings) == [rule]
    assert all(finding.rejection for finding in findings)


def test_an_amount_changed_after_the_cufe_was_computed_is_fad06() -> None:
    tampered = replace(facts(), payable=Decimal("119000.01"))
    assert rules_of(judge(tampered)) == ["FAD06"]


def test_amounts_are_truncated_to_two_decimals_like_dian() -> None:
    # DIAN truncates what it reads: 119000.009 hashes as 119000.00, so the key still matches.
    assert judge(replace(facts(), payable=Decimal("119000.009"))) == []


def test_an_unknown_resolution_is_fab05b_without_a_cufe_check() -> None:
    assert rules_of(judge(facts(authorization="18769999999999"), resolution=None)) == ["FAB05b"]


def test_unregistered_software_is_fab24b() -> None:
    assert rules_of(judge(facts(), software=None)) == ["FAB24b"]


def test_a_resolution_of_another_issuer_is_fab05b() -> None:
    theirs = replace(RESOLUTION, nit="800197268")
    assert rules_of(judge(facts(), theirs)) == ["FAB05b"]


def test_software_of_another_issuer_is_fab24b() -> None:
    theirs = replace(SOFTWARE, nit="800197268")
    assert rules_of(judge(facts(), software=theirs)) == ["FAB24b"]


def test_a_foreign_prefix_is_only_a_notification() -> None:
    findings = judge(facts(prefix="ABCD", number="ABCD990000001"))
    assert rules_of(findings) == ["FAB10b"]
    assert not findings[0].rejection
    assert findings[0].message.startswith("Regla: FAB10b, Notificación: ")


def test_issue_dates_outside_the_authorised_period() -> None:
    later = replace(RESOLUTION, valid_from=date(2026, 3, 3))
    assert rules_of(judge(facts(period_start="2026-03-03"), later)) == ["FAD09a"]
    earlier = replace(RESOLUTION, valid_to=date(2026, 3, 1))
    assert rules_of(judge(facts(period_end="2026-03-01"), earlier)) == ["FAD09b"]


def test_signing_date_is_compared_in_colombian_time() -> None:
    # 02:00 UTC on the 3rd is 21:00 on the 2nd in Bogotá: the same day as IssueDate.
    assert judge(facts(), signing_time="2026-03-03T02:00:00Z") == []
    assert rules_of(judge(facts(), signing_time="2026-03-03T10:00:00-05:00")) == ["FAD09e"]
    assert rules_of(judge(facts(), signing_time="yesterday")) == ["FAD09e"]


def test_messages_use_dians_wording() -> None:
    (finding,) = judge(facts(uuid="0" * 96))
    assert (
        finding.message == "Regla: FAD06, Rechazo: Valor del CUFE no está calculado correctamente."
    )
