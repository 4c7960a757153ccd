"""`app.run(host, port, ...)` becomes `uvicorn.run(app, host=host, port=port, ...)`, with Flask's
default port 5000 spelled out (uvicorn's is 8000) and Werkzeug's server options given their
uvicorn spelling; what uvicorn can't do from `uvicorn.run(app)` (a reloader, a debugger,
worker processes) is dropped with a TODO saying how to run it."""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._responses import keyword, with_commas

# `Flask.run(host=None, port=None, debug=None, load_dotenv=True, **options)`
RUN_PARAMETERS = ("host", "port", "debug", "load_dotenv")
FLASK_DEFAULTS = {"host": '"127.0.0.1"', "port": "5000"}
# Werkzeug's run_simple options that change nothing a client sees under uvicorn, which serves
# requests concurrently (sync views run in its thread pool)
HARMLESS = frozenset({"threaded", "load_dotenv"})
RELOADING = frozenset(
    {
        "debug",
        "use_reloader",
        "use_debugger",
        "use_evalex",
        "extra_files",
        "exclude_patterns",
        "reloader_interval",
        "reloader_type",
    }
)
RELOAD_TODO = (
    "`{option}`: uvicorn.run(app) has no reloader or debugger; to reload on changes, run"
    " `uvicorn {module}:app --reload`"
)


class AppRun(Rule):
    DESCRIPTION = "app.run(host, port, ...) -> uvicorn.run(app, host=host, port=port, ...)"
    TRIGGERS = (".run(",)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if not (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and self.flask_objects.get(func.value.value) == "app"
            and func.attr.value == "run"
        ):
            return updated_node
        given = _arguments(original_node)
        if isinstance(given, str):
            self.todo(original_node, given)
            return updated_node
        args = [cst.Arg(func.value)]
        for name in ("host", "port"):
            value = given.pop(name, None) or cst.parse_expression(FLASK_DEFAULTS[name])
            args.append(keyword(name, value))
        ssl = given.pop("ssl_context", None)
        if ssl is not None:
            files = _certificate_files(ssl)
            if files is None:
                self.todo(
                    original_node,
                    "ssl_context= other than (certfile, keyfile): pass uvicorn.run"
                    " ssl_certfile= and ssl_keyfile= by hand",
                )
                return updated_node
            args += [keyword("ssl_certfile", files[0]), keyword("ssl_keyfile", files[1])]
        for name, value in given.items():
            one_process = (
                name == "processes" and isinstance(value, cst.Integer) and value.value == "1"
            )
            if name in HARMLESS or _is_false(value) or one_process:
                continue
            if name in RELOADING:
                self.todo(original_node, RELOAD_TODO.format(option=name, module=self._module()))
            elif name == "processes":
                self.todo(
                    original_node,
                    f"`processes`: run `uvicorn {self._module()}:app --workers N` for worker processes",
                )
            else:
                self.todo(original_node, f"app.run() option `{name}` has no uvicorn equivalent")
                return updated_node
        self.add_needed_import("uvicorn")
        return cst.Call(cst.Attribute(cst.Name("uvicorn"), cst.Name("run")), with_commas(args))

    def _module(self) -> str:
        path = self.info.file
        if path is None:
            return "module"
        return self.context.full_module_name or path.stem


def _arguments(call: cst.Call) -> dict[str, cst.BaseExpression] | str:
    named: dict[str, cst.BaseExpression] = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            return "app.run() with * or ** arguments: call uvicorn.run by hand"
        if arg.keyword is None and position >= len(RUN_PARAMETERS):
            return "app.run() takes at most four positional arguments"
        name = arg.keyword.value if arg.keyword is not None else RUN_PARAMETERS[position]
        named[name] = arg.value
    return named


def _certificate_files(
    value: cst.BaseExpression,
) -> tuple[cst.BaseExpression, cst.BaseExpression] | None:
    """Werkzeug's `ssl_context=(certfile, keyfile)`, else None (`"adhoc"`, an SSLContext)."""
    if isinstance(value, (cst.Tuple, cst.List)) and len(value.elements) == 2:
        first, second = value.elements
        if not isinstance(first, cst.StarredElement) and not isinstance(second, cst.StarredElement):
            return first.value, second.value
    return None


def _is_false(value: cst.BaseExpression) -> bool:
    return isinstance(value, cst.Name) and value.value in ("False", "None")
