"""`--write` under faults: SIGKILL or Ctrl-C at any moment leaves each file as it was or fully
migrated, the support module is written before the files that import it, and no temporary
file is left as a `.py` file (or at all, after Ctrl-C or the next run)."""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

from migrator import cli
from migrator.files import write_atomic

FILES = 500
SUPPORT = "flask_compat.py"


def flask_file(index: int) -> str:
    return (
        "from flask import Flask\n\n"
        "app = Flask(__name__)\n\n\n"
        f'@app.route("/items/{index}")\n'
        f"def item_{index}():\n"
        f'    return "{index}"\n'
    )


def command(folder: Path, cache: Path, *options: str) -> list[str]:
    return [
        sys.executable,
        "-m",
        "migrator",
        "migrate",
        "--write",
        "--cache-dir",
        str(cache),
        *options,
        str(folder),
    ]


def snapshot(folder: Path) -> dict[str, str]:
    return {p.name: p.read_text() for p in folder.iterdir() if p.is_file()}


def restore(folder: Path, originals: dict[str, str]) -> None:
    for path in folder.iterdir():
        if path.is_file() and path.name not in originals:
            path.unlink()  # the support module and any temporary file
        elif path.is_file() and path.read_text() != originals[path.name]:
            path.write_text(originals[path.name])


def wait_for(condition, process: subprocess.Popen[bytes], timeout: float = 60) -> None:
    deadline = time.monotonic() + timeout
    while not condition() and process.poll() is None and time.monotonic() < deadline:
        time.sleep(0.0005)


def replaced(path: Path) -> Callable[[], bool]:
    inode = path.stat().st_ino
    return lambda: path.stat().st_ino != inode  # os.replace gives the name a new inode


def check_state(folder: Path, originals: dict[str, str], reference: dict[str, str]) -> int:
    """Every file whole (original or migrated); the support module there if any file needs
    it; no stray `.py`. Returns how many files are migrated."""
    state = snapshot(folder)
    assert {n for n in state if n.endswith(".py")} <= originals.keys() | {SUPPORT}
    migrated = 0
    for name, text in originals.items():
        assert state[name] in (text, reference[name]), f"{name} is half-written"
        migrated += state[name] != text
    if migrated:
        assert state.get(SUPPORT) == reference[SUPPORT]
    return migrated


@pytest.fixture(scope="module")
def repository(tmp_path_factory):
    """500 small Flask files, and what a `--jobs 1` run writes for them (its cache kept, so
    that the runs below reach their write phase quickly)."""
    folder = tmp_path_factory.mktemp("repository")
    cache = tmp_path_factory.mktemp("cache")
    for index in range(FILES):
        (folder / f"app_{index:03}.py").write_text(flask_file(index))
    originals = snapshot(folder)
    done = subprocess.run(command(folder, cache, "--jobs", "1"), capture_output=True, check=False)
    assert done.returncode == 1, done.stderr
    reference = snapshot(folder)
    assert all(reference[name] != text for name, text in originals.items())
    restore(folder, originals)
    return folder, cache, originals, reference


