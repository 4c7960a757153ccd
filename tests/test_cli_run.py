"""The CLI over a repository: --jobs, output formats, progress on a terminal, --quiet/--verbose."""

from __future__ import annotations

import io
import json
import os
import pty
import re
import subprocess
import sys
from pathlib import Path

import pytest

from migrator import cli, progress, runner
from migrator.cli import main
from migrator.diff import github_annotations
from migrator.discovery import discover
from migrator.progress import ProgressBar
from migrator.types import FileResult, Finding

APPS = {
    "app.py": (
        'from flask import Flask, abort\n\napp = Flask(__name__)\n\n\n@app.route("/")\n'
        "def index():\n    abort(404)\n"
    ),
    "todo.py": (
        "from flask import Flask, request\n\napp = Flask(__name__)\n\n\n"
        "def who():\n    return request.remote_addr\n"
    ),
    "broken.py": "import flask\nif:\n",
    "pkg/__init__.py": "from .views import bp\n",
    "pkg/views.py": (
        'from flask import Blueprint, jsonify\n\nbp = Blueprint("bp", __name__)\n\n\n'
        '@bp.route("/<int:n>")\ndef show(n):\n    return jsonify(n=n)\n'
    ),
    "plain.py": "x = 1\n",
}
GITHUB = re.compile(
    r"^::(?P<kind>notice|warning|error) file=(?P<file>[^,]+),line=(?P<line>\d+),"
    r"col=(?P<col>\d+),title=(?P<title>[^:]+)::(?P<message>.+)$"
)


@pytest.fixture
def project(tmp_path: Path) -> Path:
    for name, text in APPS.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    return tmp_path


def test_jobs_2_prints_exactly_what_jobs_1_prints(project: Path, capsys):
    outputs = []
    for jobs in ("1", "2"):
        code = main(["migrate", "--no-cache", "--jobs", jobs, str(project)])
        outputs.append((code, *capsys.readouterr()))
    assert outputs[0] == outputs[1]
    code, out, err = outputs[0]
    assert code == 3 and out.count("+++ b") == 5, err  # three files, and the two support modules
    assert "6 files checked, 3 would change, 2 to create, 1 note, 1 TODO, 1 error" in err


def test_jobs_2_writes_exactly_what_jobs_1_writes(project: Path, tmp_path_factory):
    copy = tmp_path_factory.mktemp("copy")
    subprocess.run(["cp", "-r", f"{project}/.", str(copy)], check=True)
    assert main(["migrate", "--write", "--no-cache", "--jobs", "1", str(project)]) == 3
    assert main(["migrate", "--write", "--no-cache", "--jobs", "2", str(copy)]) == 3
    for path in sorted(project.rglob("*.py")):
        assert (copy / path.relative_to(project)).read_bytes() == path.read_bytes(), path


def test_github_output_is_one_parseable_annotation_per_finding_and_error(project: Path, capsys):
    assert main(["migrate", "--output-format", "github", str(project)]) == 3
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert lines and all(GITHUB.match(line) for line in lines), out
    parsed = [GITHUB.match(line).groupdict() for line in lines]  # type: ignore[union-attr]
    assert {(p["kind"], Path(p["file"]).name, p["line"]) for p in parsed} == {
        ("warning", "todo.py", "7"),
        ("error", "broken.py", "2"),
        ("notice", "views.py", "7"),  # `def show(n):`, made async def
    }
    todo = next(p for p in parsed if p["kind"] == "warning")
    assert todo["col"] == "12" and todo["title"] == "migrator [request_access]"
    assert todo["message"].startswith("reads the support module's `request`")


def test_json_output_parses_and_carries_every_finding_field(project: Path, capsys):
    assert main(["migrate", "--check", "--output-format", "json", str(project)]) == 3
    report = json.loads(capsys.readouterr().out)
    files = {Path(f["path"]).name: f for f in report["files"]}
    assert files["app.py"]["status"] == "changed" and "diff" not in files["app.py"]
    assert files["plain.py"]["status"] == "unchanged"
    assert files["broken.py"]["status"] == "error" and ":2:" in files["broken.py"]["error"]
    (finding,) = files["todo.py"]["findings"]
    assert finding["kind"] == "todo" and finding["blocking"] is False
    assert {"path", "line", "column", "rule", "message", "todo"} <= finding.keys()
    summary = report["summary"]
    assert (summary["changed"], summary["created"], summary["todo"], summary["error"]) == (
        3,
        2,
        1,
        1,
    )
    assert summary["exit_code"] == 3


