"""Flask's app state against the real Flask 3.1, through the codemod's own output: `app.config`
and its loaders, `g`, `current_app`, `app.debug` / `testing` / `secret_key`, `app.logger`,
`app.app_context()` and the `Flask()` options (static and template folders, root path,
instance-relative config). Each source runs as it is (the control) and as `migrate_paths`
writes it (the candidate), from a folder of its own."""

from __future__ import annotations

import logging
import os

import pytest

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat
from tests.migrated import project_apps

CONFIG_APP = """\
import os

from flask import Flask, jsonify

app = Flask(__name__, instance_path=os.path.join(os.path.dirname(__file__), "inst"))


class Defaults:
    SIZE = 64
    lower = "not loaded"


app.config.from_object(Defaults)
app.config.from_mapping({"COLOR": "red"}, WIDTH=3, ignored=1)
app.config.from_pyfile("settings.cfg")
app.config.from_pyfile("missing.cfg", silent=True)
app.config.from_envvar("APPSTATE_SETTINGS")
app.config.from_prefixed_env("APPSTATE")
app.config.update(EXTRA=[1, 2])
app.config.setdefault("SIZE", 0)
app.config.from_file("settings.json", load=__import__("json").load)
app.secret_key = "s3"
app.testing = True


@app.route("/config")
def config():
    keys = sorted(k for k in app.config if k.isupper())
    return jsonify(
        keys=keys,
        size=app.config["SIZE"],
        color=app.config.get("COLOR"),
        width=app.config.get("WIDTH"),
        missing=app.config.get("MISSING", "default"),
        from_file=app.config["FROM_FILE"],
        from_env=app.config["FROM_ENV"],
        prefixed=app.config["NUMBER"],
        nested=app.config["DB"],
        extra=app.config["EXTRA"],
        json=app.config["JSON_VALUE"],
        secret=app.secret_key,
        testing=app.testing,
        debug=app.debug,
        namespace=app.config.get_namespace("SESSION_COOKIE_"),
        lifetime=app.config["PERMANENT_SESSION_LIFETIME"].total_seconds(),
        root=app.config["APPLICATION_ROOT"],
        name=app.name,
        instance=os.path.basename(app.instance_path),
    )
"""
CONFIG_FILES = {
    "app.py": CONFIG_APP,
    "settings.cfg": "FROM_FILE = 'yes'\nlower = 1\n",
    "env.cfg": "FROM_ENV = 'env'\n",
    "settings.json": '{"JSON_VALUE": [1, "two"], "lower": 0}',
}


def compare(control, candidate, *requests: Request) -> None:
    with Experiment(control=control, candidate=candidate) as experiment:
        for request in requests:
            result = experiment.run(request)
            assert result.matched, publish(result)


def test_config_loaders(tmp_path, monkeypatch):
    monkeypatch.setenv("APPSTATE_SETTINGS", str(tmp_path / "flask" / "env.cfg"))
    monkeypatch.setenv("APPSTATE_NUMBER", "42")
    monkeypatch.setenv("APPSTATE_DB__HOST", "db")
    monkeypatch.setenv("APPSTATE_DB__PORT", "5432")
    files = dict(CONFIG_FILES)
    control, candidate = project_apps(tmp_path, files)
    # the candidate reads its own copy of env.cfg: the same text
    compare(control, candidate, Request("GET", "/config"))


GLOBALS_APP = """\
from flask import Flask, current_app, g, jsonify

app = Flask(__name__)


@app.before_request
def load_user():
    g.user = "bob"
    g.setdefault("hits", 0)


def helper():
    g.hits += 1
    return current_app.config["GREETING"] + " " + g.user


@app.route("/g")
def globals_view():
    greeting = helper()
    popped = g.pop("missing", "none")
    return jsonify(
        greeting=greeting,
        hits=g.get("hits"),
        names=sorted(g),
        has_user="user" in g,
        absent="nobody" in g,
        popped=popped,
        default=g.get("nobody", "x"),
        logger=current_app.logger.name,
        name=current_app.name,
    )


@app.route("/fresh")
def fresh():
    return jsonify(hits=g.get("hits"), user=getattr(g, "user", None), extra=g.get("extra"))


@app.route("/pop")
def pop():
    g.pop("nothing")
    return "never"


app.config["GREETING"] = "hello"
with app.app_context():
    g.extra = 1
    app.config["CONTEXT_APP"] = current_app.name
"""


