"""Flasgger and Flask-Limiter, the real packages, bound to a Flask image service: the codemod
unbinds them with a blocking TODO (and leaves `@limiter.limit` out), the migrated app imports,
and its image route answers byte for byte as Flask's does with the extension at work."""

from __future__ import annotations

import pytest

from migrator.cli import main
from migrator.parity import Experiment, Request, publish
from tests.migrated import both_apps

VIEW = """

@app.route("/dot/<int:size>.png")
{decorator}def dot(size):
    \"\"\"A square PNG of one colour.
    ---
    parameters:
      - name: size
        in: path
        type: integer
    responses:
      200:
        description: the image
    \"\"\"
    buffer = io.BytesIO()
    Image.new("RGB", (size, size), request.args.get("color", "red")).save(buffer, "PNG")
    return Response(buffer.getvalue(), mimetype="image/png")
"""
HEAD = "import io\n\nfrom flask import Flask, Response, request\nfrom PIL import Image\n"
FLASGGER = (
    HEAD
    + "from flasgger import Swagger\n\napp = Flask(__name__)\nSwagger(app)\n"
    + VIEW.format(decorator="")
)
FLASK_LIMITER = (
    HEAD
    + "from flask_limiter import Limiter\nfrom flask_limiter.util import get_remote_address\n\n"
    + "app = Flask(__name__)\n"
    # an explicit storage: Flask-Limiter warns about its default, and warnings are errors here
    + 'limiter = Limiter(get_remote_address, app=app, storage_uri="memory://")\n'
    + VIEW.format(decorator='@limiter.limit("100/minute")\n')
)
APPS = {"Flasgger": FLASGGER, "Flask-Limiter": FLASK_LIMITER}


@pytest.mark.parametrize("name", APPS)
def test_the_summary_says_blocking(tmp_path, capsys, name):
    (tmp_path / "app.py").write_text(APPS[name])
    assert main(["migrate", "--write", str(tmp_path)]) == 1 | 4  # blocking: bit 4
    err = capsys.readouterr().err
    assert ", 1 blocking," in err
    assert f"[extensions] blocking: {name} is bound to the Flask app" in err
    code = (tmp_path / "app.py").read_text()
    assert code.count("# TODO(migrator[extensions]): blocking: ") == 1
    # the view's limit is left out, quoted in a TODO above it
    assert '\n@limiter.limit("100/minute")\n' not in code
    assert ('`@limiter.limit("100/minute")` is left out' in code) == (name == "Flask-Limiter")


@pytest.mark.parametrize("name", APPS)
@pytest.mark.parametrize(
    "request_",
    [
        Request("GET", "/dot/3.png"),
        Request("GET", "/dot/5.png?color=blue"),
        Request("HEAD", "/dot/3.png"),
        Request("GET", "/dot/x.png"),
    ],
    ids=str,
)
def test_the_image_route_answers_as_with_the_extension(name, request_):
    flask, fastapi = both_apps(APPS[name], todos=("extensions",), blocking=True)
    with Experiment(control=flask, candidate=fastapi) as experiment:
        for _ in range(2):  # Flask-Limiter counts the second request against the first
            result = experiment.run(request_)
            assert result.matched, publish(result)