def test_json_output_without_check_carries_the_diff(project: Path, capsys):
    main(["migrate", "--output-format", "json", str(project / "app.py")])
    report = json.loads(capsys.readouterr().out)
    assert report["files"][0]["diff"].startswith(f"--- a{project}/app.py")


def test_quiet_keeps_only_the_findings_and_verbose_tells_how_files_were_found(
    project: Path, capsys
):
    main(["migrate", "--check", "--quiet", str(project)])
    err = capsys.readouterr().err
    assert "files checked" not in err and "[request_access]" in err
    main(["migrate", "--check", "--verbose", str(project)])
    err = capsys.readouterr().err
    assert re.search(
        r"^6 files found \(by walk\); 3 from the cache, 1 migrated", err, re.MULTILINE
    ), err


def test_output_format_and_jobs_come_from_pyproject(project: Path, capsys):
    (project / "pyproject.toml").write_text('[tool.migrator]\noutput-format = "github"\njobs = 2\n')
    main(["migrate", "--check", str(project)])
    assert capsys.readouterr().out.startswith("::")
    (project / "pyproject.toml").write_text("[tool.migrator]\njobs = 'many'\n")
    with pytest.raises(SystemExit):
        main(["migrate", "--check", str(project)])
    assert "jobs must be a int" in capsys.readouterr().err


def run_with_stderr_on(project: Path, terminal: bool) -> str:
    """Run the CLI in a child whose stderr is a pseudo-terminal (or a pipe); what it wrote."""
    # DELAY 0: progress for any run, however quick, so that only the terminal decides;
    # REDRAW 0: every file drawn, however fast the files go
    script = (
        "import sys, migrator.progress, migrator.cli; "
        "migrator.progress.DELAY = migrator.progress.REDRAW = 0; "
        "sys.exit(migrator.cli.main(sys.argv[1:]))"
    )
    arguments = ["migrate", "--check", "--no-cache", "--jobs", "1", str(project)]
    command = [sys.executable, "-c", script, *arguments]
    env = {**os.environ, "TERM": "xterm", "COLUMNS": "100"}
    env.pop("NO_COLOR", None)
    if not terminal:
        return subprocess.run(command, capture_output=True, env=env, check=False).stderr.decode()
    master, slave = pty.openpty()
    child = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=slave, env=env)
    os.close(slave)
    chunks = []
    while True:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # the child closed the terminal
            break
        if not chunk:
            break
        chunks.append(chunk)
    child.wait()
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def long_project(root: Path) -> Path:
    for index in range(4):
        (root / f"app_{index}.py").write_text(APPS["app.py"].replace('"/"', f'"/{index}"'))
    return root


def test_progress_is_drawn_on_a_terminal(tmp_path: Path):
    err = run_with_stderr_on(long_project(tmp_path), terminal=True)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", err)
    assert re.search(r"migrating [━╸╺ ]+ 3/4 files, [\d.]+/s 0:00:\d\d", plain), err
    assert "4 files checked" in plain


def test_no_progress_on_a_pipe(tmp_path: Path):
    err = run_with_stderr_on(long_project(tmp_path), terminal=False)
    assert err == "4 files checked, 4 would change, 1 to create, 0 TODOs, 0 errors\n"


def test_a_quick_run_draws_nothing_even_on_a_terminal():
    stream = io.StringIO()
    with ProgressBar(enabled=True, stream=stream) as bar:
        for done in range(1, 4):
            bar.update(done, 3)
    assert stream.getvalue() == ""


def dying_worker(filename: str, code: str, level: int):
    os._exit(1)  # as a worker killed by the OOM killer would end


