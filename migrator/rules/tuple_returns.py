"""A view returning `data`, `(data, status)`, `(data, headers)` or `(data, status, headers)`
becomes a view returning `Response(content=data, status_code=..., headers=...)` when `data` is
text or bytes and the shape is clear; a dict or list becomes `jsonify(...)`; any other tuple
becomes the support module's `make_response(...)`, which converts it as Flask does.

Flask turns text into a text/html response unless the headers set a Content-Type; FastAPI would
serialize all of these as JSON (PARITY.md, "In-memory bytes").
"""

from __future__ import annotations

import libcst as cst
from libcst.helpers import get_full_name_for_node

from migrator.rules._base import ROUTE_TRIGGERS, Rule, returning
from migrator.rules._responses import (
    as_header_values,
    content_type_value,
    has_content_type,
    header_elements,
    keyword,
    typed_arguments,
    with_commas,
)
from migrator.rules._static import (
    assignments,
    function_named,
    is_response_subclass,
    literal_string,
    looks_like_text_or_bytes,
    returns,
)
from migrator.rules._traversal import code_of
from migrator.rules.response_class import SETS_RESPONSE_CLASS

# Calls that give a response, before and after the rules: a view returns them as they are.
FLASK_RESPONSE_MAKERS = frozenset(
    {
        "flask.send_file",
        "flask.send_from_directory",
        "flask.render_template",
        "flask.render_template_string",
        "flask.stream_template",
        "flask.stream_template_string",
    }
)
RESPONSE_MAKERS = frozenset(
    {
        "Response",
        "StreamingResponse",
        "FileResponse",
        "HTMLResponse",
        "JSONResponse",
        "PlainTextResponse",
        "RedirectResponse",
        "FlaskResponse",
        "FlaskFileResponse",
        "send_from_directory",
        "send_static_file",
        "make_response",
        "jsonify",
        "redirect",
        "TemplateResponse",
    }
)
UNKNOWN_RETURN = (
    "the view returns a value whose type isn't visible here: make_response() answers as Flask "
    "does with it; returning a Response would be idiomatic"
)


class TupleReturns(Rule):
    DESCRIPTION = "return data, status, headers -> return Response(content=data, ...)"
    TRIGGERS = (*ROUTE_TRIGGERS, ".errorhandler(")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.name_blocked = bool(self.flask_import_references(node, "Response"))
        self.compat_blocked = bool(self.flask_import_references(node, "make_response"))
        # an app of this file has its own response class, which only make_response knows
        self.custom_class = bool(SETS_RESPONSE_CLASS.search(code_of(node)))
        return True

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        view = self.enclosing_view(original_node)
        if view is None or updated_node.value is None:
            return updated_node
        parts = _parts(updated_node.value)
        body = parts[0]
        if looks_like_text_or_bytes(body, self.index, view):
            written = self._written_out(parts, view)
            if written is not None:
                return returning(updated_node, written)
        elif len(parts) == 1 and isinstance(body, (cst.Dict, cst.List)):
            # Flask answers a dict or list with jsonify()
            self.import_support("jsonify")
            return returning(updated_node, cst.Call(cst.Name("jsonify"), [cst.Arg(body)]))
        elif len(parts) == 1 and self._is_response(original_node.value or body, view):
            return updated_node
        elif len(parts) == 1:
            self.todo(original_node, UNKNOWN_RETURN)
        return self._at_run_time(original_node, updated_node, parts)

    def _is_response(
        self, value: cst.BaseExpression, view: cst.FunctionDef, depth: int = 0
    ) -> bool:
        """True when `value` is made by a response maker, Flask's or one the rules above wrote
        (or is a name every assignment of which is): Flask returns it as it is."""
        if isinstance(value, cst.Name):
            values = assignments(view, value.value)
            return (
                values is not None
                and bool(values)
                and all(self._is_response(v, view, depth) for v in values)
            )
        if not isinstance(value, cst.Call):
            return False
        names = self.qualified(value.func) or {get_full_name_for_node(value.func) or ""}
        if any(
            name in FLASK_RESPONSE_MAKERS or name.rpartition(".")[2] in RESPONSE_MAKERS
            for name in names
        ) or is_response_subclass(self.index.module, value.func):
            return True
        # a helper of this module that always returns a response made as above
        helper = (
            function_named(self.index.module, value.func.value)
            if isinstance(value.func, cst.Name)
            else None
        )
        if helper is None or helper is view or depth > 2:
            return False
        found = returns(helper)
        return bool(found) and all(
            v is not None and self._is_response(v, helper, depth + 1) for v in found
        )

    def _written_out(
        self, parts: list[cst.BaseExpression], view: cst.FunctionDef
    ) -> cst.Call | None:
        """`Response(content=..., status_code=..., headers=...)` when the tuple's shape is clear."""
        status, headers = _status_and_headers(parts[1:])
        unclear = (
            (status is None and headers is None and len(parts) > 1)
            or (status is not None and literal_string(status) is not None)
            or (headers is not None and not isinstance(headers, cst.Dict))
        )
        if unclear or self.name_blocked or self.custom_class:
            return None
        assert headers is None or isinstance(headers, cst.Dict)
        value = content_type_value(None, None, default=not has_content_type(headers))
        assert not isinstance(value, str)
        args = [keyword("content", parts[0])]
        if status is not None:
            args.append(keyword("status_code", status))
        headers = as_header_values(headers, lambda e: looks_like_text_or_bytes(e, self.index, view))
        args.extend(typed_arguments(header_elements(headers, value), headers))
        self.add_needed_import("fastapi.responses", "Response")
        return cst.Call(cst.Name("Response"), with_commas(args))

    def _at_run_time(
        self, original_node: cst.Return, updated_node: cst.Return, parts: list[cst.BaseExpression]
    ) -> cst.Return:
        """`make_response(body, ...)` from the support module: Flask's own conversion of the
        tuple, done when the view runs (a status in a variable, a jsonify() body, ...)."""
        if self.compat_blocked:
            self.todo(
                original_node,
                "flask.make_response is still used in this file; return Response(...) here",
            )
            return updated_node
        self.import_support("make_response")
        call = cst.Call(cst.Name("make_response"), with_commas([cst.Arg(p) for p in parts]))
        return returning(updated_node, call)


def _parts(value: cst.BaseExpression) -> list[cst.BaseExpression]:
    if (
        isinstance(value, cst.Tuple)
        and 2 <= len(value.elements) <= 3
        and all(isinstance(e, cst.Element) for e in value.elements)
    ):
        return [e.value for e in value.elements]
    return [value]


def _status_and_headers(
    rest: list[cst.BaseExpression],
) -> tuple[cst.BaseExpression | None, cst.BaseExpression | None]:
    """Flask reads `(body, x)` as headers when x is a dict or list, else as a status."""
    if len(rest) == 2:
        return rest[0], rest[1]
    if len(rest) == 1:
        (only,) = rest
        if isinstance(only, cst.Dict):
            return None, only
        if isinstance(only, cst.Integer):
            return only, None
        return None, None
    return None, None
