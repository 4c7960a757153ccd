"""Where the migrated app is installed and started: its dependency lists (`requirements*.txt`,
`pyproject.toml`, `Pipfile`) and its start commands (`Procfile`, Dockerfile `CMD` /
`ENTRYPOINT`, shell scripts, gunicorn settings). Each file that must change becomes a `FileResult`, shown in
the review diff and written by `--write` like a migrated module.

Dependencies gain what the migrated code imports (`fastapi`, `uvicorn`, `python-multipart` for
forms and uploads, `jinja2` for templates) and lose `flask` once no file imports it. Commands
serving the app with gunicorn's WSGI workers get gunicorn's uvicorn worker; `flask run`
becomes `uvicorn module:app` with Flask's defaults.
"""

from __future__ import annotations

import json
import os
import re
from collections.abc import Iterable, Iterator, Sequence
from fnmatch import fnmatch
from pathlib import Path

from migrator.discovery import DEFAULT_EXCLUDE
from migrator.files import read_source
from migrator.support import MODULE as SUPPORT_MODULE
from migrator.types import FileResult, Finding

# what a dependency list gains, by the import or call in the migrated code that needs it
REQUIREMENTS = {
    "fastapi": "fastapi>=0.115",
    "uvicorn": "uvicorn>=0.30",
    "python-multipart": "python-multipart>=0.0.9",
    "jinja2": "jinja2>=3.1",
    "uvicorn-worker": "uvicorn-worker>=0.2",
}
NEEDS = {
    "fastapi": re.compile(r"^[ \t]*(?:from|import)[ \t]+fastapi\b", re.M),
    "uvicorn": re.compile(r"^[ \t]*import[ \t]+uvicorn\b", re.M),
    "python-multipart": re.compile(r"\b(?:Form|File|UploadFile)\b"),
    "jinja2": re.compile(r"\b(?:Jinja2Templates|jinja2)\b"),
}
# what the support module's pieces that the migrated code uses import in turn (its text is cut
# to them: `import jinja2` is there when something renders templates)
SUPPORT_NEEDS = {"jinja2": re.compile(r"^[ \t]*import[ \t]+jinja2\b", re.M)}
STILL_FLASK = re.compile(
    r"^[ \t]*(?:from|import)[ \t]+(?:flask|werkzeug|flask_(?!compat\b)\w+|flasgger)\b", re.M
)
STILL_FLASK_WORDS = ("flask", "werkzeug", "flasgger")  # what a STILL_FLASK match contains
# a requirement line: its project name, normalized as pip does
REQUIREMENT_NAME = re.compile(r"^\s*([A-Za-z0-9][A-Za-z0-9._-]*)")
WSGI_WORKERS = frozenset({"sync", "gthread", "gevent", "eventlet", "tornado"})
UVICORN_WORKER = "uvicorn_worker.UvicornWorker"
RULE = "deployment"


def deployment_results(paths: Iterable[str], results: Sequence[FileResult]) -> Iterator[FileResult]:
    """The dependency lists and start commands under `paths` that the migration of `results`
    (the migrated modules and the support modules made for them) changes. Nothing when no file
    was migrated to FastAPI."""
    texts = [r.code if r.code is not None else (r.original or "") for r in results]
    support = [t for r, t in zip(results, texts, strict=True) if _is_support_module(r.path)]
    # what the FastAPI modules use: a word like `File` elsewhere in the project says nothing
    fastapi = [
        t
        for r, t in zip(results, texts, strict=True)
        if "fastapi" in t and not _is_support_module(r.path) and NEEDS["fastapi"].search(t)
    ]
    if not fastapi:
        return
    needed = {name for name, pattern in NEEDS.items() if any(pattern.search(t) for t in fastapi)}
    needed |= {n for n, pattern in SUPPORT_NEEDS.items() if any(pattern.search(t) for t in support)}
    # the words first: most of a repository's files name neither, and a regex costs more
    keep_flask = any(STILL_FLASK.search(t) for t in texts if any(w in t for w in STILL_FLASK_WORDS))
    files = sorted(set(_deployment_files(paths)))
    changed: list[FileResult] = []
    # the start commands first: what they now run is a dependency too
    for path in (f for f in files if _is_command_file(f) or _is_gunicorn_config(f)):
        original = _read(path)
        findings: list[Finding] = []
        command = _is_command_file(path)
        code = _commands(path, original, findings) if command else _gunicorn_config(original)
        if code != original:
            changed.append(FileResult(_display(path), original, code, tuple(findings)))
            needed.add("uvicorn-worker" if UVICORN_WORKER in code else "uvicorn")
    for path in files:
        if _is_command_file(path) or _is_gunicorn_config(path):
            continue
        original = _read(path)
        code = _dependencies(path, original, needed, keep_flask)
        if code != original:
            changed.append(FileResult(_display(path), original, code))
    yield from changed


