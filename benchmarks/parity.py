"""What the parity suite costs per case, in-process, against the bare cost of the requests.

The sample is migrated into a temporary folder and committed twice to a throwaway git repo
(Flask, then FastAPI), as `migrator parity --flask-rev HEAD~1` sees a project. Every case of
the run (routes and probes) is then timed three ways, in interleaved rounds:

- bare: each request sent once to Flask and once to FastAPI through the parity transports;
- bare + noise run: Flask twice and FastAPI once, what an `Experiment` sends for a case whose
  answers differ (an identical case gets no second Flask run);
- parity: `Experiment.run` plus the image comparison, what `migrator parity` does per case.

Prints cases per second of each and the overhead of parity over the bare cost (the goal is at
most 25%), and what a second Flask run of every case (the noise check) would add.

    python benchmarks/parity.py [--rounds 5]
"""

from __future__ import annotations

import argparse
import contextlib
import io
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
TARGET = "sample_flask_app.app:app"


def project(folder: Path) -> None:
    def git(*args: str) -> None:
        subprocess.run(
            ["git", "-c", "user.name=b", "-c", "user.email=b@example.com", *args],
            cwd=folder,
            check=True,
            capture_output=True,
        )

    from migrator.cli import main

    shutil.copytree(REPO / "sample_flask_app", folder / "sample_flask_app")
    git("init", "-q")
    git("add", "-A")
    git("commit", "-qm", "flask")
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        assert main(["migrate", "--write", str(folder / "sample_flask_app")]) == 1
    git("add", "-A")
    git("commit", "-qm", "fastapi")


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=5)
    args = parser.parse_args(argv)
    sys.path.insert(0, str(REPO))
    from migrator.parity.config import Config
    from migrator.parity.runner import Suite

    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        project(folder)
        os.chdir(folder)
        config = Config(flask=TARGET, fastapi=TARGET, flask_root=folder, flask_rev="HEAD~1")
        suite = Suite.load(config)
        cases = suite.cases()
        experiment = suite.experiment
        control, candidate = experiment._control, experiment._candidate

        def bare() -> None:
            for case in cases:
                control.send(case.request)
                candidate.send(case.candidate_request or case.request)

        def noise() -> None:
            for case in cases:
                control.send(case.request)
                candidate.send(case.candidate_request or case.request)
                control.send(case.request)

        def parity() -> None:
            suite._done.clear()
            for case in cases:
                suite.run(case)

        timings: dict[str, list[float]] = {"bare": [], "bare + noise run": [], "parity": []}
        for _ in range(args.rounds):
            for name, run in (("bare", bare), ("bare + noise run", noise), ("parity", parity)):
                start = time.perf_counter()
                run()
                timings[name].append(time.perf_counter() - start)
        suite.close()
    medians = {name: statistics.median(values) for name, values in timings.items()}
    print(f"{len(cases)} cases, median of {args.rounds} interleaved rounds")
    for name, seconds in medians.items():
        print(f"  {name:<17} {len(cases) / seconds:8.0f} cases/s  {seconds * 1000:7.1f} ms")
    overhead = medians["parity"] / medians["bare"] - 1
    noise_part = medians["bare + noise run"] / medians["bare"] - 1
    print(
        f"parity over bare: {overhead:+.0%} (goal <= +25%); a noise run on every case would add"
        f" {noise_part:+.0%}"
    )
    print(
        f"parity over bare + noise run: {medians['parity'] / medians['bare + noise run'] - 1:+.0%}"
    )


if __name__ == "__main__":
    main()
