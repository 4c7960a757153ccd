"""`Response(data, mimetype=...)` over bytes or text becomes FastAPI's `Response(content=...)`.

Content-Type goes in `headers=` so that it is sent before Content-Length, as Werkzeug sends it,
with Werkzeug's charset rules applied (PARITY.md, "In-memory bytes").
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule
from migrator.rules._responses import (
    FlaskResponseArgs,
    content_type_value,
    flask_response_args,
    has_content_type,
    header_elements,
    headers_dict,
    keyword,
    with_commas,
)
from migrator.rules._static import looks_like_text_or_bytes

FLASK_RESPONSE = ("flask.Response", "flask.wrappers.Response")


class ResponseBytes(Rule):
    DESCRIPTION = (
        "Response(bytes, mimetype=m) -> Response(content=bytes, headers={'Content-Type': m})"
    )
    TRIGGERS = ("Response",)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        # `from flask import Response` and FastAPI's `Response` share a name: convert every use
        # in the file or none, so that no `Response` in it means the wrong class.
        self.blockers: dict[cst.CSTNode, str] = {}
        self.name_shared = False
        references = self.flask_import_references(node, "Response")
        if references is not None:
            self.name_shared = True
            for reference in references:
                reason = self._why_not(reference)
                if reason is not None:
                    self.blockers[reference] = reason
        return True

    def _why_not(self, reference: cst.CSTNode) -> str | None:
        call = self.get_metadata(ParentNodeProvider, reference, None)
        if not isinstance(call, cst.Call) or call.func is not reference:
            return "flask.Response used other than as a call; convert this use by hand"
        return self._reason(call)

    def _reason(self, call: cst.Call) -> str | None:
        args = flask_response_args(call)
        if isinstance(args, str):
            return args
        if args.body is not None and not looks_like_text_or_bytes(
            args.body, self.index, self._scope(call)
        ):
            return "can't tell that the body is bytes or text (an iterable would need StreamingResponse)"
        return None

    def _scope(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        scope = self.enclosing(node, cst.FunctionDef)
        return scope if isinstance(scope, cst.FunctionDef) else None

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if original_node in self.blockers:
            self.todo(original_node, self.blockers[original_node])
        return updated_node

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.calls(original_node, *FLASK_RESPONSE) or original_node.func in self.blockers:
            return updated_node
        if self.blockers:
            self.todo(
                original_node,
                "left as Flask: another use of flask.Response in this file can't be converted",
            )
            return updated_node
        reason = self._reason(original_node)
        if reason is not None:
            self.todo(original_node, reason)
            return updated_node
        args = flask_response_args(updated_node)
        assert not isinstance(args, str)
        if self.name_shared:
            self.force_remove_import("flask", "Response")
        else:
            self.remove_unused_import_by_node(original_node.func)
        self.add_needed_import("fastapi.responses", "Response")
        return updated_node.with_changes(
            func=cst.Name("Response"), args=with_commas(self.arguments(args), like=updated_node)
        )

    def arguments(self, args: FlaskResponseArgs) -> list[cst.Arg]:
        value = content_type_value(
            args.mimetype, args.content_type, default=not has_content_type(args.headers)
        )
        if value == "runtime":
            assert args.mimetype is not None
            self.import_support("content_type")
            value = cst.Call(cst.Name("content_type"), [cst.Arg(args.mimetype)])
        assert not isinstance(value, str)
        result = [keyword("content", args.body)] if args.body is not None else []
        if args.status is not None:
            result.append(keyword("status_code", args.status))
        result.append(
            keyword("headers", headers_dict(header_elements(args.headers, value), args.headers))
        )
        return result
