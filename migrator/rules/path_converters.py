"""Werkzeug rule syntax `/thumb/<int:width>` becomes Starlette's `/thumb/{width:flask_int}`,
and the view's parameters get the matching types (`width: int`).

Only converters whose Starlette regex matches the same URLs are converted: the default
`string`, `path` (the support module's `FlaskPath`: Starlette's takes an empty value), `int`
(`FlaskInt`: Werkzeug's `\\d+` takes every Unicode digit, Starlette's `int` only `[0-9]`),
`any(a, b)` (`AnyOf`), and `string`, `int` and `float` with Werkzeug's arguments
(`FlaskString`, `FlaskInt`, `FlaskFloat`), each registered as a convertor. Others (custom
converters with arguments, `float` ranges) are left with a TODO.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Mapping, Sequence
from pathlib import Path

import libcst as cst
from libcst import ensure_type

from migrator.rules._base import ROUTE_TRIGGERS, Rule
from migrator.rules._static import converter_registration, literal_string, passes_text, takes_map
from migrator.rules._traversal import code_of
from migrator.types import Converter

WERKZEUG_VARIABLE = re.compile(
    r"<(?:(?P<converter>[a-zA-Z_][a-zA-Z0-9_]*)(?:\((?P<arguments>.*?)\))?:)?(?P<name>[a-zA-Z_][a-zA-Z0-9_]*)>"
)
# converter -> (Starlette path suffix, parameter annotation)
CONVERTERS = {
    None: ("", "str"),
    "default": ("", "str"),
    "string": ("", "str"),
    # Werkzeug's `\d+` takes every Unicode decimal digit, Starlette's `int` only `[0-9]`
    "int": (":flask_int", "int"),
    # Starlette's `path` (`.*`) also takes an empty value: Werkzeug's `[^/].*?`
    "path": (":flask_path", "str"),
    # Starlette's own float and uuid take other URLs (`7`, lower-case only): Werkzeug's regexes
    "float": (":flask_float", "float"),
    "uuid": (":flask_uuid", "uuid.UUID"),
}
# convertor name -> the support module's convertor, registered before the routes that use it
WERKZEUG_CONVERTORS = {
    "flask_int": "FlaskInt()",
    "flask_float": "FlaskFloat()",
    "flask_path": "FlaskPath()",
    "flask_uuid": "FlaskUUID()",
}
# Werkzeug's `parse_converter_args`, restated so that the codemod never imports it: one
# `name=value` or `value` and a comma, the value a Python constant, number, word or string
CONVERTER_ARGUMENT = re.compile(
    r"""
    \s*
    ((?P<name>\w+)\s*=\s*)?
    (?P<value>
        True|False|
        \d+.\d+|
        \d+.|
        \d+|
        [\w\d_.]+|
        [urUR]?(?P<stringval>"[^"]*?"|'[^']*')
    )\s*,
    """,
    re.VERBOSE,
)
INT_DEFAULTS: dict[str, object] = {"fixed_digits": 0, "min": None, "max": None, "signed": False}
INT_NAME_PARTS = {
    "signed": "_signed",
    "fixed_digits": "_{}_digits",
    "min": "_from_{}",
    "max": "_to_{}",
}
# Werkzeug's matcher stops at the first rule whose regexes match: when `to_python` then rejects
# the value (fixed_digits, min, max) it answers 404 without trying the other rules
CHECKED_VALUE = (
    "Werkzeug answers 404 when `{}` rejects a value; FastAPI tries the next route that "
    "matches: check that no other route takes those URLs"
)
PYTHON_CONSTANTS: dict[str, object] = {"None": None, "True": True, "False": False}
# converter -> its parameters after Werkzeug's `map`, in order
PARAMETERS = {
    "default": ("minlength", "maxlength", "length"),
    "string": ("minlength", "maxlength", "length"),
    "int": ("fixed_digits", "min", "max", "signed"),
    "float": ("min", "max", "signed"),
}


class PathConverters(Rule):
    DESCRIPTION = "'/<int:id>' -> '/{id:flask_int}' with an `id: int` parameter"
    TRIGGERS = (*ROUTE_TRIGGERS, "url_map.converters")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        # registered name -> the support module's convertor: `AnyOf("a", "b")`, `FlaskInt(min=1)`
        self.convertors: dict[str, str] = {}
        # custom converters the project registers, by name, unless defined in this very file
        # (its class must exist before the registration that follows the imports)
        self.custom = {c.name: c for c in self.info.converters if c.module != self.info.file}
        # and those this file defines and registers: registered where it registered them
        self.local = _local_converters(node, self.info.file)
        # one given arguments in a rule is built per value, which must follow its class: left
        # as it is, with the routes that use it
        self.kept = {n for n in self.local if re.search(rf"<{n}\(", code_of(node))}
        for name in self.kept:
            self.custom.pop(name, None)
            del self.local[name]
        self.custom.update(self.local)
        self.custom_used: set[str] = set()
        # `<regex("[0-9]+"):x>`: registered name -> (converter name, its arguments in Python)
        self.custom_instances: dict[str, tuple[str, str]] = {}
        return True

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        # `app.url_map.converters["hex"] = HexColor`: FastAPI has no url_map; the convertor is
        # registered in each module whose routes use it, before they are declared
        small = original_node.body[0] if len(original_node.body) == 1 else None
        registration = converter_registration(small) if isinstance(small, cst.Assign) else None
        if registration is not None and registration[0] in self.local:
            # Flask compiles a rule when it is added: the converter was registered before
            name, _ = registration
            self.add_needed_import("starlette.convertors", "register_url_convertor")
            line = f'register_url_convertor("{name}", {_instance(self.local[name])})\n'
            statement = cst.parse_statement(line, config=self.module.config_for_parsing)
            return ensure_type(statement, cst.SimpleStatementLine).with_changes(
                leading_lines=updated_node.leading_lines
            )
        if (
            registration is None
            or registration[0] not in {c.name for c in self.info.converters}
            or registration[0] in self.kept
        ):
            return updated_node
        assert isinstance(small, cst.Assign)
        self.note(
            original_node,
            f"the `{registration[0]}` converter is now registered where routes use it",
        )
        self.remove_unused_import_by_node(small.value)
        return cst.RemoveFromParent()

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        # Starlette compiles a path when its route is declared: the convertors are registered
        # right after the imports, before the first route
        if "flask_uuid" in self.convertors:
            self.add_needed_import("uuid")
        if not (self.convertors or self.custom_used - set(self.local) or self.custom_instances):
            return updated_node
        self.add_needed_import("starlette.convertors", "register_url_convertor")
        registrations = []
        for name, convertor in sorted(self.convertors.items()):
            self.import_support(convertor.split("(", 1)[0])
            registrations.append(f"register_url_convertor({name!r}, {convertor})")
        for name in sorted(self.custom_used - set(self.local)):
            converter = self.custom[name]
            self._import_converter(converter)
            registrations.append(f"register_url_convertor({name!r}, {_instance(converter)})")
        for name, (used, arguments) in sorted(self.custom_instances.items()):
            converter = self.custom[used]
            self._import_converter(converter)
            registrations.append(f"register_url_convertor({name!r}, {converter.cls}({arguments}))")
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

    def _circular(self, view: cst.FunctionDef, converter: Converter) -> None:
        """A blocking TODO when the converter's module imports this one before it defines
        the class: this module's import of the class then runs into it undefined."""
        here = self.info.file
        if here is None or here.resolve() == converter.module:
            return
        own = here.parent.name if here.stem == "__init__" else here.stem
        if own in converter.imported_first:
            where = converter.module.name
            self.todo(
                view,
                f"the `{converter.name}` converter's class `{converter.cls}` is defined in"
                f" {where} after it imports this module, which now imports the class from it"
                " (Starlette needs the converter before the routes are declared): an"
                " ImportError; move the class to a module of its own",
                blocking=True,
            )

    def _import_converter(self, converter: Converter) -> None:
        """`from .converters import HexColor`, relative to this file; absolute for a top-level
        module below whose folder the converter's module is."""
        here = self.info.file
        assert here is not None
        target = converter.module.with_suffix("")
        if target.name == "__init__":
            target = target.parent
        relative = os.path.relpath(target, here.parent).split(os.sep)
        ups = relative.count("..")
        module = ".".join(part for part in relative if part != "..")
        if self.info.support_level == 0 and not ups:
            # a top-level module (its folder on sys.path), as the support module's import says
            self.add_needed_import(module, converter.cls)
            return
        self.add_needed_import(module, converter.cls, relative=ups + 1)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        types: dict[str, str] = {}
        # per rule, the view parameters it gives: its path's and its defaults' (route_decorator)
        route_types_all: list[set[str]] = []
        checked: list[tuple[cst.Decorator, str]] = []
        # registered only if every rule of the view converts
        convertors: dict[str, str] = {}
        custom_used: set[str] = set()
        custom_instances: dict[str, tuple[str, str]] = {}
        literal_rules = True
        decorators = list(updated_node.decorators)
        for index, decorator in enumerate(original_node.decorators):
            call = self.route_call(decorator)
            if call is None:
                continue
            if not call.args or call.args[0].keyword is not None:
                literal_rules = False
                route_types_all.append(set())
                continue
            path = call.args[0].value
            keys = _default_keys(call)
            literal_rules = (
                literal_rules and literal_string(path) is not None and _all_default_keys_known(call)
            )
            if not isinstance(path, cst.SimpleString) or "<" not in path.value:
                route_types_all.append(keys)
                continue
            specs: list[str] = []
            converted = _convert(
                path, convertors, self.custom, custom_used, specs, custom_instances
            )
            if isinstance(converted, str):
                self.todo(decorator, converted)
                return updated_node
            new_path, route_types = converted
            checked += [(decorator, spec) for spec in specs]
            if any(types.get(name, kind) != kind for name, kind in route_types.items()):
                self.todo(decorator, "stacked routes give one parameter different types")
                return updated_node
            types.update(route_types)
            route_types_all.append(set(route_types) | keys)
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
        in_every_rule = set.intersection(*route_types_all) if route_types_all else set()
        for param in params.params:
            if param.name.value in in_every_rule or param.name.value not in types:
                continue
            # route_decorator hides it on the rules that lack it (`view_defaults`): only a
            # literal rule says which ones, and only a default gives Flask's value there
            problem = _partial_problem(param, literal_rules)
            if problem is not None:
                self.todo(original_node, f"`{param.name.value}` {problem}")
                return updated_node
        for decorator, spec in checked:
            self.todo(decorator, CHECKED_VALUE.format(spec))
        for name in sorted(custom_used - set(self.local) - self.custom_used):
            self._circular(original_node, self.custom[name])
        self.convertors.update(convertors)
        self.custom_used |= custom_used
        self.custom_instances.update(custom_instances)
        return updated_node.with_changes(
            decorators=decorators, params=params.with_changes(params=annotated)
        )


