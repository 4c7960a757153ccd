"""Static facts about expressions: is this bytes, a generator, which files can this path be?

Everything here reads code; nothing imports or runs it. Each answer is conservative: None or
False means "not known", and the rules then leave the code alone with a TODO.
"""

from __future__ import annotations

import functools
import itertools
import mimetypes
import os
import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import libcst as cst
from libcst.helpers import get_full_name_for_node

from migrator.rules._traversal import children_of, fast_traversal
from migrator.types import Converter

# Methods whose result is `bytes` or `str` whatever the receiver (BytesIO, a file, Path, str).
TEXT_OR_BYTES_METHODS = frozenset(
    {
        "getvalue",
        "read",
        "read_bytes",
        "read_text",
        "encode",
        "decode",
        "tobytes",
        "format",
        "join",
        "replace",
        "strip",
        "lower",
        "upper",
    }
)
TEXT_OR_BYTES_CALLS = frozenset(
    {"json.dumps", "bytes", "str", "base64.b64decode", "base64.b64encode"}
)
# Flask's render_template (or the support module's): a str, unless the module defines its own
TEMPLATE_CALLS = frozenset(
    {
        "render_template",
        "render_template_string",
        "flask.render_template",
        "flask.render_template_string",
    }
)
# Response classes a module's own response class is made on, by their last name
RESPONSE_BASES = frozenset(
    {"Response", "FlaskResponse", "StreamingResponse", "HTMLResponse", "PlainTextResponse"}
)
MAX_PATHS = 64
# how many folders up an absolute import is looked for in the project
ABSOLUTE_IMPORT_LEVELS = 3
MAX_DIRECTORY_FILES = 500


def body_statements(function: cst.FunctionDef) -> Iterator[cst.CSTNode]:
    """Every node of `function`'s body; nested functions and classes are yielded, not entered."""
    stack: list[cst.CSTNode] = [function.body]
    while stack:
        node = stack.pop()
        yield node
        if node is function.body or not isinstance(
            node, (cst.FunctionDef, cst.ClassDef, cst.Lambda)
        ):
            stack.extend(reversed(children_of(node)))


def assignments(scope: cst.CSTNode, name: str) -> list[cst.BaseExpression] | None:
    """The values assigned to `name` in `scope` (a function or module body), or None if the
    name is also bound some other way (a loop, `with ... as`, a parameter, an import)."""
    values: list[cst.BaseExpression] = []
    nodes = body_statements(scope) if isinstance(scope, cst.FunctionDef) else _module_level(scope)
    for node in nodes:
        if isinstance(node, cst.Assign):
            for target in node.targets:
                if isinstance(target.target, cst.Name) and target.target.value == name:
                    values.append(node.value)
                elif _binds(target.target, name):
                    return None
        elif _binds_otherwise(node, name):
            return None
    if isinstance(scope, cst.FunctionDef) and any(
        p.name.value == name for p in _all_params(scope.params)
    ):
        return None
    return values


def _binds_otherwise(node: cst.CSTNode, name: str) -> bool:
    """True when `node` binds `name` other than by a plain assignment."""
    if isinstance(node, (cst.For, cst.AugAssign, cst.AnnAssign, cst.NamedExpr)):
        return _binds(node.target, name)
    if isinstance(node, cst.AsName):
        return _binds(node.name, name)
    if isinstance(node, (cst.FunctionDef, cst.ClassDef)):
        return node.name.value == name
    return False


def _module_level(module: cst.CSTNode) -> Iterator[cst.CSTNode]:
    if isinstance(module, cst.Module):
        for statement in module.body:
            if isinstance(statement, cst.SimpleStatementLine):
                yield from statement.body
            else:
                yield statement


def _binds(target: cst.CSTNode, name: str) -> bool:
    """True when assigning to `target` rebinds `name` (`x.attr = ...` and `x[k] = ...` don't)."""
    if isinstance(target, cst.Name):
        return target.value == name
    if isinstance(target, (cst.Tuple, cst.List)):
        return any(_binds(element.value, name) for element in target.elements)
    if isinstance(target, cst.StarredElement):
        return _binds(target.value, name)
    return False


