"""Templates against the real Flask 3.1, through the codemod's own output: `render_template`,
`render_template_string` and `stream_template` with Flask's Jinja environment (the app's
template folder, autoescaping by extension, `url_for`, `request`, `config`, `g`, `session`,
`get_flashed_messages`, `tojson`), the app's context processors, filters, tests and globals.
Both apps answer byte for byte, headers included."""

from __future__ import annotations

import pytest

from migrator.parity import Experiment, Request, publish
from migrator.runtime import flask_compat
from tests.migrated import project_apps

APP = """\
import datetime
import uuid

from flask import Flask, g, render_template, render_template_string, stream_template

app = Flask(__name__)
app.config["SITE"] = "Demo & co"
app.jinja_env.globals["version"] = "1.0"
app.jinja_env.filters["reverse_words"] = lambda s: " ".join(reversed(s.split()))


@app.context_processor
def inject():
    return {"site": app.config["SITE"], "name": "from the processor"}


@app.context_processor
def inject_more():
    return {"more": [1, 2]}


@app.template_filter("shout")
def shout(text):
    return text.upper() + "!"


@app.template_filter()
def twice(text):
    return text * 2


@app.template_global()
def year():
    return 2024


@app.template_test("odd")
def odd(n):
    return n % 2 == 1


def dashes(text):
    return text.replace(" ", "-")


app.add_template_filter(dashes)
app.add_template_global(len, "size")
app.add_template_test(lambda n: n == 0, "zero")


@app.before_request
def user():
    g.user = "<bob>"


@app.route("/")
def index():
    return render_template("index.html", name="<script>", items=["a", "b"])


@app.route("/users/<int:user_id>")
def profile(user_id):
    return render_template(["missing.html", "profile.html"], user_id=user_id), 201


@app.route("/text")
def text():
    return render_template("note.txt", name="<b>")


@app.route("/xml")
def xml():
    return render_template("feed.xml", name="<b>"), 200, {"Content-Type": "application/xml"}


@app.route("/svg")
def svg():
    return render_template("badge.svg", name="<b>")


@app.route("/htm")
def htm():
    return render_template("page.htm", name="<b>")


@app.route("/xhtml")
def xhtml():
    return render_template("page.xhtml", name="<b>")


@app.route("/string")
def string():
    body = render_template_string(
        "{{ name }} {{ request.path }} {{ request.args.get('q', '-') }} {{ g.user }}"
        " {{ config.SITE }} {{ url_for('profile', user_id=3, x='a b') }}"
        " {{ url_for('static', filename='app.css') }} {{ get_flashed_messages() }}"
        " {{ session.get('x') }} {{ data|tojson }} {{ request.method }} {{ request.endpoint }}",
        name="<i>",
        data={"b": datetime.date(2020, 1, 2), "a": uuid.UUID(int=1), "s": "</script>"},
    )
    return body


@app.route("/stream")
def stream():
    return stream_template("index.html", name="streamed", items=range(3))


@app.route("/missing")
def missing():
    return render_template("nowhere.html")
"""
TEMPLATES = {
    "templates/base.html": (
        "<title>{% block title %}{{ site }}{% endblock %}</title>\n{% block body %}{% endblock %}\n"
    ),
    "templates/index.html": (
        '{% extends "base.html" %}\n{% block body %}<h1>{{ name|shout }}</h1>\n'
        "{% for item in items %}<li>{{ item|twice }} {{ loop.index is odd }}</li>{% endfor %}\n"
        "{{ 'a b c'|reverse_words|dashes }} {{ year() }} {{ version }} {{ size(more) }}"
        " {{ 0 is zero }} {{ g.user }} {{ request.url }} {{ more }}\n{% endblock %}"
    ),
    "templates/profile.html": "<p>user {{ user_id }} at {{ url_for('profile', user_id=user_id) }}</p>",
    "templates/note.txt": "{{ name }} is not escaped in .txt\n",
    "templates/feed.xml": "<feed>{{ name }}</feed>",
    "templates/badge.svg": "<svg>{{ name }}</svg>",
    "templates/page.htm": "<p>{{ name }}</p>",
    "templates/page.xhtml": "<p>{{ name }}</p>",
}


def compare(control, candidate, *requests: Request) -> None:
    with Experiment(control=control, candidate=candidate) as experiment:
        for request in requests:
            result = experiment.run(request)
            assert result.matched, publish(result)


@pytest.fixture(scope="module")
def apps(tmp_path_factory):
    root = tmp_path_factory.mktemp("templates")
    return project_apps(root, {"app.py": APP, **TEMPLATES}, allowed_todos=frozenset({"app_state"}))


