"""`request.args.get("name", default, type=t)` in a view becomes a parameter
`name: Annotated[t, Depends(query_arg("name", default, t))]`: OpenAPI shows a scalar query
parameter with its type and default, and the support module's `query_arg` reads the first of
repeated values and converts it as Werkzeug does (the default when `t` raises, not FastAPI's 422);
`request.args["name"]` the same with `required=True` (Werkzeug's 400 page) where every path
through the view reads it before it could answer otherwise (else through the proxy below),
`request.form` through `form_arg`; `request.args.getlist("name")` a `list[str] | None =
Query(None)` parameter read through `arg_list`; `request.files["name"]` becomes an
`UploadFile` parameter read through `uploaded`; a view reading only `request.method`,
`request.get_json()`, and `request.headers` / `request.cookies` by name (`.get()`, `[name]`,
`in`) takes Starlette's Request instead, the headers and cookies read through the support
module's `request_headers` / `request_cookies` (Werkzeug joins repeated headers and keeps the
first of repeated cookies, where Starlette keeps one header and the last cookie), and
`request.path`, `request.url`, `request.host` and the other URL parts through `request_path`,
`request_url`, `request_host`, ... (Werkzeug's values: an IRI, the Host header as sent).

Any other use, in a view or in a function views call (`request.values`, `request.form` as a
whole, `request.data`, `request.remote_addr`, `request` passed along, ...), reads the support
module's `request`: a proxy over the request being answered with Werkzeug's semantics. Each
function that does gets a TODO naming the FastAPI parameters that would say the same in
`/docs`. A `before_request` function keeps flask's `request` and a TODO (it runs outside the
request context the proxy reads).
"""

from __future__ import annotations

import keyword as python_keyword
from dataclasses import dataclass, field

import libcst as cst
import libcst.matchers as m
from libcst.helpers import get_full_name_for_node
from libcst.metadata import ImportAssignment, ParentNodeProvider, ScopeProvider

from migrator.rules._base import Rule
from migrator.rules._responses import with_commas
from migrator.rules._static import assignments, literal_string

FLASK_REQUEST = ("flask.request", "flask.globals.request")
# request.args / request.form -> where FastAPI reads the parameter from
SOURCES = {"args": "Query", "form": "Form"}
# `request.headers` / `request.cookies` -> the support module's reader of them
BY_NAME = {"headers": "request_headers", "cookies": "request_cookies"}
# `request.path` -> the support module's function giving Werkzeug's value
URL_PARTS = {
    "path": "request_path",
    "full_path": "request_full_path",
    "url": "request_url",
    "base_url": "request_base_url",
    "url_root": "request_url_root",
    "root_url": "request_url_root",
    "host_url": "request_host_url",
    "host": "request_host",
    "scheme": "request_scheme",
}
# `request.get_json(...)` options the support module's get_json takes
JSON_OPTIONS = frozenset({"force", "silent"})
# what a view taking Starlette's Request reads off it
CONVERTED = frozenset({"object", "json", "values", "url"})
# what a person could write instead of reading the proxy, by attribute of `request`
IDIOMS = {
    "args": "`Query()` parameters",
    "form": "`Form()` parameters",
    "values": "`Query()` / `Form()` parameters",
    "files": "`UploadFile` parameters",
    "headers": "`Header()` parameters",
    "cookies": "`Cookie()` parameters",
    "data": "`await request.body()` in an `async def` view",
    "get_data": "`await request.body()` in an `async def` view",
    "stream": "`request.stream()` in an `async def` view",
    "json": "a Pydantic model parameter",
    "get_json": "a Pydantic model parameter",
    "is_json": "a `content_type: Annotated[str | None, Header()]` parameter",
    "content_type": "a `content_type: Annotated[str | None, Header()]` parameter",
    "mimetype": "a `content_type: Annotated[str | None, Header()]` parameter",
    "mimetype_params": "a `content_type: Annotated[str | None, Header()]` parameter",
    "content_length": "a `content_length: Annotated[int | None, Header()]` parameter",
    "user_agent": "a `user_agent: Annotated[str | None, Header()]` parameter",
    "referrer": "a `referer: Annotated[str | None, Header()]` parameter",
    "accept_mimetypes": "an `accept: Annotated[str | None, Header()]` parameter",
    "accept_languages": "an `accept_language: Annotated[str | None, Header()]` parameter",
    "accept_encodings": "an `accept_encoding: Annotated[str | None, Header()]` parameter",
    "remote_addr": "`request.client.host` of a `request: Request` parameter",
    "access_route": "`request.client.host` and an `x_forwarded_for` `Header()` parameter",
    "endpoint": "`request.scope['route'].name` of a `request: Request` parameter",
    "blueprint": "`request.scope['route']` of a `request: Request` parameter",
    "view_args": "the view's own path parameters",
    "method": "`request.method` of a `request: Request` parameter",
    **dict.fromkeys(URL_PARTS, "`request.url` of a `request: Request` parameter"),
}
OTHER_IDIOM = "a `request: Request` parameter"
PROXY = "reads the support module's `request` (Werkzeug's semantics)"
LITERALS = (cst.SimpleString, cst.ConcatenatedString, cst.Integer, cst.Float, cst.Name)
# the support module's dependency reading `request.args` / `request.form` as Werkzeug does
READERS = {"args": "query_arg", "form": "form_arg"}
# `type=` callables whose name is also the type of what they give
SCALARS = frozenset({"str", "int", "float", "bool"})
# what the view may get past without evaluating the expressions inside it
_BRANCHES = (
    cst.If,
    cst.IfExp,
    cst.For,
    cst.While,
    cst.Try,
    cst.TryStar,
    cst.With,
    cst.Match,
    cst.Lambda,
    cst.ListComp,
    cst.SetComp,
    cst.DictComp,
    cst.GeneratorExp,
    cst.ClassDef,
)