def _all_params(params: cst.Parameters) -> list[cst.Param]:
    star = [params.star_arg] if isinstance(params.star_arg, cst.Param) else []
    kwargs = [params.star_kwarg] if params.star_kwarg is not None else []
    return [*params.posonly_params, *params.params, *star, *params.kwonly_params, *kwargs]


def function_named(scope: cst.CSTNode, name: str) -> cst.FunctionDef | None:
    """A function called `name` defined directly in `scope` (a module or a function body)."""
    body = scope.body.body if isinstance(scope, cst.FunctionDef) else getattr(scope, "body", ())
    for statement in body:
        if isinstance(statement, cst.FunctionDef) and statement.name.value == name:
            return statement
    return None


def is_response_subclass(module: cst.Module, func: cst.BaseExpression, depth: int = 0) -> bool:
    """True when `func` names a class of `module` made on a response class, Flask's or
    Starlette's or the support module's (`class PNG(Response)`), or on such a class of it."""
    found = None
    if isinstance(func, cst.Name) and depth <= 2:
        found = next(
            (s for s in module.body if isinstance(s, cst.ClassDef) and s.name.value == func.value),
            None,
        )
    return found is not None and any(
        (get_full_name_for_node(base.value) or "").rpartition(".")[2] in RESPONSE_BASES
        or is_response_subclass(module, base.value, depth + 1)
        for base in found.bases
    )


def is_generator_function(function: cst.FunctionDef) -> bool:
    return any(isinstance(node, cst.Yield) for node in body_statements(function))


def returns(function: cst.FunctionDef) -> list[cst.BaseExpression | None]:
    return [n.value for n in body_statements(function) if isinstance(n, cst.Return)]


class ModuleIndex:
    """Read-only access to a module and the sibling modules it imports from, by file path."""

    def __init__(self, module: cst.Module, path: Path | None) -> None:
        self.module = module
        self.path = path

    def imported(self, name: str) -> tuple[ModuleIndex, str] | None:
        """Follow `from .x import name` (or `from pkg.x import name` inside this package)
        to the module that defines `name`."""
        if self.path is None:
            return None
        for node in _module_level(self.module):
            if not isinstance(node, cst.ImportFrom) or isinstance(node.names, cst.ImportStar):
                continue
            for alias in node.names:
                local = alias.evaluated_alias or alias.evaluated_name
                if local != name:
                    continue
                target = self._module_file(node)
                tree = parse_file(target) if target is not None else None
                if tree is None or target is None:
                    return None
                return ModuleIndex(tree, target), alias.evaluated_name
        return None

    def defining(self, name: str, hops: int = 4) -> tuple[ModuleIndex, str]:
        """The module defining `name` and its name there: `imported` followed through
        re-exports (`from .views import bp` in a package's `__init__.py`)."""
        index = self
        for _ in range(hops):
            found = index.imported(name)
            if found is None:
                break
            index, name = found
        return index, name

    def imported_module(self, name: str) -> ModuleIndex | None:
        """The project module bound to `name` by an import anywhere in this module (a
        factory imports its blueprint modules in its body): `from . import name`, `from .pkg
        import name`, `from pkg import name`, `import pkg.name as name`."""
        if self.path is None:
            return None
        target = None
        for node in _imports(self.module):
            if isinstance(node, cst.ImportFrom):
                for alias in node.names:  # type: ignore[union-attr]
                    if (alias.evaluated_alias or alias.evaluated_name) != name:
                        continue
                    package = self._module_file(node)
                    if package is None or package.name != "__init__.py":
                        return None
                    target = _module_at(package.parent / alias.evaluated_name)
                    break
            else:
                for alias in node.names:
                    if alias.evaluated_alias != name:
                        continue
                    dotted = alias.evaluated_name.split(".")
                    for folder in list(self.path.parents)[:ABSOLUTE_IMPORT_LEVELS]:
                        target = _module_at(folder.joinpath(*dotted))
                        if target is not None:
                            break
            if target is not None:
                break
        tree = parse_file(target) if target is not None else None
        return ModuleIndex(tree, target) if tree is not None and target is not None else None

    def _module_file(self, node: cst.ImportFrom) -> Path | None:
        assert self.path is not None
        dotted = (get_full_name_for_node(node.module) if node.module is not None else "") or ""
        if not node.relative:
            # `from helpers import f` beside a script, or `from pkg.helpers import f` inside
            # the project: the nearest folder up that holds the module
            for folder in list(self.path.parents)[:ABSOLUTE_IMPORT_LEVELS]:
                found = _module_at(folder.joinpath(*dotted.split(".")))
                if found is not None:
                    return found
            return None
        folder = self.path.parent
        for _ in range(len(node.relative) - 1):
            folder = folder.parent
        return _module_at(folder.joinpath(*dotted.split(".")) if dotted else folder)


