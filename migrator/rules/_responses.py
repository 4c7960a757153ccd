"""Building Starlette `Response(...)` calls that put Flask's headers on the wire.

The Content-Type goes in `media_type=`, spelled so that Starlette sends Werkzeug's value (the
charset Werkzeug adds to `image/svg+xml` and other types written out, PARITY.md, "In-memory
bytes"). Starlette then sends it after Content-Length, Werkzeug before: the order of different
field names carries no meaning (RFC 9110 section 5.3), and the parity policy names it
(`field-order`). Only a value `media_type=` can't give (`text/plain` without a charset, a
header value in a variable) stays in `headers=`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TYPE_CHECKING

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._static import literal_string

if TYPE_CHECKING:
    from migrator.rules._base import Rule
from migrator.runtime.flask_compat import content_type

FLASK_DEFAULT_CONTENT_TYPE = "text/html; charset=utf-8"
# Flask's Response(response, status, headers, mimetype, content_type, direct_passthrough)
FLASK_RESPONSE_PARAMS = (
    "response",
    "status",
    "headers",
    "mimetype",
    "content_type",
    "direct_passthrough",
)


@dataclass(frozen=True)
class FlaskResponseArgs:
    """The arguments of a Flask `Response(...)` call, by name."""

    body: cst.BaseExpression | None
    status: cst.BaseExpression | None
    headers: cst.Dict | None
    mimetype: cst.BaseExpression | None
    content_type: cst.BaseExpression | None


def flask_response_args(call: cst.Call) -> FlaskResponseArgs | str:
    """Read the arguments of `Response(...)`; a string says why they can't be read."""
    named: dict[str, cst.BaseExpression] = {}
    for position, arg in enumerate(call.args):
        if arg.star:
            return "arguments passed with * or ** can't be read statically"
        name = arg.keyword.value if arg.keyword is not None else FLASK_RESPONSE_PARAMS[position]
        if name not in FLASK_RESPONSE_PARAMS:
            return f"unknown Response() argument {name!r}"
        named[name] = arg.value
    headers = named.get("headers")
    if headers is not None and not isinstance(headers, cst.Dict):
        return "headers= is not a dict literal; its type and order can't be checked"
    if isinstance(headers, cst.Dict) and any(
        not isinstance(e, cst.DictElement) for e in headers.elements
    ):
        return "headers= unpacks another mapping; its order can't be checked"
    status = named.get("status")
    if status is not None and (literal_string(status) is not None or not _plausible_int(status)):
        return "status= given as a string ('404 NOT FOUND'); pass an int"
    return FlaskResponseArgs(
        body=named.get("response"),
        status=status,
        headers=headers,
        mimetype=named.get("mimetype"),
        content_type=named.get("content_type"),
    )


def _plausible_int(expr: cst.BaseExpression) -> bool:
    return isinstance(expr, (cst.Integer, cst.Name, cst.Attribute, cst.Subscript, cst.Call))


def content_type_value(
    mimetype: cst.BaseExpression | None, verbatim: cst.BaseExpression | None, *, default: bool
) -> cst.BaseExpression | None | str:
    """The Content-Type value Werkzeug would send, as an expression.

    Returns None when Werkzeug sends no Content-Type of its own (`default=False` and nothing
    given), and "runtime" when the mimetype is a variable: the caller then imports
    `content_type` from the support module and wraps the variable in it.
    """
    if verbatim is not None:
        return verbatim
    if mimetype is None:
        return cst.SimpleString(f'"{FLASK_DEFAULT_CONTENT_TYPE}"') if default else None
    text = literal_string(mimetype)
    if text is None:
        return "runtime"
    return cst.SimpleString(repr_string(content_type(text)))


def starlette_keeps(mimetype: str) -> bool:
    """True when Starlette's `media_type=mimetype` sends the Content-Type Werkzeug would
    (Starlette adds a charset to text/* only; Werkzeug also to *+xml and some application/*)."""
    return starlette_content_type(mimetype) == content_type(mimetype)


