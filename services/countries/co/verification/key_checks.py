"""The key part of a verification report: CUFE/CUDE/CUDS recomputed, or the string to hash.

The secret is never written in a report: the preimage always shows it as a placeholder.
"""

from __future__ import annotations

from dataclasses import dataclass

from services.countries.co.verification import keys
from services.countries.co.verification.events import EventFacts, event_preimage
from services.countries.co.verification.facts import DocumentFacts
from services.countries.verification_report import Check, Status

PLACEHOLDERS = {"technical_key": "{technical_key}", "software_pin": "{software_pin}"}
_OPTIONS = {"technical_key": "--technical-key", "software_pin": "--pin"}


@dataclass(frozen=True)
class KeyOutcome:
    """The key checks and the preimage shown with a placeholder for the secret."""

    checks: tuple[Check, ...]
    preimage: str
    key_name: str


def _other(variant: keys.CudsVariant) -> keys.CudsVariant:
    if variant is keys.CudsVariant.TAX_01_ONLY:
        return keys.CudsVariant.DIAN_SOURCE
    return keys.CudsVariant.TAX_01_ONLY


def document_key_checks(
    facts: DocumentFacts,
    technical_key: str | None,
    pin: str | None,
    variant: keys.CudsVariant,
) -> KeyOutcome:
    """FAD06/FAD07/FAD08 as a report, plus the SoftwareSecurityCode when the PIN is known."""
    spec = keys.key_spec(facts.document_type)
    checks = [
        Check(
            "key.algorithm",
            Status.judged(facts.uuid_scheme_name == spec.scheme_name),
            f"cbc:UUID@schemeName {facts.uuid_scheme_name or '(missing)'}; "
            f"{spec.name} is {spec.scheme_name}",
        ),
        Check(
            "key.environment",
            Status.judged(facts.uuid_scheme_id == facts.environment),
            f"cbc:UUID@schemeID {facts.uuid_scheme_id or '(missing)'}, "
            f"ProfileExecutionID {facts.environment}",
        ),
    ]
    secret = technical_key if spec.secret == "technical_key" else pin
    preimage = keys.preimage(facts, PLACEHOLDERS[spec.secret], variant)
    if secret is None:
        checks.append(
            Check(
                "key",
                Status.INFO,
                f"{spec.name} not recomputed: give {_OPTIONS[spec.secret]}; "
                "the string hashed is shown as the preimage",
                enforced=False,
            )
        )
    else:
        computed = keys.document_key(facts, secret, variant)
        if computed == facts.uuid:
            checks.append(Check("key", Status.PASS, f"recomputed {spec.name} matches cbc:UUID"))
        else:
            detail = f"recomputed {spec.name} {computed} differs from cbc:UUID {facts.uuid}"
            if (
                spec is keys.CUDS
                and keys.document_key(facts, secret, _other(variant)) == facts.uuid
            ):
                detail += f" (it matches the {_other(variant).value} CUDS layout)"
            checks.append(Check("key", Status.FAIL, detail))
    if pin is not None and facts.software_id:
        expected = keys.sha384_hex(f"{facts.software_id}{pin}{facts.number}")
        checks.append(
            Check(
                "software_security_code",
                Status.judged(expected == facts.security_code),
                "SHA-384(SoftwareID + PIN + number) "
                + ("matches" if expected == facts.security_code else "differs from")
                + " sts:SoftwareSecurityCode",
            )
        )
    return KeyOutcome(tuple(checks), preimage, spec.name)


def event_key_checks(event: EventFacts, pin: str | None) -> KeyOutcome:
    """The CUDE of an ApplicationResponse, recomputed with its software's PIN."""
    name = "CUDE (evento)"
    preimage = event_preimage(event, PLACEHOLDERS["software_pin"])
    if pin is None:
        check = Check(
            "key",
            Status.INFO,
            f"{name} not recomputed: give --pin; the string hashed is shown as the preimage",
            enforced=False,
        )
    else:
        computed = keys.sha384_hex(event_preimage(event, pin))
        check = Check(
            "key",
            Status.judged(computed == event.uuid),
            f"recomputed {name} "
            + (
                "matches cbc:UUID"
                if computed == event.uuid
                else f"{computed} differs from cbc:UUID"
            ),
        )
    return KeyOutcome((check,), preimage, name)