def _imports(module: cst.Module) -> list[cst.Import | cst.ImportFrom]:
    """Every `import x` and `from ... import names` (not `*`) in `module`, at any depth."""

    class _Found(cst.CSTVisitor):
        def __init__(self) -> None:
            self.found: list[cst.Import | cst.ImportFrom] = []

        def visit_Import(self, node: cst.Import) -> None:
            self.found.append(node)

        def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
            if not isinstance(node.names, cst.ImportStar):
                self.found.append(node)

    finder = _Found()
    module.visit(finder)
    return finder.found


def _module_at(base: Path) -> Path | None:
    for candidate in (base.with_suffix(".py"), base / "__init__.py"):
        if candidate.is_file():
            return candidate
    return None


PARSED_FILES = 256  # the trees of files kept, the last parsed


@functools.lru_cache(maxsize=PARSED_FILES)
def parse_file(path: Path) -> cst.Module | None:
    try:
        text = path.read_bytes().decode("utf-8")
        tree = cst.parse_module(text)
    except (OSError, UnicodeDecodeError, cst.ParserSyntaxError):
        return None
    with _KEEPING:
        _BY_TEXT[text] = tree
        if len(_BY_TEXT) > PARSED_FILES:
            del _BY_TEXT[next(iter(_BY_TEXT))]
    return tree


# the trees `parse_file` made, by their text: a file the project scans parsed is not parsed
# again to be migrated (`migrator.api`), here or in a worker process forked after the scans
_BY_TEXT: dict[str, cst.Module] = {}
_KEEPING = threading.Lock()  # threads migrating at once (`migrate_source` is thread-safe)


def already_parsed(text: str) -> cst.Module | None:
    """The tree of `text` if `parse_file` parsed a file holding it (trees don't change)."""
    return _BY_TEXT.get(text)


def module_constant(index: ModuleIndex, name: str) -> tuple[ModuleIndex, cst.BaseExpression] | None:
    """The single module-level value of `name`, following imports from sibling modules."""
    values = assignments(index.module, name)
    if values is None:
        return None
    if len(values) == 1:
        return index, values[0]
    if not values:
        found = index.imported(name)
        if found is not None:
            return module_constant(*found)
    return None


def looks_like_text_or_bytes(
    expr: cst.BaseExpression, index: ModuleIndex, scope: cst.FunctionDef | None, depth: int = 0
) -> bool:
    """True when `expr` certainly evaluates to `str` or `bytes` (never an iterator)."""
    if depth > 4:
        return False
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return True
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, (cst.Add, cst.Modulo)):
        return looks_like_text_or_bytes(expr.left, index, scope, depth + 1)
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Multiply):
        # `b"ab" * 4`, `4 * "-"`: a repetition is of the text or bytes on either side
        return any(
            looks_like_text_or_bytes(side, index, scope, depth + 1)
            for side in (expr.left, expr.right)
        )
    if isinstance(expr, cst.Call):
        func = expr.func
        if isinstance(func, cst.Attribute) and func.attr.value in TEXT_OR_BYTES_METHODS:
            return True
        if get_full_name_for_node(func) in TEXT_OR_BYTES_CALLS:
            return True
        if get_full_name_for_node(func) in TEMPLATE_CALLS and _not_defined_here(func, index):
            return True
        if isinstance(func, cst.Name):
            return _function_returns_text(func.value, index, scope, depth)
        return False
    if isinstance(expr, cst.Name):
        values = assignments(scope, expr.value) if scope is not None else []
        if values is None:
            return False
        if values:
            return all(looks_like_text_or_bytes(v, index, scope, depth + 1) for v in values)
        found = module_constant(index, expr.value)
        return found is not None and looks_like_text_or_bytes(found[1], found[0], None, depth + 1)
    return False