def starlette_content_type(media_type: str) -> str:
    """The Content-Type Starlette sends for `media_type=`: a charset added to text/* only."""
    if media_type.startswith("text/") and "charset=" not in media_type.lower():
        return media_type + "; charset=utf-8"
    return media_type


def media_type_for(value: str) -> str | None:
    """The shortest `media_type=` that makes Starlette send the Content-Type `value`
    (`text/html` for `text/html; charset=utf-8`); None when none does (`text/plain`)."""
    bare = value.split(";", 1)[0].strip()
    return next((m for m in (bare, value) if starlette_content_type(m) == value), None)


def typed_arguments(elements: list[cst.DictElement], original: cst.Dict | None) -> list[cst.Arg]:
    """`headers=` and `media_type=` for Flask's header list `elements`: Content-Type moves to
    `media_type=` when it is a literal Starlette sends as it is, or the support module's
    `content_type(...)` (Werkzeug's value, with its charset); `original` is the dict literal
    the headers came from, whose layout is kept."""
    media_type: cst.BaseExpression | None = None
    rest = list(elements)
    for index, element in enumerate(elements):
        if (literal_string(element.key) or "").lower() != "content-type":
            continue
        text = literal_string(element.value)
        spelled = media_type_for(text) if text is not None else None
        if spelled is not None:
            media_type = cst.SimpleString(repr_string(spelled))
        elif _is_content_type_call(element.value):
            media_type = element.value
        if media_type is not None:
            del rest[index]
        break
    args = [keyword("headers", headers_dict(rest, original))] if rest else []
    if media_type is not None:
        args.append(keyword("media_type", media_type))
    return args


def _is_content_type_call(value: cst.BaseExpression) -> bool:
    """`content_type(m)`, the support module's Werkzeug Content-Type of a mimetype."""
    return (
        isinstance(value, cst.Call)
        and isinstance(value.func, cst.Name)
        and value.func.value == "content_type"
    )