def test_g_and_current_app(tmp_path):
    control, candidate = project_apps(
        tmp_path, {"app.py": GLOBALS_APP}, allowed_todos=frozenset({"app_state"})
    )
    compare(
        control,
        candidate,
        Request("GET", "/g"),
        Request("GET", "/fresh"),
        Request("GET", "/g"),
        Request("GET", "/pop"),  # KeyError: 500 in both
    )


OPTIONS_APP = """\
import os

from flask import Flask, render_template

SHARED = os.path.abspath(os.path.join(os.path.dirname(__file__), "..", "shared"))
app = Flask(__name__, OPTIONS)


@app.route("/")
def index():
    return render_template("index.html")
"""
# a static file's ETag hashes its path: a malformed Range gets Flask's 416, which names the
# file's size and no ETag, wherever the file is
RANGE = (("Range", "bytes=abc"),)


@pytest.mark.parametrize(
    ("options", "requests"),
    [
        pytest.param(
            'static_folder=SHARED, static_url_path="/files", template_folder="views"',
            [("/files/a.css", ()), ("/static/a.css", ()), ("/files/", ()), ("/", ())],
            id="folders and url path",
        ),
        pytest.param(
            'static_folder="assets"',
            [("/assets/a.css", RANGE), ("/static/a.css", RANGE), ("/assets/b.css", ())],
            id="folder",
        ),
        pytest.param(
            'static_folder=None, template_folder="views"',
            [("/static/a.css", ()), ("/", ())],
            id="no static",
        ),
        pytest.param(
            '"/s/", "assets", template_folder="views"',
            [("/s/a.css", RANGE), ("/s//a.css", ()), ("/", ())],
            id="url path ending in a slash",
        ),
    ],
)
def test_flask_options(tmp_path, options, requests):
    files = {
        "app.py": OPTIONS_APP.replace("OPTIONS", options),
        "assets/a.css": "body { color: red }\n",
        "views/index.html": "<p>{{ 1 + 1 }}</p>",
    }
    (tmp_path / "shared").mkdir()
    (tmp_path / "shared" / "a.css").write_text("shared { }\n")
    control, candidate = project_apps(tmp_path, files)
    compare(
        control,
        candidate,
        *(Request("GET", path, headers=headers) for path, headers in requests),
    )


def test_root_path_and_instance_relative_config(tmp_path):
    source = """\
import os

from flask import Flask, jsonify, render_template

here = os.path.dirname(os.path.abspath(__file__))
app = Flask(__name__, root_path=os.path.join(here, "site"), instance_relative_config=True,
            instance_path=os.path.join(here, "instance"))
app.config.from_pyfile("app.cfg")


@app.route("/")
def index():
    return jsonify(
        value=app.config["VALUE"],
        root=os.path.relpath(app.root_path, here),
        page=render_template("page.html"),
    )
"""
    files = {
        "app.py": source,
        "instance/app.cfg": "VALUE = 'from the instance folder'\n",
        "site/templates/page.html": "<b>site</b>",
        "site/static/x.txt": "x",
    }
    control, candidate = project_apps(tmp_path, files)
    compare(control, candidate, Request("GET", "/"), Request("GET", "/static/x.txt", headers=RANGE))


def test_logger_is_flasks(tmp_path):
    source = "from flask import Flask\n\napp = Flask(NAME)\napp.debug = True\n"
    names = {"flask": "appstate_flask_logger", "fastapi": "appstate_fastapi_logger"}
    for name in names.values():  # no handler up the chain: Flask adds its own
        logging.getLogger(name).propagate = False
    control, _ = project_apps(
        tmp_path / "a", {"app.py": source.replace("NAME", repr(names["flask"]))}
    )
    _, candidate = project_apps(
        tmp_path / "b", {"app.py": source.replace("NAME", repr(names["fastapi"]))}
    )
    made = [control.logger, candidate.logger]
    assert [logger.name for logger in made] == list(names.values())
    assert [logger.level for logger in made] == [logging.DEBUG, logging.DEBUG]
    formats = [[h.formatter._fmt for h in logger.handlers] for logger in made]  # type: ignore[union-attr]
    assert formats[0] == formats[1] == ["[%(asctime)s] %(levelname)s in %(module)s: %(message)s"]
    candidate.logger.handlers[0].stream.write("")
    candidate.logger.handlers[0].flush()
    assert repr(candidate.logger) == repr(logging.getLogger(names["fastapi"]))
    for logger in made:
        logger.handlers.clear()
        logger.propagate = True


def test_outside_a_context_it_is_flasks_runtime_error():
    with pytest.raises(RuntimeError, match="Working outside of application context"):
        flask_compat.current_app.config  # noqa: B018
    with pytest.raises(RuntimeError, match="Working outside of application context"):
        flask_compat.g.x  # noqa: B018
    assert not flask_compat.g and not flask_compat.current_app
    assert repr(flask_compat.g) == repr(flask_compat.current_app) == "<LocalProxy unbound>"


