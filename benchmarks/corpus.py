"""Migrate a corpus of real Flask apps and compare each with its original through migrator.parity.

Each app in `benchmarks/corpus/manifest.toml` names a public repository pinned to a commit, the
import spec of its Flask app and the requests to replay. For each app the runner:

1. extracts the pinned commit (`git archive`) into a temporary folder P;
2. imports the original from P in a subprocess and records its answers (each request twice, so
   that headers the app varies by itself are known as noise);
3. runs `migrator migrate --write P` and records its exit code and summary counts;
4. imports the migrated app from the same P in another subprocess and records its answers;
5. compares both with `migrator.parity.compare`.

Observing both sides from the same absolute path keeps `send_file`'s ETag (a hash of the
absolute path, mtime and size) comparable. The apps' dependencies live in a venv of their own:

    python3 -m venv /work/corpus-venv
    /work/corpus-venv/bin/pip install -e . $(python benchmarks/corpus.py --requirements)
    python benchmarks/corpus.py /work/.mirror --python /work/corpus-venv/bin/python

MIRROR_DIR holds one git snapshot per repository, as `owner+name/repo` (a bare repository or a
work tree with `.git`). The apps' code is never part of this repository. Not part of the test
suite: CI has no network to fetch the apps (see docs/corpus.md for the latest table).
"""

from __future__ import annotations

import argparse
import base64
import email.utils
import json
import os
import re
import shutil
import struct
import subprocess
import sys
import tempfile
import time
import traceback
import zlib
from collections.abc import Iterator, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

import tomllib

REPO = Path(__file__).resolve().parent.parent
MANIFEST = REPO / "benchmarks" / "corpus" / "manifest.toml"
TIMEOUT_SECONDS = 120
BOUNDARY = "corpus-boundary-7d4f"
SUMMARY_COUNTS = re.compile(r"(\d+) (notes?|TODOs?|blocking|errors?)\b")


# --- the requests -----------------------------------------------------------------------------


def tiny_png(width: int = 4, height: int = 3) -> bytes:
    """A valid RGB PNG made with the standard library: a small gradient, the same every run."""
    rows = b"".join(
        b"\x00" + b"".join(bytes((x * 60 % 256, y * 80 % 256, 128)) for x in range(width))
        for y in range(height)
    )

    def chunk(kind: bytes, data: bytes) -> bytes:
        return (
            struct.pack(">I", len(data))
            + kind
            + data
            + struct.pack(">I", zlib.crc32(kind + data) & 0xFFFFFFFF)
        )

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", header)
        + chunk(b"IDAT", zlib.compress(rows))
        + chunk(b"IEND", b"")
    )


def _file_content(spec: str, source: Path) -> tuple[str, bytes]:
    """`@png` is a generated image; anything else a path inside the app's repository."""
    if spec == "@png":
        return "image.png", tiny_png()
    return Path(spec).name, (source / spec).read_bytes()


def build_request(case: dict[str, Any], source: Path) -> dict[str, Any]:
    """A manifest case as method, target, headers and body (what `parity.Request` holds)."""
    target = case["path"]
    query = case.get("query")
    if query:
        target += "?" + (query if isinstance(query, str) else urlencode(query))
    headers = list(case.get("headers", {}).items())
    body = case.get("body", "").encode()
    if "json" in case:
        body = json.dumps(case["json"]).encode()
        headers.append(("Content-Type", "application/json"))
    elif "files" in case:
        parts = []
        for name, value in case.get("form", {}).items():
            parts.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"\r\n\r\n'.encode()
                + str(value).encode()
                + b"\r\n"
            )
        for name, spec in case["files"].items():
            filename, content = _file_content(spec, source)
            kind = "image/png" if filename.endswith(".png") else "application/octet-stream"
            parts.append(
                f'--{BOUNDARY}\r\nContent-Disposition: form-data; name="{name}"; '
                f'filename="{filename}"\r\nContent-Type: {kind}\r\n\r\n'.encode()
                + content
                + b"\r\n"
            )
        body = b"".join(parts) + f"--{BOUNDARY}--\r\n".encode()
        headers.append(("Content-Type", f"multipart/form-data; boundary={BOUNDARY}"))
    elif "form" in case:
        body = urlencode(case["form"]).encode()
        headers.append(("Content-Type", "application/x-www-form-urlencoded"))
    kind = next((k for k in ("files", "json", "form", "body") if k in case), "")
    return {
        "method": case.get("method", "GET"),
        "target": target,
        "kind": kind,
        "headers": headers,
        "body": base64.b64encode(body).decode(),
    }


# --- the worker: one side, in its own process ------------------------------------------------


