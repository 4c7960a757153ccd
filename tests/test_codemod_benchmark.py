"""`benchmarks/codemod.py --only repository` runs end to end on a small repository: the CLI is
timed with migrator compiled to bytecode (as an installed package has it, see `installed`), and every ratio
line is printed. No speed is asserted: a timed test on a shared machine would fail for the
wrong reasons."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent


def test_the_repository_section_runs_and_prints_its_ratios():
    command = [sys.executable, "benchmarks/codemod.py", "--only", "repository"]
    done = subprocess.run(
        [*command, "--files", "30", "--flask", "3", "--repeat", "2"],
        capture_output=True,
        text=True,
        check=False,
        cwd=REPO,
        timeout=300,
    )
    assert done.returncode == 0, done.stderr
    out = done.stdout
    assert "repository: 30 files, 3 of them Flask" in out
    assert (
        len(re.findall(r"--check --jobs 1: [\d.]+ s \(30 files checked, 3 would change, ", out))
        == 2
    )
    assert len(re.findall(r"--check --jobs 2: [\d.]+ s\n", out)) == 2  # alternating, twice each
    assert re.search(r"best of 2 runs each.*run by run: [\d.]+, [\d.]+\n", out)
    for ratio in ("--check / floor", "--check --jobs 2 / floor", "--jobs 1 / --jobs 2"):
        assert re.search(rf"ratio {re.escape(ratio)}: [\d.]+ ", out), out
    assert re.search(r"peak memory of a migrator process: \d+ MB", out)
