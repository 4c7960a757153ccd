from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed, migrate

RULE = "app_run"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


def test_noop_for_something_else_that_runs():
    check_noop("import subprocess\n\nsubprocess.run(['ls'])\n")


def test_app_run_under_main_becomes_uvicorn():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)

        if __name__ == "__main__":
            app.run(host="0.0.0.0", debug=False)
        """,
        """\
        from flask import Flask
        import uvicorn

        app = Flask(__name__)

        if __name__ == "__main__":
            uvicorn.run(app, host="0.0.0.0", port=5000)
        """,
    )


def test_positional_host_and_port():
    check_transformed(
        """\
        from flask import Flask

        app = Flask(__name__)
        app.run("localhost", 8080)
        """,
        """\
        from flask import Flask
        import uvicorn

        app = Flask(__name__)
        uvicorn.run(app, host="localhost", port=8080)
        """,
    )


@pytest.mark.parametrize(
    ("call", "uvicorn"),
    [
        pytest.param(
            'app.run("0.0.0.0", 80, False, True, threaded=True)',
            'uvicorn.run(app, host="0.0.0.0", port=80)',
            id="threaded, load_dotenv",
        ),
        pytest.param(
            'app.run(port=443, ssl_context=("cert.pem", "key.pem"))',
            'uvicorn.run(app, host="127.0.0.1", port=443, ssl_certfile="cert.pem", ssl_keyfile="key.pem")',
            id="certificate files",
        ),
        pytest.param(
            "app.run(processes=1, use_reloader=False)",
            'uvicorn.run(app, host="127.0.0.1", port=5000)',
            id="options off",
        ),
    ],
)
def test_server_options(call, uvicorn):
    check_transformed(
        f"from flask import Flask\n\napp = Flask(__name__)\n{call}\n",
        f"from flask import Flask\nimport uvicorn\n\napp = Flask(__name__)\n{uvicorn}\n",
    )


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (
            "app.run(debug=True)",
            "`debug`: uvicorn.run(app) has no reloader or debugger; to reload on changes, run"
            " `uvicorn module:app --reload`",
        ),
        (
            "app.run(processes=4)",
            "`processes`: run `uvicorn module:app --workers N` for worker processes",
        ),
    ],
)
def test_options_uvicorn_runs_otherwise_are_dropped_with_a_todo(call, message):
    result = migrate(f"from flask import Flask\n\napp = Flask(__name__)\n{call}\n", RULE)
    assert result.code is not None
    assert result.code.endswith(
        f'# TODO(migrator[{RULE}]): {message}\nuvicorn.run(app, host="127.0.0.1", port=5000)\n'
    )
    assert [(f.line, f.message) for f in result.findings] == [(4, message)]


def test_the_reload_todo_names_the_module():
    result = migrate(
        "from flask import Flask\n\napp = Flask(__name__)\napp.run(debug=True)\n",
        RULE,
        filename="/srv/service/server.py",
        support_level=0,
    )
    assert "`uvicorn server:app --reload`" in result.findings[0].message


@pytest.mark.parametrize(
    ("call", "message"),
    [
        ("app.run(**options)", "app.run() with * or ** arguments: call uvicorn.run by hand"),
        ("app.run('h', 1, False, True, 5)", "app.run() takes at most four positional arguments"),
        (
            "app.run(ssl_context='adhoc')",
            "ssl_context= other than (certfile, keyfile): pass uvicorn.run ssl_certfile= and"
            " ssl_keyfile= by hand",
        ),
        (
            "app.run(ssl_context=(*files,))",
            "ssl_context= other than (certfile, keyfile): pass uvicorn.run ssl_certfile= and"
            " ssl_keyfile= by hand",
        ),
        (
            "app.run(request_handler=Handler)",
            "app.run() option `request_handler` has no uvicorn equivalent",
        ),
    ],
)
def test_unsupported_options_get_a_todo(call, message):
    check_todo(f"from flask import Flask\n\napp = Flask(__name__)\n{call}\n", message, line=4)
