"""`benchmarks/ab.py` runs end to end: two checkouts (here the same one twice) alternate, each
timed run in a subprocess importing its own checkout, and the ratio line is printed. No speed
is asserted: a timed test on a shared machine would fail for the wrong reasons."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
SAMPLE = REPO / "sample_flask_app" / "factory" / "uploads.py"


def run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, str(REPO / "benchmarks" / "ab.py"), *args],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


def test_two_checkouts_alternate_and_the_ratio_is_printed():
    done = run(str(REPO), "--rounds", "2", str(SAMPLE))
    assert done.returncode == 0, done.stderr
    lines = done.stdout.splitlines()
    assert lines[0] == "1 paths, 2 alternating rounds, CPU seconds of one timed run"
    for side, line in zip(("this", "other"), lines[1:3], strict=True):
        assert re.fullmatch(rf"{side} +{re.escape(str(REPO))}: best [\d.]+  median [\d.]+", line)
    assert re.fullmatch(r"ratio this / other: best [\d.]+, median [\d.]+ \(.*\)", lines[3])
    assert done.stderr.count("round ") == 2


def test_the_repository_runner_is_timed_on_folders(tmp_path: Path):
    (tmp_path / "app.py").write_text(SAMPLE.read_text("utf-8"), "utf-8")
    done = run(str(REPO), str(tmp_path), "--runner", "--rounds", "1")
    assert done.returncode == 0, done.stderr
    assert done.stdout.startswith("1 paths, 1 alternating rounds")


def test_a_folder_without_migrator_is_a_one_line_error(tmp_path: Path):
    done = run(str(tmp_path))
    assert done.returncode != 0
    assert done.stderr.strip() == f"{tmp_path}: no migrator/ package there"
