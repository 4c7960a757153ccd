"""Dependency lists and start commands follow the migration (`migrator.deployment`)."""

from __future__ import annotations

from pathlib import Path
from textwrap import dedent

import pytest

from migrator.api import migrate_paths
from migrator.cli import main

# a Flask app that migrates completely: nothing imports flask afterwards
APP = dedent(
    """\
    from flask import Flask, request

    app = Flask(__name__)


    @app.route("/", methods=["POST"])
    def index():
        return request.form.get("name", "")


    if __name__ == "__main__":
        app.run()
    """
)
# one that keeps a Flask import (an extension)
KEEPS_FLASK = APP.replace(
    "app = Flask(__name__)\n", "app = Flask(__name__)\nfrom flask_caching import Cache\n"
)
# one that renders templates, with the support module's render_template (Jinja2)
TEMPLATES = dedent(
    """\
    from flask import Flask, render_template

    app = Flask(__name__)


    @app.route("/")
    def index():
        return render_template("index.html")


    if __name__ == "__main__":
        app.run()
    """
)


def migrated(tmp_path: Path, files: dict[str, str], app: str = APP) -> dict[str, str]:
    (tmp_path / "app.py").write_text(app)
    for name, text in files.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(dedent(text))
    results = {Path(r.path).name: r for r in migrate_paths([str(tmp_path)])}
    return {name: results[Path(name).name].code for name in files if Path(name).name in results}


def test_requirements_lose_flask_and_gain_what_the_code_needs(tmp_path):
    found = migrated(
        tmp_path,
        {
            "requirements.txt": "# web\nFlask[async]==3.0.0  # the framework\npillow>=10\n",
            "requirements-dev.txt": "pytest\n",
        },
    )
    assert found == {
        "requirements.txt": (
            "# web\nfastapi>=0.115\nuvicorn>=0.30\npython-multipart>=0.0.9\npillow>=10\n"
        )
    }


def test_only_the_fastapi_modules_say_what_is_needed(tmp_path):
    # a module beside the app speaks of a File and of jinja2 without using either
    app = APP.replace('request.form.get("name", "")', '"ok"')
    other = '"""File helpers; see jinja2 for the templates."""\n'
    found = migrated(tmp_path, {"requirements.txt": "flask\n", "helpers.py": other}, app=app)
    assert found["requirements.txt"] == "fastapi>=0.115\nuvicorn>=0.30\n"


def test_flask_stays_while_something_imports_it(tmp_path):
    found = migrated(tmp_path, {"requirements.txt": "flask\nfastapi==0.120\n"}, app=KEEPS_FLASK)
    assert found == {
        "requirements.txt": "flask\nuvicorn>=0.30\npython-multipart>=0.0.9\nfastapi==0.120\n"
    }


def test_an_app_rendering_templates_gains_jinja2(tmp_path):
    found = migrated(tmp_path, {"requirements.txt": "flask\n"}, app=TEMPLATES)
    assert found == {"requirements.txt": "fastapi>=0.115\nuvicorn>=0.30\njinja2>=3.1\n"}


def test_pyproject_project_and_poetry_dependencies(tmp_path):
    found = migrated(
        tmp_path,
        {
            "pyproject.toml": """\
                [project]
                name = "svc"
                dependencies = [
                    "flask>=2",
                    "pillow",
                ]

                [tool.poetry.dependencies]
                python = "^3.11"
                Flask = "^2.0"
                """
        },
    )
    assert found["pyproject.toml"] == dedent(
        """\
        [project]
        name = "svc"
        dependencies = [
            "fastapi>=0.115",
            "uvicorn>=0.30",
            "python-multipart>=0.0.9",
            "pillow",
        ]

        [tool.poetry.dependencies]
        python = "^3.11"
        fastapi = ">=0.115"
        uvicorn = ">=0.30"
        python-multipart = ">=0.0.9"
        """
    )


