"""Refusals of bad input: which field, which rule, and the gRPC code that says so."""

from __future__ import annotations

from dataclasses import dataclass

import grpc


@dataclass
class InputRejected(Exception):
    """A request was refused before anything was written: names the field and the rule broken."""

    field: str
    rule: str
    code: grpc.StatusCode = grpc.StatusCode.INVALID_ARGUMENT

    def __post_init__(self) -> None:
        super().__init__(self.message)

    @property
    def message(self) -> str:
        """The refusal as one line a person can act on."""
        return f"{self.field}: {self.rule}"

    def __str__(self) -> str:
        return self.message


def precondition_failed(field: str, rule: str) -> InputRejected:
    """A refusal because the system is not in a state to serve the request (FAILED_PRECONDITION)."""
    return InputRejected(field, rule, grpc.StatusCode.FAILED_PRECONDITION)
