"""Colombia: DIAN UBL 2.1 documents with validación previa."""
