"""An independent check for tests: core XMLDSig validation by libxmlsec1 (python-xmlsec), keyed
by the certificate the Signature's KeyInfo carries."""

from __future__ import annotations

import base64

import xmlsec
from lxml import etree

_DS = {"ds": "http://www.w3.org/2000/09/xmldsig#"}


def libxmlsec_verify(
    root: etree._Element, signature: etree._Element | None = None, id_attribute: str = "Id"
) -> None:
    """Raise xmlsec.Error unless `signature` (by default the document's first) verifies; the
    references point at `id_attribute` attributes."""
    xmlsec.tree.add_ids(root, [id_attribute])
    if signature is None:
        signature = xmlsec.tree.find_node(root, xmlsec.constants.NodeSignature)
    certificate = signature.findtext("ds:KeyInfo/ds:X509Data/ds:X509Certificate", namespaces=_DS)
    context = xmlsec.SignatureContext()
    context.key = xmlsec.Key.from_memory(
        base64.b64decode(certificate), xmlsec.constants.KeyDataFormatCertDer
    )
    context.verify(signature)
