"""The hand-made shop project for the parity suite's own tests: a Flask app, its FastAPI
port written by hand (`handmade/`), and the support module beside them, as a user has it."""

from __future__ import annotations

import shutil
from pathlib import Path

from migrator.parity.config import Config
from migrator.parity.runner import Report, run_all
from migrator.runtime import flask_compat

HANDMADE = Path(__file__).parent / "handmade"
FLASK = "shop_flask:app"
FASTAPI = "shop_fastapi:app"
PYPROJECT = """\
[tool.migrator.parity]
flask = "shop_flask:app"
fastapi = "shop_fastapi:app"
cases = "parity_cases.toml"
"""


def make_shop(folder: Path, mutations: dict[str, str] | None = None) -> Path:
    """The shop project in `folder`, its port changed by `mutations` (old text: new text,
    each of which must be found)."""
    folder.mkdir(parents=True, exist_ok=True)
    for path in HANDMADE.iterdir():
        if path.is_file():
            shutil.copy2(path, folder / path.name)
    shutil.copy2(flask_compat.__file__, folder / "flask_compat.py")
    port = folder / "shop_fastapi.py"
    text = port.read_text()
    for old, new in (mutations or {}).items():
        assert old in text, old
        text = text.replace(old, new)
    port.write_text(text)
    return folder


def shop_report(folder: Path, **settings: object) -> Report:
    config = Config(
        flask=FLASK,
        fastapi=FASTAPI,
        flask_root=folder,
        fastapi_root=folder,
        cases=folder / "parity_cases.toml",
    )
    for key, value in settings.items():
        config = config.__class__(**{**config.__dict__, key: value})
    return run_all(config)
