"""The `timbra` command: run the platform, serve one service, demo, export, audit."""

from __future__ import annotations

import argparse
import asyncio
import importlib
import importlib.util
import json
import logging
import os
import signal
import sys
from pathlib import Path

import grpc

from services.core.settings import Settings
from services.countries.registry import available
from timbra.v1 import issuing_pb2, issuing_pb2_grpc


def _settings(args: argparse.Namespace) -> Settings:
    try:
        return Settings.load(
            data_dir=getattr(args, "data_dir", None),
            grpc_host=getattr(args, "host", None),
            grpc_port=getattr(args, "port", None),
        )
    except ValueError as problem:
        raise SystemExit(f"timbra: {problem}") from None


def _logging(level: str) -> None:
    logging.basicConfig(
        level=level.upper(),
        format="%(asctime)s %(levelname)s %(name)s: %(message)s",
        stream=sys.stderr,
    )
    for noisy in ("kafka", "aiokafka", "faust", "mode", "zeep", "urllib3"):
        logging.getLogger(noisy).setLevel(logging.WARNING)


async def _run(settings: Settings) -> None:
    from services import sandbox
    from services.core.metrics import serve_metrics
    from services.embedded import EmbeddedPlatform

    platform = EmbeddedPlatform(settings)
    await platform.start()
    serve_metrics(settings.grpc_host, settings.metrics_port)
    print(f"timbra: gRPC API on {platform.address} (issuing, signing)", flush=True)
    print(f"timbra: data in {settings.data_path} ({settings.store})", flush=True)
    if settings.metrics_port:
        print(
            f"timbra: metrics on http://{settings.grpc_host}:{settings.metrics_port}/metrics",
            flush=True,
        )
    for country, simulator in platform.simulators.items():
        print(
            f"timbra: {country} authority simulator at {simulator.service_url} "
            f"(sandbox portal {simulator.admin_url})",
            flush=True,
        )
    if settings.sandbox:
        with grpc.insecure_channel(platform.address) as channel:
            for country, simulator in platform.simulators.items():
                issuer = await asyncio.to_thread(
                    sandbox.ensure,
                    country,
                    channel,
                    channel,
                    simulator.admin_url,
                    settings.data_path,
                    platform.vault,
                )
                numbering = f"range {issuer.prefix}, " if issuer.prefix else ""
                print(
                    f"timbra: {country} sandbox issuer {issuer.tax_id} ({issuer.name}), "
                    f"{numbering}authorization {issuer.authorization}",
                    flush=True,
                )
    print("timbra: ready (Ctrl-C to stop)", flush=True)
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        loop.add_signal_handler(signum, stop.set)
    await stop.wait()
    print("timbra: stopping", flush=True)
    await platform.stop()


def _share_metrics(directory: Path) -> None:
    """Have this process and the work processes it starts (they inherit the environment) count
    in files under `directory`, which /metrics here reads (prometheus_client's multiprocess
    mode). prometheus_client reads the setting when imported, so nothing may have imported it
    yet; what a previous run left is cleared."""
    if "prometheus_client" in sys.modules:
        raise RuntimeError("metrics were created before they could be shared between processes")
    directory.mkdir(parents=True, exist_ok=True)
    for leftover in directory.glob("*.db"):
        leftover.unlink()
    os.environ["PROMETHEUS_MULTIPROC_DIR"] = str(directory)


def cmd_run(args: argparse.Namespace) -> int:
    """timbra run: the whole platform on this machine, embedded default."""
    settings = _settings(args)
    _logging(settings.log_level)
    if args.role:
        from services.embedded_workers import run_worker

        run_worker(args.role, settings)
        return 0
    if settings.metrics_port:
        # Before any metric exists: the work processes count where /metrics here reads.
        _share_metrics(settings.data_path / "metrics")
    asyncio.run(_run(settings))
    return 0


def cmd_serve(args: argparse.Namespace) -> int:
    """timbra serve: one service of the distributed layout (Kafka + PostgreSQL)."""
    from services import serve

    settings = _settings(args)
    _logging(settings.log_level)
    serve.main(args.service, args.role, settings)
    return 0