def test_app_context_outside_a_request():
    app = type("App", (), {"name": "demo"})()
    with flask_compat.app_context(app) as context:
        flask_compat.g.x = 1
        assert flask_compat.current_app._get_current_object() is app
        assert flask_compat.current_app.name == "demo"
        assert list(flask_compat.g) == ["x"] and "x" in flask_compat.g
        assert repr(flask_compat.g) == "<flask.g of 'demo'>"
        del flask_compat.g.x
        assert flask_compat.g.get("x") is None
        flask_compat.current_app.extra = 2
        assert flask_compat.current_app == app and hash(flask_compat.current_app) == hash(app)
        assert repr(flask_compat.current_app) == repr(app)
        assert flask_compat.g._get_current_object() is context.g
    assert app.extra == 2
    assert not flask_compat.g


def test_config_errors(tmp_path, monkeypatch):
    config = flask_compat.Config(str(tmp_path))
    monkeypatch.delenv("NOT_SET", raising=False)
    assert config.from_envvar("NOT_SET", silent=True) is False
    with pytest.raises(RuntimeError, match="'NOT_SET' is not set"):
        config.from_envvar("NOT_SET")
    with pytest.raises(OSError, match="Unable to load configuration file"):
        config.from_pyfile("missing.py")
    assert config.from_file("missing.json", load=len, silent=True) is False
    with pytest.raises(OSError, match="Unable to load configuration file"):
        config.from_file("missing.json", load=len)
    config.from_object("logging")
    assert config["DEBUG"] == logging.DEBUG
    config.from_object("logging.handlers:SysLogHandler")
    assert config["LOG_ALERT"] == 1
    with pytest.raises(ImportError):
        config.from_object("logging.no_such_name")
    with pytest.raises(ImportError):
        config.from_object("no_such_module_here")
    assert config.get_namespace("LOG_", lowercase=False, trim_namespace=False)["LOG_ALERT"] == 1
    assert repr(flask_compat.Config("x", {"A": 1})) == "<Config {'A': 1}>"
    with pytest.raises(ValueError, match="must be absolute"):
        flask_compat.flask_app_state(object(), "x", instance_path="relative")


ROOT_STATIC = """\
from flask import Flask

app = Flask(__name__, OPTIONS)


@app.route("/about")
def about():
    return "about"


@app.route("/<name>")
def hello(name):
    return "hi " + name
"""


@pytest.mark.parametrize(
    "options", ['static_url_path="", static_folder="web"', 'static_folder="web/"']
)
def test_static_files_at_the_root_come_after_the_other_routes(tmp_path, options):
    files = {"app.py": ROOT_STATIC.replace("OPTIONS", options), "web/x.css": "x"}
    control, candidate = project_apps(tmp_path, files)
    targets = ["/about", "/bob", "/x.css", "/sub/x.css", "/sub/y.css", "/"]
    compare(control, candidate, *(Request("GET", t, headers=RANGE) for t in targets))


def test_send_file_max_age_default(tmp_path):
    source = """\
import datetime

from flask import Flask, send_file

app = Flask(__name__, static_folder=None)
app.config["SEND_FILE_MAX_AGE_DEFAULT"] = datetime.timedelta(hours=1)


@app.route("/file")
def file():
    return send_file("data.txt", max_age=AGE, etag=False)
"""
    for max_age in ("None", "0"):
        files = {"app.py": source.replace("AGE,", max_age + ","), "data.txt": "x"}
        control, candidate = project_apps(tmp_path / max_age, files)
        for side in ("flask", "fastapi"):  # the same Last-Modified on both
            os.utime(tmp_path / max_age / side / "data.txt", (1_700_000_000, 1_700_000_000))
        compare(control, candidate, Request("GET", "/file"))


def test_config_at_import(tmp_path, monkeypatch):
    # corpus failure class 3: app.config read and written at import
    monkeypatch.delenv("HASH", raising=False)
    source = (
        "import os\n\nfrom flask import Flask\n\napp = Flask(__name__)\n"
        'app.config["hash"] = os.environ.get("HASH", "dev")\napp.config.from_mapping(SIZE=64)\n'
    )
    control, candidate = project_apps(tmp_path, {"app.py": source})
    assert dict(candidate.config) == dict(control.config)
    assert (candidate.config["hash"], candidate.config["SIZE"]) == ("dev", 64)
