"""The verification report of one DIAN file (or of one document inside it): the shared checks
(`verification_report`) with the document's key, and the documents a container embeds."""

from __future__ import annotations

from dataclasses import dataclass

from services.countries.verification_report import Report


@dataclass(frozen=True)
class VerificationReport(Report):
    """Everything `timbra verify` found about one file (or one document inside it).

    `source` is "path > part" for a document inside a container; `document` is the root
    element (Invoice, CreditNote, ...).
    """

    document_type: str = ""  # 01..05, 91, 92, 95, 96 (ApplicationResponse)
    number: str = ""  # cbc:ID
    document_key: str = ""  # cbc:UUID as written
    key_name: str = ""  # CUFE, CUDE, CUDS or "CUDE (evento)"
    preimage: str = ""  # the string hashed for the key, secret as a placeholder when not given
    embedded: tuple[VerificationReport, ...] = ()  # documents inside an AttachedDocument or ZIP

    @property
    def passed(self) -> bool:
        """True only when the file was readable and every enforced check passed, inside too."""
        if self.error or not (self.checks or self.embedded):
            return False
        return not self.failures and all(inner.passed for inner in self.embedded)

    def as_dict(self) -> dict[str, object]:
        """The report as JSON-ready data."""
        return {
            **super().as_dict(),
            "document_type": self.document_type,
            "number": self.number,
            "document_key": self.document_key,
            "key_name": self.key_name,
            "preimage": self.preimage,
            "checks": [check.as_dict() for check in self.checks],
            "embedded": [inner.as_dict() for inner in self.embedded],
        }

    def render(self, indent: str = "") -> str:
        """The report for people: a verdict line, then one line per check."""
        lines = [f"{indent}{self.source}: {'PASSED' if self.passed else 'FAILED'}"]
        inner = indent + "  "
        if self.error:
            lines.append(f"{inner}error: {self.error}")
        if self.document:
            described = " ".join(p for p in (self.document, self.document_type, self.number) if p)
            key = f" ({self.key_name} {self.document_key})" if self.document_key else ""
            lines.append(f"{inner}document: {described}{key}")
        lines.extend(f"{inner}{check.line()}" for check in self.checks)
        if self.preimage:
            lines.append(f"{inner}{self.key_name or 'key'} preimage: {self.preimage}")
        lines.extend(report.render(inner) for report in self.embedded)
        return "\n".join(lines)
