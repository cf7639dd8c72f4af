"""`timbra bench` on small counts, run as a user runs it: every scenario runs, its JSON has every
field, and its ratios are computed from the figures of the same run. No time is asserted."""

from __future__ import annotations

import json
import subprocess
import sys
from typing import Any

import pytest

from services.core.child_process import ROOT

# Short ceilings: these tests check the harness, not the machine.
_CEILING = ["--ceiling-seconds", "0.2"]


def run_bench(*args: str, timeout: float) -> subprocess.CompletedProcess[str]:
    """`timbra bench ...` in its own process, as a user runs it."""
    return subprocess.run(
        [sys.executable, "-m", "services.cli", "bench", *args],
        cwd=ROOT,
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        timeout=timeout,
    )


def bench(*args: str, timeout: float = 600) -> dict[str, Any]:
    """Run `timbra bench ... --json`; its one JSON object."""
    finished = run_bench(*args, *_CEILING, "--json", timeout=timeout)
    assert finished.returncode == 0, finished.stderr[-3000:]
    lines = [line for line in finished.stdout.splitlines() if line.strip()]
    assert len(lines) == 1, f"expected one JSON object, got: {finished.stdout[-2000:]}"
    return json.loads(lines[0])


def check_common(report: dict[str, Any], scenario: str) -> None:
    """What every report carries: machine, ceiling, figures, ratios, targets."""
    assert report["scenario"] == scenario
    assert report["machine"]["cores"] >= 1
    assert report["machine"]["python"] and report["machine"]["openssl"]
    assert report["machine"]["libraries"]["cryptography"]
    ceiling = report["ceiling"]
    assert ceiling["rsa2048_signatures_per_second_per_core"] > 0
    assert ceiling["rsa2048_signatures_per_second_all_cores"] > 0
    assert ceiling["cores"] == report["machine"]["cores"]
    for target in report["targets"]:
        assert set(target) == {"name", "measured", "threshold", "comparison", "unit", "met"}
        if target["measured"] is None:
            assert target["met"] is None
        elif target["comparison"] == "at least":
            assert target["met"] == (target["measured"] >= target["threshold"])
        else:
            assert target["met"] == (target["measured"] <= target["threshold"])


@pytest.mark.parametrize("country", ["co", "cl"])
def test_signing_scenarios_report_rates_as_shares_of_the_same_run_ceiling(country: str) -> None:
    report = bench(f"sign-{country}", "--count", "60")
    check_common(report, f"sign-{country}")
    results, ratios, ceiling = report["results"], report["ratios"], report["ceiling"]
    assert results["documents_per_process"] == 60
    assert results["processes_all_cores"] == report["machine"]["cores"]
    per_core = results["documents_per_second_per_core"]
    assert per_core > 0 and results["documents_per_second_all_cores"] > 0
    assert results["ms_per_document"] == pytest.approx(1000 / per_core, rel=1e-2)
    assert results["scaling_all_cores_over_one"] == pytest.approx(
        results["documents_per_second_all_cores"] / per_core, rel=1e-2
    )
    assert ratios["per_core_of_ceiling"] == pytest.approx(
        per_core / ceiling["rsa2048_signatures_per_second_per_core"], rel=1e-2
    )
    assert ratios["all_cores_of_ceiling"] == pytest.approx(
        results["documents_per_second_all_cores"]
        / ceiling["rsa2048_signatures_per_second_all_cores"],
        rel=1e-2,
    )
    names = [target["name"] for target in report["targets"]]
    assert names == [
        "per core, share of the RSA ceiling",
        "all cores, share of the all-core RSA ceiling",
    ]
    assert report["targets"][0]["measured"] == pytest.approx(ratios["per_core_of_ceiling"], 1e-2)


def test_baseline_facho_signs_the_same_invoices_side_by_side() -> None:
    report = bench("baseline-facho", "--count", "40")
    check_common(report, "baseline-facho")
    results, ratios = report["results"], report["ratios"]
    assert results["timbra"]["documents"] == 40 and results["facho"]["documents"] == 20
    assert results["versions"]["facho"] == "0.2.1"
    for mode in ("sign_only", "build_and_sign"):
        ours = results["timbra"][f"{mode}_documents_per_second"]
        theirs = results["facho"][f"{mode}_documents_per_second"]
        assert ours > 0 and theirs > 0
        assert results["timbra_over_facho"][mode] == pytest.approx(ours / theirs, rel=1e-2)
        assert ratios[f"facho_{mode}_of_ceiling"] == pytest.approx(
            theirs / report["ceiling"]["rsa2048_signatures_per_second_per_core"], rel=1e-2
        )
    assert [target["unit"] for target in report["targets"]] == ["×", "×"]