@pytest.mark.parametrize(
    "target",
    [
        "/",
        "/?q=1",
        "/users/7",
        "/text",
        "/xml",
        "/svg",
        "/htm",
        "/xhtml",
        "/string",
        "/string?q=%E9t%C3%A9",
        "/stream",
        "/missing",
    ],
)
def test_templates_render_as_in_flask(apps, target):
    control, candidate = apps
    compare(control, candidate, Request("GET", target))


def test_head_of_a_template_route(apps):
    control, candidate = apps
    compare(control, candidate, Request("HEAD", "/"))


SESSION_APP = """\
from flask import Flask, get_flashed_messages, render_template_string

app = Flask(__name__)
app.secret_key = "s3cr3t"


@app.route("/flashed")
def flashed():
    return render_template_string("{% for m in get_flashed_messages() %}{{ m }}{% endfor %}")


@app.route("/read")
def read():
    return render_template_string("{{ session.get('user', 'anonymous') }} {{ 'x' in session }}")


@app.route("/quiet")
def quiet():
    return render_template_string("no session here")


@app.route("/vary")
def vary():
    get_flashed_messages()
    return "text", 200, {"Vary": "Accept-Encoding"}
"""


def test_session_reads_vary_by_cookie_with_a_secret_key(tmp_path):
    control, candidate = project_apps(tmp_path, {"app.py": SESSION_APP})
    compare(
        control,
        candidate,
        *(Request("GET", target) for target in ("/flashed", "/read", "/quiet", "/vary")),
    )


def test_session_without_a_secret_key_is_never_saved(tmp_path):
    source = SESSION_APP.replace('app.secret_key = "s3cr3t"\n', "")
    control, candidate = project_apps(tmp_path, {"app.py": source})
    compare(control, candidate, *(Request("GET", t) for t in ("/flashed", "/read", "/vary")))


def test_template_session_is_empty():
    session = flask_compat._NO_SESSION
    assert len(session) == 0 and list(session) == []
    with pytest.raises(KeyError):
        session["user"]
    assert not flask_compat._TemplateRequestProxy()
    assert flask_compat.get_flashed_messages(with_categories=True) == []


BLUEPRINT_APP = """\
from flask import Blueprint, Flask, render_template, render_template_string

app = Flask(__name__)
shop = Blueprint("shop", __name__, url_prefix="/shop")


@shop.route("/item/<int:item_id>")
def item(item_id):
    return render_template_string(
        "{{ url_for('.item', item_id=2) }} {{ url_for('shop.item', item_id=3, _anchor='top') }}"
        " {{ url_for('index', _external=True) }} {{ request.endpoint }} {{ request.blueprint }}"
    )


@app.route("/")
def index():
    return render_template("links.html")


@app.errorhandler(404)
def not_found(error):
    return render_template("404.html"), 404


app.register_blueprint(shop)
"""


def test_url_for_in_templates_takes_flasks_endpoints(tmp_path):
    files = {
        "app.py": BLUEPRINT_APP,
        "templates/links.html": "{{ url_for('shop.item', item_id=1) }} {{ request.endpoint }}",
        "templates/404.html": "<p>{{ request.path }} is missing ({{ request.endpoint }})</p>",
    }
    control, candidate = project_apps(tmp_path, files)
    compare(
        control,
        candidate,
        *(Request("GET", t) for t in ("/", "/shop/item/5", "/nowhere", "/shop/item/x")),
    )


# corpus failure class 2: a page linking an image route, and a 400 handler rendering the page
PAGE_APP = """\
from flask import Flask, make_response, render_template, request, url_for

app = Flask(__name__)


@app.route("/")
def index():
    return render_template("index.html", link=url_for("img", t="b"))


@app.route("/img")
def img():
    return make_response(b"GIF89a...")


@app.errorhandler(400)
def bad(e):
    return render_template("index.html")


@app.route("/upload", methods=["POST"])
def upload():
    f = request.files["image"]
    return f.read()
"""


def test_page_with_an_image_link_and_an_error_page(tmp_path):
    files = {
        "app.py": PAGE_APP,
        "templates/index.html": "<img src=\"{{ url_for('img', t='a') }}\"> {{ link }}\n",
    }
    control, candidate = project_apps(tmp_path, files)
    compare(control, candidate, Request("GET", "/"), Request("POST", "/upload"))


def test_template_request_falls_back_to_starlettes():
    from starlette.requests import Request as StarletteRequest

    scope = {"type": "http", "method": "GET", "path": "/", "headers": [], "query_string": b""}
    wrapped = flask_compat.TemplateRequest(StarletteRequest(scope))
    assert str(wrapped.query_params) == "" and wrapped.endpoint is None


def test_werkzeug_convertor_defaults_are_base_converters():
    convertor = flask_compat.WerkzeugConvertor()
    assert convertor.convert("a b") == "a b"
    assert convertor.to_string("a b/c") == "a%20b/c"
