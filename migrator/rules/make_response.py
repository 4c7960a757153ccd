"""`make_response(data)` becomes `Response(content=data, media_type=...)`; any other
`make_response(...)` calls the support module's `make_response`, which converts as Flask does.

A Content-Type set right after it (`resp.headers["Content-Type"] = m`, `resp.mimetype = m`) is
folded into the call; a later `.mimetype =` becomes a header assignment, because a Starlette
Response has no `mimetype` and the assignment would silently do nothing (PARITY.md, "In-memory bytes").
`resp.cache_control.max_age = 60` becomes `cache_control(resp, max_age=60)`, which rewrites the
Cache-Control header as Werkzeug does; the same for `resp = send_file(...)` and
`resp = send_from_directory(...)` (their support module response has no `cache_control`),
whose `resp.headers.add(k, v)` becomes Starlette's `resp.headers.append(k, str(v))` and
`resp.headers.set(k, v)` `resp.headers[k] = str(v)`; their other Werkzeug attributes get a TODO.
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst
from libcst import ensure_type
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule
from migrator.rules._imports import leading_lines
from migrator.rules._responses import (
    FLASK_DEFAULT_CONTENT_TYPE,
    content_type_value,
    header_elements,
    keyword,
    typed_arguments,
    with_commas,
)
from migrator.rules._static import (
    assignments,
    body_statements,
    literal_string,
    looks_like_text_or_bytes,
)

FLASK_MAKE_RESPONSE = ("flask.make_response", "flask.helpers.make_response")
# responses whose `.cache_control.<directive> = value` converts as a made one's does
FLASK_FILE_RESPONSES = (
    "flask.send_file",
    "flask.helpers.send_file",
    "flask.send_from_directory",
    "flask.helpers.send_from_directory",
)
TYPE_ATTRIBUTES = ("mimetype", "content_type")
# What a Starlette Response shares with a Werkzeug one, with the same meaning.
SHARED_ATTRIBUTES = ("headers", "status_code", "body")
SHARED_HEADER_METHODS = ("get",)
# What the support module's response (`FlaskResponse`) adds to those, with Werkzeug's meaning:
# a response that uses one is made by the support module's `make_response`.
WERKZEUG_ATTRIBUTES = frozenset(
    {
        "mimetype",
        "content_type",
        "content_length",
        "status",
        "data",
        "get_data",
        "set_data",
        "set_cookie",
        "delete_cookie",
        "location",
        "response",
        "is_sequence",
        "is_streamed",
        "iter_encoded",
        "direct_passthrough",
    }
)
WERKZEUG_HEADER_METHODS = frozenset(
    {"add", "set", "extend", "remove", "getlist", "setdefault", "update", "items", "keys"}
)
# `resp.cache_control.<directive> = value` -> `cache_control(resp, directive=value)`: the
# directives of Werkzeug's ResponseCacheControl (the support module's `_DIRECTIVES`)
CACHE_CONTROL_DIRECTIVES = frozenset(
    {
        "no_cache",
        "private",
        "max_age",
        "s_maxage",
        "stale_while_revalidate",
        "stale_if_error",
        "public",
        "no_store",
        "no_transform",
        "must_revalidate",
        "proxy_revalidate",
        "immutable",
        "must_understand",
    }
)


class MakeResponse(Rule):
    DESCRIPTION = (
        "make_response(data) -> Response(content=data, media_type=...), else flask_compat's"
    )
    TRIGGERS = ("make_response", "send_file", "send_from_directory")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.name_blocked = bool(self.flask_import_references(node, "Response"))
        # the support module's make_response has Flask's name: if a use of Flask's can't be
        # converted (it isn't a call), the two can't both be imported
        references = self.flask_import_references(node, "make_response") or []
        self.compat_blocked = any(not self._is_call_of(r) for r in references)
        self.folded: dict[cst.Call, cst.BaseExpression] = {}
        self.dropped: set[cst.CSTNode] = set()
        self.response_names: list[set[str]] = [set()]
        # the names holding a send_file / send_from_directory response, by function
        self.file_names: list[set[str]] = [set()]
        self.werkzeug_calls: set[cst.Call] = set()
        # the `cache_control(resp, ...)` lines written here: consecutive ones are merged
        self.cache_control_lines: set[cst.SimpleStatementLine] = set()
        return True

    # -- which names hold a response made here ----------------------------------------------

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names: set[str] = set()
        files: set[str] = set()
        for statement in _statements(node.body):
            call = _made_response(statement)
            if call is not None and self.calls(call.value, *FLASK_MAKE_RESPONSE):
                name = call.targets[0].target.value  # type: ignore[attr-defined]
                names.add(name)
                if _uses_werkzeug(node, name):
                    self.werkzeug_calls.add(call.value)  # type: ignore[arg-type]
            elif call is not None and self.calls(call.value, *FLASK_FILE_RESPONSES):
                name = call.targets[0].target.value  # type: ignore[attr-defined]
                values = assignments(node, name)
                if values and all(self.calls(v, *FLASK_FILE_RESPONSES) for v in values):
                    files.add(name)  # never anything else than such a response
        self.response_names.append(names)
        self.file_names.append(files - names)

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        self.response_names.pop()
        self.file_names.pop()
        return updated_node

    def visit_IndentedBlock(self, node: cst.IndentedBlock) -> None:
        self._plan_folding(node.body)

    def leave_IndentedBlock(
        self, original_node: cst.IndentedBlock, updated_node: cst.IndentedBlock
    ) -> cst.IndentedBlock:
        """`cache_control(resp, max_age=60)` and `cache_control(resp, public=True)` written
        from consecutive lines become `cache_control(resp, max_age=60, public=True)`: the
        support function applies its directives in order, as the lines did."""
        body: list[cst.BaseStatement] = []
        for statement in updated_node.body:
            previous = body[-1] if body else None
            if (
                isinstance(previous, cst.SimpleStatementLine)
                and isinstance(statement, cst.SimpleStatementLine)
                and previous in self.cache_control_lines
                and statement in self.cache_control_lines
                and _mergeable(previous, statement)
            ):
                merged = _merged_cache_control(previous, statement)
                self.cache_control_lines.add(merged)
                body[-1] = merged
                continue
            body.append(statement)
        if len(body) == len(updated_node.body):
            return updated_node
        return updated_node.with_changes(body=body)

    def _plan_folding(self, body: Sequence[cst.BaseStatement]) -> None:
        for index, statement in enumerate(body):
            assign = _made_response(statement)
            if assign is None or not self.calls(assign.value, *FLASK_MAKE_RESPONSE):
                continue
            if self._static_reason(assign.value) is not None:  # type: ignore[arg-type]
                continue  # folded only into a Response(...) written out here
            name = assign.targets[0].target.value  # type: ignore[attr-defined]
            for follower in body[index + 1 :]:
                value = _content_type_assignment(follower, name)
                if value is None or leading_lines(follower) or _has_comment(follower):
                    break
                self.folded[assign.value] = value  # type: ignore[index]
                self.dropped.add(follower)

    # -- rewrites -----------------------------------------------------------------------------

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.RemovalSentinel:
        if original_node in self.dropped and not self.name_blocked:
            return cst.RemoveFromParent()
        directive = _cache_control_set(original_node, self.response_names[-1] | self.file_names[-1])
        if directive is not None and not self.compat_blocked:
            small = updated_node.body[0]
            assert isinstance(small, cst.Assign)
            directive_target = small.targets[0].target
            assert isinstance(directive_target, cst.Attribute)
            assert isinstance(directive_target.value, cst.Attribute)
            self.import_support("cache_control")
            call = cst.Call(
                cst.Name("cache_control"),
                [
                    cst.Arg(
                        directive_target.value.value,
                        comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")),
                    ),
                    keyword(directive, small.value),
                ],
            )
            line = updated_node.with_changes(body=[cst.Expr(call)])
            self.cache_control_lines.add(line)
            return line
        header_set = _header_set(updated_node, self.response_names[-1] | self.file_names[-1])
        if header_set is not None and not self.compat_blocked:
            # Werkzeug's `headers.set(k, v)` replaces in place like Starlette's `headers[k] = v`
            target, key, value = header_set
            if _header_owner(target) in self.file_names[-1]:
                value = _as_header_text(value)  # Starlette's headers take str only
            subscript = cst.Subscript(target, [cst.SubscriptElement(cst.Index(key))])
            return updated_node.with_changes(
                body=[cst.Assign([cst.AssignTarget(subscript)], value)]
            )
        header_add = _header_set(updated_node, self.file_names[-1], method="add")
        if header_add is not None and not self.compat_blocked:
            # on a file response (Starlette's headers): Werkzeug's `headers.add(k, v)` appends
            # a header line, as Starlette's `headers.append(k, v)` does
            target, key, value = header_add
            call = cst.Call(
                cst.Attribute(target, cst.Name("append")),
                [
                    cst.Arg(key, comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))),
                    cst.Arg(_as_header_text(value)),
                ],
            )
            return updated_node.with_changes(body=[cst.Expr(call)])
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.calls(original_node, *FLASK_MAKE_RESPONSE):
            return updated_node
        if self._static_reason(original_node) is not None:
            return self._at_run_time(original_node, updated_node)
        folded = self.folded.get(original_node)
        value = cst.SimpleString(f'"{FLASK_DEFAULT_CONTENT_TYPE}"') if folded is None else folded
        self.remove_unused_import_by_node(original_node.func)
        self.add_needed_import("fastapi.responses", "Response")
        args = [
            keyword("content", updated_node.args[0].value),
            *typed_arguments(header_elements(None, value), None),
        ]
        return updated_node.with_changes(func=cst.Name("Response"), args=with_commas(args))

    def _static_reason(self, call: cst.Call) -> str | None:
        """Why `call` can't be written out as `Response(...)` here, or None if it can."""
        if self.name_blocked:
            return "flask.Response is still used in this file"
        if call in self.werkzeug_calls:
            return "the response's Werkzeug attributes are used"
        if len(call.args) != 1 or call.args[0].keyword is not None or call.args[0].star:
            return "several arguments"
        scope = self.enclosing(call, cst.FunctionDef)
        body = call.args[0].value
        if not looks_like_text_or_bytes(
            body, self.index, scope if isinstance(scope, cst.FunctionDef) else None
        ):
            return "the body's type is not known"
        return None

    def _at_run_time(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        """The support module's `make_response`: Flask's conversion, done when the view runs."""
        if self.compat_blocked:
            self.todo(
                original_node,
                "flask.make_response is used other than in calls here; convert those uses first",
            )
            return updated_node
        if isinstance(original_node.func, cst.Name) and original_node.func.value == "make_response":
            self.force_remove_import("flask", "make_response")  # same name as the new one
        else:
            self.remove_unused_import_by_node(original_node.func)
        self.import_support("make_response")
        return updated_node.with_changes(func=cst.Name("make_response"))

    def _is_call_of(self, reference: cst.CSTNode) -> bool:
        parent = self.get_metadata(ParentNodeProvider, reference, None)
        return isinstance(parent, cst.Call) and parent.func is reference

    def leave_Assign(self, original_node: cst.Assign, updated_node: cst.Assign) -> cst.Assign:
        target = original_node.targets[0].target if len(original_node.targets) == 1 else None
        if not (
            isinstance(target, cst.Attribute)
            and isinstance(target.value, cst.Name)
            and target.value.value in self.response_names[-1]
            and target.attr.value in TYPE_ATTRIBUTES
            and original_node not in {_assign_of(s) for s in self.dropped}
            and not self.compat_blocked
        ):
            return updated_node
        value: cst.BaseExpression | str | None = updated_node.value
        if target.attr.value == "mimetype":
            value = content_type_value(updated_node.value, None, default=False)
            if value == "runtime":
                self.import_support("content_type")
                value = cst.Call(cst.Name("content_type"), [cst.Arg(updated_node.value)])
        assert isinstance(value, cst.BaseExpression)
        header = cst.Subscript(
            value=cst.Attribute(target.value, cst.Name("headers")),
            slice=[cst.SubscriptElement(cst.Index(cst.SimpleString('"Content-Type"')))],
        )
        return updated_node.with_changes(targets=[cst.AssignTarget(header)], value=value)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        if (
            isinstance(original_node.value, cst.Name)
            and original_node.value.value in self.file_names[-1]
            and not self.compat_blocked
        ):
            self._file_response_attribute(original_node)
            return updated_node
        if not (
            isinstance(original_node.value, cst.Name)
            and original_node.value.value in self.response_names[-1]
            and not self.compat_blocked
        ):
            return updated_node
        attribute = original_node.attr.value
        if attribute in TYPE_ATTRIBUTES and self._is_assigned(original_node):
            return updated_node
        if attribute in WERKZEUG_ATTRIBUTES:
            return updated_node  # made by the support module's make_response: see above
        if attribute == "headers":
            parent = self.get_metadata(ParentNodeProvider, original_node, None)
            methods = SHARED_HEADER_METHODS + tuple(WERKZEUG_HEADER_METHODS)
            if isinstance(parent, cst.Subscript) or (
                isinstance(parent, cst.Attribute) and parent.attr.value in methods
            ):
                return updated_node
            line = self.enclosing(original_node, cst.SimpleStatementLine)
            if isinstance(line, cst.SimpleStatementLine) and _header_set(
                line, self.response_names[-1]
            ):
                return updated_node
        elif attribute in SHARED_ATTRIBUTES:
            return updated_node
        elif attribute == "cache_control":
            line = self.enclosing(original_node, cst.SimpleStatementLine)
            if isinstance(line, cst.SimpleStatementLine) and _cache_control_set(
                line, self.response_names[-1]
            ):
                return updated_node
        self.todo(
            original_node, f"`.{attribute}` of a Flask response has no Starlette equivalent here"
        )
        return updated_node

    def _file_response_attribute(self, node: cst.Attribute) -> None:
        """A TODO for what a `send_file` response is asked and Starlette's lacks: Werkzeug's
        header methods other than those converted, its response attributes."""
        attribute = node.attr.value
        parent = self.get_metadata(ParentNodeProvider, node, None)
        line = self.enclosing(node, cst.SimpleStatementLine)
        names = self.file_names[-1]
        if attribute == "headers" and isinstance(parent, cst.Attribute):
            method = parent.attr.value
            if method not in WERKZEUG_HEADER_METHODS or (
                isinstance(line, cst.SimpleStatementLine)
                and (_header_set(line, names) or _header_set(line, names, method="add"))
            ):
                return
            what = f"`.headers.{method}`"
            # Starlette's headers have no such method: AttributeError, the route answers 500
            blocking = method in ("extend", "remove")
        elif attribute in WERKZEUG_ATTRIBUTES - {"direct_passthrough"}:
            what = f"`.{attribute}`"
            blocking = attribute not in ("set_cookie", "delete_cookie")
        else:
            return
        self.todo(
            node,
            f"{what} of Werkzeug's response: the support module's file response is Starlette's,"
            " without it or with its own meaning; set the headers (`resp.headers[...] = ...`)"
            " instead",
            blocking=blocking,
        )

    def _is_assigned(self, node: cst.Attribute) -> bool:
        target = self.get_metadata(ParentNodeProvider, node, None)
        return isinstance(target, cst.AssignTarget)


def _uses_werkzeug(function: cst.FunctionDef, name: str) -> bool:
    """True when `name.attr` (or `name.headers.method`) reads something only Werkzeug's
    response has: the support module's `FlaskResponse` has it, Starlette's `Response` not."""
    nodes = list(body_statements(function))
    # `resp.mimetype = m` becomes a header assignment; reading it needs Werkzeug's response
    assigned = {t.target for n in nodes if isinstance(n, cst.Assign) for t in n.targets}
    for node in nodes:
        if (
            isinstance(node, cst.Attribute)
            and _is_name(node.value, name)
            and node.attr.value in WERKZEUG_ATTRIBUTES
            and not (node.attr.value in TYPE_ATTRIBUTES and node in assigned)
        ):
            return True
    for node in nodes:
        if not isinstance(node, cst.Call) or not isinstance(node.func, cst.Attribute):
            continue
        method = node.func
        if (
            method.attr.value in WERKZEUG_HEADER_METHODS
            and _is_headers_of(method.value, name)
            # `headers.set(k, v)` becomes `headers[k] = v`, which both responses take
            and not (method.attr.value == "set" and len(node.args) == 2)
        ):
            return True
    return False


def _statements(block: cst.BaseSuite) -> list[cst.BaseStatement]:
    return list(block.body) if isinstance(block, cst.IndentedBlock) else []


def _assign_of(statement: cst.CSTNode) -> cst.CSTNode | None:
    if isinstance(statement, cst.SimpleStatementLine) and len(statement.body) == 1:
        return statement.body[0]
    return None


def _made_response(statement: cst.CSTNode) -> cst.Assign | None:
    """`name = <call>` as a whole statement line, else None."""
    small = _assign_of(statement)
    if (
        isinstance(small, cst.Assign)
        and len(small.targets) == 1
        and isinstance(small.targets[0].target, cst.Name)
        and isinstance(small.value, cst.Call)
    ):
        return small
    return None


def _content_type_assignment(statement: cst.CSTNode, name: str) -> cst.BaseExpression | None:
    """The Werkzeug Content-Type value set by `name.headers["Content-Type"] = v`,
    `name.content_type = v` or `name.mimetype = "literal"`, else None."""
    small = _assign_of(statement)
    if not isinstance(small, cst.Assign) or len(small.targets) != 1:
        return None
    target = small.targets[0].target
    if isinstance(target, cst.Subscript) and _is_headers_of(target.value, name):
        key = target.slice[0].slice if len(target.slice) == 1 else None
        if (
            isinstance(key, cst.Index)
            and (literal_string(key.value) or "").lower() == "content-type"
        ):
            return small.value
        return None
    if isinstance(target, cst.Attribute) and _is_name(target.value, name):
        if target.attr.value == "content_type":
            return small.value
        if target.attr.value == "mimetype":
            value = content_type_value(small.value, None, default=False)
            return value if isinstance(value, cst.BaseExpression) else None
    return None


def _is_headers_of(node: cst.BaseExpression, name: str) -> bool:
    return (
        isinstance(node, cst.Attribute)
        and node.attr.value == "headers"
        and _is_name(node.value, name)
    )


def _is_name(node: cst.BaseExpression, name: str) -> bool:
    return isinstance(node, cst.Name) and node.value == name


def _has_comment(statement: cst.CSTNode) -> bool:
    return (
        isinstance(statement, cst.SimpleStatementLine)
        and statement.trailing_whitespace.comment is not None
    )


def _cache_control_set(line: cst.SimpleStatementLine, names: set[str]) -> str | None:
    """The directive of a whole-line `resp.cache_control.<directive> = value`, else None."""
    small = _assign_of(line)
    target = (
        small.targets[0].target
        if isinstance(small, cst.Assign) and len(small.targets) == 1
        else None
    )
    if (
        isinstance(target, cst.Attribute)
        and target.attr.value in CACHE_CONTROL_DIRECTIVES
        and isinstance(target.value, cst.Attribute)
        and target.value.attr.value == "cache_control"
        and isinstance(target.value.value, cst.Name)
        and target.value.value.value in names
    ):
        return target.attr.value
    return None


def _cache_control_call(line: cst.SimpleStatementLine) -> cst.Call:
    return ensure_type(ensure_type(line.body[0], cst.Expr).value, cst.Call)


def _mergeable(first: cst.SimpleStatementLine, second: cst.SimpleStatementLine) -> bool:
    """Two `cache_control(...)` lines on the same response, with different directives, and no
    comment a merge would lose (the first line's own, the second's above it)."""
    one, two = _cache_control_call(first), _cache_control_call(second)
    target = one.args[0].value
    directives = {a.keyword.value for a in one.args[1:] if a.keyword is not None}
    return (
        isinstance(target, cst.Name)
        and _is_name(two.args[0].value, target.value)
        and not any(a.keyword is not None and a.keyword.value in directives for a in two.args[1:])
        and first.trailing_whitespace.comment is None
        and not leading_lines(second)
    )


def _merged_cache_control(
    first: cst.SimpleStatementLine, second: cst.SimpleStatementLine
) -> cst.SimpleStatementLine:
    """One line: the first call with the second's directives after its own, and the second
    line's trailing comment."""
    one, two = _cache_control_call(first), _cache_control_call(second)
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    args = [*one.args[:-1], one.args[-1].with_changes(comma=comma), *two.args[1:]]
    return first.with_changes(
        body=[cst.Expr(one.with_changes(args=args))],
        trailing_whitespace=second.trailing_whitespace,
    )


def _header_owner(headers: cst.BaseExpression) -> str | None:
    """`resp` of `resp.headers`."""
    if isinstance(headers, cst.Attribute) and isinstance(headers.value, cst.Name):
        return headers.value.value
    return None


def _as_header_text(value: cst.BaseExpression) -> cst.BaseExpression:
    """What Werkzeug makes of a header value (`str(value)`), for Starlette's headers, which
    take text only; a string literal as it is."""
    if isinstance(value, (cst.SimpleString, cst.ConcatenatedString, cst.FormattedString)):
        return value
    return cst.Call(cst.Name("str"), [cst.Arg(value)])


def _header_set(
    line: cst.SimpleStatementLine, names: set[str], method: str = "set"
) -> tuple[cst.BaseExpression, cst.BaseExpression, cst.BaseExpression] | None:
    """(`resp.headers`, key, value) of a whole-line `resp.headers.set(key, value)` (or of
    another `method` with two positional arguments), else None."""
    small = line.body[0] if len(line.body) == 1 else None
    call = small.value if isinstance(small, cst.Expr) else None
    if (
        isinstance(call, cst.Call)
        and isinstance(call.func, cst.Attribute)
        and call.func.attr.value == method
        and isinstance(call.func.value, cst.Attribute)
        and call.func.value.attr.value == "headers"
        and isinstance(call.func.value.value, cst.Name)
        and call.func.value.value.value in names
        and len(call.args) == 2
        and all(a.keyword is None and not a.star for a in call.args)
    ):
        return call.func.value, call.args[0].value, call.args[1].value
    return None
