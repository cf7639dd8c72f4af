"""DIAN's validación previa on 127.0.0.1: its SOAP web service, really validating, and a sandbox.

Run it with `python -m services.countries.co.simulator`, or build the aiohttp application with
`build_app(data_dir)` to serve it in-process.
"""

from services.countries.co.simulator.server import build_app

__all__ = ["build_app"]
