"""`@app.route(path, methods=[...])` becomes one FastAPI decorator per method, with the view's
media types documented in OpenAPI.

`@app.get(path, response_class=Response, responses={200: {"content": {"image/png": {}}}})`
makes `/docs` show an image instead of JSON. HEAD, which Flask answers on every GET route, needs
no decorator: the app and its routers answer it through the support module's `automatic_head`
(see the `app_object` and `blueprints` rules), and OpenAPI shows GET only.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

import libcst as cst
from libcst import ensure_type
from libcst.helpers import get_full_name_for_node

from migrator.project import LOOSE_SLASHES
from migrator.rules._base import ROUTE_METHODS, ROUTE_TRIGGERS, SUPPORT_MODULE, Rule
from migrator.rules._responses import keyword, with_commas
from migrator.rules._static import (
    assignments,
    body_statements,
    directory_mimetypes,
    evaluate_paths,
    function_named,
    guess_mimetype,
    is_response_subclass,
    literal_string,
    returns,
)
from migrator.rules._traversal import code_of

RESPONSE_CLASSES = frozenset(
    {
        "Response",
        "StreamingResponse",
        "FlaskFileResponse",
        "FileResponse",
        "HTMLResponse",
        "PlainTextResponse",
        "JSONResponse",
        "RedirectResponse",
    }
)
FASTAPI_RESPONSES = RESPONSE_CLASSES - {"FlaskFileResponse"}
# the support module's: a file response, and the function giving one for a folder's file
FILE_RESPONSES = frozenset({"FlaskFileResponse", "send_from_directory"})
PARAMETER = re.compile(r"{[^}:]+(?::(\w+))?}")
# Starlette convertors (after path_converters) that match neither "" nor "/", as Werkzeug's
# string, int, float and uuid: a `strict_slashes=False` rule using only these also takes `rule/`.
# the parameter names of a rule, converted (`{page:flask_int}`) or not (`<int:page>`)
RULE_PARAMETER = re.compile(r"{(\w+)[^}]*}|<(?:[^>]*:)?(\w+)>")
SEGMENT_CONVERTORS = frozenset({"", "int", "flask_int", "flask_float", "flask_uuid"})
LOOSE_SLASH_RULE = (
    "strict_slashes=False on a rule ending in `/`: converted (the rule also answers without"
    " the slash and with two), but there other methods answer 405 where Flask answers 404"
)
MISSING_PARAMETER = (
    "the rule gives no `{}`, which has no default: Flask calls the view without it, a"
    " TypeError (500) on every request, kept so; give the parameter a default or put it in the rule"
)
# the last statement of a view that can end without returning (Flask's answer is its 500 page)
FELL_OFF = 'raise TypeError("The view function did not return a valid response.")\n'
# calls that never return: a view ending with one does not fall off its end
NEVER_RETURN = frozenset({"abort", "flask.abort", "sys.exit", "exit", "os._exit"})


def _view_falls_off(view: cst.FunctionDef) -> bool:
    block = view.body
    if isinstance(block, cst.SimpleStatementSuite):
        return _falls_off([cst.SimpleStatementLine(body=block.body)])
    return _falls_off(block.body)


def _falls_off(body: Sequence[cst.CSTNode]) -> bool:
    """Whether running `body` (statements, or the small statements of a one-line block) can
    reach its end: its last statement is not a return, a raise, an `abort()`, or a compound
    statement all of whose ways end so."""
    if not body:
        return True
    last: cst.CSTNode | None = body[-1]
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1] if last.body else None
    if isinstance(last, cst.Return | cst.Raise):
        return False
    if isinstance(last, cst.Expr) and isinstance(last.value, cst.Call):
        return get_full_name_for_node(last.value.func) not in NEVER_RETURN
    if last is None or isinstance(last, cst.BaseSmallStatement):
        return True
    if isinstance(last, cst.If):
        orelse = last.orelse
        if orelse is None:
            return True
        other: Sequence[cst.CSTNode] = [orelse] if isinstance(orelse, cst.If) else orelse.body.body
        return _falls_off(last.body.body) or _falls_off(other)
    if isinstance(last, cst.Try):
        if last.finalbody is not None and not _falls_off(last.finalbody.body.body):
            return False
        ends = last.body.body if last.orelse is None else last.orelse.body.body
        return _falls_off(ends) or any(_falls_off(h.body.body) for h in last.handlers)
    if isinstance(last, cst.With):
        return _falls_off(last.body.body)
    if isinstance(last, cst.While):
        # `while True:` without a break ends only by returning or raising
        test = last.test
        endless = isinstance(test, cst.Name) and test.value == "True"
        return not endless or _breaks(last.body)
    return not isinstance(last, cst.Match)  # a match: too many ways to tell; for: may end


def _breaks(node: cst.CSTNode) -> bool:
    """Whether `node` holds a `break` of its own loop (not of a loop nested in it)."""
    return _holds(node, cst.Break, (cst.For, cst.While, cst.FunctionDef))


def _yields(view: cst.FunctionDef) -> bool:
    """Whether `view` is a generator (a `yield` of its own, not of a nested function)."""
    return _holds(view.body, cst.Yield, (cst.FunctionDef, cst.Lambda))


def _holds(
    node: cst.CSTNode, kind: type[cst.CSTNode], scopes: tuple[type[cst.CSTNode], ...]
) -> bool:
    """Whether `node` holds a `kind` node outside the nested `scopes` below it."""

    class Finder(cst.CSTVisitor):
        found = False

        def on_visit(self, child: cst.CSTNode) -> bool:
            if isinstance(child, kind):
                self.found = True
            return not self.found and (child is node or not isinstance(child, scopes))

    finder = Finder()
    node.visit(finder)
    return finder.found


class RouteDecorator(Rule):
    DESCRIPTION = (
        "@app.route(path) -> @app.get(path, response_class=..., responses=...), one per method"
    )
    TRIGGERS = ROUTE_TRIGGERS

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        # `app.url_map.strict_slashes = False`, here or elsewhere in the project: the default
        # of every rule becomes strict_slashes=False
        loose = self.info.loose_slashes
        self.loose_slashes = bool(LOOSE_SLASHES.search(code_of(node))) if loose is None else loose
        self.documented: dict[cst.FunctionDef, list[cst.Arg]] = {}
        self.answers_none: set[cst.FunctionDef] = set()  # views returning None, on purpose
        finder = _RoutePaths(self)
        node.visit(finder)
        self.route_shapes = finder.shapes
        self.flask_response_used = bool(self.flask_import_references(node, "Response"))
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        # Read the returns before any statement of the view is left: a TODO on one of them
        # must be attached while that statement is being left.
        if self.is_view(node):
            self.documented[node] = self._documentation(node)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if original_node not in self.documented:
            return updated_node
        documented = self.documented[original_node]
        rule_parameters = self._rule_parameters(original_node)
        decorators: list[cst.Decorator] = []
        for original, updated in zip(
            original_node.decorators, updated_node.decorators, strict=True
        ):
            call = self.route_call(original)
            if call is None:
                decorators.append(updated)
                continue
            methods = _methods(call)
            # a rule starts with `/`; any other text says why it stays as it is
            spellings = self._other_spellings(call) if not isinstance(methods, str) else ()
            spelling = spellings if isinstance(spellings, str) else None
            if spelling is not None and self._by_map(call):
                self.todo(
                    original,
                    f"app.url_map.strict_slashes = False, but {spelling}; converted with"
                    " strict slashes",
                )
                spelling, spellings = None, ()
            problem = methods if isinstance(methods, str) else spelling
            if problem is not None:
                self.todo(original, problem)
                decorators.append(updated)
                continue
            assert not isinstance(methods, str) and not isinstance(spellings, str)
            if _has_cross_origin(original_node) and "OPTIONS" not in methods:
                # Flask-CORS's cross_origin answers OPTIONS in the view (Flask's page and its
                # headers): the route takes OPTIONS, as cross_origin makes Flask's rule take it
                methods = [*methods, "OPTIONS"]
            fixed = self._defaults(call, original_node)
            if fixed is not None and len(spellings) > 1:
                fixed = (
                    "defaults= on a rule ending in `/` with strict_slashes=False; no automatic"
                    " conversion yet"
                )
            if isinstance(fixed, str):
                self.todo(original, fixed)
                decorators.append(updated)
                continue
            absent = _absent(call, original_node, rule_parameters)
            missing = _missing(call, original_node, rule_parameters)
            if missing:
                self.todo(original, MISSING_PARAMETER.format(", ".join(missing)))
                absent = [p for p in _params(original_node) if p in {*absent, *missing}]
            if absent and fixed is not None:
                self.todo(
                    original,
                    "defaults= on a rule that lacks parameters of the view's other rules;"
                    " no automatic conversion yet",
                )
                decorators.append(updated)
                continue
            if len(spellings) > 1:
                # Werkzeug's matcher falls back to a rule ending in `/` for these itself
                self.todo(original, LOOSE_SLASH_RULE)
            new = self._decorators(
                updated,
                methods,
                # the view's other routes have them too: each its own copy
                [a.deep_clone() for a in documented] if decorators else documented,
                spellings,
                answers_none=original_node in self.answers_none,
            )
            if absent:
                # Flask calls the view without the parameters only other rules give
                new = [_view_defaults(d, absent) for d in new]
                self.import_support("view_defaults")
            if fixed is not None:
                # the hidden `rule/` spellings of strict_slashes=False come first, one a method
                added = len(methods) * len(spellings)
                new = [
                    _with_defaults(d, fixed, slash_added=index < added)
                    for index, d in enumerate(new)
                ]
                self.import_support("with_defaults")
            decorators.extend(new)
            self._import_documented(documented)
        converted = any(self.route_call(d) is not None for d in original_node.decorators)
        if converted and _view_falls_off(original_node) and not _yields(original_node):
            # Flask answers 500 to a view that ends without a return statement (a TypeError:
            # it did not return a valid response), where FastAPI would answer 200 with `null`
            block = updated_node.body
            if isinstance(block, cst.SimpleStatementSuite):  # `def view(): pass`
                block = cst.IndentedBlock(body=[cst.SimpleStatementLine(body=block.body)])
            body = block.with_changes(body=[*block.body, cst.parse_statement(FELL_OFF)])
            return updated_node.with_changes(decorators=decorators, body=body)
        return updated_node.with_changes(decorators=decorators)

    def _rule_parameters(self, view: cst.FunctionDef) -> set[str] | None:
        """The path parameters of all the view's rules; None when a rule is not a literal
        (path_converters then leaves the view with a TODO)."""
        found: set[str] = set()
        for decorator in view.decorators:
            expression = decorator.decorator
            if (
                isinstance(expression, cst.Call)
                and isinstance(expression.func, cst.Name)
                and expression.func.value in ("view_defaults", "with_defaults")
                and expression.args
            ):
                expression = expression.args[0].value  # a rule converted already
            call = self.method_call(expression, "route", *ROUTE_METHODS)
            if call is None:
                continue
            path = literal_string(call.args[0].value) if call.args else None
            if path is None or call.args[0].keyword is not None:
                return None
            found |= {a or b for a, b in RULE_PARAMETER.findall(path)}
        return found

    def _defaults(self, call: cst.Call, view: cst.FunctionDef) -> cst.BaseExpression | str | None:
        """The `defaults=` dict, when `with_defaults` can fix those view parameters; None
        without one; else why it stays as it is."""
        value = _argument(call, "defaults", None)
        if value is None:
            return None
        if not isinstance(value, cst.Dict):
            return "defaults= is not a literal dict; no automatic conversion"
        names = {p.name.value for p in (*view.params.params, *view.params.kwonly_params)}
        path = literal_string(call.args[0].value)
        in_path = {a or b for a, b in RULE_PARAMETER.findall(path)} if path is not None else None
        for element in value.elements:
            key = literal_string(element.key) if isinstance(element, cst.DictElement) else None
            if key is None:
                return "defaults= has a key that is not a literal string; no automatic conversion"
            assert isinstance(element, cst.DictElement)
            if not _is_literal(element.value):
                return f"defaults= gives `{key}` a value that is not a literal; no automatic conversion"
            if key not in names:
                return (
                    f"defaults= gives `{key}`, which is not a parameter of the view"
                    " (Flask passes it anyway); no automatic conversion"
                )
            if in_path is None or key in in_path:
                return (
                    f"defaults= gives `{key}` on a rule that is not literal or takes `{key}`"
                    " from the path itself; no automatic conversion"
                )
        return value

    def _other_spellings(self, call: cst.Call) -> tuple[str, ...] | str:
        """For `strict_slashes=False`, the paths Werkzeug also takes for this rule (the rule and
        a `/`; for a rule ending in `/`, the rule without it and with two: Werkzeug's matcher
        falls back to it); none when it takes no other; else why not."""
        value = _argument(call, "strict_slashes", None)
        if value is None and self.loose_slashes:
            value = cst.Name("False")
        if value is None or (isinstance(value, cst.Name) and value.value == "True"):
            return ()  # Werkzeug's default
        path = literal_string(call.args[0].value)
        if not (isinstance(value, cst.Name) and value.value == "False") or path is None:
            return "strict_slashes= or the rule is not a literal; no automatic conversion"
        convertors = PARAMETER.findall(path)
        if {"path", "flask_path"} & set(convertors):
            return ()  # a path parameter takes a trailing slash itself, strict or not
        if path.endswith("/") and path != "/" and "<" not in path:
            # a convertor here matches within the rule's segments, whatever it is: as the rule
            others = (path[:-1], path + "/")
            if any(_shape(other) in self.route_shapes for other in others):
                return f"strict_slashes=False on `{path}`, and another route takes `{others[0]}`"
            return others
        if "<" in path or not set(convertors) <= SEGMENT_CONVERTORS:
            return "strict_slashes=False on a rule with a custom converter; no automatic conversion yet"
        if _shape(path + "/") in self.route_shapes:
            # Werkzeug prefers that route for `rule/`; Starlette the first declared
            return f"strict_slashes=False on `{path}`, and another route takes `{path}/`"
        return (path + "/",)

    def _by_map(self, call: cst.Call) -> bool:
        """The rule takes strict_slashes=False from the url_map, not from an argument."""
        return self.loose_slashes and _argument(call, "strict_slashes", None) is None

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        # FastAPI has no url_map: the routes carry what the setting means
        small = original_node.body[0] if len(original_node.body) == 1 else None
        if (
            isinstance(small, cst.Assign)
            and LOOSE_SLASHES.fullmatch(self.module.code_for_node(small))
            and isinstance(small.targets[0].target, cst.Attribute)
            and isinstance(small.targets[0].target.value, cst.Attribute)
            and isinstance(small.targets[0].target.value.value, cst.Name)
            and self.flask_objects.get(small.targets[0].target.value.value.value) == "app"
        ):
            self.note(
                original_node,
                "url_map.strict_slashes = False: each route now takes `rule/` as Werkzeug does",
            )
            return cst.RemoveFromParent()
        return updated_node

    def _decorators(
        self,
        decorator: cst.Decorator,
        methods: list[str],
        documented: list[cst.Arg],
        spellings: tuple[str, ...] = (),
        *,
        answers_none: bool = False,
    ) -> list[cst.Decorator]:
        call = decorator.decorator
        assert isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute)
        path = call.args[0].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        # Flask's endpoint is FastAPI's route name (what url_for / url_path_for look up)
        named = [
            keyword("name", a.value)
            for a in call.args
            if a.keyword and a.keyword.value == "endpoint"
        ]
        # every registration of an annotated view needs it, hidden ones too
        model = [a for a in documented if a.keyword and a.keyword.value == "response_model"]
        result: list[cst.Decorator] = []
        for spelling in spellings:
            # strict_slashes=False: the same view at `rule/`, hidden; on top, so registered
            # last and url_path_for still finds the rule itself
            quoted = ensure_type(path.value, cst.SimpleString)
            body, end = quoted.value[: -len(quoted.quote)], quoted.quote
            # the rule's own text, a `/` added or (for `rule/`, the slash-less one) taken away
            body = body + "/" if spelling.endswith("/") else body[:-1]
            other = path.with_changes(value=quoted.with_changes(value=body + end))
            hidden = keyword("include_in_schema", cst.Name("False"))
            for method in methods:
                func = call.func.with_changes(attr=cst.Name(method.lower()))
                args = with_commas([other, *named, hidden, *model])
                new_call = call.with_changes(func=func, args=args)
                result.append(
                    _own(
                        decorator.with_changes(
                            decorator=new_call,
                            leading_lines=decorator.leading_lines if not result else (),
                        ),
                        result,
                    )
                )
        for method in methods:
            secondary = method in ("HEAD", "OPTIONS") and methods != [method]
            args = [path, *named] if secondary else [path, *named, *documented]
            if secondary and answers_none:
                # HEAD of a view that may return None: FlaskFileResponse answers None as Flask
                args += [a for a in documented if a.keyword and a.keyword.value == "response_class"]
            if secondary:
                args.extend([keyword("include_in_schema", cst.Name("False")), *model])
            func = call.func.with_changes(attr=cst.Name(method.lower()))
            new_call = call.with_changes(func=func, args=with_commas(args))
            result.append(
                _own(
                    decorator.with_changes(
                        decorator=new_call,
                        leading_lines=decorator.leading_lines if not result else (),
                    ),
                    result,
                )
            )
        return result

    # -- what the view returns -----------------------------------------------------------------

    def _documentation(self, view: cst.FunctionDef) -> list[cst.Arg]:
        """`response_class=` and `responses=` for the view, from the responses it returns;
        `response_model=None` if it is annotated with a return type FastAPI would take for a
        response model (`-> Union[tuple[Any, int], Response]` fails at import)."""
        model = [] if _annotated_response(view) else [keyword("response_model", cst.Name("None"))]
        classes: list[str] = []
        media: dict[int, set[str]] = {}
        known = True
        # returns that are no response: (the statement, whether it returns None)
        others: list[tuple[cst.Return, bool]] = []
        for node in body_statements(view):
            if not isinstance(node, cst.Return):
                continue
            if node.value is None or (
                isinstance(node.value, cst.Name) and node.value.value == "None"
            ):
                others.append((node, True))
                continue
            found = self._returned(node.value, view)
            if found is None:
                others.append((node, False))
                continue
            for cls, status, types in found:
                classes.append(cls)
                if types is None:
                    known = False
                else:
                    media.setdefault(status, set()).update(types)
        name = classes[0] if len(set(classes)) == 1 else "Response"
        name = "FlaskFileResponse" if name == "send_from_directory" else name
        # FastAPI sends None as JSON `null`, except through FlaskFileResponse, which answers it
        # with Flask's 500 (a view without a response)
        unknown = [
            node
            for node, is_none in others
            if not is_none or name != "FlaskFileResponse" or not all(n for _, n in others)
        ]
        for node in unknown:
            self.todo(
                node, "this view returns a value FastAPI would send as JSON; return a Response"
            )
        if (others or _may_end(view)) and not unknown:
            self.answers_none.add(view)
        if unknown or not classes:
            return model
        args = []
        if self._usable_response_class(name):
            if name == "FlaskFileResponse" and view in self.answers_none:
                name = "FlaskFileRoute"  # FastAPI hands it the None, which it answers as Flask
            args.append(keyword("response_class", cst.Name(name)))
        if known and media:
            responses = (
                "{"
                + ", ".join(
                    f'{status}: {{"content": {{'
                    + ", ".join(f'"{t}": {{}}' for t in sorted(types))
                    + "}}"
                    for status, types in sorted(media.items())
                )
                + "}"
            )
            args.append(keyword("responses", cst.parse_expression(responses)))
        return args + model

    def _usable_response_class(self, name: str) -> bool:
        """False if `name` would mean something else here (`from flask import Response`)."""
        return name == "FlaskFileResponse" or (
            name in FASTAPI_RESPONSES and not self.flask_response_used
        )

    def _import_documented(self, documented: list[cst.Arg]) -> None:
        for arg in documented:
            if arg.keyword is not None and arg.keyword.value == "response_class":
                assert isinstance(arg.value, cst.Name)
                if arg.value.value in ("FlaskFileResponse", "FlaskFileRoute"):
                    self.import_support(arg.value.value)
                else:
                    self.add_needed_import("fastapi.responses", arg.value.value)

    def _returned(
        self, value: cst.BaseExpression | None, view: cst.FunctionDef, depth: int = 0
    ) -> list[tuple[str, int, set[str] | None]] | None:
        """(response class, status, media types) for each response `value` can be."""
        if isinstance(value, cst.Name) and depth == 0:
            values = assignments(view, value.value)
            if not values:
                return None
            found: list[tuple[str, int, set[str] | None]] = []
            for item in values:
                one = self._returned(item, view, depth + 1)
                if one is None:
                    return None
                found.extend(one)
            return found
        if not isinstance(value, cst.Call):
            return None
        name = get_full_name_for_node(value.func) or ""
        if name == "jsonify":  # the support module's, after the jsonify rule
            return [("Response", 200, {"application/json"})]
        if name == "make_response":  # the support module's: Flask's conversion at run time
            return self._made(value, view, depth)
        if name == "redirect":  # the support module's: Werkzeug's page
            code = value.args[1].value if len(value.args) > 1 else None
            status = int(code.value) if isinstance(code, cst.Integer) else 302
            return [("Response", status, {"text/html"})]
        if name == "FlaskResponse":  # the support module's: flask.Response's arguments
            return [("Response", _flask_status(value), _flask_response_types(value))]
        if is_response_subclass(self.index.module, value.func):  # `class PNG(FlaskResponse)`
            return [("Response", 200, None)]
        known = name in RESPONSE_CLASSES | FILE_RESPONSES
        # Flask's send_from_directory, left as it is (with a TODO), is no response FastAPI knows
        if not known or (name == "send_from_directory" and not self._from_support(value)):
            return self._helper_returns(value, view, depth)
        status = _int_argument(value, "status_code", 200)
        if name in FILE_RESPONSES:
            return [
                (name, status, self._file_types(value, view, directory=name != "FlaskFileResponse"))
            ]
        types = _declared_type(value)
        return [(name, status, {types} if types else None)]

    def _from_support(self, call: cst.Call) -> bool:
        """`call` calls the support module's function of its name: imported from there, or
        written by a rule above (nothing binds it yet: imports are added once all rules ran)."""
        return all(q.split(".")[-2:-1] == [SUPPORT_MODULE] for q in self.qualified(call.func))

    def _helper_returns(
        self, call: cst.Call, view: cst.FunctionDef, depth: int
    ) -> list[tuple[str, int, set[str] | None]] | None:
        """What a function of this module returns, when each of its returns is a response."""
        helper = (
            function_named(self.index.module, call.func.value)
            if isinstance(call.func, cst.Name)
            else None
        )
        if helper is None or helper is view or depth > 2:
            return None
        found: list[tuple[str, int, set[str] | None]] = []
        for value in returns(helper):
            one = self._returned(value, helper, depth + 1) if value is not None else None
            if one is None:
                return None
            found.extend(one)
        return found or None

    def _made(
        self, call: cst.Call, view: cst.FunctionDef, depth: int
    ) -> list[tuple[str, int, set[str] | None]]:
        """What `make_response(body, status, ...)` gives, when `body` is a known response."""
        body = call.args[0].value if call.args else None
        status = call.args[1].value if len(call.args) > 1 else None
        inner = self._returned(body, view, depth + 1) if isinstance(body, cst.Call) else None
        if inner is None or (status is not None and not isinstance(status, cst.Integer)):
            return [("Response", 200, None)]
        code = int(status.value) if isinstance(status, cst.Integer) else None
        return [("Response", code or found_status, types) for _, found_status, types in inner]

    def _file_types(
        self, call: cst.Call, view: cst.FunctionDef, *, directory: bool
    ) -> set[str] | None:
        mimetype = literal_string(_argument(call, "mimetype", 1 if not directory else None))
        if mimetype is not None:
            return {_bare(mimetype)}
        download_name = literal_string(
            _argument(call, "download_name", 3 if not directory else None)
        )
        if download_name is not None:
            kind = guess_mimetype(download_name)
            return {kind} if kind else None
        target = _argument(call, "directory" if directory else "path_or_file", 0)
        paths = evaluate_paths(target, self.index, view) if target is not None else None
        if not paths:
            return None
        types: set[str] = set()
        for path in paths:
            kinds = directory_mimetypes(path) if directory else {guess_mimetype(path)}
            if kinds is None or None in kinds:
                return None
            types |= {k for k in kinds if k is not None}
        return types or None


def _methods(call: cst.Call) -> list[str] | str:
    """The upper-cased methods of `route(path, methods=[...])`, GET when not given."""
    if not call.args or call.args[0].keyword is not None or call.args[0].star:
        return "the rule is not the first positional argument"
    methods: list[str] = ["GET"]
    for arg in call.args[1:]:
        if arg.keyword is not None and arg.keyword.value in ("endpoint", "strict_slashes"):
            continue  # endpoint becomes name=, see _decorators; strict_slashes, _other_spelling
        if arg.keyword is not None and arg.keyword.value == "defaults":
            continue  # see RouteDecorator._defaults
        if arg.keyword is None or arg.keyword.value != "methods":
            label = arg.keyword.value if arg.keyword is not None else "positional"
            return f"route option `{label}` has no automatic conversion yet"
        if not isinstance(arg.value, (cst.List, cst.Tuple, cst.Set)):
            return "methods= is not a literal list"
        methods = []
        for element in arg.value.elements:
            text = literal_string(element.value)
            if text is None or text.lower() not in ROUTE_METHODS:
                return "methods= holds a value that is not a literal HTTP method"
            methods.append(text.upper())
    ordered = list(dict.fromkeys(methods))
    if "GET" in ordered and "HEAD" in ordered:
        # the support module's automatic_head answers HEAD on every GET route, as Flask does
        ordered.remove("HEAD")
    # OPTIONS among the methods: Flask calls the view for it (no automatic answer), as the
    # hidden OPTIONS route does
    return ordered


def _has_cross_origin(view: cst.FunctionDef) -> bool:
    """A `@cross_origin(...)` (Flask-CORS's, or flask_compat's after the cors rule) that
    answers OPTIONS itself (`automatic_options` not turned off)."""
    for decorator in view.decorators:
        call = decorator.decorator
        func = call.func if isinstance(call, cst.Call) else call
        name = get_full_name_for_node(func) or ""
        if name.rsplit(".", 1)[-1] != "cross_origin":
            continue
        options = call.args if isinstance(call, cst.Call) else ()
        return not any(
            a.keyword is not None
            and a.keyword.value == "automatic_options"
            and isinstance(a.value, cst.Name)
            and a.value.value == "False"
            for a in options
        )
    return False


def _with_defaults(
    decorator: cst.Decorator, defaults: cst.BaseExpression, *, slash_added: bool
) -> cst.Decorator:
    """`@with_defaults(app.get(path), {"page": 1})`: the route gets the view with those
    parameters fixed (the support module's `with_defaults`); `slash_added=True` on the hidden
    `rule/` spelling of a `strict_slashes=False` rule."""
    args = [cst.Arg(decorator.decorator), cst.Arg(defaults)]
    if slash_added:
        args.append(keyword("slash_added", cst.Name("True")))
    wrapped = cst.Call(func=cst.Name("with_defaults"), args=with_commas(args))
    return decorator.with_changes(decorator=wrapped)


def _absent(call: cst.Call, view: cst.FunctionDef, rule_parameters: set[str] | None) -> list[str]:
    """The view's parameters with a default that other rules of the view take from their
    path and this rule does not give (from its path or `defaults=`), in the view's order."""
    given = _given(call)
    if rule_parameters is None or given is None:
        return []
    return [
        p.name.value
        for p in (*view.params.params, *view.params.kwonly_params)
        if p.default is not None and p.name.value in rule_parameters - given
    ]


def _missing(call: cst.Call, view: cst.FunctionDef, rule_parameters: set[str] | None) -> list[str]:
    """The view's parameters without a default that no rule of the view gives, every rule
    being literal: Flask calls the view without them, a TypeError. Only unannotated ones are
    Flask's (`request: Request` and dependencies are added ones); a parameter of some stacked
    rules only is path_converters' TODO."""
    given = _given(call)
    if rule_parameters is None or given is None:
        return []
    return [
        p.name.value
        for p in (*view.params.params, *view.params.kwonly_params)
        if p.default is None
        and p.annotation is None
        and p.name.value not in rule_parameters | given
    ]


def _params(view: cst.FunctionDef) -> list[str]:
    return [p.name.value for p in (*view.params.params, *view.params.kwonly_params)]


def _given(call: cst.Call) -> set[str] | None:
    """The parameters `call`'s rule gives the view (from its path or `defaults=`), or None
    when its path is not a literal."""
    path = literal_string(call.args[0].value) if call.args else None
    if path is None:
        return None
    given = {a or b for a, b in RULE_PARAMETER.findall(path)}
    defaults = _argument(call, "defaults", None)
    if isinstance(defaults, cst.Dict):
        given |= {
            key
            for element in defaults.elements
            if isinstance(element, cst.DictElement)
            and (key := literal_string(element.key)) is not None
        }
    return given


def _view_defaults(decorator: cst.Decorator, names: list[str]) -> cst.Decorator:
    """`@view_defaults(app.get(path), "height")`: the route gets the view without the
    parameters only the view's other rules give (the support module's `view_defaults`)."""
    args = [cst.Arg(decorator.decorator), *(cst.Arg(cst.SimpleString(f'"{n}"')) for n in names)]
    wrapped = cst.Call(func=cst.Name("view_defaults"), args=with_commas(args))
    return decorator.with_changes(decorator=wrapped)


def _is_literal(value: cst.BaseExpression) -> bool:
    """A number, a string, True, False or None: a value that means the same everywhere."""
    if isinstance(value, cst.UnaryOperation) and isinstance(value.operator, cst.Minus):
        value = value.expression
    if isinstance(value, cst.Name):
        return value.value in ("True", "False", "None")
    return isinstance(value, (cst.Integer, cst.Float)) or literal_string(value) is not None


def _argument(call: cst.Call, name: str, position: int | None) -> cst.BaseExpression | None:
    for arg in call.args:
        if arg.keyword is not None and arg.keyword.value == name:
            return arg.value
    positional = [a for a in call.args if a.keyword is None and not a.star]
    if position is not None and position < len(positional):
        return positional[position].value
    return None


def _int_argument(call: cst.Call, name: str, default: int) -> int:
    value = _argument(call, name, None)
    return int(value.value) if isinstance(value, cst.Integer) else default


def _declared_type(call: cst.Call) -> str | None:
    media_type = literal_string(_argument(call, "media_type", None))
    if media_type is not None:
        return _bare(media_type)
    return _header_type(_argument(call, "headers", None))


def _header_type(headers: cst.BaseExpression | None) -> str | None:
    """The bare media type a literal `headers={"Content-Type": ...}` dict sets."""
    if isinstance(headers, cst.Dict):
        for element in headers.elements:
            if (
                isinstance(element, cst.DictElement)
                and (literal_string(element.key) or "").lower() == "content-type"
            ):
                value = literal_string(element.value)
                return _bare(value) if value is not None else None
    return None


def _flask_status(call: cst.Call) -> int:
    value = _argument(call, "status", 1)
    return int(value.value) if isinstance(value, cst.Integer) else 200


def _flask_response_types(call: cst.Call) -> set[str] | None:
    """The media type of `FlaskResponse(body, status, headers, mimetype, content_type)`."""
    if any(arg.star for arg in call.args):
        return None
    given = _argument(call, "content_type", 4) or _argument(call, "mimetype", 3)
    if given is not None:
        value = literal_string(given)
        return {_bare(value)} if value is not None else None
    headers = _argument(call, "headers", 2)
    if headers is None:
        return {"text/html"}
    found = _header_type(headers)
    return {found} if found is not None else None


def _bare(content_type: str) -> str:
    return content_type.split(";", 1)[0].strip()


def _shape(path: str) -> str:
    """`path` with its parameters unnamed: two routes of one shape take the same URLs."""
    return PARAMETER.sub("{}", path)


class _RoutePaths(cst.CSTVisitor):
    """The shapes of the literal paths of every Flask route decorator in the module."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.shapes: set[str] = set()

    def visit_Decorator(self, node: cst.Decorator) -> None:
        call = self.rule.route_call(node)
        path = literal_string(call.args[0].value) if call is not None and call.args else None
        if path is not None:
            self.shapes.add(_shape(path))


def _annotated_response(view: cst.FunctionDef) -> bool:
    """No return annotation, or one naming a response class (`-> Response`), which FastAPI
    takes as it is."""
    if view.returns is None:
        return True
    name = get_full_name_for_node(view.returns.annotation) or ""
    return name.rsplit(".", 1)[-1].endswith("Response")


def _may_end(view: cst.FunctionDef) -> bool:
    """Whether the view may end without a `return` (its last statement returns or raises)."""
    last: cst.CSTNode = view.body.body[-1]
    if isinstance(last, cst.SimpleStatementLine):
        last = last.body[-1]
    return not isinstance(last, cst.Return | cst.Raise)


def _own(decorator: cst.Decorator, others: list[cst.Decorator]) -> cst.Decorator:
    """`decorator`, or a copy when it may share nodes with the `others` made from the same
    one: a node in a tree twice costs the next pass a copy of the whole tree."""
    return decorator.deep_clone() if others else decorator