def test_one_line_dependencies_and_a_pipfile(tmp_path):
    found = migrated(
        tmp_path,
        {
            "pyproject.toml": '[project]\ndependencies = ["pillow", "flask"]\n',
            "Pipfile": '[packages]\nflask = "*"\n\n[dev-packages]\nflask = "*"\n',
        },
    )
    assert found == {
        "pyproject.toml": (
            '[project]\ndependencies = ["pillow", "fastapi>=0.115", "uvicorn>=0.30",'
            ' "python-multipart>=0.0.9"]\n'
        ),
        "Pipfile": (
            '[packages]\nfastapi = ">=0.115"\nuvicorn = ">=0.30"\npython-multipart = ">=0.0.9"\n'
            '\n[dev-packages]\nflask = "*"\n'
        ),
    }


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "web: gunicorn app:app\n",
            "web: gunicorn -k uvicorn_worker.UvicornWorker app:app\n",
            id="Procfile",
        ),
        pytest.param(
            "web: gunicorn --worker-class=gevent -w 4 wsgi:application\n",
            "web: gunicorn -k uvicorn_worker.UvicornWorker -w 4 wsgi:application\n",
            id="a WSGI worker",
        ),
        pytest.param(
            "web: gunicorn -k uvicorn_worker.UvicornWorker app:app\n",
            None,
            id="already an ASGI worker",
        ),
        pytest.param(
            "web: flask run --host=0.0.0.0 --port $PORT\n",
            "web: uvicorn app:app --host 0.0.0.0 --port $PORT\n",
            id="flask run",
        ),
        pytest.param(
            "web: python -m flask --app 'svc.app:create_app()' run\n",
            "web: uvicorn --factory svc.app:create_app --host 127.0.0.1 --port 5000\n",
            id="flask run of a factory",
        ),
        pytest.param("web: python app.py\n", None, id="the script itself"),
    ],
)
def test_procfile(tmp_path, before, after):
    found = migrated(tmp_path, {"Procfile": before})
    assert found.get("Procfile") == after


def test_dockerfile_exec_and_shell_forms(tmp_path):
    found = migrated(
        tmp_path,
        {
            "Dockerfile": """\
                FROM python:3.12
                ENV FLASK_APP=service.py
                CMD ["flask", "run", "--host", "0.0.0.0"]
                """,
            "deploy/api.Dockerfile": """\
                FROM python:3.12
                ENTRYPOINT gunicorn -b :8000 app:app
                """,
            "requirements.txt": "flask\ngunicorn\n",
        },
    )
    assert found["Dockerfile"].endswith(
        'CMD ["uvicorn", "service:app", "--host", "0.0.0.0", "--port", "5000"]\n'
    )
    assert found["deploy/api.Dockerfile"].endswith(
        "ENTRYPOINT gunicorn -k uvicorn_worker.UvicornWorker -b :8000 app:app\n"
    )
    assert found["requirements.txt"] == (
        "fastapi>=0.115\nuvicorn>=0.30\npython-multipart>=0.0.9\nuvicorn-worker>=0.2\ngunicorn\n"
    )


@pytest.mark.parametrize(
    ("before", "after"),
    [
        ('bind = ":80"\n', 'bind = ":80"\nworker_class = "uvicorn_worker.UvicornWorker"\n'),
        ("worker_class = 'gthread'\n", "worker_class = 'uvicorn_worker.UvicornWorker'\n"),
        ('worker_class = "my.Worker"\n', None),
    ],
)
def test_gunicorn_settings(tmp_path, before, after):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "gunicorn.conf.py").write_text(before)
    results = [r for r in migrate_paths([str(tmp_path)]) if r.path.endswith("gunicorn.conf.py")]
    changed = [r.code for r in results if r.changed]
    assert changed == ([after] if after is not None else [])


def test_nothing_changes_without_a_migrated_file(tmp_path):
    (tmp_path / "tool.py").write_text("print('no flask here')\n")
    (tmp_path / "requirements.txt").write_text("flask\n")
    (tmp_path / "Procfile").write_text("web: gunicorn app:app\n")
    assert [r.path for r in migrate_paths([str(tmp_path)]) if r.changed] == []


def test_write_applies_them_and_the_diff_shows_them(tmp_path, capsys):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "requirements.txt").write_text("flask\n")
    assert main(["migrate", str(tmp_path)]) == 1
    out = capsys.readouterr().out
    assert "-flask\n+fastapi>=0.115\n" in out
    main(["migrate", "--write", str(tmp_path)])
    assert (tmp_path / "requirements.txt").read_text().startswith("fastapi>=0.115\n")


