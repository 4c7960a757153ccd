"""Flask's session and flashed messages in migrated code (the Flask tutorial's login, as in
image-resizer-flaskr, docs/corpus.md): `session` and `flash` come from the support module,
which reads and writes Flask's signed cookie, byte for byte; compared with real Flask."""

from __future__ import annotations

import time
from datetime import datetime

import flask.sessions
import pytest
from flask import Flask
from flask.sessions import SecureCookieSessionInterface

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat
from tests.migrated import both_apps

APP = """\
from flask import Flask, flash, get_flashed_messages, redirect, session

app = Flask(__name__)
app.secret_key = "dev"


@app.route("/login/<name>")
def login(name):
    session.clear()
    session["user_id"] = name
    flash("welcome " + name)
    flash("twice", "info")
    return redirect("/")


@app.route("/")
def index():
    user = session.get("user_id")
    return f"user={user} flashes={get_flashed_messages(with_categories=True)!r}"


@app.route("/peek")
def peek():
    return "yes" if "user_id" in session else "no"


@app.route("/logout")
def logout():
    session.clear()
    return redirect("/")


@app.route("/keep")
def keep():
    session.permanent = True
    session["n"] = session.get("n", 0) + 1
    return str(session["n"])


@app.route("/plain")
def plain():
    return "no session read"
"""
NO_SECRET = """\
from flask import Flask, session

app = Flask(__name__)


@app.route("/read")
def read():
    return str(session.get("x"))


@app.route("/write")
def write():
    session["x"] = 1
    return "written"
"""
NOW = 1_800_000_000.0


def cookie(data: dict, secret: str = "dev") -> str:
    app = Flask("signer")
    app.secret_key = secret
    serializer = SecureCookieSessionInterface().get_signing_serializer(app)
    assert serializer is not None
    return f"session={serializer.dumps(data)}"


class FrozenDatetime(datetime):
    @classmethod
    def now(cls, tz=None):  # type: ignore[override]
        return datetime.fromtimestamp(NOW, tz)


@pytest.fixture
def frozen(monkeypatch):
    # the cookie's timestamp is the second it is signed, and a permanent session's Expires
    # is now + its lifetime: both sides at the same second
    monkeypatch.setattr(time, "time", lambda: NOW)
    monkeypatch.setattr(flask.sessions, "datetime", FrozenDatetime)


@pytest.mark.parametrize(
    "request_",
    [
        Request("GET", "/"),
        Request("GET", "/plain"),
        Request("GET", "/peek"),
        Request("GET", "/login/ann"),
        Request("GET", "/logout"),
        Request("GET", "/keep"),
        Request("GET", "/", headers=(("Cookie", "session=forged.value.x"),)),
        Request("GET", "/peek", headers=(("Cookie", "session=forged.value.x"),)),
        Request("GET", "/logout", headers=(("Cookie", "session=forged.value.x"),)),
    ],
    ids=str,
)
def test_session_and_flashes_answer_as_flask(frozen, request_):
    flask, fastapi = both_apps(APP, todos=("app_state", "tuple_returns"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)


@pytest.mark.parametrize(
    ("path", "data"),
    [
        ("/", {"user_id": "ann", "_flashes": [("message", "welcome ann"), ("info", "twice")]}),
        ("/", {"user_id": "bob"}),
        ("/peek", {"user_id": "bob"}),
        ("/keep", {"n": 4, "_permanent": True}),
        ("/logout", {"user_id": "bob"}),
    ],
)
def test_a_cookie_flask_signed_is_read_and_written_as_flask_does(frozen, path, data):
    request_ = Request("GET", path, headers=(("Cookie", cookie(data)),))
    flask, fastapi = both_apps(APP, todos=("app_state", "tuple_returns"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)


@pytest.mark.parametrize("request_", [Request("GET", "/read"), Request("GET", "/write")], ids=str)
def test_without_a_secret_key_the_session_is_flasks_null_session(request_):
    flask, fastapi = both_apps(NO_SECRET, todos=("app_state", "tuple_returns"))
    with Experiment(control=flask, candidate=fastapi) as experiment:
        result = experiment.run(request_)
    assert result.matched, publish(result)


def test_the_support_module_signs_as_flask(frozen):
    for data in ({"a": 1}, {"_flashes": [("message", "hi")]}, {" t": (1, b"\x00")}):
        assert f"session={flask_compat._sign_session(data, 'dev')}" == cookie(data)
        assert flask_compat._unsign_session(cookie(data)[8:], "dev", 60) == data
    assert flask_compat._unsign_session(cookie({"a": 1}, "other")[8:], "dev", 60) is None


def test_markup_read_back_from_a_flask_cookie_stays_safe_in_templates():
    from markupsafe import Markup

    data = flask_compat._unsign_session(cookie({"note": Markup("<b>hi</b>")})[8:], "dev", 60)
    assert data == {"note": "<b>hi</b>"} and data["note"].__html__() == "<b>hi</b>"
