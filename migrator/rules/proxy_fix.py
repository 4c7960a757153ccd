"""WSGI middleware on `app.wsgi_app`.

`app.wsgi_app = ProxyFix(app.wsgi_app, x_for=1, ...)` (Werkzeug's) becomes
`app.add_middleware(ProxyFix, x_for=1, ...)` with the support module's `ProxyFix`, which trusts
the same X-Forwarded-* headers in the same way. FastAPI has no `wsgi_app` (the assignment fails
at import), so any other WSGI middleware wrapped around it is unbound, with a blocking TODO: the
app imports and answers, without what the middleware did.
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._base import Rule

PROXY_FIX = frozenset(
    {"werkzeug.middleware.proxy_fix.ProxyFix", "werkzeug.contrib.fixers.ProxyFix"}
)


class ProxyFix(Rule):
    DESCRIPTION = (
        "app.wsgi_app = ProxyFix(app.wsgi_app, ...) -> app.add_middleware(ProxyFix, ...);"
        " other WSGI middleware: blocking TODO"
    )
    TRIGGERS = ("wsgi_app",)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.Assign):
            return updated_node
        assign = original_node.body[0]
        app = self._wrapped_app(assign)
        if app is None:
            return updated_node
        call = assign.value
        if isinstance(call, cst.Call) and self.calls(call, *PROXY_FIX) and self._wraps(call, app):
            if isinstance(call.func, cst.Name) and call.func.value == "ProxyFix":
                self.force_remove_import(_module_of(self.qualified(call.func)), "ProxyFix")
            else:
                self.remove_unused_import_by_node(call.func)
            self.import_support("ProxyFix")
            first = call.args[0]
            middleware = cst.Call(
                func=cst.Attribute(cst.Name(app), cst.Name("add_middleware")),
                args=[cst.Arg(cst.Name("ProxyFix"), comma=first.comma), *call.args[1:]],
                whitespace_before_args=call.whitespace_before_args,
            )
            return updated_node.with_changes(body=[cst.Expr(middleware)])
        self.todo(
            original_node,
            "WSGI middleware on `app.wsgi_app` has no FastAPI counterpart here;"
            " unbound so that the app imports: add an ASGI middleware doing the same with"
            " `app.add_middleware(...)`",
            blocking=True,
        )
        code = self.module.code_for_node(assign)
        kept = original_node.trailing_whitespace.comment
        if kept is not None:
            code = f"{code}  {kept.value}"
        return updated_node.with_changes(
            body=[cst.Pass()],
            trailing_whitespace=cst.TrailingWhitespace(
                whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(f"# {code}")
            ),
        )

    def _wrapped_app(self, assign: cst.Assign) -> str | None:
        """`app` of `app.wsgi_app = ...` where `app` is a Flask app, else None."""
        if len(assign.targets) != 1:
            return None
        target = assign.targets[0].target
        if (
            isinstance(target, cst.Attribute)
            and target.attr.value == "wsgi_app"
            and isinstance(target.value, cst.Name)
            and self.flask_objects.get(target.value.value) == "app"
        ):
            return target.value.value
        return None

    def _wraps(self, call: cst.Call, app: str) -> bool:
        """`call`'s first argument is `app.wsgi_app`, its others plain (no `*`/`**`)."""
        if not call.args or call.args[0].keyword is not None:
            return False
        first = call.args[0].value
        return (
            isinstance(first, cst.Attribute)
            and isinstance(first.value, cst.Name)
            and first.value.value == app
            and first.attr.value == "wsgi_app"
            and not any(arg.star for arg in call.args)
        )


def _module_of(qualified: set[str]) -> str:
    """The module `ProxyFix` was imported from (one of PROXY_FIX's)."""
    for name in sorted(qualified):
        if name in PROXY_FIX:
            return name.rsplit(".", 1)[0]
    return "werkzeug.middleware.proxy_fix"
