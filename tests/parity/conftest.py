from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from migrator.cli import main
from migrator.parity import Experiment, load_app
from migrator.parity.policy import Policy

SAMPLE = Path(__file__).resolve().parents[2] / "sample_flask_app"
APPS = {"module": "sample_flask_app.app:app", "factory": "sample_flask_app.factory:create_app()"}


@pytest.fixture(scope="session")
def migration(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    """The sample's Flask apps and the FastAPI apps the codemod made of them, from one folder.

    The Flask apps are imported first; then the codemod rewrites the same files through the
    CLI's `--write` path and the results are imported. Both serve the same image files from the
    same absolute paths, so path-derived values (ETag) are comparable.
    """
    root = tmp_path_factory.mktemp("parity")
    shutil.copytree(SAMPLE, root / "sample_flask_app", ignore=shutil.ignore_patterns("__pycache__"))
    controls = {name: load_app(target, root) for name, target in APPS.items()}
    assert main(["migrate", "--write", str(root / "sample_flask_app")]) == 1  # changes, no errors
    candidates = {name: load_app(target, root) for name, target in APPS.items()}
    return {"controls": controls, "candidates": candidates, "folder": root / "sample_flask_app"}


@pytest.fixture(scope="session")
def migrated_sample(migration) -> tuple[object, object, Path]:
    return migration["controls"]["module"], migration["candidates"]["module"], migration["folder"]


@pytest.fixture(scope="session")
def experiment(migrated_sample):
    control, candidate, _ = migrated_sample
    # the parity policy: the order of different field names is not significant (Starlette
    # sends Content-Length before a media_type= Content-Type), and is reported as ignored
    with Experiment(control=control, candidate=candidate, policy=Policy()) as experiment:
        yield experiment


@pytest.fixture(scope="session")
def factory_experiment(migration):
    with Experiment(
        control=migration["controls"]["factory"],
        candidate=migration["candidates"]["factory"],
        policy=Policy(),
    ) as experiment:
        yield experiment
