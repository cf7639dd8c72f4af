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

    ranges = sub.add_parser("ranges", help="numbering resolutions from DIAN (GetNumberingRange)")
    ranges_sub = ranges.add_subparsers(dest="ranges_command", required=True)
    fetch = ranges_sub.add_parser(
        "fetch", help="register the resolutions DIAN associates with the issuer's software"
    )
    fetch.add_argument("--issuer", required=True, help="issuer NIT (without check digit)")
    fetch.add_argument("--target", default="127.0.0.1:50051", help="issuing API address")
    fetch.add_argument("--dian-url", default="", help="DIAN endpoint (default TIMBRA_CO_DIAN_URL)")
    fetch.add_argument("--data-dir", help="where the transport credentials live (TIMBRA_DATA_DIR)")
    fetch.add_argument(
        "--types",
        action="append",
        default=[],
        metavar="PREFIX=TYPES",
        help="document types of a range without technical key, e.g. DS=05,95 or CONT=03 "
        "(DIAN does not say which; ranges with a technical key number 01,02,04)",
    )
    fetch.set_defaults(func=_fetch_ranges)


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


def _fetch_ranges(args: argparse.Namespace) -> int:
    from services.core.settings import Settings
    from services.countries.co.client import DianClient
    from services.wiring import AuthorityEndpoints, vault_for

    settings = Settings.load(data_dir=args.data_dir)
    url = args.dian_url or settings.co_dian_url
    if not url:
        raise SystemExit("timbra: give --dian-url or set TIMBRA_CO_DIAN_URL")
    credentials = AuthorityEndpoints({}, 30, settings, vault_for(settings)).credentials("co")
    with grpc.insecure_channel(args.target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        profile = stub.GetIssuer(issuing_pb2.GetIssuerRequest(country="co", issuer=args.issuer))
        client = DianClient(url, 30, credentials=credentials)
        try:
            found = client.get_numbering_range(
                args.issuer, profile.provider_tax_id or args.issuer, profile.software_id
            )
        finally:
            client.close()
        declared = dict(item.split("=", 1) for item in args.types if "=" in item)
        for info in found:
            # Invoice resolutions come with a technical key; documento soporte and paper
            # contingency ones without, and DIAN does not say which is which.
            if info.technical_key:
                kinds = ["01", "02", "04"]
            elif info.prefix in declared:
                kinds = declared[info.prefix].split(",")
            else:
                print(
                    f"timbra: resolution {info.resolution_number} {info.prefix} has no technical "
                    f"key: not registered; say its types with --types {info.prefix}=05,95 "
                    "(documento soporte) or --types "
                    f"{info.prefix}=03 (paper contingency)"
                )
                continue
            registered = stub.RegisterNumberingRange(
                issuing_pb2.NumberingRange(
                    country="co",
                    issuer=args.issuer,
                    document_types=kinds,
                    authorization=info.resolution_number,
                    prefix=info.prefix,
                    range_from=info.from_number,
                    range_to=info.to_number,
                    valid_from=info.valid_from.isoformat() if info.valid_from else "",
                    valid_to=info.valid_to.isoformat() if info.valid_to else "",
                    technical_key=info.technical_key or "",
                )
            )
            print(
                f"timbra: resolution {info.resolution_number} {info.prefix}"
                f"{info.from_number}-{info.to_number} ({', '.join(kinds)}) valid "
                f"{info.valid_from} to {info.valid_to}: registered, {registered.remaining} left"
            )
    if not found:
        print("timbra: DIAN associates no numbering range with this software yet")
    return 0


async def _leave(target: str, issuer: str) -> int:
    async with grpc.aio.insecure_channel(target) as channel:
        stub = issuing_pb2_grpc.IssuingStub(channel)
        await stub.SetTestSet(issuing_pb2.SetTestSetRequest(country="co", issuer=issuer))
    print(f"timbra: issuer {issuer} left habilitación")
    return 0
