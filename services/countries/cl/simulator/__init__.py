"""The SII (Chile) on 127.0.0.1: seed/token authentication, DTEUpload, getEstUp/getEstDte,
really validating every upload, and a sandbox portal that issues CAFs and injects faults.

Run it with `python -m services.countries.cl.simulator`, or build the aiohttp application with
`build_app(data_dir)` to serve it in-process.
"""

from services.countries.cl.simulator.server import build_app

__all__ = ["build_app"]