def _custom_instance(converter: Converter, arguments: str) -> tuple[str, str] | str:
    """(registered name, the constructor's arguments in Python) for a custom converter given
    `arguments` in a rule, or why it stays: None for the map, then Werkzeug's reading of the
    arguments. The name holds a checksum of their values: two values never share a convertor."""
    parsed = _parse_arguments(arguments)
    if parsed is None:
        return f"`{converter.name}({arguments})`: Werkzeug can't parse these converter arguments"
    args, kwargs = parsed
    values = ["None", *map(repr, args), *(f"{key}={value!r}" for key, value in kwargs.items())]
    words = "_".join(re.findall(r"[A-Za-z0-9]+", arguments))[:24]
    checksum = zlib.crc32(", ".join(values).encode()) & 0xFFFFFFFF
    name = (
        f"{converter.name}_{words}_{checksum:08x}" if words else f"{converter.name}_{checksum:08x}"
    )
    return name, ", ".join(values)


def _instance(converter: Converter) -> str:
    """The registered instance: Werkzeug builds a converter with the URL map, which FastAPI
    doesn't have (None, for an `__init__` that takes it)."""
    return f"{converter.cls}(None)" if converter.takes_map else f"{converter.cls}()"


def _partial_problem(param: cst.Param, literal_rules: bool) -> str | None:
    """Why a parameter that only some of the stacked rules give can't be left to the view's
    default on the others; None when it can."""
    if param.default is None:
        return (
            "is a path parameter of only some of the stacked rules and has no default"
            " (Flask answers 500 on the others); give it one"
        )
    if not literal_rules:
        return (
            "is a path parameter of only some of the stacked rules, and a rule or its"
            " defaults= is not a literal; FastAPI would read it from the query string on the"
            " others"
        )
    return None


