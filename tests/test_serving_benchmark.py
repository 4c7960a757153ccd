"""`benchmarks/serving.py --quick` runs end to end: the codemod migrates the benchmark's Flask
app, the three servers start, answer alike and stop, and the table is printed. No rate is
asserted: a timed test on a shared machine would fail for the wrong reasons."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
ROUTES = [
    "20 KB PNG from memory",
    "10 KB PNG file (send_file)",
    "304 revalidation of it",
    "1 MiB PNG file (send_file)",
]
RATE = r"[\d,]+"
ROW = re.compile(
    rf"^\| (?P<route>[^|]+) \| {RATE} req/s \| {RATE} \| [\d.]+x( \*)? \| {RATE} \| [\d.]+x( \*)? \|$"
)


def benchmark_processes() -> list[str]:
    """Command lines of processes serving the benchmark's app (its target is unique to it)."""
    found = []
    for cmdline in Path("/proc").glob("[0-9]*/cmdline"):
        try:
            text = cmdline.read_bytes().replace(b"\0", b" ").decode(errors="replace")
        except OSError:  # the process ended meanwhile
            continue
        if "imageapp:app" in text:
            found.append(text)
    return found


# The python client always works; wrk is the default where Debian's package is installed.
@pytest.mark.parametrize("client", [["--client", "python"], []], ids=["python client", "default"])
def test_quick_run_prints_a_row_per_route_and_stops_its_servers(client):
    done = subprocess.run(
        [sys.executable, "benchmarks/serving.py", "--quick", *client],
        cwd=REPO,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    rows = [match["route"] for match in map(ROW.match, done.stdout.splitlines()) if match]
    assert rows == ROUTES, done.stdout
    assert "median of 1 interleaved round(s)" in done.stdout
    assert benchmark_processes() == []