def cmd_sandbox(args: argparse.Namespace) -> int:
    """timbra sandbox: register the sandbox issuer with running services (distributed layout)."""
    from services import sandbox
    from services.wiring import vault_for

    settings = _settings(args)
    with (
        grpc.insecure_channel(args.issuing) as issuing,
        grpc.insecure_channel(args.signing) as signing,
    ):
        issuer = sandbox.ensure(
            args.country,
            issuing,
            signing,
            args.simulator_admin,
            settings.data_path,
            vault_for(settings),
        )
    print(f"timbra: sandbox issuer {issuer.tax_id} ({issuer.name}) ready")
    return 0


def cmd_demo(args: argparse.Namespace) -> int:
    """timbra demo: stream demo documents, wait for each, print a summary."""
    from services.demo import render, run_demo

    result = asyncio.run(
        run_demo(
            args.target,
            country=args.country,
            count=args.count,
            streams=args.streams,
            issuer=args.issuer,
            seed=args.seed,
            show_progress=not args.json and sys.stderr.isatty(),
        )
    )
    if args.json:
        print(json.dumps(result.summary()))
    else:
        print(render(result))
    return 0 if result.outcomes.get("accepted", 0) == args.count else 1


def cmd_export(args: argparse.Namespace) -> int:
    """timbra export: write documents' signed XML and authority responses to files."""
    from services.export import export

    written = export(
        args.target,
        Path(args.out),
        country=args.country,
        status=args.status,
        number=args.number,
        issuer=args.issuer,
    )
    print(f"timbra: exported {written} document(s) to {args.out}")
    return 0


def cmd_verify(args: argparse.Namespace) -> int:
    """timbra verify: check document files offline; exit 0 only when every check passes."""
    from services.countries.registry import verifier_for

    options = {
        "technical_key": args.technical_key,
        "pin": args.pin,
        "cuds_variant": args.cuds_variant,
        "trust_store": args.trust_store,
        "sii_key": args.sii_key,
    }
    reports, passed = [], True
    for path in args.files:
        try:
            with open(path, "rb") as handle:
                head = handle.read(4096)
        except OSError as problem:
            reports.append({"source": path, "passed": False, "error": problem.strerror})
            passed = False
            continue
        verifier = verifier_for(head)
        if verifier is None:
            reports.append(
                {"source": path, "passed": False, "error": "not a document of a known country"}
            )
            passed = False
            continue
        report = verifier.verify_for_cli(path, options)
        passed = passed and report.passed
        reports.append(json.loads(report.to_json()) if args.json else report)
    if args.json:
        print(json.dumps(reports if len(reports) > 1 else reports[0], ensure_ascii=False))
    else:
        for report in reports:
            print(
                report.render()
                if hasattr(report, "render")
                else f"{report['source']}: {report['error']}"
            )
    return 0 if passed else 1


def cmd_audit(args: argparse.Namespace) -> int:
    """timbra audit document: replay one document's recorded history."""
    request = issuing_pb2.GetDocumentRequest(issuer=args.issuer)
    if args.issuer:
        request.number = args.document
    else:
        request.document_id = args.document
    with grpc.insecure_channel(args.target) as channel:
        try:
            view = issuing_pb2_grpc.IssuingStub(channel).GetDocument(request)
        except grpc.RpcError as error:
            raise SystemExit(f"timbra: {error.details()}") from None
    state = issuing_pb2.DocumentState.Name(view.state)
    print(f"{view.number}  {view.document_key}  {state}")
    for entry in view.history:
        print(f"  v{entry.version:<3} {entry.at.ToDatetime().isoformat()}Z  {entry.event}")
    return 0


