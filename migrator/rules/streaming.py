"""`Response(generator(), mimetype=...)` becomes `StreamingResponse(...)`.

Both send the chunks as they come, with no Content-Length (PARITY.md, "Streaming").
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule
from migrator.rules._responses import (
    FlaskResponseArgs,
    as_header_values,
    content_type_value,
    flask_response_args,
    has_content_type,
    header_elements,
    keyword,
    repr_string,
    starlette_keeps,
    typed_arguments,
    with_commas,
)
from migrator.rules._static import is_generator, literal_string, looks_like_text_or_bytes

FLASK_RESPONSE = "flask.Response"
FLASK_WRAPPERS_RESPONSE = "flask.wrappers.Response"


class Streaming(Rule):
    DESCRIPTION = "Response(generator, mimetype=m) -> StreamingResponse(generator, ...)"
    TRIGGERS = ("Response",)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if not self.calls(original_node, FLASK_RESPONSE, FLASK_WRAPPERS_RESPONSE):
            return updated_node
        args = flask_response_args(updated_node)
        scope = self.enclosing(original_node, cst.FunctionDef)
        if (
            isinstance(args, str)
            or args.body is None
            or not is_generator(
                args.body, self.index, scope if isinstance(scope, cst.FunctionDef) else None
            )
        ):
            return updated_node  # not a stream: response_bytes decides
        media_type = literal_string(args.mimetype)
        if (
            media_type is not None
            and args.content_type is None
            and starlette_keeps(media_type)
            and not has_content_type(args.headers)
        ):
            return self._streaming(original_node, updated_node, args, None, media_type)
        value = content_type_value(
            args.mimetype, args.content_type, default=not has_content_type(args.headers)
        )
        if value == "runtime":
            self.import_support("content_type")
            assert args.mimetype is not None
            value = cst.Call(cst.Name("content_type"), [cst.Arg(args.mimetype)])
        assert not isinstance(value, str)
        return self._streaming(original_node, updated_node, args, value, None)

    def _streaming(
        self,
        original_node: cst.Call,
        updated_node: cst.Call,
        args: FlaskResponseArgs,
        content_type: cst.BaseExpression | None,
        media_type: str | None,
    ) -> cst.Call:
        assert args.body is not None
        result = [cst.Arg(args.body)]
        if args.status is not None:
            result.append(keyword("status_code", args.status))
        scope = self.enclosing(original_node, cst.FunctionDef)
        headers = as_header_values(
            args.headers,
            lambda e: looks_like_text_or_bytes(
                e, self.index, scope if isinstance(scope, cst.FunctionDef) else None
            ),
        )
        result.extend(typed_arguments(header_elements(headers, content_type), headers))
        if media_type is not None:
            result.append(keyword("media_type", cst.SimpleString(repr_string(media_type))))
        self.remove_unused_import_by_node(original_node.func)
        self.add_needed_import("fastapi.responses", "StreamingResponse")
        return updated_node.with_changes(
            func=cst.Name("StreamingResponse"), args=with_commas(result, like=updated_node)
        )
