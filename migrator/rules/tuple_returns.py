"""A view returning `data`, `(data, status)`, `(data, headers)` or `(data, status, headers)`
becomes a view returning `Response(content=data, status_code=..., headers=...)`.

Flask turns these into a text/html response unless the headers set a Content-Type; FastAPI would
serialize them as JSON (PARITY.md, "In-memory bytes").
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._responses import (
    content_type_value,
    has_content_type,
    header_elements,
    headers_dict,
    keyword,
    with_commas,
)
from migrator.rules._static import literal_string, looks_like_text_or_bytes


class TupleReturns(Rule):
    DESCRIPTION = "return data, status, headers -> return Response(content=data, ...)"
    TRIGGERS = (".route(",)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.name_blocked = bool(self.flask_import_references(node, "Response"))
        return True

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        view = self.enclosing_view(original_node)
        if view is None or updated_node.value is None:
            return updated_node
        parts = _parts(updated_node.value)
        body = parts[0]
        if not looks_like_text_or_bytes(body, self.index, view):
            return updated_node  # a Response object, or something route_decorator will flag
        status, headers = _status_and_headers(parts[1:])
        if status is None and headers is None and len(parts) > 1:
            self.todo(
                original_node,
                "can't tell the status from the headers in this tuple; write Response(...)",
            )
            return updated_node
        if status is not None and literal_string(status) is not None:
            self.todo(
                original_node,
                "the status is a string ('201 CREATED'); write Response(status_code=int)",
            )
            return updated_node
        if headers is not None and not isinstance(headers, cst.Dict):
            self.todo(
                original_node,
                "the headers of this tuple are not a dict literal; write Response(...)",
            )
            return updated_node
        if self.name_blocked:
            self.todo(
                original_node,
                "flask.Response is still used in this file, so FastAPI's Response can't be imported",
            )
            return updated_node
        value = content_type_value(None, None, default=not has_content_type(headers))
        assert not isinstance(value, str)
        args = [keyword("content", body)]
        if status is not None:
            args.append(keyword("status_code", status))
        args.append(keyword("headers", headers_dict(header_elements(headers, value), headers)))
        self.add_needed_import("fastapi.responses", "Response")
        call = cst.Call(cst.Name("Response"), with_commas(args))
        return updated_node.with_changes(value=call)


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
