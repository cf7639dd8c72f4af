"""The signing service: issuers' certificates and folio keys (encrypted at rest), signatures."""