def _is_support_module(path: str) -> bool:
    return os.path.basename(path) == f"{SUPPORT_MODULE}.py"


def _read(path: Path) -> str:
    try:
        return read_source(path)
    except (OSError, UnicodeDecodeError):
        return ""


def _display(path: Path) -> str:
    relative = os.path.relpath(path)
    return str(path) if relative.startswith("..") else relative


def _deployment_files(paths: Iterable[str]) -> Iterator[Path]:
    for raw in paths:
        root = Path(raw)
        if not root.is_dir():
            root = root.parent
        for folder, dirs, files in os.walk(root):
            dirs[:] = sorted(
                d
                for d in dirs
                if not d.startswith(".") and not any(fnmatch(d, g) for g in DEFAULT_EXCLUDE)
            )
            for name in files:
                if _is_deployment_name(name, Path(folder).name):
                    yield Path(folder, name)


def _is_deployment_name(name: str, folder: str) -> bool:
    return (
        (name.startswith("requirements") and name.endswith(".txt"))
        or (folder == "requirements" and name.endswith(".txt"))
        or name in ("pyproject.toml", "Pipfile", "Procfile")
        or name.startswith("Dockerfile")
        or name.endswith((".Dockerfile", ".sh"))
        or name in ("gunicorn.conf.py", "gunicorn_config.py", "gunicorn.py")
    )


def _is_command_file(path: Path) -> bool:
    return path.name == "Procfile" or "Dockerfile" in path.name or path.suffix == ".sh"


def _is_gunicorn_config(path: Path) -> bool:
    return path.name in ("gunicorn.conf.py", "gunicorn_config.py", "gunicorn.py")


# -- dependency lists ------------------------------------------------------------------------


def _name(requirement: str) -> str | None:
    match = REQUIREMENT_NAME.match(requirement)
    return re.sub(r"[-_.]+", "-", match.group(1)).lower() if match else None


def _dependencies(path: Path, text: str, needed: set[str], keep_flask: bool) -> str:
    if path.name == "pyproject.toml":
        return _pyproject(text, needed, keep_flask)
    if path.name == "Pipfile":
        return _pipfile(text, needed, keep_flask)
    return _requirements(text, needed, keep_flask)


def _missing(present: set[str], needed: set[str]) -> list[str]:
    return [name for name in REQUIREMENTS if name in needed and name not in present]


def _requirements(text: str, needed: set[str], keep_flask: bool) -> str:
    """A requirements file that lists Flask: the new requirements where Flask was."""
    lines = text.splitlines(keepends=True)
    names = [_name(line) if not line.lstrip().startswith(("#", "-")) else None for line in lines]
    if "flask" not in names:
        return text
    newline = "\r\n" if text.endswith("\r\n") else "\n"
    added = [REQUIREMENTS[n] + newline for n in _missing({n for n in names if n}, needed)]
    at = names.index("flask")
    if not keep_flask:
        del lines[at]
    lines[at if not keep_flask else at + 1 : at if not keep_flask else at + 1] = added
    if lines and not lines[-1].endswith(("\n", "\r")):
        lines[-1] += newline  # pragma: no cover - only when Flask was the last, unterminated line
    return "".join(lines)


PYPROJECT_DEPENDENCIES = re.compile(r"(?ms)^(dependencies\s*=\s*\[)(.*?)(\][ \t]*$)")
PYPROJECT_ITEM = re.compile(r"""(["'])([^"']+)\1""")


def _pyproject(text: str, needed: set[str], keep_flask: bool) -> str:
    """`[project] dependencies = [...]` and `[tool.poetry.dependencies]`."""
    match = PYPROJECT_DEPENDENCIES.search(text)
    if match is not None:
        body = match.group(2)
        items = PYPROJECT_ITEM.findall(body)
        names = {_name(item) for _, item in items}
        if "flask" in names:
            flask = next(m for m in PYPROJECT_ITEM.finditer(body) if _name(m.group(2)) == "flask")
            quote = flask.group(1)
            new = [
                f"{quote}{REQUIREMENTS[n]}{quote}"
                for n in _missing({n for n in names if n}, needed)
            ]
            line_start = body.rfind("\n", 0, flask.start()) + 1
            indent = body[line_start : flask.start()]
            multiline = "\n" in body
            separator = ",\n" + indent if multiline else ", "
            replacement = separator.join(([flask.group(0)] if keep_flask else []) + new)
            if not replacement:  # Flask goes and nothing comes: drop its item and comma
                end = flask.end()
                rest = re.match(r"\s*,?[ \t]*(?:#[^\n]*)?\n?", body[end:])
                end += rest.end() if rest else 0
                body = body[: line_start if multiline else flask.start()] + body[end:]
            else:
                body = body[: flask.start()] + replacement + body[flask.end() :]
            text = text[: match.start(2)] + body + text[match.end(2) :]
    return _toml_table(text, "tool.poetry.dependencies", needed, keep_flask)


