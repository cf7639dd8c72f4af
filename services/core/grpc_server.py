"""gRPC bootstrap: an asyncio server with health checking, on a configured address."""

from __future__ import annotations

from collections.abc import Callable

import grpc
from grpc_health.v1 import health, health_pb2, health_pb2_grpc

from services.core.rejection import InputRejected

# Documents and their signed XML travel in messages; 16 MiB leaves room for large invoices.
_MAX_MESSAGE = 16 * 1024 * 1024
# What a client may send on a stream before the server reads it: some tens of documents.
_LOOKAHEAD = 64 * 1024


async def start_server(
    address: str, registrations: list[tuple[str, Callable[[grpc.aio.Server], None]]]
) -> tuple[grpc.aio.Server, int]:
    """Start a server with the given services (name, add-to-server) and health; returns its port."""
    server = grpc.aio.server(
        options=[
            ("grpc.max_receive_message_length", _MAX_MESSAGE),
            ("grpc.max_send_message_length", _MAX_MESSAGE),
            ("grpc.so_reuseport", 0),
            # Back-pressure: a stream's handler stops reading when it holds enough unfinished
            # documents, and HTTP/2 flow control must then stop the client within a bounded
            # window. gRPC would otherwise keep widening the window (BDP probing) to megabytes
            # of requests buffered on the connection.
            ("grpc.http2.bdp_probe", 0),
            ("grpc.http2.lookahead_bytes", _LOOKAHEAD),
        ]
    )
    checker = health.aio.HealthServicer()
    health_pb2_grpc.add_HealthServicer_to_server(checker, server)
    for _, register in registrations:
        register(server)
    port = server.add_insecure_port(address)
    if port == 0:
        raise OSError(f"cannot listen on {address}")
    await server.start()
    for name, _ in registrations:
        await checker.set(name, health_pb2.HealthCheckResponse.SERVING)
    await checker.set("", health_pb2.HealthCheckResponse.SERVING)
    return server, port


async def abort(context: grpc.aio.ServicerContext, refusal: InputRejected) -> None:
    """End the call with the refusal's code, its message, and field/rule as trailing metadata.

    Metadata values must be ASCII unless the key ends in -bin: field paths are proto names
    (ASCII); rules speak the country's language, so they travel as UTF-8 in `timbra-rule-bin`.
    """
    await context.abort(
        refusal.code,
        refusal.message,
        trailing_metadata=(
            ("timbra-field", refusal.field),
            ("timbra-rule-bin", refusal.rule.encode("utf-8")),
        ),
    )