def _comma() -> cst.Comma:  # a node of its own for each place: a tree holds a node once
    return cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))


def _equal() -> cst.AssignEqual:
    return cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace(""))


def _annotation(default: cst.BaseExpression, kind: cst.BaseExpression | None) -> str:
    """The type of `request.args.get(name, default, type=kind)`: what `kind` gives (`str`
    without one, `Any` for a callable not named after its type), or the default."""
    given = "str" if kind is None else kind.value if isinstance(kind, cst.Name) else ""
    given = given if given in SCALARS else "Any"
    if isinstance(default, cst.Name):
        other = {"None": "None", "True": "bool", "False": "bool"}[default.value]
    elif isinstance(default, cst.Integer):
        other = "int"
    elif isinstance(default, cst.Float):
        other = "float"
    else:
        other = "str"
    return given if other == given or given == "Any" else f"{given} | {other}"


@dataclass
class _View:
    params: set[str]
    added: dict[str, cst.Param] = field(default_factory=dict)
    # where each added parameter comes from: "args", "form" or "files"
    sources: dict[str, str] = field(default_factory=dict)
    # how each `request.args/form` value is read (source, default, type, required): every read
    # of a name must agree, as the one parameter reads it once
    reads: dict[str, str] = field(default_factory=dict)
    # the parameters given by a dependency: they have no default, so go before those that do
    dependencies: dict[str, cst.Param] = field(default_factory=dict)
    # their names: `name = request.args.get("name")` became `name = name`, which goes
    assigned: set[str] = field(default_factory=set)
    # the view reads `request.method`, `get_json()`, headers or cookies by name and nothing
    # else unconvertible: it takes Starlette's Request as a parameter named `request`
    takes_request: bool = False
    # a `before_request` function: it gets the request as its parameter (see request_hooks)
    hook: bool = False