def _pipfile(text: str, needed: set[str], keep_flask: bool) -> str:
    return _toml_table(text, "packages", needed, keep_flask)


TOML_KEY = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)\s*=", re.M)


def _toml_table(text: str, table: str, needed: set[str], keep_flask: bool) -> str:
    """`name = "version"` lines of a TOML table (Poetry's, a Pipfile's `[packages]`)."""
    header = re.search(rf"(?m)^\[{re.escape(table)}\][ \t]*\r?\n", text)
    if header is None:
        return text
    end = re.search(r"(?m)^\[", text[header.end() :])
    stop = header.end() + end.start() if end else len(text)
    section = text[header.end() : stop]
    keys = {_name(m.group(1)): m for m in TOML_KEY.finditer(section)}
    flask = keys.get("flask")
    if flask is None:
        return text
    line_end = section.find("\n", flask.start())
    line_end = len(section) if line_end < 0 else line_end + 1
    newline = "\r\n" if section[line_end - 2 : line_end] == "\r\n" else "\n"
    new = "".join(
        f'{name} = "{REQUIREMENTS[name][len(name) :]}"{newline}'
        for name in _missing({k for k in keys if k}, needed)
    )
    kept = section[flask.start() : line_end] if keep_flask else ""
    section = section[: flask.start()] + kept + new + section[line_end:]
    return text[: header.end()] + section + text[stop:]


# -- start commands ---------------------------------------------------------------------------

DOCKER_COMMAND = re.compile(r"(?im)^(\s*(?:CMD|ENTRYPOINT)\s+)(.+?)\s*$")
PROCFILE_COMMAND = re.compile(r"(?m)^(\s*[\w-]+:\s*)(.+?)\s*$")
# a shell script's line that starts gunicorn or `flask run` (after `exec` and VAR=value words)
SHELL_COMMAND = re.compile(
    r"(?m)^(\s*(?:exec\s+)?(?:\w+=\S*\s+)*)"
    r"((?:\S*/)?(?:gunicorn|flask|python3?\s+-m\s+(?:gunicorn|flask))\b.*?)\s*$"
)
# what `flask run ...` would lose, rewritten as uvicorn's words: a script goes on after it
SHELL_SYNTAX = re.compile(r"[;&|<>`$()]")


def _commands(path: Path, text: str, findings: list[Finding]) -> str:
    if path.name == "Procfile":
        pattern = PROCFILE_COMMAND
    elif path.suffix == ".sh":
        pattern = SHELL_COMMAND
    else:
        pattern = DOCKER_COMMAND
    modules = _flask_app_env(text) or _default_module(path.parent)
    run_env = _flask_run_env(text)

    def rewrite(match: re.Match[str]) -> str:
        command = match.group(2)
        if pattern is SHELL_COMMAND and "gunicorn" not in command and SHELL_SYNTAX.search(command):
            return match.group(0)
        # `FLASK_RUN_HOST=0.0.0.0 flask run`: the assignments before the command
        given = dict(run_env)
        for name, value in re.findall(r"\bFLASK_RUN_(HOST|PORT)=(\S+)", match.group(1)):
            given[name] = value.strip("\"'")
        new = _command(command, modules, given)
        if new is None:
            return match.group(0)
        line = text.count("\n", 0, match.start()) + 1
        findings.append(
            Finding(
                _display(path), line, 0, RULE, f"start command served by uvicorn: {new}", todo=False
            )
        )
        trailing = match.group(0)[len(match.group(1)) + len(command) :]
        return match.group(1) + new + trailing

    return pattern.sub(rewrite, text)


def _flask_app_env(text: str) -> str | None:
    match = re.search(r"(?m)^\s*ENV\s+FLASK_APP[= ]\s*[\"']?([\w./:()-]+)", text)
    return match.group(1) if match else None


# `ENV FLASK_RUN_HOST=0.0.0.0` (also among other variables, or `ENV FLASK_RUN_HOST 0.0.0.0`) in
# a Dockerfile, `export FLASK_RUN_PORT=8000` in a shell script: what `flask run` reads
FLASK_RUN_ENV = re.compile(
    r"""(?m)^[ \t]*(?:ENV|export)[ \t]+(?:[^\n]*?[ \t])?FLASK_RUN_(HOST|PORT)[= ][ \t]*["']?([^\s"']+)"""
)