CACHES = frozenset({"functools.cache", "functools.lru_cache"})


def _caches(decorator: cst.Decorator, module: cst.Module) -> bool:
    """`@functools.lru_cache(...)` or `@cache` from functools: calls return what the function
    returns (a PNG drawn once is still bytes)."""
    expression = decorator.decorator
    name = get_full_name_for_node(
        expression.func if isinstance(expression, cst.Call) else expression
    )
    return name in CACHES or any(
        isinstance(node, cst.ImportFrom)
        and get_full_name_for_node(node.module or cst.Name("_")) == "functools"
        and not isinstance(node.names, cst.ImportStar)
        and any(
            alias.evaluated_alias is None and alias.evaluated_name == name for alias in node.names
        )
        for node in _module_level(module)
    )


def _not_defined_here(func: cst.BaseExpression, index: ModuleIndex) -> bool:
    return not isinstance(func, cst.Name) or function_named(index.module, func.value) is None


def _function_returns_text(
    name: str, index: ModuleIndex, scope: cst.FunctionDef | None, depth: int
) -> bool:
    function = (function_named(scope, name) if scope is not None else None) or function_named(
        index.module, name
    )
    if function is None:
        found = index.imported(name)
        if found is None:
            return False
        index, name = found
        function = function_named(index.module, name)
    # a decorator may change what a call returns, and a view's or handler's returns are
    # converted to responses (`return other_view()` would become `Response(content=<Response>)`)
    if (
        function is None
        or not all(_caches(d, index.module) for d in function.decorators)
        or is_generator_function(function)
    ):
        return False
    values = returns(function)
    return bool(values) and all(
        v is not None and looks_like_text_or_bytes(v, index, function, depth + 1) for v in values
    )


def is_generator(
    expr: cst.BaseExpression, index: ModuleIndex, scope: cst.FunctionDef | None
) -> bool:
    """True when `expr` is a generator: a generator expression, or a call of a generator
    function defined in the view, in this module, or imported from a sibling module."""
    if isinstance(expr, cst.GeneratorExp):
        return True
    if isinstance(expr, cst.Call) and get_full_name_for_node(expr.func) in {
        "stream_with_context",
        "flask.stream_with_context",
    }:
        return len(expr.args) == 1 and is_generator(expr.args[0].value, index, scope)
    if not (isinstance(expr, cst.Call) and isinstance(expr.func, cst.Name)):
        return False
    name = expr.func.value
    function = (function_named(scope, name) if scope is not None else None) or function_named(
        index.module, name
    )
    if function is None and (found := index.imported(name)) is not None:
        function = function_named(found[0].module, found[1])
    return function is not None and is_generator_function(function)


def literal_string(expr: cst.BaseExpression | None) -> str | None:
    if isinstance(expr, (cst.SimpleString, cst.ConcatenatedString)):
        value = expr.evaluated_value
        return value if isinstance(value, str) else None
    return None


