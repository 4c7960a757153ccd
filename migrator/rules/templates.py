"""`render_template`, `render_template_string`, `stream_template` and `get_flashed_messages`
come from the generated support module, which renders with Flask's Jinja environment (the
app's template folder, Flask's autoescaping and globals, its context processors, filters and
globals); `@app.template_filter()` and the other registrations become `@template_filter(app)`.
A view returning `stream_template(...)` returns it as a `StreamingResponse`, as Flask streams it.

A view returning `render_template(...)` is a text body: `tuple_returns` makes it Flask's
text/html response (PARITY.md, "In-memory bytes").
"""

from __future__ import annotations

from collections.abc import Sequence

import libcst as cst

from migrator.rules._base import returning
from migrator.rules._helpers import SupportNames
from migrator.rules._responses import keyword, with_commas

FLASK_TEMPLATE_NAMES = (
    "render_template",
    "render_template_string",
    "stream_template",
    "stream_template_string",
    "get_flashed_messages",
)
STREAMED = ("stream_template", "stream_template_string")
# @app.<decorator>(...) -> @<decorator>(app, ...)
DECORATORS = ("context_processor", "template_filter", "template_global", "template_test")
# app.<method>(f, ...) -> <method>(app, f, ...)
METHODS = ("add_template_filter", "add_template_global", "add_template_test")


class Templates(SupportNames):
    DESCRIPTION = (
        "render_template & co. -> flask_compat's (Flask's Jinja environment); "
        "@app.template_filter() -> @template_filter(app)"
    )
    TRIGGERS = ("template", "get_flashed_messages", "context_processor")
    NAMES = {
        **{f"flask.{name}": name for name in FLASK_TEMPLATE_NAMES},
        **{f"flask.templating.{name}": name for name in FLASK_TEMPLATE_NAMES[:4]},
    }

    def leave_Decorator(
        self, original_node: cst.Decorator, updated_node: cst.Decorator
    ) -> cst.Decorator:
        decorator = original_node.decorator
        call = decorator if isinstance(decorator, cst.Call) else None
        target = call.func if call is not None else decorator
        if not (isinstance(target, cst.Attribute) and target.attr.value in DECORATORS):
            return updated_node
        if not self._is_app(target.value):
            return updated_node
        if call is None and target.attr.value != "context_processor":
            # Flask 3.1 takes `@app.template_filter()` only: bare, it registers nothing
            return updated_node
        name = target.attr.value
        self.import_support(name)
        updated = updated_node.decorator
        args = _with_app(target.value, updated.args if isinstance(updated, cst.Call) else ())
        return updated_node.with_changes(
            decorator=cst.Call(cst.Name(name), args).with_changes(
                whitespace_before_args=(
                    updated.whitespace_before_args
                    if isinstance(updated, cst.Call)
                    else cst.SimpleWhitespace("")
                )
            )
        )

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value in METHODS
            and self._is_app(func.value)
            and not any(arg.star for arg in original_node.args)
        ):
            name = func.attr.value
            self.import_support(name)
            return updated_node.with_changes(
                func=cst.Name(name), args=_with_app(func.value, updated_node.args)
            )
        return updated_node

    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        value = original_node.value
        if (
            isinstance(value, cst.Call)
            and self._support_name_of_call(value) in STREAMED
            and self.enclosing_view(original_node) is not None
        ):
            # Flask streams an iterator of text as text/html, with no Content-Length
            assert updated_node.value is not None
            self.add_needed_import("fastapi.responses", "StreamingResponse")
            media_type = keyword("media_type", cst.SimpleString('"text/html"'))
            return returning(
                updated_node,
                cst.Call(
                    cst.Name("StreamingResponse"),
                    with_commas([cst.Arg(updated_node.value), media_type]),
                ),
            )
        return updated_node

    def _support_name_of_call(self, call: cst.Call) -> str | None:
        names = {self.NAMES.get(q) for q in self.qualified(call.func)}
        return names.pop() if len(names) == 1 else None

    def _is_app(self, node: cst.BaseExpression) -> bool:
        return isinstance(node, cst.Name) and self.flask_objects.get(node.value) == "app"


def _with_app(app: cst.BaseExpression, args: Sequence[cst.Arg]) -> list[cst.Arg]:
    """`app` as the first argument, before the call's own (which keep their layout)."""
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" ")) if args else None
    first = cst.Arg(app, comma=comma or cst.MaybeSentinel.DEFAULT)
    return [first, *args]