def worker(side: str, folder: str, target: str, requests_file: str, out: str) -> int:
    """Import the app (Flask or its migration) from `folder`, send every request and write the
    answers as JSON; an import failure is written as its traceback's last line."""
    sys.path.insert(0, str(REPO))
    from migrator.parity import Request, load_app
    from migrator.parity.transports import ASGIClient, WSGIClient

    cases = json.loads(Path(requests_file).read_text())
    result: dict[str, Any] = {"side": side, "imported": False, "error": "", "answers": []}
    try:
        app = load_app(target, folder)
        client = WSGIClient(app) if side.startswith("flask") else ASGIClient(app)
    except BaseException as exc:  # SystemExit too: some apps exit when something is missing
        lines = traceback.format_exception_only(type(exc), exc)
        result["error"] = lines[-1].strip() if lines else repr(exc)
        result["traceback"] = traceback.format_exc()
        Path(out).write_text(json.dumps(result))
        return 0
    result["imported"] = True
    raised: list[str] = []
    if side == "fastapi":
        client = ASGIClient(_recording(app, raised, folder))
    repeat = 2 if side == "flask" else 1
    for case in cases:
        request = Request(
            case["method"],
            case["target"],
            headers=tuple((k, v) for k, v in case["headers"]),
            body=base64.b64decode(case["body"]),
        )
        answers = []
        for _ in range(repeat):
            try:
                sent = time.time()
                seen = client.send(request)
                answers.append(
                    {
                        "sent": sent,
                        "status": seen.status,
                        "headers": [list(h) for h in seen.headers],
                        "body": base64.b64encode(seen.body).decode(),
                        "error": raised.pop() if raised else "",
                    }
                )
                raised.clear()
            except Exception as exc:  # the transports turn app errors into 500s; this is ours
                answers.append({"status": -1, "headers": [], "body": "", "error": repr(exc)})
        result["answers"].append(answers)
    Path(out).write_text(json.dumps(result))
    return 0


def _recording(app: Any, raised: list[str], folder: str) -> Any:
    """The ASGI app, noting what it raises and the app's last line on the way (Starlette
    answers 500 and raises again; the transport swallows it)."""

    async def recorded(scope: Any, receive: Any, send: Any) -> None:
        try:
            await app(scope, receive, send)
        except Exception as exc:
            frames = traceback.extract_tb(exc.__traceback__)
            own = [f for f in frames if f.filename.startswith(folder)] or frames
            line = traceback.format_exception_only(type(exc), exc)[-1].strip().splitlines()[0]
            where = f"{Path(own[-1].filename).name}:{own[-1].lineno}" if own else "?"
            raised.append(f"{line} ({where})")
            raise

    return recorded


# --- the parent ---------------------------------------------------------------------------------


@dataclass
class Case:
    label: str
    identical: bool
    unstable: bool = False
    mismatches: list[str] = field(default_factory=list)
    ignored: list[str] = field(default_factory=list)
    flask_status: int = 0
    fastapi_status: int = 0
    fastapi_error: str = ""
    noise: list[str] = field(default_factory=list)


@dataclass
class AppResult:
    name: str
    flask_imports: bool = False
    flask_error: str = ""
    imports: bool = False
    import_error: str = ""
    exit_code: int | None = None
    counts: dict[str, int] = field(default_factory=dict)
    findings: list[str] = field(default_factory=list)
    cases: list[Case] = field(default_factory=list)
    seconds: float = 0.0
    failure: str = ""
    missing: list[str] = field(default_factory=list)
    requests: int = 0
    routes: int = 0  # the migrated routes (benchmarks/idiom.py)
    plain_routes: int = 0  # those that use nothing from the support module
    support_lines: int = 0

    @property
    def compared(self) -> list[Case]:
        return [c for c in self.cases if not c.unstable]

    @property
    def total(self) -> int:
        """The cases that count: every request of an app that does not import fails."""
        return len(self.compared) if self.cases else self.requests

    @property
    def identical(self) -> int:
        return sum(c.identical for c in self.compared)


def git_dir(mirror: Path, repo: str) -> Path:
    """The git directory of `owner/name` in the mirror folder."""
    base = mirror / repo.replace("/", "+")
    for candidate in (base / "repo" / ".git", base / "repo", base / ".git", base):
        if (candidate / "HEAD").is_file() and (candidate / "objects").is_dir():
            return candidate
    raise FileNotFoundError(f"{repo}: no git snapshot under {base}")


