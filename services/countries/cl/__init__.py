"""Chile: SII documentos tributarios electrónicos (DTE)."""
