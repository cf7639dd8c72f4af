"""`timbra co ...`: the Colombian commands (habilitación), registered by the country pack."""

from __future__ import annotations

import argparse
import asyncio

import grpc

from timbra.v1 import issuing_pb2, issuing_pb2_grpc


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `timbra co` and its subcommands to the CLI."""
    co = commands.add_parser("co", help="Colombia (DIAN): habilitación, numbering ranges")
    sub = co.add_subparsers(dest="co_command", required=True)
    run = sub.add_parser("habilitacion", help="pass DIAN's test set (SendTestSetAsync)")
    run.add_argument("--target", default="127.0.0.1:50051", help="issuing API address")
    run.add_argument("--issuer", default="", help="issuer NIT (default: the first registered)")
    group = run.add_mutually_exclusive_group(required=True)
    group.add_argument("--test-set-id", help="the TestSetId DIAN's portal gave the software")
    group.add_argument("--leave", action="store_true", help="leave habilitación")
    run.add_argument("--invoices", type=int, default=30)
    run.add_argument("--credit-notes", type=int, default=10)
    run.add_argument("--debit-notes", type=int, default=10)
    run.add_argument("--seed", type=int, default=0)
    run.set_defaults(func=_habilitacion)


def _habilitacion(args: argparse.Namespace) -> int:
    from services.countries.co import enablement

    if args.leave:
        return asyncio.run(_leave(args.target, args.issuer))
    return enablement.main(
        args.target,
        args.test_set_id,
        issuer=args.issuer,
        invoices=args.invoices,
        credit_notes=args.credit_notes,
        debit_notes=args.debit_notes,
        seed=args.seed,
    )


async def _leave(target: str, issuer: str) -> int:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        await stub.SetTestSet(issuing_pb2.SetTestSetRequest(country="co", issuer=issuer))
    print(f"timbra: issuer {issuer} left habilitación")
    return 0