def _default_keys(call: cst.Call) -> set[str]:
    """The literal keys of the rule's `defaults=` dict: parameters the rule gives the view."""
    defaults = _defaults_argument(call)
    if not isinstance(defaults, cst.Dict):
        return set()
    return {
        key
        for element in defaults.elements
        if isinstance(element, cst.DictElement) and (key := literal_string(element.key)) is not None
    }


def _all_default_keys_known(call: cst.Call) -> bool:
    """Whether `_default_keys` is every key the rule's `defaults=` may give (none, or a
    dict of literal keys without `**more`)."""
    defaults = _defaults_argument(call)
    return defaults is None or (
        isinstance(defaults, cst.Dict)
        and all(
            isinstance(element, cst.DictElement) and literal_string(element.key) is not None
            for element in defaults.elements
        )
    )


def _defaults_argument(call: cst.Call) -> cst.BaseExpression | None:
    return next(
        (a.value for a in call.args if a.keyword is not None and a.keyword.value == "defaults"),
        None,
    )


def _convert(
    path: cst.SimpleString,
    convertors: dict[str, str],
    custom: Mapping[str, Converter] | None = None,
    custom_used: set[str] | None = None,
    checked: list[str] | None = None,
    custom_instances: dict[str, tuple[str, str]] | None = None,
) -> tuple[cst.SimpleString, dict[str, str]] | str:
    """The Starlette path and parameter types, or why the rule can't be converted. The
    support module's convertors the path uses are added to `convertors`, by name, and the
    converters whose value Werkzeug checks after matching to `checked`."""
    raw = path.value
    body = raw[len(path.prefix) + len(path.quote) : -len(path.quote)]
    outside = WERKZEUG_VARIABLE.sub("", body)  # a converter's arguments may hold braces
    if "{" in outside or "}" in outside:
        return "braces in a Flask rule would be read as parameters by Starlette"
    types: dict[str, str] = {}
    problems: list[str] = []
    used: set[str] = set()
    registered: dict[str, str] = {}
    found_checked: list[str] = []
    instances: dict[str, tuple[str, str]] = {}

    def replace(match: re.Match[str]) -> str:
        converter, arguments, name = match.group("converter", "arguments", "name")
        if converter == "any" and arguments is not None:
            items = _any_items(arguments)
            if items is not None:
                convertor = _any_name(items)
                registered[convertor] = f"AnyOf({', '.join(map(repr, items))})"
                types[name] = "str"
                return "{" + name + ":" + convertor + "}"
        if custom and converter in custom and arguments is not None and custom[converter].takes_map:
            # Werkzeug builds the converter with the map and these arguments, per rule
            instance = _custom_instance(custom[converter], arguments)
            if isinstance(instance, str):
                problems.append(instance)
                return match.group(0)
            instances[instance[0]] = (converter, instance[1])
            types[name] = "str" if custom[converter].passes_text else ""
            return "{" + name + ":" + instance[0] + "}"
        if custom and converter in custom and (arguments is None or custom[converter].passes_text):
            # arguments to a class without an `__init__`: BaseConverter's takes and ignores them
            # a converter's to_python may give any type: FastAPI then takes the value as it is
            types[name] = "str" if custom[converter].passes_text else ""
            used.add(converter)
            return "{" + name + ":" + converter + "}"
        if converter in PARAMETERS and arguments is not None:
            with_arguments = _with_arguments(converter, arguments)
            if isinstance(with_arguments, str):
                problems.append(with_arguments)
                return match.group(0)
            convertor, expression, kind = with_arguments
            if converter == "int" and re.search("_digits|_from_|_to_", convertor):
                found_checked.append(f"{converter}({arguments})")
            if expression is not None:
                registered[convertor] = expression
            types[name] = kind
            return "{" + name + (":" + convertor if convertor else "") + "}"
        if converter not in CONVERTERS or arguments is not None:
            spec = f"{converter}({arguments})" if arguments is not None else converter
            problems.append(f"the `{spec}` converter has no exact Starlette equivalent yet")
            return match.group(0)
        suffix, kind = CONVERTERS[converter]
        types[name] = kind
        if suffix[1:] in WERKZEUG_CONVERTORS:
            registered[suffix[1:]] = WERKZEUG_CONVERTORS[suffix[1:]]
        return "{" + name + suffix + "}"

    new_body = WERKZEUG_VARIABLE.sub(replace, body)
    if problems:
        return problems[0]
    convertors.update(registered)
    if checked is not None:
        checked += found_checked
    if custom_used is not None:
        custom_used |= used
    if custom_instances is not None:
        custom_instances.update(instances)
    prefix = raw[: len(path.prefix) + len(path.quote)]
    return path.with_changes(value=prefix + new_body + path.quote), types


