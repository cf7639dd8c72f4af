"""The simulator's DIAN rules on hand-made facts: each rule fires alone, and only when broken.

`facts()` is a consistent invoice (its CUFE and security code computed from its own values);
each test changes one thing and expects exactly the rule that change breaks.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from decimal import Decimal

import pytest

from services.countries.co import habilitacion
from services.countries.co.nit import check_digit
from services.countries.co.simulator.context import LookupContext
from services.countries.co.simulator.ledger import AcceptedDocument
from services.countries.co.simulator.registry import Resolution, Software
from services.countries.co.simulator.rules import evaluate
from services.countries.co.verification import keys
from services.countries.co.verification.facts import (
    AllowanceChargeFacts,
    DocumentFacts,
    ExchangeRateFacts,
    LineFacts,
    MonetaryTotals,
    NumberingFacts,
    PartyFacts,
    PartyId,
    PaymentMeansFacts,
    ReferenceFacts,
    TaxSubtotalFacts,
    TaxTotalFacts,
)
from services.countries.co.verification.findings import Finding
from services.countries.co.verification.signature import SignatureCheck

NIT, BUYER, OTHER = "900373076", "800197268", "901210113"
KEY = "0123456789abcdef0123456789abcdef01234567"
SOFTWARE = Software("5f2c8a4e-1b7d-4c39-9e0a-6d3b2f81c7a4", NIT, "75315")
RESOLUTION = Resolution(
    "18764000000001",
    NIT,
    "SETP",
    990000000,
    995000000,
    date(2019, 1, 19),
    date(2030, 1, 19),
    KEY,
    date(2019, 1, 19),
)
SIGNED = "2026-03-02T10:15:01.000-05:00"


def _iva(base: str, tax: str) -> TaxTotalFacts:
    return TaxTotalFacts(
        Decimal(tax), (TaxSubtotalFacts("01", Decimal(tax), Decimal(base), Decimal("19.00")),)
    )


def _party(nit: str, branch: str = "") -> PartyFacts:
    ident = PartyId(nit, check_digit(nit), "31")
    return PartyFacts(True, "1", ident, "Demo S.A.S.", ident, branch)


def consistent(base: DocumentFacts, pin: str = SOFTWARE.pin, secret: str = KEY) -> DocumentFacts:
    """`base` with the key and security code its own values give."""
    key_secret = secret if keys.key_spec(base.document_type) is keys.CUFE else pin
    code = keys.sha384_hex(f"{base.software_id}{pin}{base.number}")
    return replace(base, uuid=keys.document_key(base, key_secret), security_code=code)


def facts(**changes: object) -> DocumentFacts:
    """A consistent invoice, then `changes`; uuid and security_code are recomputed unless given."""
    base = DocumentFacts(
        root="Invoice",
        document_type="01",
        type_code="01",
        number="SETP990000001",
        uuid="",
        issue_date="2026-03-02",
        issue_time="10:15:00-05:00",
        environment="2",
        uuid_scheme_id="2",
        uuid_scheme_name="CUFE-SHA384",
        customization_id="10",
        currency="COP",
        currency_ids=("COP",),
        line_count="1",
        totals=MonetaryTotals(
            line_extension=Decimal("100000.00"),
            payable=Decimal("119000.00"),
            tax_exclusive=Decimal("100000.00"),
            tax_inclusive=Decimal("119000.00"),
            allowance=Decimal("0.00"),
            charge=Decimal("0.00"),
        ),
        lines=(LineFacts("1", Decimal("100000.00"), Decimal(1), (_iva("100000.00", "19000.00"),)),),
        tax_totals=(_iva("100000.00", "19000.00"),),
        payment_means=(PaymentMeansFacts("2", "ZZZ", "2026-04-01"),),
        supplier=_party(NIT, "SETP"),
        customer=_party(BUYER),
        numbering=NumberingFacts(
            "18764000000001", "2019-01-19", "2030-01-19", "SETP", "990000000", "995000000"
        ),
        software_id=SOFTWARE.software_id,
        provider=PartyId(NIT, "4", "31"),
    )
    computed = consistent(replace(base, **changes))
    kept = {k: v for k, v in changes.items() if k in ("uuid", "security_code")}
    return replace(computed, **kept)


def judge(
    document: DocumentFacts,
    resolution: Resolution | None = RESOLUTION,
    software: Software | None = SOFTWARE,
    accepted: tuple[AcceptedDocument, ...] = (),
    signing_time: str = SIGNED,
    variant: keys.CudsVariant = keys.CudsVariant.TAX_01_ONLY,
) -> list[Finding]:
    context = LookupContext.of(
        tuple(r for r in (resolution,) if r), tuple(s for s in (software,) if s), accepted
    )
    return evaluate(document, SignatureCheck((), signing_time), context, cuds_variant=variant)


def rules_of(findings: list[Finding]) -> list[str]:
    return [finding.rule for finding in findings]


def totals(**changes: object) -> MonetaryTotals:
    return replace(facts().totals, **changes)


def test_a_consistent_invoice_breaks_no_rule() -> None:
    assert judge(facts()) == []


NUMBERING = facts().numbering
RATE_XYZ = ExchangeRateFacts("XYZ", Decimal("1.00"), "COP", Decimal("1.00"), Decimal(3), "")


@pytest.mark.parametrize(
    ("changes", "rule"),
    [
        ({"numbering": replace(NUMBERING, authorization="")}, "FAB05a"),
        ({"numbering": replace(NUMBERING, period_start="2019-01-20")}, "FAB07b"),
        ({"numbering": replace(NUMBERING, period_end="2030-01-18")}, "FAB08b"),
        ({"numbering": replace(NUMBERING, range_from="990000001")}, "FAB11b"),
        ({"numbering": replace(NUMBERING, range_to="not-a-number")}, "FAB12b"),
        ({"number": "SETP989999999"}, "FAD05b"),
        ({"number": "SETP995000001"}, "FAD05c"),
        ({"number": "FE990000001"}, "FAD05d"),
        ({"environment": "3", "uuid_scheme_id": "3"}, "FAD04"),
        ({"uuid": "0" * 96}, "FAD06"),
        ({"uuid_scheme_id": "1"}, "FAD07"),
        ({"uuid_scheme_name": "CUFE-SHA1"}, "FAD08"),
        ({"software_id": ""}, "FAB24a"),
        ({"security_code": ""}, "FAB27a"),
        ({"security_code": "0" * 96}, "FAB27b"),
        ({"dian_extensions": 2}, "FAB03"),
        ({"document_type": "07", "type_code": "07"}, "FAD12a"),
        ({"currency": "XYZ", "currency_ids": ("XYZ",), "exchange_rate": RATE_XYZ}, "FAD15a"),
        ({"currency_ids": ("COP", "USD")}, "FAD15b"),
        ({"line_count": "2"}, "FAD16"),
        ({"provider": PartyId(NIT, "", "31")}, "FAB22a"),
        ({"provider": PartyId(NIT, "5", "31")}, "FAB22b"),
        ({"supplier": replace(_party(NIT, "SETP"), tax_id=PartyId(NIT, "7", "31"))}, "FAJ24"),
        ({"supplier": replace(_party(NIT, "SETP"), legal_id=PartyId(NIT, "", "31"))}, "FAJ47"),
        ({"supplier": replace(_party(NIT, "SETP"), legal_id=PartyId(NIT, "4", "13"))}, "FAJ48"),
        ({"customer": replace(_party(BUYER), tax_id=PartyId("", "", "31"))}, "FAK21"),
        ({"customer": replace(_party(BUYER), tax_id=PartyId(BUYER, "3", "31"))}, "FAK24"),
        ({"lines": (replace(facts().lines[0], line_extension=Decimal("99000.00")),)}, "FAU02"),
        ({"totals": totals(tax_exclusive=Decimal("90000.00"))}, "FAU04"),
        (
            {"totals": totals(tax_inclusive=Decimal("118000.00"), payable=Decimal("118000.00"))},
            "FAU06",
        ),
        ({"totals": totals(allowance=Decimal("5.00"), payable=Decimal("118995.00"))}, "FAU08"),
        ({"totals": totals(charge=Decimal("5.00"), payable=Decimal("119005.00"))}, "FAU10"),
        ({"totals": totals(prepaid=Decimal("1000.00"))}, "FAU12"),
        ({"totals": totals(payable=Decimal("119100.00"))}, "FAU14"),
        ({"payment_means": ()}, "FAN01"),
        ({"payment_means": (PaymentMeansFacts("3", "10"),)}, "FAN02"),
        ({"payment_means": (PaymentMeansFacts("1", "XX"),)}, "FAN03"),
        ({"payment_means": (PaymentMeansFacts("2", "ZZZ"),)}, "FAN04"),
    ],
)
def test_each_rule_fires_alone(changes: dict[str, object], rule: str) -> None:
    findings = judge(facts(**changes))
    assert rules_of(findings) == [rule]
    assert all(finding.rejection for finding in findings)


def test_a_foreign_prefix_is_only_a_notification() -> None:
    numbering = replace(NUMBERING, prefix="ABCD")
    findings = judge(facts(numbering=numbering, number="ABCD990000001"))
    assert rules_of(findings) == ["FAB10b"]
    assert not findings[0].rejection
    assert findings[0].message.startswith("Regla: FAB10b, Notificación: ")


def test_resolutions_that_are_not_the_issuers_are_fab05b_without_a_key_check() -> None:
    assert rules_of(judge(facts(), resolution=None)) == ["FAB05b"]
    assert rules_of(judge(facts(), resolution=replace(RESOLUTION, nit=OTHER))) == ["FAB05b"]


def test_issue_dates_outside_the_authorised_period() -> None:
    later = replace(RESOLUTION, valid_from=date(2026, 3, 3))
    numbering = replace(NUMBERING, period_start="2026-03-03")
    assert rules_of(judge(facts(numbering=numbering), later)) == ["FAD09a"]
    earlier = replace(RESOLUTION, valid_to=date(2026, 3, 1))
    numbering = replace(NUMBERING, period_end="2026-03-01")
    assert rules_of(judge(facts(numbering=numbering), earlier)) == ["FAD09b"]


def test_software_must_be_the_issuers_its_providers_or_associated_with_the_range() -> None:
    theirs = replace(SOFTWARE, nit=OTHER)
    assert rules_of(judge(facts(), software=None)) == ["FAB24b"]
    assert rules_of(judge(facts(), software=theirs)) == ["FAB24b"]
    provider = PartyId(OTHER, check_digit(OTHER), "31")
    assert judge(facts(provider=provider), software=theirs) == []
    associated = replace(RESOLUTION, software_ids=(SOFTWARE.software_id,))
    assert judge(facts(), resolution=associated, software=theirs) == []


def test_a_range_associated_with_other_software_is_fab05c() -> None:
    other = replace(RESOLUTION, software_ids=("another-software",))
    assert rules_of(judge(facts(), resolution=other)) == ["FAB05c"]


def test_the_habilitacion_resolution_is_keyed_with_dians_fixed_technical_key() -> None:
    shared = replace(RESOLUTION, number=habilitacion.AUTHORIZATION, technical_key="ignored")
    numbering = replace(NUMBERING, authorization=habilitacion.AUTHORIZATION)
    invoice = consistent(facts(numbering=numbering), secret=habilitacion.TECHNICAL_KEY)
    assert judge(invoice, resolution=shared) == []
    assert rules_of(judge(facts(numbering=numbering), resolution=shared)) == ["FAD06"]


def test_an_amount_changed_after_the_cufe_was_computed_is_fad06() -> None:
    tampered = replace(facts(), tax_totals=(_iva("100000.00", "19000.01"),))
    assert "FAD06" in rules_of(judge(tampered))


def test_amounts_are_truncated_to_two_decimals_like_dian() -> None:
    # DIAN truncates what it reads: 119000.009 hashes as 119000.00, so the key still matches.
    base = facts()
    assert judge(replace(base, totals=replace(base.totals, payable=Decimal("119000.009")))) == []


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


# --- invoice types -------------------------------------------------------------------------


def test_export_and_dian_contingency_invoices_are_keyed_like_01() -> None:
    for kind in ("02", "04"):
        assert judge(facts(document_type=kind, type_code=kind)) == []


def test_a_paper_contingency_document_needs_a_contingency_range_and_a_cude() -> None:
    contingency = replace(RESOLUTION, kind="paper")
    transmitted = facts(document_type="03", type_code="03", uuid_scheme_name="CUDE-SHA384")
    assert judge(transmitted, resolution=contingency) == []
    assert rules_of(judge(transmitted)) == ["FAD05e"]
    assert rules_of(judge(facts(), resolution=contingency)) == ["FAD05e"]
    wrong = replace(transmitted, uuid=keys.document_key(transmitted, KEY))
    assert rules_of(judge(wrong, resolution=contingency)) == ["FAD06"]
    (finding,) = judge(wrong, resolution=contingency)
    assert finding.text == "Valor del CUDE no está calculado correctamente."


# --- exchange rate -------------------------------------------------------------------------

USD = {"currency": "USD", "currency_ids": ("USD",)}
RATE = ExchangeRateFacts("USD", Decimal("1.00"), "COP", Decimal("1.00"), Decimal("4000"), "")


@pytest.mark.parametrize(
    ("rate", "rule"),
    [
        (None, "FAR01"),
        (replace(RATE, source_currency="EUR"), "FAR02"),
        (replace(RATE, source_rate=Decimal("4000")), "FAR03"),
        (replace(RATE, target_currency="USD"), "FAR04"),
    ],
)
def test_a_foreign_currency_document_needs_a_rate_to_cop(
    rate: ExchangeRateFacts | None, rule: str
) -> None:
    assert judge(facts(**USD, exchange_rate=RATE)) == []
    assert rules_of(judge(facts(**USD, exchange_rate=rate))) == [rule]


# --- taxes, withholdings, allowances --------------------------------------------------------


def test_tax_groups_must_be_single_complete_and_add_up() -> None:
    double = (_iva("100000.00", "19000.00"), _iva("0.00", "0.00"))
    assert rules_of(judge(facts(tax_totals=double))) == ["FAS01b"]
    # Lines taxed with IVA and no header IVA: FAS01b (and the header total no longer adds up).
    untaxed = totals(tax_inclusive=Decimal("100000.00"), payable=Decimal("100000.00"))
    assert rules_of(judge(facts(tax_totals=(), totals=untaxed))) == ["FAS01b"]
    subtotal = replace(_iva("100000.00", "19000.00").subtotals[0], tax=Decimal("18999.00"))
    broken = TaxTotalFacts(Decimal("19000.00"), (subtotal,))
    assert rules_of(judge(facts(tax_totals=(broken,)))) == ["FAS02", "FAS07"]


def test_fas07_accepts_rounded_or_truncated_cents_and_nothing_else() -> None:
    def taxed(tax: str) -> DocumentFacts:
        group = TaxTotalFacts(
            Decimal(tax),
            (TaxSubtotalFacts("04", Decimal(tax), Decimal("100.05"), Decimal("8.00")),),
        )
        line = LineFacts("1", Decimal("100000.00"), Decimal(1), (_iva("100000.00", "19000.00"),))
        return facts(tax_totals=(_iva("100000.00", "19000.00"), group), lines=(line,))

    # 100.05 × 8 % = 8.004: 8.00 either way; 8.01 is a cent off.
    assert "FAS07" not in rules_of(judge(taxed("8.00")))
    assert "FAS07" in rules_of(judge(taxed("8.01")))


def test_nominal_taxes_use_their_own_formula() -> None:
    ibua = TaxSubtotalFacts("34", Decimal("35.00"), None, None, Decimal("35"), Decimal("100"))
    group = TaxTotalFacts(Decimal("35.00"), (ibua,))
    assert "FAS07" not in rules_of(judge(facts(tax_totals=(*facts().tax_totals, group))))
    wrong = TaxTotalFacts(Decimal("3500.00"), (replace(ibua, tax=Decimal("3500.00")),))
    assert "FAS07" in rules_of(judge(facts(tax_totals=(*facts().tax_totals, wrong))))


def _withholding(scheme: str, base: str, percent: str, tax: str, total: str) -> TaxTotalFacts:
    subtotal = TaxSubtotalFacts(scheme, Decimal(tax), Decimal(base), Decimal(percent))
    return TaxTotalFacts(Decimal(total), (subtotal,))


@pytest.mark.parametrize(
    ("groups", "rule"),
    [
        ((_withholding("06", "100000", "2.5", "2500", "2500"),) * 2, "FAT01"),
        ((_withholding("06", "100000", "2.5", "2500", "2400"),), "FAT02"),
        ((_withholding("05", "19000", "15", "2900", "2900"),), "FAT07"),
    ],
)
def test_withholdings(groups: tuple[TaxTotalFacts, ...], rule: str) -> None:
    assert judge(facts(withholdings=(_withholding("05", "19000", "15", "2850", "2850"),))) == []
    assert rules_of(judge(facts(withholdings=groups))) == [rule]


def _discount(id_: str = "1", indicator: str = "false", **changes: object) -> AllowanceChargeFacts:
    group = AllowanceChargeFacts(
        id_, indicator, Decimal("5000.00"), Decimal("5"), Decimal("100000")
    )
    return replace(group, **changes)


@pytest.mark.parametrize(
    ("groups", "rule"),
    [
        ((_discount("2"),), "FAQ02"),
        # Neither a discount nor a charge: the declared discount total no longer adds up either.
        ((_discount(indicator="yes"),), "FAU08 FAQ03"),
        ((_discount(percent=Decimal("101")),), "FAQ06"),
        ((_discount(base=Decimal("4000")),), "FAQ07"),
    ],
)
def test_document_allowances(groups: tuple[AllowanceChargeFacts, ...], rule: str) -> None:
    discounted = totals(allowance=Decimal("5000.00"), payable=Decimal("114000.00"))
    assert judge(facts(allowance_charges=(_discount(),), totals=discounted)) == []
    assert rules_of(judge(facts(allowance_charges=groups, totals=discounted))) == rule.split()


# --- credit and debit notes ----------------------------------------------------------------

INVOICE_KEY = "ab" * 48
ORIGINAL = AcceptedDocument(NIT, "SETP990000001", "01", "2026-03-01", INVOICE_KEY)
REFERENCE = ReferenceFacts("SETP990000001", INVOICE_KEY, "CUFE-SHA384", "2026-03-01")


def note(kind: str = "91", **changes: object) -> DocumentFacts:
    """A consistent credit (91) or debit (92) note correcting ORIGINAL."""
    fields: dict[str, object] = {
        "root": "DebitNote" if kind == "92" else "CreditNote",
        "document_type": kind,
        "type_code": "" if kind == "92" else kind,
        "number": "NC1" if kind == "91" else "ND1",
        "customization_id": "30" if kind == "92" else "20",
        "uuid_scheme_name": "CUDE-SHA384",
        "numbering": NumberingFacts(),
        "references": (REFERENCE,),
        "payment_means": (),
    }
    return facts(**{**fields, **changes})


@pytest.mark.parametrize("kind", ["91", "92"])
def test_a_note_of_an_accepted_invoice_breaks_no_rule(kind: str) -> None:
    assert judge(note(kind), accepted=(ORIGINAL,)) == []


@pytest.mark.parametrize(
    ("changes", "original", "rule"),
    [
        ({}, None, "BG04a"),
        ({}, replace(ORIGINAL, nit=OTHER), "BG04b"),
        ({}, replace(ORIGINAL, issue_date="2026-03-03"), "BG06"),
        ({}, replace(ORIGINAL, number="SETP990000002"), "BG03"),
        ({"references": (replace(REFERENCE, scheme_name="CUDS-SHA384"),)}, ORIGINAL, "BG05"),
        ({"references": ()}, ORIGINAL, "BG02"),
        ({"uuid": "0" * 96}, ORIGINAL, "AD06"),
        ({"uuid_scheme_name": "CUFE-SHA384"}, ORIGINAL, "AD08"),
        ({"customer": replace(_party(BUYER), tax_id=PartyId(BUYER, "3", "31"))}, ORIGINAL, "AK24"),
        ({"totals": totals(payable=Decimal("119100.00"))}, ORIGINAL, "AU14"),
    ],
)
@pytest.mark.parametrize("kind", ["91", "92"])
def test_note_rules_carry_the_notes_prefix(
    kind: str, changes: dict[str, object], original: AcceptedDocument | None, rule: str
) -> None:
    prefix = "C" if kind == "91" else "D"
    accepted = (original,) if original is not None else ()
    assert rules_of(judge(note(kind, **changes), accepted=accepted)) == [prefix + rule]


def test_notes_without_reference_are_allowed_for_operations_22_and_32() -> None:
    assert judge(note("91", customization_id="22", references=())) == []
    assert judge(note("92", customization_id="32", references=())) == []


def test_a_wrong_cude_names_the_cude() -> None:
    (finding,) = judge(note("91", uuid="0" * 96), accepted=(ORIGINAL,))
    assert (
        finding.message == "Regla: CAD06, Rechazo: Valor del CUDE no está calculado correctamente."
    )


def test_notes_are_keyed_with_the_pin_not_a_technical_key() -> None:
    keyed_with_range = consistent(note("91"), pin="00000")
    keyed_with_range = replace(keyed_with_range, security_code=facts(number="NC1").security_code)
    assert rules_of(judge(keyed_with_range, accepted=(ORIGINAL,))) == ["CAD06"]


def test_a_note_signed_on_another_day_is_cad09e_and_dad09e() -> None:
    late = "2026-03-03T09:00:00-05:00"
    assert rules_of(judge(note("91"), accepted=(ORIGINAL,), signing_time=late)) == ["CAD09e"]
    assert rules_of(judge(note("92"), accepted=(ORIGINAL,), signing_time=late)) == ["DAD09e"]


# --- documento soporte and its nota de ajuste -----------------------------------------------

SELLER = "1018419008"  # the seller not obliged to invoice (a natural person's NIT)
SUPPORT_RANGE = replace(RESOLUTION, kind="support", prefix="DS", technical_key="")
DS_REFERENCE = replace(REFERENCE, number="DS990000001", scheme_name="CUDS-SHA384")


def support(kind: str = "05", **changes: object) -> DocumentFacts:
    """A consistent documento soporte (05) or nota de ajuste (95): the buyer NIT issues it."""
    fields: dict[str, object] = {
        "root": "Invoice" if kind == "05" else "CreditNote",
        "document_type": kind,
        "type_code": kind,
        "number": "DS990000001" if kind == "05" else "NA1",
        "uuid_scheme_name": "CUDS-SHA384",
        "supplier": _party(SELLER),
        "customer": _party(NIT, "DS"),
        "numbering": replace(NUMBERING, prefix="DS") if kind == "05" else NumberingFacts(),
        "references": () if kind == "05" else (DS_REFERENCE,),
    }
    return facts(**{**fields, **changes})


DS_ORIGINAL = replace(ORIGINAL, number="DS990000001", document_type="05")


def test_a_documento_soporte_and_its_nota_de_ajuste_break_no_rule() -> None:
    assert judge(support("05"), resolution=SUPPORT_RANGE) == []
    assert judge(support("95"), accepted=(DS_ORIGINAL,)) == []
    cufe_named = replace(DS_REFERENCE, scheme_name="CUFE-SHA384")
    assert rules_of(judge(support("95", references=(cufe_named,)), accepted=(DS_ORIGINAL,))) == [
        "NSBG05"
    ]


def test_a_documento_soporte_numbers_from_a_support_range_only() -> None:
    assert rules_of(judge(support("05"))) == ["DSAD05e"]


def test_a_wrong_cuds_is_dsad06_and_nsad06() -> None:
    (finding,) = judge(support("05", uuid="0" * 96), resolution=SUPPORT_RANGE)
    assert (
        finding.message == "Regla: DSAD06, Rechazo: Valor del CUDS no está calculado correctamente."
    )
    assert rules_of(judge(support("95", uuid="0" * 96), accepted=(DS_ORIGINAL,))) == ["NSAD06"]


def test_the_cuds_layout_is_switchable() -> None:
    # Keyed as DIAN's own validator source does (taxes 01, 04 and 03): wrong under the default
    # layout (tax 01 only), right under the switch; and the other way round.
    base = support("05")
    dian_source = keys.document_key(base, SOFTWARE.pin, keys.CudsVariant.DIAN_SOURCE)
    assert dian_source != base.uuid
    as_dian = replace(base, uuid=dian_source)
    assert rules_of(judge(as_dian, resolution=SUPPORT_RANGE)) == ["DSAD06"]
    variant = keys.CudsVariant.DIAN_SOURCE
    assert judge(as_dian, resolution=SUPPORT_RANGE, variant=variant) == []
    assert rules_of(judge(base, resolution=SUPPORT_RANGE, variant=variant)) == ["DSAD06"]


def test_documento_soporte_roles_are_reversed() -> None:
    # The buyer issues it: the range, the software and the issuer's DV are the buyer's.
    seller_software = replace(SOFTWARE, nit=SELLER)
    assert rules_of(judge(support("05"), SUPPORT_RANGE, seller_software)) == ["DSAB24b"]
    assert rules_of(judge(support("05"), replace(SUPPORT_RANGE, nit=SELLER))) == ["DSAB05b"]
    bad_issuer_dv = replace(_party(NIT, "DS"), tax_id=PartyId(NIT, "1", "31"))
    assert rules_of(judge(support("05", customer=bad_issuer_dv), SUPPORT_RANGE)) == ["DSAK24"]
    bad_seller_dv = replace(_party(SELLER), tax_id=PartyId(SELLER, "1", "31"))
    assert rules_of(judge(support("05", supplier=bad_seller_dv), SUPPORT_RANGE)) == ["DSAJ24b"]


def test_a_nota_de_ajuste_of_an_unknown_documento_soporte_is_nsbg04() -> None:
    (finding,) = judge(support("95"))
    assert (finding.rule, finding.text) == ("NSBG04", "CUDS de DS referenciada no existe.")
    foreign = replace(DS_ORIGINAL, nit=OTHER)
    assert rules_of(judge(support("95"), accepted=(foreign,))) == ["NSBG04b"]
