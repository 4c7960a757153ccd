from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed

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
    ("call", "message"),
    [
        (
            "app.run(debug=True)",
            "debug=True: uvicorn has no debugger; run `uvicorn module:app --reload` to reload",
        ),
        ("app.run(threaded=True)", "app.run() option `threaded` has no uvicorn equivalent here"),
        ("app.run(**options)", "app.run() with * or ** arguments: call uvicorn.run by hand"),
        ("app.run('h', 1, False, True)", "app.run() option `debug` has no uvicorn equivalent here"),
    ],
)
def test_unsupported_options_get_a_todo(call, message):
    check_todo(f"from flask import Flask\n\napp = Flask(__name__)\n{call}\n", message, line=4)