def _with_arguments(converter: str, arguments: str) -> tuple[str, str | None, str] | str:
    """(convertor name, the support module's convertor, parameter type) for Werkzeug's
    `string`, `int` or `float` converter with `arguments`, or why it stays as it is. A
    `string` argument list that changes nothing gives Starlette's own `str` (name "")."""
    spec = f"{converter}({arguments})"
    values = _parse_arguments(arguments)
    if values is None:
        return f"Werkzeug can't parse the arguments of `{spec}` (Flask fails on this rule)"
    bound = _bind(PARAMETERS[converter], *values)
    if bound is None:
        return f"`{spec}` passes arguments Werkzeug's `{converter}` converter doesn't take"
    if converter == "float" and (bound.get("min") is not None or bound.get("max") is not None):
        return (
            f"`{spec}`: float() rounds to the nearest double, so an exact regex for the range "
            "needs the midpoints between doubles; not converted yet, check the bounds by hand"
        )
    if not all(_plain_value(name, value) for name, value in bound.items()):
        return (
            f"`{spec}` has an argument value migrator doesn't convert "
            "(it takes whole numbers, and True or False for `signed`)"
        )
    if converter == "float":
        return (
            ("flask_float_signed", "FlaskFloat(signed=True)", "float")
            if bound.get("signed")
            else ("flask_float", "FlaskFloat()", "float")
        )
    if converter == "int":
        return _int_convertor(bound)
    return _string_convertor(spec, bound)