def _flask_run_env(text: str) -> dict[str, str]:
    """`flask run`'s host and port set in the environment the file gives its command
    (`{"HOST": "0.0.0.0"}`); the last setting wins, as in the file."""
    return {m.group(1): m.group(2) for m in FLASK_RUN_ENV.finditer(text)}


def _default_module(folder: Path) -> str | None:
    """The module `flask run` finds on its own: `wsgi.py` or `app.py` in the folder."""
    for name in ("wsgi", "app"):
        if (folder / f"{name}.py").is_file():
            return name
    return None


def _command(command: str, module: str | None, run_env: dict[str, str] | None = None) -> str | None:
    """The command with gunicorn's uvicorn worker or uvicorn, or None when unchanged."""
    exec_form = command.startswith("[")
    if exec_form:
        try:
            tokens = json.loads(command)
        except ValueError:
            return None
        if not isinstance(tokens, list) or not all(isinstance(t, str) for t in tokens):
            return None
    else:
        tokens = command.split()
    new = _gunicorn(tokens)
    if new is None:
        new = _flask_run(tokens, module, run_env or {})
    if new is None:
        return None
    return json.dumps(new) if exec_form else " ".join(new)


def _gunicorn(tokens: list[str]) -> list[str] | None:
    at = next((i for i, t in enumerate(tokens) if os.path.basename(t) == "gunicorn"), None)
    if at is None:
        return None
    result = tokens[: at + 1] + ["-k", UVICORN_WORKER]
    rest = tokens[at + 1 :]
    index = 0
    while index < len(rest):
        token = rest[index]
        if token in ("-k", "--worker-class") and index + 1 < len(rest):
            worker = rest[index + 1]
            if worker not in WSGI_WORKERS:
                return None  # an ASGI worker already, or one we don't know
            index += 2
            continue
        if token.startswith(("--worker-class=", "-k")) and token not in ("-k",):
            worker = token.split("=", 1)[1] if "=" in token else token[2:]
            if worker not in WSGI_WORKERS:
                return None
            index += 1
            continue
        result.append(token)
        index += 1
    return result


def _flask_run(tokens: list[str], module: str | None, run_env: dict[str, str]) -> list[str] | None:
    """`flask [--app M] run [--host H] [--port P]` -> `uvicorn M:app --host H --port P`; the
    host and port default to FLASK_RUN_HOST / FLASK_RUN_PORT set for the command (`run_env`),
    as `flask run` reads them."""
    at = next((i for i, t in enumerate(tokens) if os.path.basename(t) == "flask"), None)
    if at is None or "run" not in tokens[at + 1 :]:
        return None
    options = tokens[at + 1 :]
    host, port = run_env.get("HOST", "127.0.0.1"), run_env.get("PORT", "5000")
    index = 0
    while index < len(options):
        token = options[index]
        name, has_value, value = token.partition("=")
        if name in ("--app", "-A", "--host", "-h", "--port", "-p") and not has_value:
            value = options[index + 1] if index + 1 < len(options) else ""
            index += 1
        if name in ("--app", "-A"):
            module = value
        elif name in ("--host", "-h"):
            host = value
        elif name in ("--port", "-p"):
            port = value
        index += 1
    if module is None:
        return None
    spec, factory = _uvicorn_spec(module)
    prefix = tokens[:at]
    if prefix and prefix[-1] == "-m":  # python -m flask run
        prefix = prefix[:-2]
    return [
        *prefix,
        "uvicorn",
        *(["--factory"] if factory else []),
        spec,
        "--host",
        host,
        "--port",
        port,
    ]


def _uvicorn_spec(module: str) -> tuple[str, bool]:
    """Flask's `--app` value as uvicorn's `module:attribute`, and whether it is a factory."""
    module = module.strip("\"'")
    name, _, attribute = module.partition(":")
    if name.endswith(".py"):
        name = name[:-3].replace("/", ".")
    if attribute.endswith("()"):
        return f"{name}:{attribute[:-2]}", True
    return f"{name}:{attribute or 'app'}", False


# -- gunicorn settings -------------------------------------------------------------------------

WORKER_CLASS = re.compile(r"""(?m)^(worker_class\s*=\s*)(["'])([\w.]+)\2""")


def _gunicorn_config(text: str) -> str:
    match = WORKER_CLASS.search(text)
    if match is None:
        newline = "\r\n" if "\r\n" in text else "\n"
        end = "" if text.endswith(("\n", "\r")) else newline
        return f'{text}{end}worker_class = "{UVICORN_WORKER}"{newline}'
    if match.group(3) not in WSGI_WORKERS:
        return text
    quote = match.group(2)
    return text[: match.start(2)] + f"{quote}{UVICORN_WORKER}{quote}" + text[match.end(3) + 1 :]
