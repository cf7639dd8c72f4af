"""One broken DIAN rule, as DIAN words it in ErrorMessage and in the ApplicationResponse."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Finding:
    """A rule outcome worth reporting: a rejection, or a notification that does not block."""

    rule: str
    text: str
    rejection: bool = True

    @property
    def message(self) -> str:
        """The ErrorMessage string: "Regla: FAD06, Rechazo: Valor del CUFE ..."."""
        kind = "Rechazo" if self.rejection else "Notificación"
        return f"Regla: {self.rule}, {kind}: {self.text}"
