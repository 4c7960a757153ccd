"""`app.run(host, port)` becomes `uvicorn.run(app, host=host, port=port)`, with Flask's default
port 5000 spelled out (uvicorn's is 8000)."""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._responses import keyword, with_commas

RUN_PARAMETERS = ("host", "port", "debug")
FLASK_DEFAULTS = {"host": '"127.0.0.1"', "port": "5000"}


class AppRun(Rule):
    DESCRIPTION = "app.run(host, port) -> uvicorn.run(app, host=host, port=port)"
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
        debug = given.pop("debug", None)
        if debug is not None and not (isinstance(debug, cst.Name) and debug.value == "False"):
            self.todo(
                original_node,
                "debug=True: uvicorn has no debugger; run `uvicorn module:app --reload` to reload",
            )
            return updated_node
        args = [cst.Arg(func.value)]
        for name in ("host", "port"):
            value = given.get(name) or cst.parse_expression(FLASK_DEFAULTS[name])
            args.append(keyword(name, value))
        self.add_needed_import("uvicorn")
        return cst.Call(cst.Attribute(cst.Name("uvicorn"), cst.Name("run")), with_commas(args))


def _arguments(call: cst.Call) -> dict[str, cst.BaseExpression] | str:
    named: dict[str, cst.BaseExpression] = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            return "app.run() with * or ** arguments: call uvicorn.run by hand"
        name = arg.keyword.value if arg.keyword is not None else RUN_PARAMETERS[min(position, 2)]
        if name not in RUN_PARAMETERS or (arg.keyword is None and position > 2):
            return f"app.run() option `{name}` has no uvicorn equivalent here"
        named[name] = arg.value
    return named