def _parse_arguments(text: str) -> tuple[list[object], dict[str, object]] | None:
    """Werkzeug's `parse_converter_args`: positional and keyword values; None where Werkzeug
    raises (text before a `value,` or `name=value,`; text after the last one is ignored)."""
    text += ","
    args: list[object] = []
    kwargs: dict[str, object] = {}
    position = 0
    for item in CONVERTER_ARGUMENT.finditer(text):
        if item.start() != position:
            return None
        value = _pythonize(item.group("stringval") or item.group("value"))
        if item.group("name"):
            kwargs[item.group("name")] = value
        else:
            args.append(value)
        position = item.end()
    return args, kwargs


def _pythonize(value: str) -> object:
    """Werkzeug's `_pythonize`: a constant, an int, a float, or the text unquoted."""
    if value in PYTHON_CONSTANTS:
        return PYTHON_CONSTANTS[value]
    for convert in (int, float):
        try:
            return convert(value)
        except ValueError:
            pass
    if value[:1] == value[-1:] and value[0] in "\"'":
        value = value[1:-1]
    return value


def _bind(
    parameters: tuple[str, ...], args: list[object], kwargs: dict[str, object]
) -> dict[str, object] | None:
    """The arguments by parameter name, as Python binds them; None where it raises TypeError."""
    if len(args) > len(parameters):
        return None
    bound = dict(zip(parameters, args, strict=False))
    if any(name not in parameters or name in bound for name in kwargs):
        return None
    return {**bound, **kwargs}


