"""A stand-in ERP: realistic Chilean DTE requests of every type timbra issues.

Facturas (33) mix items with IVA and exempt ones, some with line or global discounts; facturas
exentas (34) sell exempt services; guías (52) move goods with an IndTraslado, priced when they
are sales; notas de crédito and débito (61, 56) correct the documents given in `references`
(annulments, text corrections with no amounts, amount corrections). Totals are declared the
way an ERP computes them, with the pack's own arithmetic (`erp_totals.with_totals`).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from decimal import Decimal

from services.countries.cl import codes
from services.countries.cl.demo_catalog import (
    COMPANIES,
    DEBIT_REASONS,
    PRODUCTS,
    RETURN_REASONS,
    TEXT_CORRECTIONS,
    Company,
    Product,
)
from services.countries.cl.erp_totals import with_totals
from timbra.v1 import document_pb2, issuing_pb2

SANDBOX_RUT = "76192083-9"


def issuer_profile(
    tax_id: str = SANDBOX_RUT, name: str = "Comercializadora Timbra Demo SpA"
) -> issuing_pb2.IssuerProfile:
    """A sandbox issuer in SII certification (NroResol 0)."""
    return issuing_pb2.IssuerProfile(
        country="cl",
        party=document_pb2.Party(
            tax_id=tax_id,
            name=name,
            business_activity="Venta al por mayor de materiales de construcción y ferretería",
            address=document_pb2.Address(
                line="Av. Providencia 1760, of. 1102", city_name="Providencia"
            ),
            email="dte@timbra.example",
            phone="+56 2 2345 6789",
        ),
        activity_codes=["466302", "620200"],
        authorization_date="2024-03-01",
        authorization_number="0",
    )


def _receiver(company: Company) -> document_pb2.Party:
    return document_pb2.Party(
        tax_id=company.rut,
        name=company.name,
        business_activity=company.giro,
        address=document_pb2.Address(line=company.address, city_name=company.commune),
        email=company.email,
    )


def _line(rng: random.Random, product: Product) -> document_pb2.Line:
    if product.fractional:
        quantity = Decimal(rng.randint(5, 2500)) / 10
    else:
        quantity = Decimal(rng.choice((1, 1, 2, 3, 5, 6, 10, 12, 24, 50, 100)))
    # Most prices are whole pesos; some lists carry cents (PrcItem allows 6 decimals).
    price = Decimal(rng.randint(product.low, product.high))
    if rng.random() < 0.1:
        price += Decimal(rng.randint(1, 99)) / 100
    line = document_pb2.Line(
        description=product.name,
        quantity=f"{quantity.normalize():f}",
        unit_code=product.unit,
        unit_price=f"{price.normalize():f}",
        item_code=f"SKU-{rng.randint(10000, 99999)}",
    )
    if product.exempt:
        line.exemption = codes.EXEMPT
    if rng.random() < 0.15:
        line.allowance_charges.add(percent=rng.choice(("5", "7.5", "10", "12")))
    return line


def _products(rng: random.Random, dte_type: int) -> list[Product]:
    if dte_type == codes.FACTURA_EXENTA:
        pool = [p for p in PRODUCTS if p.exempt]
        return rng.sample(pool, rng.randint(1, 3))
    taxed = [p for p in PRODUCTS if not p.exempt]
    chosen = rng.sample(taxed, rng.randint(1, 6))
    if dte_type == codes.FACTURA and rng.random() < 0.2:
        chosen.append(rng.choice([p for p in PRODUCTS if p.exempt]))
    return chosen


def _document(rng: random.Random, issuer: str, dte_type: int) -> document_pb2.Document:
    document = document_pb2.Document(
        country="cl",
        issuer=issuer,
        customer=_receiver(rng.choice(COMPANIES)),
        currency=codes.CURRENCY,
        lines=[_line(rng, product) for product in _products(rng, dte_type)],
        cl=document_pb2.ChileDocument(dte_type=dte_type),
    )
    if dte_type in (codes.FACTURA, codes.FACTURA_EXENTA):
        document.cl.payment_form = rng.choice((1, 1, 2))
        if rng.random() < 0.25:
            document.cl.references.add(
                document_type="801", folio=f"OC-{rng.randint(1000, 99999)}", date="2024-12-02"
            )
    if rng.random() < 0.08:
        exempt = dte_type == codes.FACTURA_EXENTA
        document.allowance_charges.add(
            percent=rng.choice(("3", "5")), reason="Descuento por volumen", exempt_amounts=exempt
        )
    if dte_type == codes.GUIA_DESPACHO:
        _dispatch(rng, document)
    return with_totals(document)


def _dispatch(rng: random.Random, document: document_pb2.Document) -> None:
    indicator = rng.choice((1, 1, 1, 2, 3, 5, 6))
    document.cl.transfer_indicator = indicator
    document.cl.dispatch_type = rng.choice((1, 2, 3))
    if indicator in (5, 6):  # moving own goods: no sale, no price
        for line in document.lines:
            line.ClearField("unit_price")
            line.ClearField("allowance_charges")
        document.ClearField("allowance_charges")


def _note_lines(
    rng: random.Random, code: int, original: document_pb2.Document | None
) -> tuple[list[document_pb2.Line], list[document_pb2.AllowanceCharge]]:
    if code == codes.CORRECTS_TEXT:
        what, wrong, right = rng.choice(TEXT_CORRECTIONS)
        text = f"Corrige {what}\nDONDE DICE: {wrong} DEBE DECIR: {right}"
        return [document_pb2.Line(description=text)], []
    if original is None:
        products = [p for p in PRODUCTS if not p.exempt]
        return [_line(rng, p) for p in rng.sample(products, rng.randint(1, 3))], []
    if code == codes.ANNULS:  # the same lines and discounts: the same amounts
        return list(original.lines), list(original.allowance_charges)
    priced = [line for line in original.lines if line.unit_price]
    lines = []
    for source in rng.sample(priced, rng.randint(1, len(priced))) if priced else []:
        line = document_pb2.Line()
        line.CopyFrom(source)
        line.ClearField("line_extension_amount")
        # A part of what was sold comes back (or, for a debit, is charged again).
        quantity = Decimal(source.quantity) * Decimal(rng.choice(("0.1", "0.25", "0.5")))
        line.quantity = f"{max(quantity, Decimal('0.1')).normalize():f}"
        lines.append(line)
    return lines or [_line(rng, rng.choice(PRODUCTS))], []


def _note(
    rng: random.Random,
    issuer: str,
    dte_type: int,
    reference: document_pb2.ChileReference,
    original: document_pb2.Document | None,
) -> document_pb2.Document:
    roll = rng.random()
    if dte_type == codes.NOTA_DEBITO:
        code, reason = codes.CORRECTS_AMOUNTS, rng.choice(DEBIT_REASONS)
    elif roll < 0.3:
        code, reason = codes.ANNULS, "Anula documento por error en la emisión"
    elif roll < 0.5:
        code, reason = codes.CORRECTS_TEXT, "Corrige texto"
    else:
        code, reason = codes.CORRECTS_AMOUNTS, rng.choice(RETURN_REASONS)
    lines, adjustments = _note_lines(rng, code, original)
    customer = original.customer if original is not None else _receiver(rng.choice(COMPANIES))
    document = document_pb2.Document(
        country="cl",
        issuer=issuer,
        customer=customer,
        currency=codes.CURRENCY,
        lines=lines,
        allowance_charges=adjustments,
        cl=document_pb2.ChileDocument(dte_type=dte_type),
    )
    corrected = document.cl.references.add()
    corrected.CopyFrom(reference)
    corrected.code, corrected.reason = code, reason
    return with_totals(document)


def generate_documents(
    count: int,
    issuer: str,
    seed: int = 0,
    *,
    dte_type: int = codes.FACTURA,
    references: Sequence[document_pb2.ChileReference] | None = None,
    originals: Sequence[document_pb2.Document] | None = None,
) -> list[document_pb2.Document]:
    """`count` valid requests of one type for `issuer`; the same arguments give the same ones.

    Notes (56, 61) correct `references` in turn (each names a document's type, folio and date);
    `originals`, aligned with them, lets a note copy the corrected document's receiver and lines.
    """
    if dte_type not in codes.KINDS:
        raise ValueError(f"timbra issues {sorted(codes.KINDS)}, not {dte_type}")
    rng = random.Random(seed)
    if not codes.KINDS[dte_type].note:
        return [_document(rng, issuer, dte_type) for _ in range(count)]
    if not references:
        raise ValueError("notes correct documents: pass `references` (type, folio, date)")
    notes = []
    for index in range(count):
        at = index % len(references)
        original = originals[at] if originals is not None else None
        notes.append(_note(rng, issuer, dte_type, references[at], original))
    return notes