def evaluate_paths(
    expr: cst.BaseExpression, index: ModuleIndex, scope: cst.FunctionDef | None, depth: int = 0
) -> set[str] | None:
    """Every string value a path expression can take, when that is knowable statically:
    literals, `__file__`, `os.path.join/dirname/abspath`, `Path(...) / "x"`, `.parent`, module
    constants (also imported ones) and subscripts of module-level dict literals."""
    if depth > 8:
        return None
    if (text := literal_string(expr)) is not None:
        return {text}
    if isinstance(expr, cst.Name):
        if expr.value == "__file__":
            return {str(index.path)} if index.path is not None else None
        values = assignments(scope, expr.value) if scope is not None else []
        if values:
            return _union(evaluate_paths(v, index, scope, depth + 1) for v in values)
        found = module_constant(index, expr.value)
        return evaluate_paths(found[1], found[0], None, depth + 1) if found else None
    if isinstance(expr, cst.Subscript):
        found = (
            module_constant(index, expr.value.value) if isinstance(expr.value, cst.Name) else None
        )
        if found is None or not isinstance(found[1], cst.Dict):
            return None
        return _union(
            evaluate_paths(e.value, found[0], None, depth + 1)
            for e in found[1].elements
            if isinstance(e, cst.DictElement)
        )
    if isinstance(expr, cst.BinaryOperation) and isinstance(expr.operator, cst.Divide):
        return _join(expr.left, expr.right, index=index, scope=scope, depth=depth)
    if isinstance(expr, cst.Attribute) and expr.attr.value == "parent":
        inner = evaluate_paths(expr.value, index, scope, depth + 1)
        return {os.path.dirname(p) for p in inner} if inner is not None else None
    if isinstance(expr, cst.Call):
        return _evaluate_call(expr, index, scope, depth)
    return None


def _evaluate_call(
    call: cst.Call, index: ModuleIndex, scope: cst.FunctionDef | None, depth: int
) -> set[str] | None:
    name = get_full_name_for_node(call.func) or ""
    args = [a.value for a in call.args if a.keyword is None and not a.star]
    if len(args) != len(call.args):
        return None
    if name in {"os.path.join", "path.join", "join"} and args:
        return _join(*args, index=index, scope=scope, depth=depth)
    unary: dict[str, Callable[[str], str]] = {
        "os.path.dirname": os.path.dirname,
        "os.path.abspath": os.path.abspath,
        "os.path.realpath": os.path.abspath,
        "os.path.normpath": os.path.normpath,
        "Path": str,
        "pathlib.Path": str,
        "os.fspath": str,
        "str": str,
    }
    if name in unary and len(args) == 1:
        inner = evaluate_paths(args[0], index, scope, depth + 1)
        return {unary[name](p) for p in inner} if inner is not None else None
    if isinstance(call.func, cst.Attribute) and call.func.attr.value in {"resolve", "absolute"}:
        inner = evaluate_paths(call.func.value, index, scope, depth + 1)
        return {os.path.abspath(p) for p in inner} if inner is not None else None
    return None


def _join(
    *parts: cst.BaseExpression, index: ModuleIndex, scope: cst.FunctionDef | None, depth: int
) -> set[str] | None:
    values = [evaluate_paths(p, index, scope, depth + 1) for p in parts]
    if any(v is None for v in values):
        return None
    joined = {os.path.join(*combo) for combo in itertools.product(*values)}  # type: ignore[arg-type]
    return joined if len(joined) <= MAX_PATHS else None


def _union(sets: Iterator[set[str] | None]) -> set[str] | None:
    result: set[str] = set()
    for item in sets:
        if item is None:
            return None
        result |= item
    return result if len(result) <= MAX_PATHS else None


def guess_mimetype(filename: str) -> str | None:
    return mimetypes.guess_type(filename)[0]


def directory_mimetypes(directory: str) -> set[str] | None:
    """The media types of the files under `directory` as it is now (None if not a folder)."""
    if not os.path.isdir(directory):
        return None
    found: set[str] = set()
    for count, path in enumerate(Path(directory).rglob("*")):
        if count > MAX_DIRECTORY_FILES:
            return None
        if path.is_file() and (kind := guess_mimetype(path.name)) is not None:
            found.add(kind)
    return found


