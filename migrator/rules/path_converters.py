"""Werkzeug rule syntax `/thumb/<int:width>` becomes Starlette's `/thumb/{width:int}`, and the
view's parameters get the matching types (`width: int`).

Only converters whose Starlette regex matches the same URLs are converted: the default
`string`, `int`, `path`, and `any(a, b)`, which becomes a convertor registered from the support
module's `AnyOf`. Others (and converter arguments) are left with a TODO.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping, Sequence

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._static import converter_registration
from migrator.types import Converter

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
    # Starlette's own float and uuid take other URLs (`7`, lower-case only): Werkzeug's regexes
    "float": (":flask_float", "float"),
    "uuid": (":flask_uuid", "uuid.UUID"),
}
# convertor name -> the support module's class, registered before the routes that use it
WERKZEUG_CONVERTORS = {"flask_float": "FlaskFloat", "flask_uuid": "FlaskUUID"}


class PathConverters(Rule):
    DESCRIPTION = "'/<int:id>' -> '/{id:int}' with an `id: int` parameter"
    TRIGGERS = (".route(", "url_map.converters")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.any_convertors: dict[str, tuple[str, ...]] = {}
        # custom converters the project registers, by name, unless defined in this very file
        # (its class must exist before the registration that follows the imports)
        self.custom = {c.name: c for c in self.info.converters if c.module != self.info.file}
        self.custom_used: set[str] = set()
        self.werkzeug_used: set[str] = set()
        return True

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        # `app.url_map.converters["hex"] = HexColor`: FastAPI has no url_map; the convertor is
        # registered in each module whose routes use it, before they are declared
        small = original_node.body[0] if len(original_node.body) == 1 else None
        registration = converter_registration(small) if isinstance(small, cst.Assign) else None
        if registration is None or registration[0] not in {c.name for c in self.info.converters}:
            return updated_node
        assert isinstance(small, cst.Assign)
        self.note(
            original_node,
            f"the `{registration[0]}` converter is now registered where routes use it",
        )
        self.remove_unused_import_by_node(small.value)
        return cst.RemoveFromParent()

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        # Starlette compiles a path when its route is declared: the `any(...)` convertors are
        # registered right after the imports, before the first route
        werkzeug = sorted(self.werkzeug_used)
        if "flask_uuid" in werkzeug:
            self.add_needed_import("uuid")
        if not self.any_convertors and not self.custom_used and not werkzeug:
            return updated_node
        self.add_needed_import("starlette.convertors", "register_url_convertor")
        registrations = []
        if self.any_convertors:
            self.import_support("AnyOf")
        for name, items in sorted(self.any_convertors.items()):
            registrations.append(
                f"register_url_convertor({name!r}, AnyOf({', '.join(map(repr, items))}))"
            )
        for name in werkzeug:
            self.import_support(WERKZEUG_CONVERTORS[name])
            registrations.append(f"register_url_convertor({name!r}, {WERKZEUG_CONVERTORS[name]}())")
        for name in sorted(self.custom_used):
            converter = self.custom[name]
            self._import_converter(converter)
            registrations.append(f"register_url_convertor({name!r}, {converter.cls}())")
        lines = [
            cst.parse_statement(
                line.replace("'", '"') + "\n", config=updated_node.config_for_parsing
            )
            for line in registrations
        ]
        body = list(updated_node.body)
        at = _after_imports(body)
        lines[0] = lines[0].with_changes(leading_lines=[cst.EmptyLine()] if at else [])
        return updated_node.with_changes(body=[*body[:at], *lines, *body[at:]])

    def _import_converter(self, converter: Converter) -> None:
        """`from .converters import HexColor`, relative to this file."""
        here = self.info.file
        assert here is not None
        target = converter.module.with_suffix("")
        if target.name == "__init__":
            target = target.parent
        relative = os.path.relpath(target, here.parent).split(os.sep)
        ups = relative.count("..")
        module = ".".join(part for part in relative if part != "..")
        self.add_needed_import(module, converter.cls, relative=ups + 1)

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
            converted = _convert(path, self.any_convertors, self.custom, self.custom_used)
            if isinstance(converted, str):
                self.todo(decorator, converted)
                return updated_node
            new_path, route_types = converted
            self.werkzeug_used |= {n for n in WERKZEUG_CONVERTORS if f":{n}}}" in new_path.value}
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


def _convert(
    path: cst.SimpleString,
    any_convertors: dict[str, tuple[str, ...]],
    custom: Mapping[str, Converter] | None = None,
    custom_used: set[str] | None = None,
) -> tuple[cst.SimpleString, dict[str, str]] | str:
    """The Starlette path and parameter types, or why the rule can't be converted. Each
    `any(...)` converter met is added to `any_convertors` under the name the path uses."""
    raw = path.value
    body = raw[len(path.prefix) + len(path.quote) : -len(path.quote)]
    if "{" in body or "}" in body:
        return "braces in a Flask rule would be read as parameters by Starlette"
    types: dict[str, str] = {}
    problems: list[str] = []
    used: set[str] = set()

    def replace(match: re.Match[str]) -> str:
        converter, arguments, name = match.group("converter", "arguments", "name")
        if converter == "any" and arguments is not None:
            items = _any_items(arguments)
            if items is not None:
                convertor = _any_name(items)
                any_convertors[convertor] = items
                types[name] = "str"
                return "{" + name + ":" + convertor + "}"
        if custom and converter in custom and arguments is None:
            types[name] = "str"
            used.add(converter)
            return "{" + name + ":" + converter + "}"
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
    if custom_used is not None:
        custom_used |= used
    prefix = raw[: len(path.prefix) + len(path.quote)]
    return path.with_changes(value=prefix + new_body + path.quote), types


def _any_items(arguments: str) -> tuple[str, ...] | None:
    """The words of `any(png, jpg)` or `any("png", "jpg")`; None for anything else
    (keyword arguments, numbers)."""
    items = []
    for part in arguments.split(","):
        word = part.strip()
        if len(word) >= 2 and word[0] == word[-1] and word[0] in "'\"":
            word = word[1:-1]
        if not re.fullmatch(r"[A-Za-z0-9_.-]+", word):
            return None
        items.append(word)
    return tuple(items) or None


def _any_name(items: tuple[str, ...]) -> str:
    """A convertor name Starlette accepts, readable when the words are: `png_or_jpg`."""
    name = "_or_".join(items)
    if re.fullmatch(r"[A-Za-z_][A-Za-z0-9_]*", name):
        return name
    return "any_" + "_".join(re.sub(r"\W", "_", item) for item in items)


def _after_imports(body: Sequence[cst.BaseStatement]) -> int:
    at = 0
    for index, statement in enumerate(body):
        if isinstance(statement, cst.SimpleStatementLine) and all(
            isinstance(s, (cst.Import, cst.ImportFrom)) for s in statement.body
        ):
            at = index + 1
    return at


def _annotated(param: cst.Param, kind: str) -> cst.Param:
    """`name: kind`, keeping an existing annotation; `name: kind = default` spaced as PEP 8 asks."""
    if param.annotation is not None:
        return param
    spaced = cst.AssignEqual(cst.SimpleWhitespace(" "), cst.SimpleWhitespace(" "))
    return param.with_changes(
        annotation=cst.Annotation(cst.parse_expression(kind)),
        equal=spaced if param.default is not None else param.equal,
    )
