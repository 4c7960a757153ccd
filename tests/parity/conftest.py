from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from migrator.cli import main
from migrator.parity import Experiment, load_app

SAMPLE = Path(__file__).resolve().parents[2] / "sample_flask_app"
APP = "sample_flask_app.app:app"


@pytest.fixture(scope="session")
def migrated_sample(tmp_path_factory: pytest.TempPathFactory) -> tuple[object, object, Path]:
    """The sample's Flask app and the FastAPI app the codemod made of it, from one folder.

    The Flask app is imported first; then the codemod rewrites the same files through the CLI's
    `--write` path and the result is imported. Both serve the same image files from the same
    absolute paths, so path-derived values (ETag) are comparable.
    """
    root = tmp_path_factory.mktemp("parity")
    shutil.copytree(SAMPLE, root / "sample_flask_app", ignore=shutil.ignore_patterns("__pycache__"))
    control = load_app(APP, root)
    assert main(["migrate", "--write", str(root / "sample_flask_app")]) == 1  # changes, no errors
    candidate = load_app(APP, root)
    return control, candidate, root / "sample_flask_app"


@pytest.fixture(scope="session")
def experiment(migrated_sample: tuple[object, object, Path]):
    control, candidate, _ = migrated_sample
    with Experiment(control=control, candidate=candidate) as experiment:
        yield experiment
