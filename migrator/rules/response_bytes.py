"""`Response(data, mimetype=...)` over bytes or text becomes FastAPI's `Response(content=...)`;
any other use of `flask.Response` becomes the support module's `FlaskResponse`, which answers as
Werkzeug's response does whatever the body turns out to be.

Content-Type goes in `media_type=`, spelled with Werkzeug's charset where Starlette would not add
it (`image/svg+xml; charset=utf-8`, PARITY.md, "In-memory bytes"). Where the body's type can't
be proven (a parameter, an attribute, a call into another package), `FlaskResponse` decides when
the view runs: bytes and text go out at once, other iterables are streamed (PARITY.md, "Streaming").
"""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule
from migrator.rules._responses import (
    FlaskResponseArgs,
    as_header_values,
    asks_about_type,
    content_type_value,
    flask_response_args,
    has_content_type,
    header_elements,
    keyword,
    typed_arguments,
    with_commas,
)
from migrator.rules._static import looks_like_text_or_bytes

FLASK_RESPONSE = ("flask.Response", "flask.wrappers.Response")
UNKNOWN_BODY = (
    "the body's type isn't visible here: FlaskResponse sends it as Flask does; for bytes or "
    "text, Response(content=..., media_type=...) would be idiomatic"
)
SUBCLASS = (
    "a subclass of Flask's Response: FlaskResponse keeps Werkzeug's behaviour; a Starlette "
    "Response subclass with media_type= would be idiomatic"
)
AS_VALUE = (
    "flask.Response used as a value: FlaskResponse is Werkzeug's response; Starlette's "
    "Response would be idiomatic"
)


class ResponseBytes(Rule):
    DESCRIPTION = (
        "Response(bytes, mimetype=m) -> Response(content=bytes, media_type=m), else FlaskResponse"
    )
    TRIGGERS = ("Response",)

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        # `from flask import Response` and FastAPI's `Response` share a name: every use is
        # converted, so the Flask import goes even where `Response` is still written.
        self.name_shared = self.flask_import_module(node, "Response")
        return True

    def _reason(self, call: cst.Call) -> str | None:
        args = flask_response_args(call)
        if isinstance(args, str):
            return f"{args}; FlaskResponse takes Flask's arguments"
        if args.body is not None and not looks_like_text_or_bytes(
            args.body, self.index, self._scope(call)
        ):
            return UNKNOWN_BODY
        return None

    def _scope(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        scope = self.enclosing(node, cst.FunctionDef)
        return scope if isinstance(scope, cst.FunctionDef) else None

    def _drop_import(self, reference: cst.CSTNode) -> None:
        self.remove_unused_import_by_node(reference)
        if self.name_shared is not None:
            self.force_remove_import(self.name_shared, "Response")

    # -- uses other than calls ------------------------------------------------------------------

    def _is_class_reference(self, node: cst.Name | cst.Attribute) -> bool:
        found = self.qualified(node)
        if not found or not found <= set(FLASK_RESPONSE):
            return False
        parent = self.get_metadata(ParentNodeProvider, node, None)
        if isinstance(parent, cst.Call) and parent.func is node:
            return False  # leave_Call converts calls
        if isinstance(parent, cst.Attribute) and parent.attr is node:
            return False
        return self.enclosing(node, (cst.Import, cst.ImportFrom)) is None

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.BaseExpression:
        if not self._is_class_reference(original_node):
            return updated_node
        return self._class_reference(original_node)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if not self._is_class_reference(original_node):
            return updated_node
        return self._class_reference(original_node)

    def _class_reference(self, node: cst.Name | cst.Attribute) -> cst.BaseExpression:
        """`Response` where a type is asked about or annotated; `FlaskResponse` where the class
        itself is used (a base class, a value), so that it still behaves as Flask's."""
        self._drop_import(node)
        if asks_about_type(self, node):
            self.add_needed_import("fastapi.responses", "Response")
            return cst.Name("Response")
        parent = self.get_metadata(ParentNodeProvider, node, None)
        is_base = isinstance(parent, cst.Arg) and isinstance(
            self.get_metadata(ParentNodeProvider, parent, None), cst.ClassDef
        )
        self.todo(node, SUBCLASS if is_base else AS_VALUE)
        self.import_support("FlaskResponse")
        return cst.Name("FlaskResponse")

    # -- calls ----------------------------------------------------------------------------------

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.calls(original_node, *FLASK_RESPONSE):
            return updated_node
        self._drop_import(original_node.func)
        reason = self._reason(original_node)
        if reason is not None:
            self.todo(original_node, reason)
            self.import_support("FlaskResponse")
            return updated_node.with_changes(func=cst.Name("FlaskResponse"))
        args = flask_response_args(updated_node)
        assert not isinstance(args, str)
        self.add_needed_import("fastapi.responses", "Response")
        scope = self._scope(original_node)
        return updated_node.with_changes(
            func=cst.Name("Response"),
            args=with_commas(self.arguments(args, scope), like=updated_node),
        )

    def arguments(self, args: FlaskResponseArgs, scope: cst.FunctionDef | None) -> list[cst.Arg]:
        value = content_type_value(
            args.mimetype, args.content_type, default=not has_content_type(args.headers)
        )
        if value == "runtime":
            assert args.mimetype is not None
            self.import_support("content_type")
            value = cst.Call(cst.Name("content_type"), [cst.Arg(args.mimetype)])
        assert not isinstance(value, str)
        headers = as_header_values(
            args.headers, lambda e: looks_like_text_or_bytes(e, self.index, scope)
        )
        result = [keyword("content", args.body)] if args.body is not None else []
        if args.status is not None:
            result.append(keyword("status_code", args.status))
        result.extend(typed_arguments(header_elements(headers, value), headers))
        return result