def check_e2e(results: dict[str, Any], count: int) -> dict[str, Any]:
    """End-to-end figures of a run whose documents all reached a final state."""
    assert results["documents"] == count
    assert sum(results["outcomes"].values()) == count
    assert results["outcomes"].get("accepted") == count, results["rejection_reasons"]
    assert results["documents_per_second"] == pytest.approx(
        count / results["elapsed_seconds"], rel=2e-2
    )
    latency = results["latency_ms"]
    assert 0 < latency["p50"] <= latency["p95"] <= latency["p99"] <= latency["max"]
    assert 0 < results["max_in_flight"] <= count
    for name, memory in results["memory"].items():
        assert memory["peak_mib"] > 0, name
        assert memory["cpu_seconds"] >= 0, name
    cpu = results["cpu_ms_per_document"]
    platform = sum(m["cpu_seconds"] for n, m in results["memory"].items() if "simulator" not in n)
    assert cpu["platform"] == pytest.approx(1000 * platform / count, abs=0.02)
    assert cpu["simulators"] > 0  # the authorities are simulated on this machine
    assert results["platform_documents_per_second_per_core"] == pytest.approx(
        1000 / cpu["platform"], rel=1e-2
    )
    return results


def check_e2e_ratios(report: dict[str, Any]) -> None:
    """The throughput's shares of the ceiling come from this run's two figures."""
    rate, ceiling = report["results"]["documents_per_second"], report["ceiling"]
    ratios = report["ratios"]
    assert ratios["documents_per_second_of_ceiling_per_core"] == pytest.approx(
        rate / ceiling["rsa2048_signatures_per_second_per_core"], rel=1e-2
    )
    assert ratios["documents_per_second_of_ceiling_all_cores"] == pytest.approx(
        rate / ceiling["rsa2048_signatures_per_second_all_cores"], rel=1e-2
    )


def test_e2e_embedded_closed_loop_measures_every_process() -> None:
    report = bench("e2e", "--country", "mixed", "--count", "120", "--streams", "2")
    check_common(report, "e2e")
    results = check_e2e(report["results"], 120)
    check_e2e_ratios(report)
    # The embedded default: the API process, its work processes and both simulators.
    names = set(results["memory"])
    assert {"timbra run", "timbra run --role signing", "timbra run --role transmission"} <= names
    assert any("simulator" in name for name in names), names
    assert report["options"]["store"] == "sqlite"
    assert report["targets"][0]["name"] == "documents per second (closed loop)"


def test_e2e_open_loop_holds_the_asked_rate_and_reports_latency() -> None:
    report = bench("e2e", "--country", "co", "--count", "60", "--rate", "30")
    results = check_e2e(report["results"], 60)
    check_e2e_ratios(report)
    assert report["options"]["rate"] == 30
    names = [target["name"] for target in report["targets"]]
    assert names[:2] == [
        "p99 request → accepted (open loop)",
        "rate sustained, share of the rate asked",
    ]
    assert report["targets"][0]["measured"] == pytest.approx(results["latency_ms"]["p99"], 1e-2)


def test_replay_folds_every_stream_from_its_first_event() -> None:
    report = bench("replay", "--country", "mixed", "--count", "80")
    check_common(report, "replay")
    results = report["results"]
    assert results["events"] > results["documents"] >= 80
    assert results["processes"] == report["machine"]["cores"]
    assert results["events_per_second_one_process"] > 0
    # The wall time is published to the millisecond: the rate lies within its rounding.
    seconds, events = results["seconds"], results["events"]
    assert events / (seconds + 5e-4) <= results["events_per_second"] <= events / (seconds - 5e-4)
    assert report["ratios"]
    assert report["targets"][0]["measured"] == pytest.approx(results["events_per_second"], rel=1e-2)


@pytest.mark.kafka
@pytest.mark.postgres
def test_e2e_distributed_against_the_embedded_figure(kafka_bootstrap, postgres_dsn) -> None:
    report = bench(
        "e2e", "--transport", "kafka", "--store", "postgres", "--count", "60", timeout=900
    )
    check_common(report, "e2e --transport kafka --store postgres")
    results = check_e2e(report["results"], 60)
    check_e2e_ratios(report)
    check_e2e(results["embedded_same_plan"], 60)
    assert {"timbra serve issuing", "timbra serve signing --role consumer"} <= set(
        results["memory"]
    )
    assert report["ratios"]["distributed_of_embedded"] == pytest.approx(
        results["documents_per_second"] / results["embedded_same_plan"]["documents_per_second"],
        rel=2e-2,
    )
    assert report["targets"][-1]["name"] == "distributed, share of the embedded figure"


def test_bench_refuses_a_transport_without_its_store() -> None:
    finished = run_bench("e2e", "--transport", "kafka", timeout=120)
    assert finished.returncode != 0
    assert "--transport kafka goes with --store postgres" in finished.stderr
