"""DIAN's web-service description (WSDL), shipped as package data: never fetched from a network."""