def converter_registration(node: cst.Assign) -> tuple[str, str] | None:
    """("name", "Class") of `X.url_map.converters["name"] = Class`, else None."""
    target = node.targets[0].target if len(node.targets) == 1 else None
    if not (
        isinstance(target, cst.Subscript)
        and isinstance(target.value, cst.Attribute)
        and target.value.attr.value == "converters"
        and isinstance(target.value.value, cst.Attribute)
        and target.value.value.attr.value == "url_map"
        and len(target.slice) == 1
        and isinstance(target.slice[0].slice, cst.Index)
        and isinstance(node.value, cst.Name)
    ):
        return None
    name = literal_string(target.slice[0].slice.value)
    return (name, node.value.value) if name is not None and name.isidentifier() else None


def converters_in(path: Path) -> list[Converter]:
    """The `X.url_map.converters["name"] = Class` of the file at `path` (resolved), in order,
    each with its class followed to the module that defines it: a module of the project the
    file imports it from, or the file itself (`migrator.project.scan`); none if it doesn't
    parse, nor for a class found in neither."""
    tree = parse_file(path)
    if tree is None:
        return []
    with fast_traversal():
        registrations = _Registrations()
        tree.visit(registrations)
        index = ModuleIndex(tree, path)
    found = []
    for name, cls in registrations.found:
        imported = index.imported(cls)
        if imported is not None and imported[0].path is not None:
            module, cls = imported[0].module, imported[1]
            defined = _class(module, cls)
            passes = defined is None or passes_text(defined)
            init = defined is not None and takes_map(defined)
            first = _imported_before(module, cls)
            found.append(Converter(name, imported[0].path, cls, passes, init, first))
        elif (defined := _class(tree, cls)) is not None:
            first = _imported_before(tree, cls)
            converter = Converter(name, path, cls, passes_text(defined), takes_map(defined), first)
            found.append(converter)
    return found


def _imported_before(module: cst.Module, name: str) -> frozenset[str]:
    """The last names of the modules and names the top-level imports of `module` above class
    `name` import (`views` of `from shop.views import bp`, `bp` too)."""
    words: set[str] = set()
    for statement in module.body:
        if isinstance(statement, cst.ClassDef) and statement.name.value == name:
            break
        if not isinstance(statement, cst.SimpleStatementLine):
            continue
        for small in statement.body:
            dotted: list[cst.BaseExpression] = []
            if isinstance(small, cst.Import):
                dotted = [alias.name for alias in small.names]
            elif isinstance(small, cst.ImportFrom):
                dotted = [small.module] if small.module is not None else []
                if not isinstance(small.names, cst.ImportStar):
                    dotted += [alias.name for alias in small.names]
            words.update(
                full.rpartition(".")[2]
                for node in dotted
                if (full := get_full_name_for_node(node)) is not None
            )
    return frozenset(words)


def _class(module: cst.Module, name: str) -> cst.ClassDef | None:
    return next(
        (s for s in module.body if isinstance(s, cst.ClassDef) and s.name.value == name), None
    )


class _Registrations(cst.CSTVisitor):
    def __init__(self) -> None:
        self.found: list[tuple[str, str]] = []

    def visit_Assign(self, node: cst.Assign) -> None:
        registration = converter_registration(node)
        if registration is not None:
            self.found.append(registration)


# bases of a converter class that pass the matched text to the view: Werkzeug's, and the
# support module's it becomes (`IntegerConverter`'s give an int)
TEXT_CONVERTER_BASES = frozenset(
    {"BaseConverter", "RegexConvertor", "WerkzeugConvertor", "FlaskConverter"}
)


def passes_text(cls: cst.ClassDef) -> bool:
    """A converter class without a `to_python` of its own, on a base that passes the text:
    views get the matched text."""
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    bases = {get_full_name_for_node(b.value) or "" for b in cls.bases}
    return all(b.rsplit(".", 1)[-1] in TEXT_CONVERTER_BASES for b in bases) and not any(
        isinstance(s, cst.FunctionDef) and s.name.value == "to_python" for s in body
    )


def takes_map(cls: cst.ClassDef) -> bool:
    """A converter class with an `__init__` of its own: Werkzeug passes it the URL map."""
    body = cls.body.body if isinstance(cls.body, cst.IndentedBlock) else ()
    return any(isinstance(s, cst.FunctionDef) and s.name.value == "__init__" for s in body)
