"""Documents in a foreign currency: the currency code and the exchange rate to pesos.

DIAN's way (dian-colombia.md §3.5, FAD15, FAR01–FAR04): every amount is written in the
document currency (DocumentCurrencyCode, and the same @currencyID everywhere), and
cac:PaymentExchangeRate gives the rate to pesos: SourceCurrencyCode = the document currency,
SourceCurrencyBaseRate 1.00, TargetCurrencyCode COP, TargetCurrencyBaseRate 1.00,
CalculationRate = pesos per unit, and the rate's Date.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from services.core.decimals import parse_decimal
from services.core.rejection import InputRejected
from services.countries.co.dates import parse_date
from timbra.v1 import document_pb2

PESO = "COP"
# ISO 4217 codes of the currencies Colombian trade is invoiced in (TipoMoneda is the whole
# ISO list; these are the ones an issuer meets, and an unknown code is more likely a typo).
CURRENCIES = frozenset(
    {
        "COP", "USD", "EUR", "GBP", "CHF", "CAD", "JPY", "CNY", "HKD", "KRW", "INR", "AUD",
        "NZD", "SEK", "NOK", "DKK", "MXN", "BRL", "ARS", "CLP", "PEN", "UYU", "PYG", "BOB",
        "VES", "CRC", "PAB", "DOP", "GTQ", "HNL", "NIO", "TTD", "JMD", "AED", "SAR", "ILS",
        "TRY", "ZAR", "SGD", "TWD", "THB", "MYR", "IDR", "PHP", "VND", "PLN", "CZK", "HUF",
        "RON", "RUB",
    }
)  # fmt: skip
_CODE = re.compile(r"[A-Z]{3}")


@dataclass(frozen=True)
class ExchangeRate:
    """cac:PaymentExchangeRate: pesos per unit of the document currency on a date."""

    source_currency: str
    target_currency: str
    rate: Decimal
    date: date


def parse_currency(document: document_pb2.Document, path: str) -> tuple[str, ExchangeRate | None]:
    """The document currency (default COP) and, for any other currency, its rate to pesos."""
    currency = document.currency or PESO
    if not _CODE.fullmatch(currency) or currency not in CURRENCIES:
        raise InputRejected(
            f"{path}.currency",
            f"must be an ISO 4217 currency code like COP or USD, got {currency!r}",
        )
    co = document.co
    given = co.HasField("exchange_rate")
    rate_path = f"{path}.co.exchange_rate"
    if currency == PESO:
        if given:
            raise InputRejected(rate_path, "is only for documents in a currency other than COP")
        return currency, None
    if not given:
        raise InputRejected(
            rate_path,
            f"is required for a document in {currency}: DIAN needs the rate to pesos (FAR01)",
        )
    exchange = co.exchange_rate
    target = exchange.target_currency or PESO
    if target != PESO:
        raise InputRejected(
            f"{rate_path}.target_currency", f"DIAN converts to pesos: must be COP, got {target!r}"
        )
    rate = parse_decimal(f"{rate_path}.rate", exchange.rate, places=6, positive=True)
    assert rate is not None
    return currency, ExchangeRate(
        source_currency=currency,
        target_currency=PESO,
        rate=rate,
        date=parse_date(exchange.date, f"{rate_path}.date"),
    )
