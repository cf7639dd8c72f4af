"""The SII's DTE web services as the transmission service uses them (or the SII simulator).

Authentication (`authentication`): getSeed → the seed signed with the issuer's certificate →
getToken, the token cached and renewed on expiry or refusal. Delivery (`sii.SiiClient`): an
EnvioDTE of up to 2,000 DTEs of one issuer uploaded to DTEUpload; each document gets the
envelope's track id. Verdicts: getEstUp per envelope (cached), then the SII's result report or
getEstDte per document; `answers` maps every status code of the reference.
"""

from services.countries.cl.client.sii import SiiClient
from services.countries.cl.client.wire import SiiRefused

__all__ = ["SiiClient", "SiiRefused"]
