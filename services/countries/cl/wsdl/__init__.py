"""WSDLs of the SII's DTE web services (rpc/encoded, Apache Axis .jws), written for timbra."""