def _plain_value(name: str, value: object) -> bool:
    """Whether the value is one the support module's convertor is written for."""
    if name == "signed":
        return isinstance(value, bool)
    if name in {"min", "max", "maxlength", "length"} and value is None:
        return True
    return isinstance(value, int) and not isinstance(value, bool)


def _int_convertor(bound: dict[str, object]) -> tuple[str, str, str]:
    """`flask_int_signed_4_digits_from_1_to_9000`, `FlaskInt(fixed_digits=4, min=1, ...)`."""
    given = {name: value for name, value in bound.items() if value != INT_DEFAULTS[name]}
    name = "flask_int" + "".join(
        part.format(given[parameter])
        for parameter, part in INT_NAME_PARTS.items()
        if parameter in given
    )
    keywords = [
        f"{parameter}={given[parameter]!r}" for parameter in INT_DEFAULTS if parameter in given
    ]
    return name, f"FlaskInt({', '.join(keywords)})", "int"


def _string_convertor(spec: str, bound: dict[str, object]) -> tuple[str, str | None, str] | str:
    minlength, maxlength, length = (
        bound.get("minlength", 1),
        bound.get("maxlength"),
        bound.get("length"),
    )
    assert isinstance(minlength, int)
    if length is not None:
        return f"flask_string_length_{length}", f"FlaskString(length={length})", "str"
    if maxlength is None:
        if minlength == 1:
            return "", None, "str"  # Werkzeug's `[^/]{1,}` is Starlette's `[^/]+`
        return f"flask_string_{minlength}_or_more", f"FlaskString(minlength={minlength})", "str"
    assert isinstance(maxlength, int)
    if maxlength < minlength:
        return f"`{spec}` has maxlength below minlength: Werkzeug's regex fails to compile"
    return (
        f"flask_string_{minlength}_to_{maxlength}",
        f"FlaskString(minlength={minlength}, maxlength={maxlength})",
        "str",
    )


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
    if param.annotation is not None or not kind:
        return param
    spaced = cst.AssignEqual(cst.SimpleWhitespace(" "), cst.SimpleWhitespace(" "))
    return param.with_changes(
        annotation=cst.Annotation(cst.parse_expression(kind)),
        equal=spaced if param.default is not None else param.equal,
    )


def _local_converters(module: cst.Module, path: Path | None) -> dict[str, Converter]:
    """The converters `module` registers (`app.url_map.converters["hex"] = Hex`) whose class
    it defines itself, by name."""
    classes = {s.name.value: s for s in module.body if isinstance(s, cst.ClassDef)}
    found: dict[str, Converter] = {}
    for statement in module.body:
        small = statement.body[0] if isinstance(statement, cst.SimpleStatementLine) else None
        registration = converter_registration(small) if isinstance(small, cst.Assign) else None
        if registration is not None and registration[1] in classes:
            name, cls = registration
            found[name] = Converter(
                name,
                path or Path("<string>"),
                cls,
                passes_text(classes[cls]),
                takes_map(classes[cls]),
            )
    return found