def extract(git: Path, commit: str, into: Path, subdirectory: str = "") -> list[str]:
    """Write the files of `commit` (those under `subdirectory`, if given) into `into`; returns
    the paths the snapshot lacks (it keeps no file of 4 MiB or more), which are left out."""
    into.mkdir(parents=True)
    where = ["--", subdirectory] if subdirectory else []
    command = ["git", "--git-dir", str(git)]
    archive = subprocess.run([*command, "archive", commit, *where], capture_output=True)
    if archive.returncode == 0:
        subprocess.run(["tar", "-x", "-C", str(into)], input=archive.stdout, check=True)
        return []
    listing = subprocess.run(
        [*command, "ls-tree", "-r", "-z", commit, *where], capture_output=True, check=True
    ).stdout.decode()
    entries = []
    for entry in filter(None, listing.split("\0")):
        meta, path = entry.split("\t", 1)
        mode, kind, blob = meta.split()
        if kind == "blob":  # not a submodule
            entries.append((mode, blob, path))
    batch = subprocess.run(
        [*command, "cat-file", "--batch"],
        input="".join(f"{blob}\n" for _, blob, _ in entries).encode(),
        capture_output=True,
        check=True,
    ).stdout
    missing = []
    offset = 0
    for mode, _, path in entries:
        end = batch.index(b"\n", offset)
        header = batch[offset:end].split()
        offset = end + 1
        if header[-1] == b"missing":
            missing.append(path)
            continue
        size = int(header[2])
        content = batch[offset : offset + size]
        offset += size + 1
        target = into / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if mode == "120000":
            target.symlink_to(content.decode())
        else:
            target.write_bytes(content)
            if mode == "100755":
                target.chmod(0o755)
    return missing


def make_checkout(folder: Path) -> None:
    """Some apps read their own git commit at import: give the extracted tree one."""
    env = {
        **os.environ,
        "GIT_AUTHOR_NAME": "corpus",
        "GIT_AUTHOR_EMAIL": "corpus@localhost",
        "GIT_COMMITTER_NAME": "corpus",
        "GIT_COMMITTER_EMAIL": "corpus@localhost",
    }
    for command in (["init", "-q"], ["add", "-A"], ["commit", "-qm", "corpus"]):
        subprocess.run(["git", *command], cwd=folder, env=env, check=True, capture_output=True)


def run_side(
    python: str,
    side: str,
    app: dict[str, Any],
    root: Path,
    requests_file: Path,
    work: Path,
    timeout: float,
) -> dict[str, Any]:
    out = work / f"{side}.json"
    env = {**os.environ, **app.get("env", {}), "PYTHONDONTWRITEBYTECODE": "1"}
    env.setdefault("MPLBACKEND", "Agg")
    command = [python, str(Path(__file__).resolve()), "--worker", side, str(root), app["app"]]
    command += [str(requests_file), str(out)]
    try:
        done = subprocess.run(
            command, cwd=root, env=env, capture_output=True, text=True, timeout=timeout
        )
    except subprocess.TimeoutExpired:
        return {"imported": False, "error": f"timed out after {timeout:.0f} s", "answers": []}
    if not out.exists():
        tail = [line for line in done.stderr.splitlines() if line.strip()]
        return {"imported": False, "error": tail[-1] if tail else "no output", "answers": []}
    result: dict[str, Any] = json.loads(out.read_text())
    return result


