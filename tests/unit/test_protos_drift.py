"""The generated stubs in timbra/v1 must be exactly what protoc makes of protos/ today."""

import filecmp
import pathlib
import subprocess
import sys

ROOT = pathlib.Path(__file__).resolve().parents[2]


def test_generated_stubs_match_the_proto_files(tmp_path):
    protos = sorted(str(p.relative_to(ROOT)) for p in (ROOT / "protos").rglob("*.proto"))
    subprocess.run(
        [
            sys.executable,
            "-m",
            "grpc_tools.protoc",
            "-Iprotos",
            f"--python_out={tmp_path}",
            f"--pyi_out={tmp_path}",
            f"--grpc_python_out={tmp_path}",
            *protos,
        ],
        cwd=ROOT,
        check=True,
    )
    generated = sorted(p.relative_to(tmp_path) for p in tmp_path.rglob("*.py*"))
    committed = sorted(
        p.relative_to(ROOT) for p in (ROOT / "timbra").rglob("*.py*") if p.name != "__init__.py"
    )
    assert [str(p) for p in generated] == [str(p) for p in committed], "run `make protos`"
    drifted = [str(p) for p in generated if not filecmp.cmp(tmp_path / p, ROOT / p, shallow=False)]
    assert not drifted, f"stubs differ from protos/ (run `make protos`): {drifted}"
