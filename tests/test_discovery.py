from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from migrator.cli import main
from migrator.discovery import Selection, discover, project_files

FLASK = "from flask import Flask\n\napp = Flask(__name__)\n"


def tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).write_text(text)
    return root


def names(root: Path, selection: Selection | None = None, paths: list[Path] | None = None):
    found = discover([str(p) for p in paths or [root]], selection)
    return [p.relative_to(root).as_posix() for p in found.files]


@pytest.fixture
def git_env(tmp_path: Path, monkeypatch):
    """git with a global excludes file of our own, and nothing from the user's configuration."""
    global_ignore = tmp_path / "global-ignore"
    global_ignore.write_text("globally_ignored.py\n")
    config = tmp_path / "gitconfig"
    config.write_text(f"[core]\n\texcludesFile = {global_ignore}\n")
    monkeypatch.setenv("GIT_CONFIG_GLOBAL", str(config))
    monkeypatch.setenv("GIT_CONFIG_NOSYSTEM", "1")
    return tmp_path


def test_in_a_git_work_tree_git_decides(git_env: Path):
    root = tree(
        git_env / "repo",
        {
            ".gitignore": "env/\nignored.py\n",
            "app.py": FLASK,
            "env/lib/site.py": FLASK,
            "ignored.py": FLASK,
            "locally_ignored.py": FLASK,
            "globally_ignored.py": FLASK,
            "pkg/views.py": FLASK,
            "venv/tool.py": FLASK,  # not ignored by git, but by the default excludes
        },
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    (root / ".git/info/exclude").write_text("locally_ignored.py\n")
    subprocess.run(["git", "-C", str(root), "add", "app.py"], check=True)
    found = discover([str(root)])
    assert found.sources == {"git"}
    assert [p.relative_to(root).as_posix() for p in found.files] == ["app.py", "pkg/views.py"]


def test_outside_git_gitignore_files_are_matched_on_the_walk(tmp_path: Path):
    root = tree(
        tmp_path,
        {
            ".gitignore": "env/\n/top_only.py\n",
            "app.py": FLASK,
            "env/lib.py": FLASK,
            "top_only.py": FLASK,
            "sub/top_only.py": FLASK,  # anchored: only the top one is ignored
            "sub/.gitignore": "*.py\n!kept.py\n",
            "sub/dropped.py": FLASK,
            "sub/kept.py": FLASK,
            ".venv/x.py": FLASK,
        },
    )
    found = discover([str(root)])
    assert found.sources == {"walk"}
    assert names(root) == ["app.py", "sub/kept.py"]
    assert "env/lib.py" in names(root, Selection(gitignore=False))


def test_exclude_replaces_the_default_globs_and_extend_exclude_adds_to_them(tmp_path: Path):
    root = tree(
        tmp_path,
        {"app.py": FLASK, "legacy/old.py": FLASK, "venv/x.py": FLASK, "a/migrations/m1.py": FLASK},
    )
    assert names(root) == ["app.py", "a/migrations/m1.py", "legacy/old.py"]
    extended = Selection(extend_exclude=("legacy", "migrations/"))
    assert names(root, extended) == ["app.py"]
    assert names(root, Selection(exclude=("legacy",))) == [
        "app.py",
        "a/migrations/m1.py",
        "venv/x.py",
    ]
    anchored = Selection(extend_exclude=("/a/*",), root=root)
    assert names(root, anchored) == ["app.py", "legacy/old.py"]
    # spelled from the project root, also when a folder below it is named
    spelled = Selection(extend_exclude=("a/migrations",), root=root)
    assert names(root, spelled, [root / "a"]) == []
    # a folder named on the command line is never excluded itself
    assert names(root, extended, [root / "legacy"]) == ["legacy/old.py"]


def test_a_file_named_on_the_command_line_is_always_processed(tmp_path: Path):
    root = tree(tmp_path, {".gitignore": "ignored.py\n", "ignored.py": FLASK, "venv/x.py": FLASK})
    paths = [root / "ignored.py", root / "venv/x.py", root / "ignored.py"]
    assert names(root, Selection(extend_exclude=("ignored.py",)), paths) == [
        "ignored.py",
        "venv/x.py",
    ]
    assert main(["migrate", "--write", "--no-cache", str(root / "ignored.py")]) == 1
    assert "FastAPI" in (root / "ignored.py").read_text()


def test_ignored_and_excluded_files_are_left_untouched_by_write(git_env: Path, capsys):
    root = tree(
        git_env / "repo",
        {
            ".gitignore": "env/\n",
            "app.py": FLASK,
            "env/lib.py": FLASK,
            "legacy/old.py": FLASK,
            "configured/x.py": FLASK,
            "pyproject.toml": '[tool.migrator]\nextend-exclude = ["configured"]\n',
        },
    )
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    code = main(["migrate", "--write", "--no-cache", "--extend-exclude", "legacy", str(root)])
    assert code == 1
    assert "FastAPI" in (root / "app.py").read_text()
    for untouched in ("env/lib.py", "legacy/old.py", "configured/x.py"):
        assert (root / untouched).read_text() == FLASK, untouched
    assert "1 file checked, 1 changed" in capsys.readouterr().err


def test_files_deleted_but_still_in_the_index_are_skipped(git_env: Path):
    root = tree(git_env / "repo", {"app.py": FLASK, "gone.py": FLASK})
    subprocess.run(["git", "init", "-q", str(root)], check=True)
    subprocess.run(["git", "-C", str(root), "add", "."], check=True)
    os.unlink(root / "gone.py")
    assert names(root) == ["app.py"]


def test_the_project_of_a_few_named_files_is_the_rest_of_its_tree(git_env: Path):
    """The files the project scans read beside those a run migrates (a pre-commit hook names
    the staged files only): the pyproject folder's, else the git work tree's, else those beside
    the outermost package, each without the default excludes' folders."""
    files = {
        "pkg/__init__.py": "",
        "pkg/views.py": FLASK,
        "pkg/sub/__init__.py": "",
        "pkg/sub/deep.py": FLASK,
        "run.py": "from pkg.views import app\n",
        ".venv/lib/site.py": FLASK,
    }
    folder = tree(git_env / "folder", files)
    views = folder / "pkg/sub/deep.py"
    # outside git and any pyproject: the folder holding the outermost package
    found = project_files([views], [views], Selection())
    assert sorted(p.relative_to(folder).as_posix() for p in found) == [
        "pkg/__init__.py",
        "pkg/sub/__init__.py",
        "pkg/views.py",
        "run.py",
    ]
    # the configured root (the pyproject's folder) holds more than the package's parent
    configured = tree(git_env / "configured", {**files, "tests/test_views.py": "import pkg\n"})
    views = configured / "pkg/views.py"
    found = project_files([views], [views], Selection(root=configured / "pkg/.."))
    assert "tests/test_views.py" in {p.relative_to(configured).as_posix() for p in found}
    # a git work tree, whose ignored files are not the project's; a file of another folder
    repo = tree(git_env / "repo", {**files, ".gitignore": "generated/\n", "generated/x.py": ""})
    subprocess.run(["git", "init", "-q", str(repo)], check=True)
    lone = tree(git_env / "lone", {"single.py": FLASK, "beside.py": ""})
    paths = [repo / "pkg", lone / "single.py"]
    found = project_files(paths, discover(paths).files, Selection())
    assert sorted(p.relative_to(git_env).as_posix() for p in found) == [
        "lone/beside.py",
        "repo/run.py",
    ]
    # the whole project named: nothing more, unless the run excludes some of it
    assert project_files([repo], discover([repo]).files, Selection()) == ()
    narrowed = Selection(extend_exclude=("run.py",))
    found = project_files([repo], discover([repo], narrowed).files, narrowed)
    assert [p.relative_to(repo).as_posix() for p in found] == ["run.py"]
