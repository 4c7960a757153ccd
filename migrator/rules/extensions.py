"""Flask extensions bound to the app (`Cache(app)`, `db.init_app(app)`, `Swagger(app)`) have no
FastAPI meaning: each gets a blocking TODO naming the FastAPI counterpart, and the binding is
undone so that the app still imports (the extension would call Flask-only methods on the
FastAPI app): `x = Ext(app)` becomes `x = Ext()`, a bare `Ext(app)` or `x.init_app(app)`
becomes `pass` with the call kept in a comment. Flask-CORS has a rule of its own (`cors`)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule

# extension module -> (its name, what FastAPI apps use instead)
COUNTERPARTS = {
    "flasgger": ("Flasgger", "FastAPI's own OpenAPI schema at /docs"),
    "flask_restx": ("Flask-RESTX", "APIRouter routes and FastAPI's OpenAPI schema"),
    "flask_restful": ("Flask-RESTful", "APIRouter routes"),
    "flask_caching": ("Flask-Caching", "fastapi-cache2, or Cache-Control headers"),
    "flask_limiter": ("Flask-Limiter", "slowapi"),
    "flask_sqlalchemy": ("Flask-SQLAlchemy", "SQLAlchemy sessions given by a FastAPI dependency"),
    "flask_migrate": ("Flask-Migrate", "Alembic, run directly"),
    "flask_login": ("Flask-Login", "FastAPI security dependencies (fastapi.security)"),
    "flask_jwt_extended": ("Flask-JWT-Extended", "fastapi.security with a JWT library"),
    "flask_httpauth": ("Flask-HTTPAuth", "fastapi.security.HTTPBasic / HTTPBearer"),
    "flask_compress": ("Flask-Compress", "Starlette's GZipMiddleware"),
    "flask_socketio": ("Flask-SocketIO", "python-socketio's ASGIApp"),
    "flask_session": ("Flask-Session", "Starlette's SessionMiddleware"),
    "flask_wtf": ("Flask-WTF", "a CSRF middleware (starlette-csrf)"),
    "flask_talisman": ("Flask-Talisman", "a middleware setting the security headers"),
    "flask_mail": ("Flask-Mail", "fastapi-mail"),
    "flask_bcrypt": ("Flask-Bcrypt", "bcrypt or passlib, used directly"),
    "flask_marshmallow": ("Flask-Marshmallow", "pydantic models or marshmallow directly"),
    "flask_babel": ("Flask-Babel", "Babel, used directly"),
    "flask_uploads": ("Flask-Uploads", "UploadFile parameters"),
    # its `qrcode` Jinja filter and global are its own (GPL) code, and its module imports Flask
    "flask_qrcode": (
        "Flask-QRcode",
        "a `qrcode` template filter and global of your own on the qrcode library (the support"
        " module's add_template_filter / add_template_global register them)",
    ),
}
UNBOUND = (
    "{name} is bound to the Flask app, which FastAPI has no hook for; use {counterpart}."
    " Unbound here so that the app imports: what uses it fails when called"
)
OWN_RULE = frozenset({"flask_cors"})
# view decorators that only cache or limit a view, which answers the same without them: left
# out with their unbound extension, which they would call at each request (a 500). Decorators
# that guard access (`login_required`, ...) are never left out.
WRAPPERS = {
    "flask_caching": frozenset({"cached", "memoize"}),
    "flask_limiter": frozenset({"limit", "shared_limit", "exempt"}),
}
LEFT_OUT = (
    "`@{code}` is left out with {name}, which it would call at each request: the view answers"
    " as without it ({counterpart} would do its work)"
)


class Extensions(Rule):
    DESCRIPTION = "Flask extensions bound to the app -> unbound, with a blocking TODO"
    TRIGGERS = ("init_app", "from flask_", "import flask_", "flasgger")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        self.extension_names: dict[str, str] = {}  # variable -> extension module
        return True

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        module = self._extension(node.value)
        if isinstance(target, cst.Name) and module is not None:
            self.extension_names[target.value] = module

    def _extension(self, node: cst.BaseExpression) -> str | None:
        """The extension module of a call of one of its classes, else None."""
        if not isinstance(node, cst.Call):
            return None
        found = self.qualified(node.func)
        modules = {name.split(".", 1)[0] for name in found}
        if len(modules) != 1:
            return None
        (module,) = modules
        known = module in COUNTERPARTS or module.startswith("flask_")
        return module if known and module not in OWN_RULE else None

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        module = self._extension(original_node)
        if module is None or self._is_bare_statement(original_node):
            return updated_node
        positions = [i for i, a in enumerate(original_node.args) if self._is_app(a.value)]
        if not positions:
            return updated_node
        self.todo(original_node, self._message(module), blocking=True)
        args = list(updated_node.args)
        for index in reversed(positions):
            arg = args[index]
            positional_after = any(a.keyword is None for a in args[index + 1 :])
            if arg.keyword is None and positional_after:
                args[index] = arg.with_changes(value=cst.Name("None"))  # keep the positions
            else:
                del args[index]
        if args:
            args[-1] = args[-1].with_changes(comma=cst.MaybeSentinel.DEFAULT)
        return updated_node.with_changes(args=args)

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine:
        if len(original_node.body) != 1 or not isinstance(original_node.body[0], cst.Expr):
            return updated_node
        call = original_node.body[0].value
        if not isinstance(call, cst.Call):
            return updated_node
        message = self._binding(call)
        if message is None:
            return updated_node
        self.todo(original_node, message, blocking=True)
        if self._extension(call) is not None:
            # `Ext(app)` goes into the comment: its import too, unless used elsewhere (an
            # extension's module imports Flask)
            self.remove_unused_import_by_node(call.func)
        code = self.module.code_for_node(original_node.body[0])
        kept = original_node.trailing_whitespace.comment
        if kept is not None:
            code = f"{code}  {kept.value}"
        return updated_node.with_changes(
            body=[cst.Pass()],
            trailing_whitespace=cst.TrailingWhitespace(
                whitespace=cst.SimpleWhitespace("  "), comment=cst.Comment(f"# {code}")
            ),
        )

    def leave_FunctionDef(
        self, original_node: cst.FunctionDef, updated_node: cst.FunctionDef
    ) -> cst.FunctionDef:
        if not self.is_view(original_node):
            return updated_node
        kept = []
        for original, updated in zip(
            original_node.decorators, updated_node.decorators, strict=True
        ):
            module = self._wrapper(original.decorator)
            if module is None:
                kept.append(updated)
                continue
            name, counterpart = COUNTERPARTS[module]
            code = self.module.code_for_node(original.decorator)
            self.todo(original, LEFT_OUT.format(code=code, name=name, counterpart=counterpart))
        if len(kept) == len(updated_node.decorators):
            return updated_node
        return updated_node.with_changes(decorators=kept)

    def _wrapper(self, decorator: cst.BaseExpression) -> str | None:
        """The extension module of `@ext.cached(...)`-like decorators in WRAPPERS, else None."""
        func = decorator.func if isinstance(decorator, cst.Call) else decorator
        if not (isinstance(func, cst.Attribute) and isinstance(func.value, cst.Name)):
            return None
        module = self.extension_names.get(func.value.value)
        if module in WRAPPERS and func.attr.value in WRAPPERS[module]:
            return module
        return None

    def _binding(self, call: cst.Call) -> str | None:
        """The TODO of a statement that binds an extension to the app, else None."""
        module = self._extension(call)
        if module is not None and any(self._is_app(a.value) for a in call.args):
            return self._message(module)
        func = call.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "init_app"
            and any(self._is_app(a.value) for a in call.args)
        ):
            receiver = func.value.value if isinstance(func.value, cst.Name) else None
            module = self.extension_names.get(receiver or "")
            if module is not None:
                return self._message(module)
            name = receiver or "an extension"
            return UNBOUND.format(
                name=f"`{name}` (an extension, by its init_app)",
                counterpart="the FastAPI counterpart of that extension",
            )
        return None

    def _message(self, module: str) -> str:
        name, counterpart = COUNTERPARTS.get(
            module, (f"`{module}`", "the FastAPI counterpart of that extension")
        )
        return UNBOUND.format(name=name, counterpart=counterpart)

    def _is_app(self, value: cst.BaseExpression) -> bool:
        return isinstance(value, cst.Name) and self.flask_objects.get(value.value) == "app"

    def _is_bare_statement(self, call: cst.Call) -> bool:
        parent = self.get_metadata(ParentNodeProvider, call, None)
        return isinstance(parent, cst.Expr)
