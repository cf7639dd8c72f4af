"""GetNumberingRange against the simulator: the resolutions associated with a software, their
technical keys (none for documento soporte), and DIAN's refusals."""

from __future__ import annotations

import pytest

from services.countries.co.client import NumberingRangeRefused
from tests.integration.dian.support import NIT, OTHER_NIT, Sandbox, post


def test_the_ranges_of_a_software_carry_their_technical_keys(sandbox: Sandbox) -> None:
    admin, software_id = sandbox.simulator.admin_url, sandbox.issuer.software_id
    invoices = post(f"{admin}/resolutions", {"nit": NIT, "prefix": "FE", "from": 1, "to": 5000})
    support = post(
        f"{admin}/resolutions", {"nit": NIT, "prefix": "DS", "kind": "support", "from": 1}
    )
    assert support["technical_key"] is None and support["kind"] == "support"
    other = post(f"{admin}/issuers", {"nit": NIT, "name": "Demo", "software_id": "second-sw"})
    only_other = post(
        f"{admin}/resolutions", {"nit": NIT, "prefix": "OT", "software_id": other["software_id"]}
    )

    ranges = {
        r.resolution_number: r for r in sandbox.client.get_numbering_range(NIT, NIT, software_id)
    }
    assert invoices["resolution_number"] in ranges and support["resolution_number"] in ranges
    assert only_other["resolution_number"] not in ranges  # associated with the other software
    found = ranges[invoices["resolution_number"]]
    assert found.technical_key == invoices["technical_key"] and len(found.technical_key) == 40
    assert (found.prefix, found.from_number, found.to_number) == ("FE", 1, 5000)
    assert found.valid_from.isoformat() == invoices["valid_from"]
    assert found.valid_to.isoformat() == invoices["valid_to"]
    assert found.resolution_date.isoformat() == invoices["resolution_date"]
    assert ranges[support["resolution_number"]].technical_key is None

    theirs = sandbox.client.get_numbering_range(NIT, NIT, other["software_id"])
    assert only_other["resolution_number"] in {r.resolution_number for r in theirs}


def test_dians_refusals_carry_its_codes(sandbox: Sandbox) -> None:
    software_id = sandbox.issuer.software_id
    post(f"{sandbox.simulator.admin_url}/issuers", {"nit": OTHER_NIT, "name": "Otra"})
    cases = [
        ((OTHER_NIT, OTHER_NIT, software_id), "301"),  # no range in force for that NIT
        ((NIT, NIT, "unknown-software"), "302"),  # nothing associated with that software
        ((NIT, OTHER_NIT, software_id), "303"),  # the software is not accountCodeT's
    ]
    for arguments, code in cases:
        with pytest.raises(NumberingRangeRefused) as refused:
            sandbox.client.get_numbering_range(*arguments)
        assert refused.value.code == code