def parser() -> argparse.ArgumentParser:
    """The command-line grammar."""
    top = argparse.ArgumentParser(prog="timbra", description=__doc__)
    commands = top.add_subparsers(dest="command", required=True)

    run = commands.add_parser("run", help="run the whole platform (embedded default)")
    run.add_argument("--host", help="gRPC listen host (TIMBRA_GRPC_HOST, default 127.0.0.1)")
    run.add_argument("--port", type=int, help="gRPC port (TIMBRA_GRPC_PORT, default 50051)")
    run.add_argument("--data-dir", help="where the stores live (TIMBRA_DATA_DIR)")
    # A work process of the embedded default, started by `timbra run` itself.
    run.add_argument("--role", choices=["signing", "transmission", "facts"], help=argparse.SUPPRESS)
    run.set_defaults(func=cmd_run)

    serve = commands.add_parser("serve", help="run one service (distributed layout)")
    serve.add_argument("service", choices=["issuing", "signing", "transmission"])
    serve.add_argument(
        "--role", choices=["service", "consumer"], default="service", help=argparse.SUPPRESS
    )
    serve.add_argument("--data-dir", help="where keys and local state live (TIMBRA_DATA_DIR)")
    serve.set_defaults(func=cmd_serve)

    box = commands.add_parser("sandbox", help="register the sandbox issuer with running services")
    box.add_argument("--country", default="co")
    box.add_argument("--issuing", default="127.0.0.1:50051")
    box.add_argument("--signing", default="127.0.0.1:50052")
    box.add_argument("--simulator-admin", required=True, help="the simulator's /sandbox URL")
    box.add_argument("--data-dir", help="where the sandbox CA lives (TIMBRA_DATA_DIR)")
    box.set_defaults(func=cmd_sandbox)

    target = {"default": "127.0.0.1:50051", "help": "issuing API address (default %(default)s)"}

    demo = commands.add_parser("demo", help="stream demo documents and report")
    demo.add_argument("--target", **target)
    demo.add_argument("--country", default="co")
    demo.add_argument("--count", type=int, default=1000)
    demo.add_argument("--streams", type=int, default=1)
    demo.add_argument(
        "--issuer", default="", help="issuer tax id (default: the first with a range)"
    )
    demo.add_argument("--seed", type=int, default=0)
    demo.add_argument("--json", action="store_true", help="print the summary as one JSON object")
    demo.set_defaults(func=cmd_demo)

    export = commands.add_parser("export", help="write signed XML and authority responses")
    export.add_argument("--target", **target)
    export.add_argument("--out", required=True)
    export.add_argument("--country", default="")
    export.add_argument("--issuer", default="")
    export.add_argument(
        "--status",
        default="",
        choices=["", "drafted", "signed", "transmitted", "accepted", "rejected"],
    )
    export.add_argument("--number", default="")
    export.set_defaults(func=cmd_export)

    verify = commands.add_parser(
        "verify", help="check document files offline (signature, schema, document key)"
    )
    verify.add_argument("files", nargs="+")
    verify.add_argument("--technical-key", help="CO: the range's technical key (CUFE)")
    verify.add_argument("--pin", help="CO: the software PIN (CUDE, CUDS, security code)")
    verify.add_argument(
        "--cuds-variant", help="CO: CUDS layout to recompute: tax-01-only (default) or dian-source"
    )
    verify.add_argument("--trust-store", help="PEM bundle: enforce the certificate chain")
    verify.add_argument("--sii-key", help="CL: the SII's key (PEM key or certificate file)")
    verify.add_argument("--json", action="store_true", help="a machine-readable report")
    verify.set_defaults(func=cmd_verify)

    for code in available():
        # a country pack may add its own commands (timbra co habilitacion, ...)
        if importlib.util.find_spec(f"services.countries.{code}.commands"):
            importlib.import_module(f"services.countries.{code}.commands").register(commands)

    from services.bench.command import register as register_bench

    register_bench(commands)

    audit = commands.add_parser("audit", help="replay a document's history")
    audit_kind = audit.add_subparsers(dest="kind", required=True)
    document = audit_kind.add_parser(
        "document", help="one document by id, or by number with --issuer"
    )
    document.add_argument("document")
    document.add_argument("--issuer", default="")
    document.add_argument("--target", **target)
    document.set_defaults(func=cmd_audit)
    return top


def main(argv: list[str] | None = None) -> int:
    """Entry point of the `timbra` console script."""
    args = parser().parse_args(argv)
    return args.func(args)


if __name__ == "__main__":
    sys.exit(main())
