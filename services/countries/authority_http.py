"""HTTP to an authority's web service: one pooled session, and what a failed request means.

A failure is turned into what the caller may conclude from it (`pack.AuthorityUnavailable`:
nothing was delivered; `pack.SubmissionInDoubt`: it may have been). Both countries' clients
use it, DIAN's through zeep and the SII's directly; it sits apart from `pack` so that parsing
and building documents never load the HTTP stack.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager

import requests
import urllib3
from requests.adapters import HTTPAdapter

from services.countries.pack import AuthorityUnavailable, SubmissionInDoubt


def pooled_session(pool_size: int) -> requests.Session:
    """A session keeping up to `pool_size` keep-alive connections to one endpoint."""
    session = requests.Session()
    # No automatic retries: a resend is the caller's decision, after reconciling.
    adapter = HTTPAdapter(pool_connections=1, pool_maxsize=pool_size, max_retries=0)
    session.mount("http://", adapter)
    session.mount("https://", adapter)
    return session


def never_connected(error: requests.exceptions.ConnectionError) -> bool:
    """Whether the connection failed before any byte of the request could leave."""
    reason = error.args[0] if error.args else None
    if isinstance(reason, urllib3.exceptions.MaxRetryError):
        reason = reason.reason
    return isinstance(
        reason, urllib3.exceptions.NewConnectionError | urllib3.exceptions.ConnectTimeoutError
    )


@contextmanager
def request_failures(what: str, endpoint: str, *, changes_state: bool) -> Iterator[None]:
    """Raise a requests failure inside the block as what it means for the call `what`.

    Before the request left (no connection): AuthorityUnavailable. After it left (a read
    timeout, a dropped connection): SubmissionInDoubt for a call that changes the authority's
    state, AuthorityUnavailable for one that does not (asking again is harmless).
    """
    doubt = SubmissionInDoubt if changes_state else AuthorityUnavailable
    try:
        yield
    except requests.exceptions.ConnectTimeout as error:
        raise AuthorityUnavailable(f"{what}: cannot connect to {endpoint}") from error
    except requests.exceptions.ReadTimeout as error:
        raise doubt(f"{what}: no answer from {endpoint} in time") from error
    except requests.exceptions.ConnectionError as error:
        if never_connected(error):
            raise AuthorityUnavailable(f"{what}: {endpoint} refused") from error
        raise doubt(f"{what}: connection lost before the answer") from error
    except requests.exceptions.RequestException as error:
        raise doubt(f"{what}: {error}") from error