class RequestAccess(Rule):
    DESCRIPTION = "request.args.get('q', d) -> a query parameter q: str = d"
    TRIGGERS = ("request",)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.views: list[_View | None] = []
        self.module_node = node
        # the functions (or the module) already given the proxy's TODO
        self.told: set[cst.CSTNode] = set()
        return True

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        params = {
            p.name.value
            for p in (*node.params.params, *node.params.kwonly_params, *node.params.posonly_params)
        }
        hook = self._is_before_request(node)
        view = _View(params, hook=hook) if self.is_view(node) or hook else None
        self.views.append(view)
        if view is not None:
            finder = _RequestUses(self)
            node.body.visit(finder)
            kinds = [self._use_kind(use) for use in finder.uses]
            view.takes_request = self._takes_request(node, kinds, hook)

    def _takes_request(self, node: cst.FunctionDef, kinds: list[str | None], hook: bool) -> bool:
        """Every use of `request` in the view converts, some to Starlette's Request."""
        allowed = set(CONVERTED)
        if not hook:
            allowed |= {"query", "field"}
        return (
            bool(CONVERTED & set(kinds))
            and set(kinds) <= allowed
            and "request" not in {p.name.value for p in node.params.params}
            and assignments(node, "request") == []
        )

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        view = self.views.pop()
        if view is None or not (view.added or view.takes_request or view.dependencies):
            return updated_node
        params = list(updated_node.params.params)
        # a parameter without a default goes before the first one with a default
        at = next((i for i, p in enumerate(params) if p.default is not None), len(params))
        params[at:at] = view.dependencies.values()
        if view.takes_request:
            self.add_needed_import("fastapi", "Request")
            params.insert(at, cst.Param(cst.Name("request"), cst.Annotation(cst.Name("Request"))))
        params += view.added.values()
        return updated_node.with_changes(params=updated_node.params.with_changes(params=params))

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        view = self.views[-1] if self.views else None
        if view is None or not view.assigned:
            return updated_node
        body: list[cst.BaseStatement] = []
        # the comments of a removed `name = name`, for the statement after it
        comments: list[cst.EmptyLine] = []
        for statement in updated_node.body:
            if _assigns_itself(statement, view.assigned):
                assert isinstance(statement, cst.SimpleStatementLine)
                comments += statement.leading_lines
                trailing = statement.trailing_whitespace.comment
                if trailing is not None:
                    comments.append(cst.EmptyLine(comment=trailing))
                continue
            if comments and isinstance(
                statement, (cst.SimpleStatementLine, cst.BaseCompoundStatement)
            ):
                statement = statement.with_changes(
                    leading_lines=[*comments, *statement.leading_lines]
                )
                comments = []
            body.append(statement)
        if not body:
            body.append(cst.SimpleStatementLine([cst.Pass()], leading_lines=comments))
        elif comments:
            return updated_node.with_changes(body=body, footer=[*comments, *updated_node.footer])
        return updated_node.with_changes(body=body)

    def _is_before_request(self, node: cst.FunctionDef) -> bool:
        return not node.params.params and any(
            isinstance(d.decorator, cst.Attribute)
            and isinstance(d.decorator.value, cst.Name)
            and d.decorator.value.value in self.flask_objects
            and d.decorator.attr.value == "before_request"
            for d in node.decorators
        )

    def _use_kind(self, node: cst.CSTNode) -> str | None:
        """How a use of flask's `request` converts: "query" (`args.get`, `form.get`), "field"
        (`files[...]`, `args[...]`, `form[...]`), "json" (`get_json()`), "values" (headers or
        cookies by name), "object" (the same spelling on Starlette's Request) or None."""
        assert isinstance(node, (cst.Name, cst.Attribute))
        call = self._args_get_call(node)
        if call is not None:
            return "query" if self._query(call) is not None else None
        subscript = self._keyed_subscript(node)
        if subscript is not None:
            return "field" if self._field(subscript) is not None else None
        attribute = self.get_metadata(ParentNodeProvider, node, None)
        if not isinstance(attribute, cst.Attribute) or attribute.value is not node:
            return None
        outer = self.get_metadata(ParentNodeProvider, attribute, None)
        if attribute.attr.value == "method" and not isinstance(outer, cst.Call):
            return "object"
        if attribute.attr.value in URL_PARTS and not (
            isinstance(outer, (cst.Call, cst.AssignTarget, cst.Del))
            or (isinstance(outer, cst.AugAssign) and outer.target is attribute)
        ):
            return "url"  # a str, read: `request.path.startswith("/a")` converts too
        if (
            attribute.attr.value == "get_json"
            and isinstance(outer, cst.Call)
            and outer.func is attribute
            and all(a.keyword is not None and a.keyword.value in JSON_OPTIONS for a in outer.args)
        ):
            return "json"
        if attribute.attr.value in BY_NAME and self._by_name(attribute, outer):
            return "values"
        return None

    def _by_name(self, values: cst.Attribute, outer: cst.CSTNode | None) -> bool:
        """`request.headers` read by name: `.get(...)`, `[name]` or `name in`."""
        if isinstance(outer, cst.Subscript):
            return outer.value is values
        if isinstance(outer, cst.ComparisonTarget):
            return isinstance(outer.operator, (cst.In, cst.NotIn)) and outer.comparator is values
        call = self.get_metadata(ParentNodeProvider, outer, None) if outer is not None else None
        return (
            isinstance(outer, cst.Attribute)
            and outer.attr.value == "get"
            and isinstance(call, cst.Call)
            and call.func is outer
        )

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        return self._check(original_node) or updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        view = self.views[-1] if self.views else None
        if (
            view is not None
            and view.takes_request
            and self._is_request(original_node.value)
            and self._use_kind(original_node.value) in ("values", "url")
        ):
            # `request.headers` -> `request_headers(request)`, `request.path` -> `request_path(request)`
            function = {**BY_NAME, **URL_PARTS}[original_node.attr.value]
            self.import_support(function)
            return cst.Call(cst.Name(function), [cst.Arg(updated_node.value)])
        return self._check(original_node) or updated_node

    def _check(self, node: cst.Name | cst.Attribute) -> cst.Name | None:
        """A TODO for an unconvertible use of `request`; the replacement of one that now means
        the view's Starlette Request parameter."""
        if not self._is_request(node) or self._handled(node):
            return None
        view = self.views[-1] if self.views else None
        if view is not None and view.takes_request and self._use_kind(node) in CONVERTED:
            self.remove_unused_import_by_node(node)
            return cst.Name("request")
        # the support module's `request`, in a before_request function too: its middleware
        # (or the blueprint's route) runs it in the request context the proxy reads
        function = self.enclosing(node, cst.FunctionDef)
        if isinstance(node, cst.Name) and node.value == "request":
            self.force_remove_import("flask", "request")  # same name: scope analysis keeps it
            return self._through_proxy(node, function, None)
        if not self._binds_request(function):
            self.remove_unused_import_by_node(node)
            return self._through_proxy(node, function, cst.Name("request"))
        self.todo(node, "this use of flask.request has no automatic FastAPI conversion yet")
        return None

    def _through_proxy(
        self, node: cst.CSTNode, function: cst.CSTNode | None, replacement: cst.Name | None
    ) -> cst.Name | None:
        """The use reads the support module's `request`; its function gets one TODO naming
        the FastAPI parameters that would say the same."""
        self.import_support("request")
        owner = function or self.module_node
        if owner not in self.told:
            self.told.add(owner)
            self.todo(node, self._idiom_message(owner))
        return replacement

    def _idiom_message(self, owner: cst.CSTNode) -> str:
        finder = _RequestUses(self)
        (owner.body if isinstance(owner, cst.FunctionDef) else owner).visit(finder)
        idioms: dict[str, None] = {}
        for use in finder.uses:
            if self._handled(use):
                continue
            parent = self.get_metadata(ParentNodeProvider, use, None)
            attribute = parent.attr.value if isinstance(parent, cst.Attribute) else ""
            idioms[IDIOMS.get(attribute, OTHER_IDIOM)] = None
        wanted = ", ".join(idioms)
        if isinstance(owner, cst.FunctionDef) and self.is_view(owner):
            return f"{PROXY}; idiomatic FastAPI: {wanted}"
        if isinstance(owner, cst.FunctionDef) and self._is_before_request(owner):
            return (
                f"{PROXY}; idiomatic FastAPI: the hook's Starlette Request argument, as a view's"
                f" ({wanted})"
            )
        return f"{PROXY}; idiomatic FastAPI: the views read it ({wanted}) and pass the values in"

    def _binds_request(self, function: cst.CSTNode | None) -> bool:
        """`request` means something else than flask's request in the function or the module,
        so that an alias (`from flask import request as req`) can't be renamed to it."""
        if isinstance(function, cst.FunctionDef) and assignments(function, "request") != []:
            return True
        scope = self.get_metadata(ScopeProvider, self.module_node, None)
        if scope is None or "request" not in scope:
            return False
        return not all(
            isinstance(a, ImportAssignment)
            and isinstance(a.node, cst.ImportFrom)
            and a.node.module is not None
            and get_full_name_for_node(a.node.module) == "flask"
            for a in scope["request"]
        )

    def _is_request(self, node: cst.CSTNode) -> bool:
        """`request` or `flask.request` as an expression (not an import, not `x.request`)."""
        parent = self.get_metadata(ParentNodeProvider, node, None)
        if isinstance(parent, cst.ImportAlias) or (
            isinstance(parent, cst.Attribute) and parent.attr is node
        ):
            return False
        names = self.qualified(node)
        return bool(names) and names <= set(FLASK_REQUEST)

    def _handled(self, node: cst.BaseExpression) -> bool:
        call = self._args_get_call(node)
        if call is not None:
            return self._query(call) is not None
        subscript = self._keyed_subscript(node)
        return subscript is not None and self._field(subscript) is not None

    def _keyed_subscript(self, node: cst.BaseExpression) -> cst.Subscript | None:
        """The `request.files["name"]` or `request.args["name"]` around this `request` name."""
        files = self.get_metadata(ParentNodeProvider, node, None)
        subscript = (
            self.get_metadata(ParentNodeProvider, files, None) if files is not None else None
        )
        if (
            isinstance(files, cst.Attribute)
            and files.attr.value in ("files", *SOURCES)
            and isinstance(subscript, cst.Subscript)
            and subscript.value is files
        ):
            return subscript
        return None

    def _field(self, subscript: cst.Subscript) -> str | None:
        """The name of a convertible `request.files/args/form["name"]`, else None."""
        view = self.views[-1] if self.views else None
        if view is None or view.hook or len(subscript.slice) != 1:
            return None
        index = subscript.slice[0].slice
        name = literal_string(index.value) if isinstance(index, cst.Index) else None
        if not (name and name.isidentifier() and not python_keyword.iskeyword(name)):
            return None
        if name in view.params or not self._only_bound_by_itself(subscript, name):
            return None
        source = subscript.value.attr.value  # type: ignore[attr-defined]
        if source in SOURCES and not self._read_before_any_answer(subscript):
            return None  # Werkzeug's 400 only where the view gets to the read: the proxy's
        if view.sources.setdefault(name, source) != source:
            return None
        if source in SOURCES and self._in_try(subscript):
            return None  # a parameter would raise its 400 before the `try` could catch it
        if source in SOURCES and view.reads.setdefault(name, "required") != "required":
            return None
        return name

    def _in_try(self, node: cst.CSTNode) -> bool:
        """True when `node` is in the body of a `try` of its function (whose handlers may
        catch what it raises: Werkzeug's BadRequestKeyError, a KeyError)."""
        child, parent = node, self.get_metadata(ParentNodeProvider, node, None)
        while parent is not None and not isinstance(parent, cst.FunctionDef):
            if isinstance(parent, (cst.Try, cst.TryStar)) and child is parent.body:
                return True
            child, parent = parent, self.get_metadata(ParentNodeProvider, parent, None)
        return False

    def _read_before_any_answer(self, subscript: cst.Subscript) -> bool:
        """`request.args["q"]` is read on every path through the view before it could answer
        otherwise: not under a branch, a loop, a `try` or `with`, not in the right operand of
        `and`/`or`, and no statement before it in the view returns, raises or branches. Only
        then may a required parameter answer Werkzeug's 400 before the view runs."""
        child: cst.CSTNode = subscript
        parent = self.get_metadata(ParentNodeProvider, child, None)
        while parent is not None and not isinstance(parent, cst.FunctionDef):
            if isinstance(parent, _BRANCHES):
                return False
            if isinstance(parent, cst.BooleanOperation) and parent.right is child:
                return False
            if isinstance(parent, cst.IndentedBlock) and isinstance(
                self.get_metadata(ParentNodeProvider, parent, None), cst.FunctionDef
            ):
                at = next(i for i, s in enumerate(parent.body) if s is child)
                if any(
                    not isinstance(s, cst.SimpleStatementLine)
                    or m.findall(s, m.Return() | m.Raise() | m.Assert())
                    for s in parent.body[:at]
                ):
                    return False
            child, parent = parent, self.get_metadata(ParentNodeProvider, parent, None)
        return parent is not None

    def leave_Subscript(
        self, original_node: cst.Subscript, updated_node: cst.Subscript
    ) -> cst.BaseExpression:
        files = original_node.value
        if not (
            isinstance(files, cst.Attribute) and self._keyed_subscript(files.value) is original_node
        ):
            return updated_node
        if not self._is_request(files.value):
            return updated_node
        name = self._field(original_node)
        if name is None:
            return updated_node
        view = self.views[-1]
        assert view is not None
        self.remove_unused_import_by_node(files.value)
        if files.attr.value in SOURCES:
            # `request.args["q"]`: the first value, or Werkzeug's 400 page when there is none
            self._add_dependency(view, name, files.attr.value, [], "str", required=True)
            return cst.Name(name)
        # FastAPI reads the field from the body, a plain field's text too (`str`: else its
        # 422); FastAPI gives None for a file input left empty (filename "") as for a missing
        # one: `uploaded` then reads the request as Werkzeug does (a FileStorage named "", or
        # Werkzeug's 400 page), and reads like a FileStorage
        self.add_needed_import("typing", "Annotated")
        self.add_needed_import("fastapi", "File")
        self.add_needed_import("fastapi", "UploadFile")
        self._add_param(view, name, "Annotated[UploadFile | str | None, File()]", cst.Name("None"))
        self.import_support("uploaded")
        return cst.Call(
            cst.Name("uploaded"),
            [cst.Arg(cst.Name(name), comma=_comma()), cst.Arg(cst.SimpleString(f'"{name}"'))],
        )

    def _args_get_call(self, node: cst.BaseExpression) -> cst.Call | None:
        """The `request.args.get(...)` call around this `request` name, if it is one."""
        args = self.get_metadata(ParentNodeProvider, node, None)
        get = self.get_metadata(ParentNodeProvider, args, None) if args is not None else None
        call = self.get_metadata(ParentNodeProvider, get, None) if get is not None else None
        if (
            isinstance(args, cst.Attribute)
            and args.attr.value in SOURCES
            and isinstance(get, cst.Attribute)
            and get.attr.value in ("get", "getlist")
            and isinstance(call, cst.Call)
            and call.func is get
        ):
            return call
        return None

    def _query(
        self, call: cst.Call
    ) -> tuple[str, cst.BaseExpression, cst.BaseExpression | None] | None:
        """(name, default, type) of a convertible `request.args.get(name[, default][, type=])`
        or `request.args.getlist(name[, type=])`."""
        view = self.views[-1] if self.views else None
        positional = [a for a in call.args if a.keyword is None]
        keywords = {a.keyword.value: a.value for a in call.args if a.keyword is not None}
        getlist = call.func.attr.value == "getlist"  # type: ignore[attr-defined]
        if (
            view is None
            or view.hook  # the middleware calls it with the request only
            or not 1 <= len(positional) <= (1 if getlist else 2)
            or (getlist and "default" in keywords)
            or any(a.star for a in call.args)
            or set(keywords) - {"default", "type"}
            or (len(positional) == 2 and "default" in keywords)
        ):
            return None
        name = literal_string(positional[0].value)
        default = (
            positional[1].value
            if len(positional) == 2
            else keywords.get("default", cst.Name("None"))
        )
        kind = keywords.get("type")
        if not (name and name.isidentifier() and not python_keyword.iskeyword(name)):
            return None
        if (
            not isinstance(default, LITERALS)
            or isinstance(default, cst.Name)
            and default.value not in ("None", "True", "False")
        ):
            return None  # a parameter default is evaluated once, where the view is defined
        if name in view.params or not self._only_bound_by_itself(call, name):
            return None
        source = call.func.value.attr.value  # type: ignore[attr-defined]
        if view.sources.setdefault(name, source) != source:
            return None  # the same name from the query string and the form: one parameter can't be both
        read = " ".join(
            [getlist * "list", *(self.module.code_for_node(n) for n in (default, kind) if n)]
        )
        if view.reads.setdefault(name, read) != read:
            return None  # read twice in different ways: one parameter can't give both
        return name, default, kind

    def _only_bound_by_itself(self, call: cst.BaseExpression, name: str) -> bool:
        """The query name may become a parameter only if the view binds it nowhere else than in
        `name = request.args.get("name", ...)` itself."""
        function = self.enclosing(call, cst.FunctionDef)
        assert isinstance(function, cst.FunctionDef)
        values = assignments(function, name)
        return values is not None and all(v is call for v in values)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        view = self.views[-1] if self.views else None
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "get_json"
            and view is not None
            and view.takes_request
            and self._is_request(func.value)
            and self._use_kind(func.value) == "json"
        ):
            # a sync view can't await the body: the support module's get_json reads it from the
            # thread pool and answers 415 and 400 as Werkzeug does
            self.import_support("get_json")
            return cst.Call(
                cst.Name("get_json"),
                with_commas([cst.Arg(cst.Name("request")), *updated_node.args]),
            )
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Attribute)):
            return updated_node
        request = func.value.value
        if self._args_get_call(request) is not original_node:
            return updated_node
        if not self._is_request(request):
            return updated_node
        query = self._query(original_node)
        if query is None:
            return updated_node
        name, default, kind = query
        view = self.views[-1]
        assert view is not None
        self.remove_unused_import_by_node(request)
        if func.attr.value == "getlist":
            # every value, those `type` raises on left out
            self._add_source_param(view, name, func.value.attr.value)
            self.import_support("arg_list")
            listed = [cst.Arg(cst.Name(name)), *([cst.Arg(kind)] if kind is not None else [])]
            return cst.Call(cst.Name("arg_list"), with_commas(listed))
        # Werkzeug's `args.get` takes the first of repeated values, FastAPI's `str` parameter the
        # last, and gives the default when `type` raises, where FastAPI answers 422: the
        # support module's dependency reads the value, its signature says what OpenAPI shows
        args = []
        if not (isinstance(default, cst.Name) and default.value == "None") or kind is not None:
            args.append(cst.Arg(default))
        if kind is not None:
            args.append(cst.Arg(kind))
        self._add_dependency(view, name, func.value.attr.value, args, _annotation(default, kind))
        return cst.Name(name)

    def _add_dependency(
        self,
        view: _View,
        name: str,
        source: str,
        args: list[cst.Arg],
        annotation: str,
        *,
        required: bool = False,
    ) -> None:
        """`name: Annotated[annotation, Depends(query_arg("name", ...))]`."""
        reader = READERS[source]
        self.import_support(reader)
        self.add_needed_import("typing", "Annotated")
        self.add_needed_import("fastapi", "Depends")
        if annotation.startswith("Any"):
            self.add_needed_import("typing", "Any")
        args = [cst.Arg(cst.SimpleString(f'"{name}"')), *args]
        if required:
            args.append(cst.Arg(cst.Name("True"), keyword=cst.Name("required"), equal=_equal()))
        if source == "form":
            self.add_needed_import("fastapi", "Form")
            args.append(cst.Arg(cst.Name("Form"), keyword=cst.Name("form"), equal=_equal()))
        depends = cst.Call(
            cst.Name("Depends"), [cst.Arg(cst.Call(cst.Name(reader), with_commas(args)))]
        )
        annotated = cst.Subscript(
            cst.Name("Annotated"),
            [
                cst.SubscriptElement(cst.Index(cst.parse_expression(annotation)), _comma()),
                cst.SubscriptElement(cst.Index(depends)),
            ],
        )
        view.assigned.add(name)
        view.dependencies.setdefault(name, cst.Param(cst.Name(name), cst.Annotation(annotated)))

    def _add_source_param(self, view: _View, name: str, source: str) -> None:
        """`name: list[str] | None = Query(None)` (or `Form(None)` for `request.form`)."""
        kind = SOURCES[source]
        self._add_param(view, name, "list[str] | None", cst.parse_expression(f"{kind}(None)"))
        self.add_needed_import("fastapi", kind)

    @staticmethod
    def _add_param(view: _View, name: str, annotation: str, default: cst.BaseExpression) -> None:
        if name not in view.added:
            view.added[name] = cst.Param(
                name=cst.Name(name),
                annotation=cst.Annotation(cst.parse_expression(annotation)),
                default=default,
                equal=cst.AssignEqual(cst.SimpleWhitespace(" "), cst.SimpleWhitespace(" ")),
            )


def _assigns_itself(statement: cst.BaseStatement, names: set[str]) -> bool:
    """`name = name`, what `name = request.args.get("name")` became."""
    if not (isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1):
        return False
    assign = statement.body[0]
    return (
        isinstance(assign, cst.Assign)
        and len(assign.targets) == 1
        and isinstance(assign.targets[0].target, cst.Name)
        and isinstance(assign.value, cst.Name)
        and assign.targets[0].target.value == assign.value.value
        and assign.value.value in names
    )


class _RequestUses(cst.CSTVisitor):
    """The uses of flask's `request` in a view's body (not in nested functions)."""

    def __init__(self, rule: RequestAccess) -> None:
        self.rule = rule
        self.uses: list[cst.Name | cst.Attribute] = []

    def visit_FunctionDef(self, node: cst.FunctionDef) -> bool:
        return False

    def visit_Name(self, node: cst.Name) -> None:
        if self.rule._is_request(node):
            self.uses.append(node)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if self.rule._is_request(node):
            self.uses.append(node)