def test_a_worker_that_dies_is_an_error_for_its_files_and_the_run_goes_on(
    project: Path, monkeypatch
):
    monkeypatch.setattr(runner, "_migrate", dying_worker)
    results = list(runner.migrate_files([str(project)], jobs=2))
    errors = {Path(r.path).name: r.error for r in results if r.error is not None}
    assert "internal error" in errors["app.py"] and "BrokenProcessPool" in errors["app.py"]
    plain = next(r for r in results if r.path.endswith("plain.py"))
    assert plain.error is None and not plain.changed


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[tool.migrator]\nthreads = 2\n", "unknown key 'threads'"),
        ("[tool.migrator]\nexclude = [1]\n", "exclude must be a list of strings"),
        ("[tool.migrator\n", "can't read"),
        ('[tool.migrator]\noutput-format = "xml"\n', "output-format must be text, json or github"),
    ],
)
def test_a_bad_tool_migrator_table_is_a_usage_error_naming_the_file(
    project: Path, capsys, text, message
):
    (project / "pyproject.toml").write_text(text)
    with pytest.raises(SystemExit) as exit:
        main(["migrate", "--check", str(project)])
    assert exit.value.code == 2
    err = capsys.readouterr().err
    assert message in err and str(project / "pyproject.toml") in err


def test_github_annotations_escape_and_name_notes_and_blocking_findings():
    findings = (
        Finding("a,b:c.py", 4, 0, "routes", "reordered 100% of routes\nby hand", todo=False),
        Finding("a,b:c.py", 9, 2, "extensions", "Flask-Login has no counterpart", blocking=True),
    )
    text = github_annotations([FileResult("a,b:c.py", "x", "y", findings)])
    where = "file=a%2Cb%3Ac.py,line="
    assert text.splitlines() == [
        f"::notice {where}4,col=1,title=migrator [routes]::reordered 100%25 of routes%0Aby hand",
        f"::warning {where}9,col=3,title=migrator [extensions] blocking::"
        "Flask-Login has no counterpart",
    ]


def test_progress_draws_done_total_and_rate_once_the_run_is_long(monkeypatch):
    monkeypatch.setattr(progress, "DELAY", 0)
    stream = io.StringIO()
    with ProgressBar(enabled=True, stream=stream) as bar:
        bar.update(1, 4)
        bar.update(3, 4)
    plain = re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", stream.getvalue())
    assert re.search(r"migrating [━╸╺ ]+ 3/4 files, [\d.]+/s", plain), plain


def test_ctrl_c_during_write_is_reported_and_exits_130(project: Path, monkeypatch, capsys):
    def interrupted(path: Path, text: str) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(cli, "write_atomic", interrupted)
    assert main(["migrate", "--write", "--no-cache", str(project / "app.py")]) == 130
    assert "interrupted" in capsys.readouterr().err
    assert (project / "app.py").read_text() == APPS["app.py"]


def test_without_git_the_folder_is_walked(project: Path, monkeypatch):
    monkeypatch.setenv("PATH", "")  # no git to ask
    found = discover([str(project)])
    assert found.sources == {"walk"} and len(found.files) == 6


def test_a_file_that_cannot_be_read_is_an_error_and_the_run_goes_on(project: Path):
    (project / "dangling.py").symlink_to(project / "nowhere.py")
    results = {Path(r.path).name: r for r in runner.migrate_files([str(project)])}
    assert (
        results["dangling.py"].error
        == f"{project / 'dangling.py'}:1:0: can't read: No such file or directory"
    )
    assert results["app.py"].changed


def _facts(project: Path, jobs: int) -> tuple[object, object]:
    (project / "links.py").write_text(  # url_for: what makes the endpoint scan run
        "from flask import Flask, url_for\n\napp = Flask(__name__)\n\n\n"
        "@app.route('/a')\ndef a():\n    return url_for('a')\n"
    )
    files = discover([str(project)], None).files
    texts: dict[Path, bytes | OSError] = {p: p.read_bytes() for p in files}
    # a file of the project the run doesn't migrate, calling a view
    caller = project.parent / f"{project.name}_caller.py"
    caller.write_text("from links import a\n")
    return runner._project_facts(files, [caller], texts, "digest", None, runner.Stats(), jobs)


