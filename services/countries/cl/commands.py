"""`timbra cl ...`: the Chilean commands (CAF files, certification), registered by the pack."""

from __future__ import annotations

import argparse

import grpc

from timbra.v1 import issuing_pb2, issuing_pb2_grpc, signing_pb2, signing_pb2_grpc


def register(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """Add `timbra cl` and its subcommands to the CLI."""
    cl = commands.add_parser("cl", help="Chile (SII): CAF files, certification")
    sub = cl.add_subparsers(dest="cl_command", required=True)

    caf = sub.add_parser("caf", help="load a CAF file: folios to issuing, its key to signing")
    caf.add_argument("file")
    caf.add_argument("--issuer", required=True, help="the issuer's RUT (76543219-7)")
    caf.add_argument("--issuing", default="127.0.0.1:50051", help="issuing API address")
    caf.add_argument("--signing", default="", help="signing API address (default: --issuing)")
    caf.set_defaults(func=_load_caf)

    run = sub.add_parser("certificacion", help="issue an SII test set and report per case")
    run.add_argument("--set", required=True, dest="set_file", help="the set file from the SII")
    run.add_argument("--target", default="127.0.0.1:50051", help="issuing API address")
    run.add_argument("--issuer", default="", help="issuer RUT (default: the first with folios)")
    run.set_defaults(func=_certification)


def _load_caf(args: argparse.Namespace) -> int:
    with open(args.file, "rb") as handle:
        content = handle.read()
    # The public part (DA + FRMA) stays in issuing; the private key (RSASK) only in signing.
    with grpc.insecure_channel(args.issuing) as channel:
        numbering = issuing_pb2_grpc.IssuingStub(channel).LoadNumberingFile(
            issuing_pb2.LoadNumberingFileRequest(country="cl", issuer=args.issuer, content=content)
        )
    with grpc.insecure_channel(args.signing or args.issuing) as channel:
        key = signing_pb2_grpc.SigningStub(channel).RegisterFolioKey(
            signing_pb2.RegisterFolioKeyRequest(country="cl", issuer=args.issuer, content=content)
        )
    print(
        f"timbra: folios {numbering.range_from}-{numbering.range_to} of type "
        f"{','.join(numbering.document_types)} for {args.issuer}, valid to {numbering.valid_to}; "
        f"folio key {key.key_id} stored in signing"
    )
    return 0


def _certification(args: argparse.Namespace) -> int:
    from services.countries.cl import certification_run

    return certification_run.main(args.target, args.set_file, args.issuer)
