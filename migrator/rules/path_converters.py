"""Werkzeug rule syntax `/thumb/<int:width>` becomes Starlette's `/thumb/{width:int}`, and the
view's parameters get the matching types (`width: int`).

Only converters whose Starlette regex matches the same URLs are converted: the default
`string`, `int` and `path`. Others (and converter arguments) are left with a TODO.
"""

from __future__ import annotations

import re

import libcst as cst

from migrator.rules._base import Rule

WERKZEUG_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<arguments>.*?)\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)
# converter -> (Starlette path suffix, parameter annotation)
CONVERTERS = {
    None: ("", "str"),
    "default": ("", "str"),
    "string": ("", "str"),
    "int": (":int", "int"),
    "path": (":path", "str"),
}


class PathConverters(Rule):
    DESCRIPTION = "'/<int:id>' -> '/{id:int}' with an `id: int` parameter"
    TRIGGERS = (".route(",)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        types: dict[str, str] = {}
        route_types_all: list[dict[str, str]] = []
        decorators = list(updated_node.decorators)
        for index, decorator in enumerate(original_node.decorators):
            call = self.route_call(decorator)
            if call is None or not call.args or call.args[0].keyword is not None:
                continue
            path = call.args[0].value
            if not isinstance(path, cst.SimpleString) or "<" not in path.value:
                route_types_all.append({})
                continue
            converted = _convert(path)
            if isinstance(converted, str):
                self.todo(decorator, converted)
                return updated_node
            new_path, route_types = converted
            if any(types.get(name, kind) != kind for name, kind in route_types.items()):
                self.todo(decorator, "stacked routes give one parameter different types")
                return updated_node
            types.update(route_types)
            route_types_all.append(route_types)
            updated_call = decorators[index].decorator
            assert isinstance(updated_call, cst.Call)
            first = updated_call.args[0].with_changes(value=new_path)
            decorators[index] = decorators[index].with_changes(
                decorator=updated_call.with_changes(args=[first, *updated_call.args[1:]])
            )
        if not types:
            return updated_node
        params = updated_node.params
        annotated = [
            _annotated(p, types[p.name.value]) if p.name.value in types else p
            for p in params.params
        ]
        in_every_rule = (
            set.intersection(*(set(t) for t in route_types_all)) if route_types_all else set()
        )
        for param in params.params:
            if param.name.value in types and param.name.value not in in_every_rule:
                self.todo(
                    original_node,
                    f"`{param.name.value}` is a path parameter of only some of the stacked rules; "
                    "FastAPI would read it from the query string on the others",
                )
                return updated_node
        return updated_node.with_changes(
            decorators=decorators, params=params.with_changes(params=annotated)
        )


def _convert(path: cst.SimpleString) -> tuple[cst.SimpleString, dict[str, str]] | str:
    """The Starlette path and parameter types, or why the rule can't be converted."""
    raw = path.value
    body = raw[len(path.prefix) + len(path.quote) : -len(path.quote)]
    if "{" in body or "}" in body:
        return "braces in a Flask rule would be read as parameters by Starlette"
    types: dict[str, str] = {}
    problems: list[str] = []

    def replace(match: re.Match[str]) -> str:
        converter, arguments, name = match.group("converter", "arguments", "name")
        if converter not in CONVERTERS or arguments is not None:
            spec = f"{converter}({arguments})" if arguments is not None else converter
            problems.append(f"the `{spec}` converter has no exact Starlette equivalent yet")
            return match.group(0)
        suffix, kind = CONVERTERS[converter]
        types[name] = kind
        return "{" + name + suffix + "}"

    new_body = WERKZEUG_VARIABLE.sub(replace, body)
    if problems:
        return problems[0]
    return path.with_changes(
        value=raw[: len(path.prefix) + len(path.quote)] + new_body + path.quote
    ), types


def _annotated(param: cst.Param, kind: str) -> cst.Param:
    """`name: kind`, keeping an existing annotation; `name: kind = default` spaced as PEP 8 asks."""
    if param.annotation is not None:
        return param
    spaced = cst.AssignEqual(cst.SimpleWhitespace(" "), cst.SimpleWhitespace(" "))
    return param.with_changes(
        annotation=cst.Annotation(cst.Name(kind)),
        equal=spaced if param.default is not None else param.equal,
    )