def test_sigkill_at_any_moment_of_write_leaves_no_half_written_file(repository):
    folder, cache, originals, reference = repository
    names = sorted(originals)
    moments = {
        # while the files are read, scanned and migrated (nothing is written then)
        "startup": lambda process: time.sleep(0.3),
        "support module written": lambda process: wait_for(
            lambda: (folder / SUPPORT).exists(), process
        ),
        **{
            f"file {k} written": lambda process, k=k: wait_for(replaced(folder / names[k]), process)
            for k in (1, 150, 300, 450)
        },
    }
    partial = []
    for moment, wait in moments.items():
        restore(folder, originals)
        process = subprocess.Popen(
            command(folder, cache), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        wait(process)
        process.send_signal(signal.SIGKILL)
        process.wait()
        migrated = check_state(folder, originals, reference)
        if 0 < migrated < FILES:
            partial.append(moment)
    assert partial, "no kill landed in the middle of the writes"
    # the next run finishes the job and removes what the killed one left behind (on a copy of
    # the cache: a run keeps only the entries it used, and the next test needs the originals' entries)
    spare = cache.parent / f"{cache.name}-spare"
    shutil.copytree(cache, spare)
    subprocess.run(command(folder, spare), capture_output=True, check=False)
    assert snapshot(folder) == reference


def ctrl_c_as_in_a_terminal() -> None:
    """Give the run the Ctrl-C a terminal gives it, whatever the test runner got: a command
    started in the background by a non-interactive shell (`.ci/run &`) ignores SIGINT, and the
    run would inherit that and finish its work instead of stopping."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def test_ctrl_c_during_write_leaves_whole_files_and_no_temporary_file(repository):
    folder, cache, originals, reference = repository
    restore(folder, originals)
    process = subprocess.Popen(
        command(folder, cache),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    wait_for(replaced(folder / sorted(originals)[100]), process)
    process.send_signal(signal.SIGINT)
    _, err = process.communicate()
    assert process.returncode == 130, err
    assert b"interrupted" in err
    assert 0 < check_state(folder, originals, reference) < FILES
    assert not [p for p in folder.iterdir() if p.name.endswith(".migrator")]


def has_workers(process: subprocess.Popen[bytes]) -> Callable[[], bool]:
    """The run has forked its process pool: it is migrating (Linux's /proc)."""

    def check() -> bool:
        for folder in Path("/proc").glob("[0-9]*"):
            try:
                parent = (folder / "stat").read_text().rsplit(")", 1)[1].split()[1]
                forked = b"migrator" in (folder / "cmdline").read_bytes()  # not git
            except OSError:  # the process ended meanwhile
                continue
            if parent == str(process.pid) and forked:
                return True
        return False

    return check


def test_ctrl_c_while_migrating_writes_nothing(tmp_path: Path):
    # 200 files take seconds to migrate on two workers: Ctrl-C once the pool is up lands
    # before any write, however fast or loaded the machine
    for index in range(200):
        (tmp_path / f"app_{index}.py").write_text(flask_file(index))
    originals = snapshot(tmp_path)
    process = subprocess.Popen(
        command(tmp_path, tmp_path / "cache", "--no-cache", "--jobs", "2"),
        stderr=subprocess.PIPE,
        preexec_fn=ctrl_c_as_in_a_terminal,
    )
    wait_for(has_workers(process), process)
    assert process.poll() is None, "the run ended before it was interrupted"
    process.send_signal(signal.SIGINT)
    _, err = process.communicate(timeout=60)
    assert process.returncode == 130, err
    assert snapshot(tmp_path) == originals


def test_ctrl_c_inside_code_run_from_a_string_still_exits_130(tmp_path: Path):
    # Ctrl-C in an import lands in code that dataclasses run from a string: CPython then
    # makes `python -m` die by SIGINT (-2) whatever the exit status, unless the CLI clears it
    (tmp_path / "app.py").write_text(flask_file(0))
    runner = tmp_path / "interrupting"
    runner.mkdir()
    (runner / "__main__.py").write_text(
        "import sys\n"
        "from migrator import cli\n\n"
        "def interrupted(*args, **kwargs):\n"
        '    exec("raise KeyboardInterrupt")\n\n'
        "cli._run = interrupted\n"
        f"raise SystemExit(cli.main(['migrate', '--write', {str(tmp_path / 'app.py')!r}]))\n"
    )
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), *sys.path])}
    done = subprocess.run(
        [sys.executable, "-m", "interrupting"], capture_output=True, env=env, check=False
    )
    assert done.returncode == 130, done.stderr
    assert b"interrupted" in done.stderr
    assert (tmp_path / "app.py").read_text() == flask_file(0)


def test_the_support_module_is_written_before_the_files_that_import_it(tmp_path: Path, monkeypatch):
    for index in range(3):
        (tmp_path / f"app_{index}.py").write_text(flask_file(index))
    order = []

    def recording(path: Path, text: str) -> None:
        order.append(path.name)
        write_atomic(path, text)

    monkeypatch.setattr(cli, "write_atomic", recording)
    assert cli.main(["migrate", "--write", "--no-cache", str(tmp_path)]) == 1
    assert order == [SUPPORT, "app_0.py", "app_1.py", "app_2.py"]


def test_a_temporary_file_left_by_a_kill_is_removed_by_the_next_write(tmp_path: Path):
    target = tmp_path / "app.py"
    target.write_text("old\n")
    stale = tmp_path / ".app.py.x1y2z3.migrator"
    stale.write_text("half")
    other = tmp_path / ".other.py.x1y2z3.migrator"
    other.write_text("half")
    write_atomic(target, "new\n")
    assert target.read_text() == "new\n" and not stale.exists() and other.exists()


def test_an_interrupted_write_removes_its_temporary_file(tmp_path: Path, monkeypatch):
    target = tmp_path / "app.py"
    target.write_text("old\n")

    def interrupted(source: str, destination: Path) -> None:
        raise KeyboardInterrupt

    monkeypatch.setattr(os, "replace", interrupted)
    with pytest.raises(KeyboardInterrupt):
        write_atomic(target, "new\n")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["app.py"]
    assert target.read_text() == "old\n"
