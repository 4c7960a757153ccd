"""Flask's app state: `g`, `current_app`, `session` and `flash` come from the generated support
module (proxies of the request's namespace, of the app answering it, and of Flask's signed
session cookie), `app.debug` / `app.testing` /
`app.secret_key` become the `app.config[...]` keys Flask keeps them in, `app.root_path` becomes
`app.state.root_path` (FastAPI's `root_path` is a URL prefix), `app.app_context()`
becomes `app_context(app)`. `app_object` gives the FastAPI app its `config` and `logger`.
"""

from __future__ import annotations

import libcst as cst

from migrator.rules._helpers import SupportNames

FLASK_CURRENT_APP = ("flask.current_app", "flask.globals.current_app")
# Flask's ConfigAttributes: app attributes that read and write a config key
CONFIG_ATTRIBUTES = {"debug": "DEBUG", "testing": "TESTING", "secret_key": "SECRET_KEY"}
TODOS = {
    "g": (
        "`g` is flask_compat's per-request namespace (a context variable); FastAPI's own "
        "way is `request.state`, or a dependency"
    ),
    "current_app": (
        "`current_app` is flask_compat's proxy of the app answering the request; in a view, "
        "FastAPI's own way is `request.app`"
    ),
    "session": (
        "`session` is flask_compat's: Flask's signed session cookie, read and written as Flask "
        "does (its SECRET_KEY); FastAPI's own way is Starlette's SessionMiddleware and "
        "`request.session`, whose cookie Flask's can't read"
    ),
    "flash": (
        "`flash` is flask_compat's: the message kept in Flask's session cookie for "
        "`get_flashed_messages`; FastAPI has no flashing of its own"
    ),
}


class AppState(SupportNames):
    DESCRIPTION = (
        "g, current_app -> flask_compat's; app.debug/testing/secret_key -> app.config[...]; "
        "app.app_context() -> app_context(app)"
    )
    # `g` is imported by name: `import g`, `, g`, ` g,` / ` g` + newline (in parentheses)
    TRIGGERS = (
        "import g",
        ", g",
        " g,",
        " g\n",
        "flask.g",
        "current_app",
        "debug",
        "testing",
        "secret_key",
        "root_path",
        "app_context",
        "session",
        "flash",
    )
    NAMES = {
        "flask.g": "g",
        "flask.globals.g": "g",
        **dict.fromkeys(FLASK_CURRENT_APP, "current_app"),
        "flask.session": "session",
        "flask.globals.session": "session",
        "flask.flash": "flash",
        "flask.helpers.flash": "flash",
    }

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.reported: set[str] = set()
        return True

    def converted(self, node: cst.CSTNode, name: str) -> None:
        # one TODO a file: every use is converted, and the idiomatic rewrite is the same
        if name not in self.reported:
            self.reported.add(name)
            self.todo(node, TODOS[name])

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if original_node.attr.value == "root_path" and self._is_app(original_node.value):
            # FastAPI's root_path is the ASGI one, a URL prefix; Flask's folder is in state
            return updated_node.with_changes(
                value=cst.Attribute(updated_node.value, cst.Name("state"))
            )
        key = CONFIG_ATTRIBUTES.get(original_node.attr.value)
        if key is not None and self._is_app(original_node.value):
            return cst.Subscript(
                value=cst.Attribute(updated_node.value, cst.Name("config")),
                slice=[cst.SubscriptElement(cst.Index(cst.SimpleString(f'"{key}"')))],
            )
        return super().leave_Attribute(original_node, updated_node)

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        func = original_node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "app_context"
            and not original_node.args
            and self._is_app(func.value)
        ):
            assert isinstance(updated_node.func, cst.Attribute)
            self.import_support("app_context")
            return cst.Call(cst.Name("app_context"), [cst.Arg(updated_node.func.value)])
        return updated_node

    def _is_app(self, node: cst.BaseExpression) -> bool:
        """A Flask app of this file, or `current_app`."""
        if isinstance(node, cst.Name) and self.flask_objects.get(node.value) == "app":
            return True
        names = self.qualified(node)
        return bool(names) and names <= set(FLASK_CURRENT_APP)