def migrate(python: str, folder: Path, timeout: float) -> tuple[int, dict[str, int], list[str]]:
    done = subprocess.run(
        [python, "-m", "migrator", "migrate", "--write", "--color", "never", str(folder)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=folder,
    )
    lines = done.stderr.splitlines()
    summary = next((line for line in lines if " checked, " in line), "")
    counts = {"notes": 0, "TODOs": 0, "blocking": 0, "errors": 0}
    for number, noun in SUMMARY_COUNTS.findall(summary):
        key = {"note": "notes", "TODO": "TODOs", "error": "errors"}.get(noun, noun)
        counts[key] = int(number)
    prefix = str(folder) + os.sep
    findings = [line.replace(prefix, "") for line in lines if line and line != summary]
    return done.returncode, counts, findings


def _observation(answer: dict[str, Any], shift: float = 0.0) -> Any:
    """The answer as a parity `Observation`; `shift` seconds are taken off its clock headers."""
    from migrator.parity import Observation
    from migrator.parity.compare import CLOCK_HEADERS

    headers = []
    for name, value in answer["headers"]:
        if shift and name in CLOCK_HEADERS:
            try:
                when = email.utils.parsedate_to_datetime(value).timestamp() - shift
                value = email.utils.formatdate(when, usegmt=True)
            except (TypeError, ValueError):
                pass  # not a date: compared as it is
        headers.append((name, value))
    return Observation(answer["status"], tuple(headers), base64.b64decode(answer["body"]))


def compare_answers(
    cases: list[dict[str, Any]], flask: dict[str, Any], fastapi: dict[str, Any]
) -> list[Case]:
    from migrator.parity import Request, compare

    found = []
    for case, control_pair, candidate_list in zip(
        cases, flask["answers"], fastapi["answers"], strict=True
    ):
        request = Request(
            case["method"],
            case["target"],
            headers=tuple((k, v) for k, v in case["headers"]),
            body=base64.b64decode(case["body"]),
        )
        label = f"{case['method']} {case['target']}" + (
            f" [{case['kind']}]" if case["kind"] else ""
        )
        start = control_pair[0].get("sent", 0.0)
        first, *others = (_observation(a, a.get("sent", 0.0) - start) for a in control_pair)
        # the candidate was observed later, in another process: its Date is compared as if it
        # had answered when the control did (the parity suite's clock tolerance still applies)
        candidate = _observation(candidate_list[0], candidate_list[0].get("sent", 0.0) - start)
        if any(o.body != first.body or o.status != first.status for o in others):
            found.append(Case(label, False, unstable=True, flask_status=first.status))
            continue
        noise: frozenset[str] = frozenset()
        for other in others:
            if [k for k, _ in first.headers] == [k for k, _ in other.headers]:
                noise |= {
                    k for (k, a), (_, b) in zip(first.headers, other.headers, strict=True) if a != b
                }
        mismatches, ignored = compare(request, first, candidate, noise)
        found.append(
            Case(
                label,
                not mismatches,
                mismatches=[str(m) for m in mismatches],
                ignored=[f"{i.reason}: {i.detail}" for i in ignored],
                flask_status=first.status,
                fastapi_status=candidate.status,
                fastapi_error=candidate_list[0].get("error", ""),
                noise=sorted(noise),
            )
        )
    return found


def run_app(
    app: dict[str, Any], mirror: Path, python: str, timeout: float, keep: Path | None
) -> AppResult:
    result = AppResult(app["name"])
    started = time.monotonic()
    work = Path(tempfile.mkdtemp(prefix=f"corpus-{app['name']}-"))
    try:
        source = work / "src"
        result.missing = extract(
            git_dir(mirror, app["repo"]), app["commit"], source, app.get("subdirectory", "")
        )
        if app.get("checkout"):
            make_checkout(source)
        folder = source / app.get("subdirectory", "")
        root = folder / app.get("root", "")
        cases = [build_request(case, source) for case in app.get("requests", [])]
        result.requests = len(cases)
        requests_file = work / "requests.json"
        requests_file.write_text(json.dumps(cases))

        flask = run_side(python, "flask", app, root, requests_file, work, timeout)
        # a second process: what changes from one process to the next (a start time) is noise
        again = run_side(python, "flask-again", app, root, requests_file, work, timeout)
        if flask["imported"] and again["imported"]:
            for answers, more in zip(flask["answers"], again["answers"], strict=True):
                answers += more
        result.flask_imports = flask["imported"]
        result.flask_error = flask.get("error", "")
        left = timeout - (time.monotonic() - started)
        result.exit_code, result.counts, result.findings = migrate(python, folder, max(left, 10))
        from benchmarks.idiom import score

        idiom = score(folder)
        result.routes, result.plain_routes = idiom.routes, idiom.plain
        result.support_lines = idiom.support_lines
        left = timeout - (time.monotonic() - started)
        fastapi = run_side(python, "fastapi", app, root, requests_file, work, max(left, 10))
        result.imports = fastapi["imported"]
        result.import_error = fastapi.get("error", "")
        if flask["imported"] and fastapi["imported"]:
            result.cases = compare_answers(cases, flask, fastapi)
        if keep is not None:
            shutil.copytree(folder, keep / app["name"], dirs_exist_ok=True, symlinks=True)
            for side, seen in (("flask", flask), ("fastapi", fastapi)):
                (keep / f"{app['name']}.{side}.json").write_text(json.dumps(seen, indent=1))
    except Exception as exc:  # a broken manifest entry or snapshot: report it, go on
        result.failure = f"{type(exc).__name__}: {exc}"
    finally:
        shutil.rmtree(work, ignore_errors=True)
        result.seconds = time.monotonic() - started
    return result


def table(results: Sequence[AppResult]) -> str:
    head = (
        f"{'app':<28} {'imports':<8} {'identical':>9} {'notes':>5} {'TODOs':>5} "
        f"{'block':>5} {'err':>3} {'exit':>4} {'idiom':>7} {'support':>7} {'s':>5}  error"
    )
    lines = [head, "-" * len(head)]
    for r in results:
        error = r.failure or (f"Flask: {r.flask_error}" if not r.flask_imports else r.import_error)
        lines.append(
            f"{r.name:<28} {'yes' if r.imports else 'no':<8} "
            f"{f'{r.identical}/{r.total}':>9} {r.counts.get('notes', 0):>5} "
            f"{r.counts.get('TODOs', 0):>5} {r.counts.get('blocking', 0):>5} "
            f"{r.counts.get('errors', 0):>3} {r.exit_code if r.exit_code is not None else '-':>4} "
            f"{f'{r.plain_routes}/{r.routes}':>7} {r.support_lines:>7} {r.seconds:>5.1f}  {error}"
        )
    apps_ok = sum(r.imports for r in results)
    same = sum(r.identical for r in results)
    total = sum(r.total for r in results)
    unstable = sum(len(r.cases) - len(r.compared) for r in results)
    share = f"{100 * same / total:.1f}%" if total else "-"
    lines.append("-" * len(head))
    lines.append(
        f"{apps_ok}/{len(results)} apps import after --write; {same}/{total} cases identical "
        f"({share}, a case of an app that does not import counts as failed); {unstable} cases "
        "left out (the Flask app answered differently from one run to the next)"
    )
    routes = sum(r.routes for r in results)
    plain = sum(r.plain_routes for r in results)
    lines.append(
        f"idiom: {plain}/{routes} routes use nothing from the support module "
        f"({f'{100 * plain / routes:.0f}%' if routes else '-'}); support modules: "
        f"{sum(r.support_lines for r in results)} lines in all"
    )
    return "\n".join(lines)


def mismatch_report(results: Sequence[AppResult]) -> str:
    lines = []
    for r in results:
        for case in r.cases:
            if case.identical or case.unstable:
                continue
            first = case.mismatches[0] if case.mismatches else ""
            raised = f" [{case.fastapi_error}]" if case.fastapi_error else ""
            lines.append(f"{r.name}: {case.label}: {first}{raised}")
    return "\n".join(lines)


def load_manifest(path: Path) -> list[dict[str, Any]]:
    apps: list[dict[str, Any]] = tomllib.loads(path.read_text())["app"]
    return apps


def repositories(mirror: Path, only: Sequence[str] = ()) -> Iterator[tuple[dict[str, Any], Path]]:
    """Each repository of the manifest's apps (those named in `only`, if any) once, with the
    first app that names it, extracted at its pinned commit into a temporary folder that is
    removed when the next is asked for: several apps of one repository share its files."""
    seen: set[tuple[str, str, str]] = set()
    for app in load_manifest(MANIFEST):
        key = (app["repo"], app["commit"], app.get("subdirectory", ""))
        if (only and app["name"] not in only) or key in seen:
            continue
        seen.add(key)
        with tempfile.TemporaryDirectory() as temporary:
            folder = Path(temporary).resolve() / "app"
            extract(git_dir(mirror, app["repo"]), app["commit"], folder, key[2])
            yield app, folder


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("mirror", nargs="?", type=Path, help="folder of git snapshots")
    parser.add_argument("--only", action="append", default=[], metavar="NAME")
    parser.add_argument("--json", type=Path, metavar="FILE", help="write every result here")
    parser.add_argument("--python", default=sys.executable, help="the apps' interpreter")
    parser.add_argument("--manifest", type=Path, default=MANIFEST)
    parser.add_argument("--timeout", type=float, default=TIMEOUT_SECONDS, help="per app")
    parser.add_argument("--keep", type=Path, metavar="DIR", help="keep migrated copies here")
    parser.add_argument(
        "--requirements", action="store_true", help="print every app's extra requirements"
    )
    parser.add_argument("--worker", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.worker:
        return worker(*args.worker)
    apps = load_manifest(args.manifest)
    if args.requirements:
        print(" ".join(sorted({r for app in apps for r in app.get("requirements", [])})))
        return 0
    if args.mirror is None:
        parser.error("MIRROR_DIR is required")
    sys.path.insert(0, str(REPO))
    if args.only:
        apps = [app for app in apps if app["name"] in args.only]
    results = []
    for app in apps:
        print(f"{app['name']} ...", file=sys.stderr, flush=True)
        results.append(run_app(app, args.mirror, args.python, args.timeout, args.keep))
    print(table(results))
    report = mismatch_report(results)
    if report:
        print("\ncases that differ:\n" + report)
    if args.json:
        args.json.write_text(json.dumps([asdict(r) for r in results], indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