def repr_string(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def header_elements(
    headers: cst.Dict | None, value: cst.BaseExpression | None
) -> list[cst.DictElement]:
    """Flask's header list: the given headers, with Content-Type replaced in place (Werkzeug's
    `Headers.__setitem__`) or appended. `value=None` keeps whatever the headers hold."""
    elements = [
        e
        for e in (headers.elements if headers is not None else ())
        if isinstance(e, cst.DictElement)
    ]
    if value is None:
        return elements
    for index, element in enumerate(elements):
        key = literal_string(element.key)
        if key is not None and key.lower() == "content-type":
            elements[index] = element.with_changes(value=value)
            return elements
    return [*elements, cst.DictElement(cst.SimpleString('"Content-Type"'), value)]


def as_header_values(
    headers: cst.Dict | None, is_text: Callable[[cst.BaseExpression], bool]
) -> cst.Dict | None:
    """`headers` with `str(value)` around each value `is_text` can't prove a string: Werkzeug
    stores `str()` of a value (`"Content-Length": len(data)`), Starlette's `headers=` takes str."""
    if headers is None:
        return None
    return headers.with_changes(
        elements=[
            e.with_changes(value=cst.Call(cst.Name("str"), [cst.Arg(e.value)]))
            if isinstance(e, cst.DictElement) and not is_text(e.value)
            else e
            for e in headers.elements
        ]
    )


def has_content_type(headers: cst.Dict | None) -> bool:
    return any(
        isinstance(e, cst.DictElement) and (literal_string(e.key) or "").lower() == "content-type"
        for e in (headers.elements if headers is not None else ())
    )


def headers_dict(elements: list[cst.DictElement], original: cst.Dict | None) -> cst.Dict:
    """A dict literal of `elements`, keeping the original's brackets and layout when there was
    one (`header_elements()` appends or `typed_arguments()` removes at most one element)."""
    if original is None or not original.elements:
        return cst.Dict([e.with_changes(comma=cst.MaybeSentinel.DEFAULT) for e in elements])
    if len(elements) == len(original.elements):
        return original.with_changes(elements=elements)
    if len(elements) < len(original.elements):
        # Content-Type went to media_type=: the last element keeps the original's last comma
        last = elements[-1].with_changes(comma=original.elements[-1].comma)
        return original.with_changes(elements=[*elements[:-1], last])
    *kept, added = elements  # header_elements() appends at most one element
    last_comma = original.elements[-1].comma
    if not isinstance(kept[-1].comma, cst.Comma):
        kept[-1] = kept[-1].with_changes(
            comma=cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
        )
    added = added.with_changes(
        comma=last_comma if isinstance(last_comma, cst.Comma) else cst.MaybeSentinel.DEFAULT
    )
    return original.with_changes(elements=[*kept, added])


def keyword(name: str, value: cst.BaseExpression) -> cst.Arg:
    return cst.Arg(
        value=value,
        keyword=cst.Name(name),
        equal=cst.AssignEqual(cst.SimpleWhitespace(""), cst.SimpleWhitespace("")),
    )


def with_commas(args: list[cst.Arg], like: cst.Call | None = None) -> list[cst.Arg]:
    """Separate `args` by `, ` (or by the original call's first comma, to keep multi-line calls)."""
    comma = cst.Comma(whitespace_after=cst.SimpleWhitespace(" "))
    if like is not None and like.args and isinstance(like.args[0].comma, cst.Comma):
        comma = like.args[0].comma
    trailing = like is not None and like.args and isinstance(like.args[-1].comma, cst.Comma)
    # a comment after the first comma stays after the first argument only; each argument
    # gets a comma of its own (a node in a tree twice costs the next pass a copy of the tree)
    result = [
        a.with_changes(comma=comma if i == 0 else _uncommented(comma).deep_clone())
        for i, a in enumerate(args[:-1])
    ]
    if args:
        last_comma = (
            like.args[-1].comma if trailing and like is not None else cst.MaybeSentinel.DEFAULT
        )
        result.append(args[-1].with_changes(comma=last_comma))
    return result


def _uncommented(comma: cst.Comma) -> cst.Comma:
    """`comma` without the comment that may follow it on its line."""
    after = comma.whitespace_after
    if isinstance(after, cst.ParenthesizedWhitespace) and after.first_line.comment is not None:
        first_line = cst.TrailingWhitespace(newline=after.first_line.newline)
        return comma.with_changes(whitespace_after=after.with_changes(first_line=first_line))
    return comma


# Where a class is only asked about: the Starlette base class answers for every converted one.
CLASS_CHECKS = frozenset({"isinstance", "issubclass"})


def asks_about_type(rule: Rule, node: cst.CSTNode) -> bool:
    """True when `node` is an annotation, an `except` clause's class, or the class of
    `isinstance(x, node)` / `issubclass(x, node)` (also inside a tuple there)."""
    if rule.enclosing(node, cst.Annotation) is not None:
        return True
    parent = rule.get_metadata(ParentNodeProvider, node, None)
    if isinstance(parent, cst.Element):
        parent = rule.get_metadata(ParentNodeProvider, parent, None)
        if isinstance(parent, cst.Tuple):
            node = parent
            parent = rule.get_metadata(ParentNodeProvider, parent, None)
    if isinstance(parent, cst.ExceptHandler) and parent.type is node:
        return True
    call = rule.get_metadata(ParentNodeProvider, parent, None) if parent else None
    return (
        isinstance(parent, cst.Arg)
        and isinstance(call, cst.Call)
        and isinstance(call.func, cst.Name)
        and call.func.value in CLASS_CHECKS
        and len(call.args) == 2
        and call.args[1] is parent
    )
