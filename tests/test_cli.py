from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from migrator.cli import _exit_code, main
from migrator.diff import summary
from migrator.types import FileResult, Finding

APP = (
    'from flask import Flask, abort\n\napp = Flask(__name__)\n\n\n@app.route("/")\n'
    "def index():\n    abort(404)\n"
)
TODO_APP = (
    "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
    "def who():\n    return request.remote_addr\n"
)
HELPER_READS_REQUEST = (
    "[request_access] reads the support module's `request` (Werkzeug's semantics); idiomatic"
    " FastAPI: the views read it (`request.client.host` of a `request: Request` parameter) and"
    " pass the values in"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    (tmp_path / "app.py").write_text(APP)
    (tmp_path / "plain.py").write_text("x = 1\n")
    return tmp_path


def test_review_prints_a_diff_and_a_summary_and_writes_nothing(project, capsys):
    assert main(["migrate", str(project)]) == 1
    out, err = capsys.readouterr()
    assert f"--- a{project}/app.py" in out
    # wrapped at 88, the length without a ruff or black configuration
    assert (
        "+app = FastAPI(\n+    exception_handlers=EXCEPTION_HANDLERS,\n+    middleware=MIDDLEWARE,\n"
        "+    redirect_slashes=False,\n+)\n" in out
    )
    assert "--- /dev/null" in out and f"+++ b{project}/flask_compat.py" in out
    assert "\033[" not in out  # not a terminal: no colour
    assert err.splitlines()[0] == "2 files checked, 1 would change, 1 to create, 0 TODOs, 0 errors"
    assert (project / "app.py").read_text() == APP
    assert not (project / "flask_compat.py").exists()


def test_write_applies_the_diff_and_a_second_run_has_nothing_to_do(project, capsys):
    assert main(["migrate", "--write", str(project)]) == 1
    assert "FastAPI(" in (project / "app.py").read_text()
    assert (project / "flask_compat.py").exists()
    assert sorted(p.name for p in project.iterdir()) == [
        ".migrator_cache",
        "app.py",
        "flask_compat.py",
        "plain.py",
    ]  # no temp files
    capsys.readouterr()
    assert main(["migrate", "--write", str(project)]) == 0
    out, err = capsys.readouterr()
    assert out == "" and err.startswith("3 files checked, 0 changed, 0 TODOs, 0 errors")


def test_check_prints_only_the_summary(project, capsys):
    assert main(["migrate", "--check", str(project)]) == 1
    out, err = capsys.readouterr()
    assert out == "" and "1 would change" in err


def test_todos_are_listed_with_path_and_line(tmp_path, capsys):
    (tmp_path / "app.py").write_text(TODO_APP)
    assert main(["migrate", "--check", str(tmp_path / "app.py")]) == 1
    err = capsys.readouterr().err
    assert f"{tmp_path / 'app.py'}:7:11: {HELPER_READS_REQUEST}" in err
    assert "1 TODO," in err


def test_a_bad_file_sets_bit_two_and_the_others_are_still_migrated(project, capsys):
    (project / "broken.py").write_text("import flask\nif:\n")
    assert main(["migrate", "--write", str(project)]) == 3
    err = capsys.readouterr().err
    assert f"{project / 'broken.py'}:2:" in err and "1 error" in err
    assert "FastAPI(" in (project / "app.py").read_text()


def test_color_always(project, capsys):
    main(["migrate", "--color", "always", str(project)])
    assert "\033[32m+" in capsys.readouterr().out


def test_select_runs_only_that_rule(project, capsys):
    main(["migrate", "--select", "abort_errors", str(project)])
    out = capsys.readouterr().out
    assert "+    raise HTTPException(status_code=404)" in out and "FastAPI(" not in out


def test_list_rules(capsys):
    assert main(["migrate", "--list-rules"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[0].split()[0] == "route_shortcuts" and "app_object" in out


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["migrate", "--select", "nope", "."], "unknown rule 'nope'"),
        (["migrate", "no/such/dir"], "no/such/dir: no such file or folder"),
        (["migrate"], "give at least one PATH"),
        (["migrate", "--write", "--check", "."], "not allowed with argument"),
    ],
)
def test_usage_errors_exit_2(argv, message, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(argv)
    assert exit_info.value.code == 2
    assert message in capsys.readouterr().err


def test_no_command_prints_help_and_exits_2(capsys):
    assert main([]) == 2
    assert "migrate" in capsys.readouterr().out


def test_python_dash_m_help_documents_exit_codes():
    result = subprocess.run(
        [sys.executable, "-m", "migrator", "migrate", "--help"],
        capture_output=True,
        text=True,
        check=True,
    )
    assert "exit codes" in result.stdout and "--write" in result.stdout


def test_notes_todos_and_blocking_are_counted_apart_and_blocking_sets_bit_four():
    findings = (
        Finding("a.py", 1, 0, "route_order", "routes reordered", todo=False),
        Finding("a.py", 2, 0, "send_file", "port by hand"),
        Finding("a.py", 3, 0, "extensions", "flask_caching has no counterpart", blocking=True),
    )
    results = [FileResult("a.py", "x = 1\n", "x = 1\n", findings)]
    text = summary(results)
    assert text.splitlines()[0] == (
        "1 file checked, 0 would change, 1 note, 1 TODO, 1 blocking, 0 errors"
    )
    assert "a.py:3:0: [extensions] blocking: flask_caching has no counterpart" in text
    assert _exit_code(results) == 1 | 4
    assert _exit_code([FileResult("a.py", "x\n", "x\n", findings[:1])]) == 0


def test_help_documents_the_blocking_bit(capsys):
    with pytest.raises(SystemExit):
        main(["migrate", "--help"])
    assert "4  something blocking is left" in capsys.readouterr().out