def test_flask_goes_and_nothing_comes_when_the_rest_is_listed(tmp_path):
    found = migrated(
        tmp_path,
        {
            "pyproject.toml": dedent(
                """\
                [project]
                dependencies = [
                    "fastapi",
                    "flask>=2",  # the web framework
                    "uvicorn",
                    "python-multipart",
                ]

                [tool.poetry.dependencies]
                python = "^3.11"
                """
            ),
            "Pipfile": '[packages]\nrequests = "*"\n',
        },
    )
    assert found == {
        "pyproject.toml": dedent(
            """\
            [project]
            dependencies = [
                "fastapi",
                "uvicorn",
                "python-multipart",
            ]

            [tool.poetry.dependencies]
            python = "^3.11"
            """
        )
    }


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param('CMD ["gunicorn", oops]\n', None, id="not JSON"),
        pytest.param('CMD {"gunicorn": 1}\n', None, id="not a list"),
        pytest.param(
            "CMD gunicorn -kgthread app:app\n",
            "CMD gunicorn -k uvicorn_worker.UvicornWorker app:app\n",
            id="-kgthread",
        ),
        pytest.param(
            "CMD gunicorn --worker-class my.Worker app:app\n", None, id="a worker of its own"
        ),
        pytest.param("CMD gunicorn -kmy.Worker app:app\n", None, id="a worker of its own, joined"),
        pytest.param(
            "CMD flask --app=web/service.py run -p 80\n",
            "CMD uvicorn web.service:app --host 127.0.0.1 --port 80\n",
            id="flask run of a file",
        ),
        pytest.param(
            'ENV FLASK_APP=file_server.py\nENV FLASK_RUN_HOST=0.0.0.0\nCMD ["flask", "run"]\n',
            "ENV FLASK_APP=file_server.py\nENV FLASK_RUN_HOST=0.0.0.0\n"
            'CMD ["uvicorn", "file_server:app", "--host", "0.0.0.0", "--port", "5000"]\n',
            id="FLASK_RUN_HOST in the environment",
        ),
        pytest.param(
            "ENV PYTHONUNBUFFERED=1 FLASK_RUN_PORT=8080\nENV FLASK_RUN_HOST 0.0.0.0\n"
            "CMD flask --app app run --host 10.0.0.1\n",
            "ENV PYTHONUNBUFFERED=1 FLASK_RUN_PORT=8080\nENV FLASK_RUN_HOST 0.0.0.0\n"
            "CMD uvicorn app:app --host 10.0.0.1 --port 8080\n",
            id="FLASK_RUN_* among others, an option given",
        ),
        pytest.param("CMD flask routes\n", None, id="another flask command"),
        pytest.param("CMD run flask\n", None, id="no flask run"),
    ],
)
def test_dockerfile_commands(tmp_path, before, after):
    found = migrated(tmp_path, {"Dockerfile": "FROM python\n" + before})
    assert found.get("Dockerfile") == (None if after is None else "FROM python\n" + after)


def test_flask_run_without_a_module_it_could_find(tmp_path):
    (tmp_path / "svc").mkdir()
    (tmp_path / "svc" / "main.py").write_text(APP)
    (tmp_path / "Procfile").write_text("web: flask run\n")
    changed = [Path(r.path).name for r in migrate_paths([str(tmp_path)]) if r.changed]
    assert changed == ["main.py", "flask_compat.py"]


def test_unreadable_files_are_left_alone(tmp_path):
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "requirements.txt").write_bytes(b"flask\n\xff\n")
    changed = [Path(r.path).name for r in migrate_paths([str(tmp_path)]) if r.changed]
    assert changed == ["app.py", "flask_compat.py"]


@pytest.mark.parametrize(
    ("before", "after"),
    [
        pytest.param(
            "#!/bin/bash\nnginx\ngunicorn --bind unix:app.sock wsgi:app --access-logfile -\n",
            "#!/bin/bash\nnginx\n"
            "gunicorn -k uvicorn_worker.UvicornWorker --bind unix:app.sock wsgi:app"
            " --access-logfile -\n",
            id="imgpush's entrypoint",
        ),
        pytest.param(
            'set -e\nexec env/bin/gunicorn -w 2 -k gthread app:app "$@"\n',
            'set -e\nexec env/bin/gunicorn -k uvicorn_worker.UvicornWorker -w 2 app:app "$@"\n',
            id="exec, a path, a WSGI worker",
        ),
        pytest.param(
            "PORT=8000 python -m flask --app app run --port 8000\n",
            "PORT=8000 uvicorn app:app --host 127.0.0.1 --port 8000\n",
            id="flask run",
        ),
        pytest.param(
            "export FLASK_RUN_PORT=8080\nFLASK_RUN_HOST=0.0.0.0 flask --app app run\n",
            "export FLASK_RUN_PORT=8080\n"
            "FLASK_RUN_HOST=0.0.0.0 uvicorn app:app --host 0.0.0.0 --port 8080\n",
            id="flask run's host and port from the environment",
        ),
        pytest.param("pip install gunicorn\n# gunicorn app:app\n", None, id="not a start"),
        pytest.param("flask run --port 8000 &\nwait\n", None, id="flask run then more shell"),
    ],
)
def test_shell_scripts(tmp_path, before, after):
    found = migrated(tmp_path, {"entrypoint.sh": before})
    assert found.get("entrypoint.sh") == after
