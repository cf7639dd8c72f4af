"""Verifying DIAN documents as DIAN does: facts read from the XML, keys, XAdES signature.

Shared by the DIAN simulator (which answers with DIAN's rule codes) and `timbra verify` (which
reports to people and machines). Pure apart from nothing: callers bring the bytes.
"""