def test_the_project_scans_in_two_workers_find_what_one_process_finds(project: Path):
    one, two = _facts(project, 1), _facts(project, 2)
    assert one == two
    scans, _ = one
    assert scans[1].routes  # the endpoint scan found the apps' routes: not an empty fact
    assert scans[4] == {(str((project / "links.py").resolve()), "a")}  # called from outside


def test_the_scans_a_worker_does_read_text_without_libcst(project: Path):
    # the worker is forked before LibCST is imported (`_project_facts`): importing it there
    # would cost the facts most of a second. A converter registration is in the project, the
    # one scan of those that parses (done in the parent process)
    (project / "conv.py").write_text(
        "from flask import Flask\n\napp = Flask(__name__)\napp.url_map.converters['x'] = X\n"
    )
    script = (
        "import sys\nfrom migrator import runner\nfrom migrator.discovery import discover\n"
        f"files = discover([{str(project)!r}], None).files\n"
        "runner._TEXTS = {p: p.read_bytes() for p in files}\n"
        "scans = runner._text_scans(files, (), ()), runner._texts_loads()\n"
        "print(scans[0][0], sorted(m for m in sys.modules if m.split('.')[0] == 'libcst'))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=True, cwd=project
    )
    assert done.stdout.split() == ["False", "[]"], done.stderr  # scanned, nothing of LibCST


SCANNING_PROCESS = os.getpid()
TEXT_SCANS, TEXTS_LOADS = runner._text_scans, runner._texts_loads
DONE_HERE: list[str] = []


def dying_scans(files, near, others):  # type: ignore[no-untyped-def]
    if os.getpid() != SCANNING_PROCESS:
        os._exit(1)  # a worker killed by the OOM killer
    DONE_HERE.append("scans")
    return TEXT_SCANS(files, near, others)


def dying_layout():  # type: ignore[no-untyped-def]
    if os.getpid() != SCANNING_PROCESS:
        os._exit(1)
    DONE_HERE.append("layout")
    return TEXTS_LOADS()


def test_a_scan_worker_that_dies_leaves_the_scans_to_this_process(project: Path, monkeypatch):
    expected = _facts(project, 1)
    assert expected[1] != runner.Loads()  # the import layout is read: a worker's work too
    monkeypatch.setattr(runner, "_text_scans", dying_scans)
    monkeypatch.setattr(runner, "_texts_loads", dying_layout)
    DONE_HERE.clear()
    assert _facts(project, 2) == expected
    assert DONE_HERE == ["scans"]  # redone here (the layout read here by `_read_loads`)


def test_a_run_freezes_what_lives_to_its_end_and_unfreezes_it_after(project: Path):
    import gc

    assert gc.get_freeze_count() == 0
    counts = [gc.get_freeze_count() for _ in runner.migrate_files([str(project)], jobs=1)]
    assert counts[0] > 0  # LibCST, the rules, the scans: out of the full collections
    assert gc.get_freeze_count() == 0  # and back after the run


def test_a_run_leaves_objects_the_caller_froze_frozen(project: Path, monkeypatch):
    import gc

    calls: list[str] = []
    monkeypatch.setattr(gc, "freeze", lambda: calls.append("freeze"))
    monkeypatch.setattr(gc, "unfreeze", lambda: calls.append("unfreeze"))
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 1)  # the caller's objects
    assert list(runner.migrate_files([str(project)], jobs=1))
    assert calls == []  # neither frozen more nor let go
    monkeypatch.setattr(gc, "get_freeze_count", lambda: 0)
    assert list(runner.migrate_files([str(project)], jobs=1))
    assert calls == ["freeze", "unfreeze"]


def test_a_run_collects_the_youngest_objects_less_often_and_restores_the_threshold(
    project: Path,
):
    import gc

    before = gc.get_threshold()
    seen = [gc.get_threshold() for _ in runner.migrate_files([str(project)], jobs=1)]
    assert seen[0] == (runner.YOUNG_GENERATION, *before[1:])
    assert gc.get_threshold() == before
    gc.set_threshold(0, *before[1:])  # a process that collects only when told to
    try:
        seen = [gc.get_threshold() for _ in runner.migrate_files([str(project)], jobs=1)]
        assert seen[0][0] == 0
    finally:
        gc.set_threshold(*before)
