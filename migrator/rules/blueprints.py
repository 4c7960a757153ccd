"""`Blueprint(name, __name__, url_prefix=p)` becomes `automatic_head(APIRouter(prefix=p),
blueprint=name)` (HEAD on every GET route, as Flask answers it, and the name `request.endpoint`
gives), and `app.register_blueprint(bp)` (or a blueprint's, nesting it) becomes
`app.include_router(bp)`."""

from __future__ import annotations

import json

import libcst as cst
from libcst import ensure_type
from libcst.helpers import get_full_name_for_node

from migrator.rules._base import FLASK_BLUEPRINT, ROUTE_METHODS, Rule
from migrator.rules._responses import keyword, with_commas
from migrator.rules._static import literal_string
from migrator.rules.app_object import MODULE_FOLDER

# a blueprint's static folder, served under its prefix as the app's is under /static
STATIC_ROUTE = f'static_route({{app}}, os.path.join({MODULE_FOLDER}, "static"){{name}})\n'
# a blueprint's template folder, searched after the app's as Flask does
TEMPLATE_FOLDER = f"blueprint_template_folder({{app}}, os.path.join({MODULE_FOLDER}, {{folder}}))\n"

# Blueprint attributes that mean the same on an APIRouter (the routes were converted before).
ROUTER_ATTRIBUTES = ROUTE_METHODS | frozenset(
    {
        "api_route",
        "include_router",
        "routes",
        "prefix",
        "route",
        # converted here, or TODO'd by their own rules
        "register_blueprint",
        "add_url_rule",
        "errorhandler",
        "app_errorhandler",
        "register_error_handler",
        "after_request",
        "before_app_request",
    }
)


REPLACED_PREFIX = (
    "url_prefix= replaces the blueprint's own prefix in Flask, where include_router adds to it:"
    " include_blueprint() includes the routes without their own prefix; to write it as FastAPI"
    " does, make the APIRouter without prefix and give each include_router(..., prefix=...)"
)


RENAMED = (
    "register_blueprint(name=...) names the blueprint's endpoints: include_blueprint() keeps"
    " that name for request.endpoint and request.blueprint, while url_for builds by the views'"
    " names (FastAPI's route names); app.include_router(bp) is the idiomatic spelling where"
    " nothing reads them"
)


class Blueprints(Rule):
    DESCRIPTION = (
        "Blueprint(..., url_prefix=p) -> APIRouter(prefix=p); register_blueprint -> include_router"
    )
    TRIGGERS = ("Blueprint", "register_blueprint")

    def visit_Module(self, node: cst.Module) -> bool:
        super().visit_Module(node)
        finder = _BlueprintCalls(self)
        node.visit(finder)
        self.blueprint_calls = finder.calls
        # Flask's url_prefix= at registration replaces the blueprint's own; FastAPI's prefix=
        # is added to the router's. A blueprint of this file registered with one gets its own
        # prefix moved onto each of its registrations: {name: its own prefix}
        self.moved_prefixes: dict[str, cst.BaseExpression] = {}
        self.static_after: dict[str, str] = {}  # blueprint -> its static route's name=, if known
        self.templates_after: dict[str, str] = {}  # blueprint -> its template folder's literal
        for name in finder.registered_with_prefix:
            own = _keyword(self.blueprint_calls.get(name), "url_prefix")
            if own is not None and name not in finder.prefix_read:
                self.moved_prefixes[name] = own
        return True

    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        if self.calls(original_node, FLASK_BLUEPRINT):
            return self._router(original_node, updated_node)
        func = original_node.func
        if (
            isinstance(func, cst.Attribute)
            and isinstance(func.value, cst.Name)
            and func.value.value in self.flask_objects
            and func.attr.value == "register_blueprint"
        ):
            return self._include(original_node, updated_node)
        return updated_node

    def _router(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        positional = [a for a in updated_node.args if a.keyword is None]
        given = {a.keyword.value: a.value for a in updated_node.args if a.keyword is not None}
        static = literal_string(given.get("static_folder"))
        others = set(given) - {"url_prefix", "static_folder", "template_folder"}
        if "static_folder" not in given:
            # Flask adds a blueprint's static route only for a static_folder: the path is inert
            others.discard("static_url_path")
        if (
            len(positional) != 2
            or others
            or any(a.star for a in updated_node.args)
            or ("static_folder" in given and static != "static")
            or ("template_folder" in given and literal_string(given["template_folder"]) is None)
        ):
            # the Flask blueprint stays, which include_router() can't take: the app won't import
            self.todo(
                original_node,
                'Blueprint() options other than url_prefix, static_folder="static" and a'
                " template_folder have no APIRouter equivalent yet",
                blocking=True,
            )
            return updated_node
        name = self._bound_name(original_node)
        if "template_folder" in given and name is None:
            self.todo(
                original_node,
                "template_folder= adds a folder Flask searches for this blueprint's templates"
                " after the app's; add it to the templates' loader by hand",
            )
        elif "template_folder" in given:
            assert name is not None
            self.templates_after[name] = self.module.code_for_node(given["template_folder"])
            self.add_needed_import("os")
            self.import_support("blueprint_template_folder")
        if static is not None and name is not None:
            # Flask serves the blueprint's static folder under its prefix, as /static for the app
            blueprint = literal_string(positional[0].value)
            # its endpoint, `news.static`, is what `url_for` builds (the app's is `static`)
            self.static_after[name] = (
                "" if blueprint is None else f", name={json.dumps(blueprint + '.static')}"
            )
            self.add_needed_import("os")
            self.import_support("static_route")
        args = []
        if name not in self.moved_prefixes and "url_prefix" in given:
            prefix = _router_prefix(given["url_prefix"])
            args = [keyword("prefix", prefix)] if prefix is not None else []
        self.remove_unused_import_by_node(original_node.func)
        self.add_needed_import("fastapi", "APIRouter")
        self.import_support("automatic_head")
        router = updated_node.with_changes(func=cst.Name("APIRouter"), args=with_commas(args))
        # Flask answers HEAD on every GET route: the router's routes take it from their class,
        # as they take the blueprint's name (`request.endpoint`, `request.blueprint`)
        named = [cst.Arg(router), keyword("blueprint", positional[0].value)]
        return cst.Call(cst.Name("automatic_head"), with_commas(named))

    def leave_SimpleStatementLine(
        self, original_node: cst.SimpleStatementLine, updated_node: cst.SimpleStatementLine
    ) -> cst.SimpleStatementLine | cst.FlattenSentinel[cst.SimpleStatementLine]:
        small = original_node.body[0] if len(original_node.body) == 1 else None
        target = small.targets[0].target if isinstance(small, cst.Assign) else None
        if not isinstance(target, cst.Name):
            return updated_node
        added = []
        if target.value in self.static_after:
            added.append(
                STATIC_ROUTE.format(app=target.value, name=self.static_after[target.value])
            )
        if target.value in self.templates_after:
            folder = self.templates_after[target.value]
            added.append(TEMPLATE_FOLDER.format(app=target.value, folder=folder))
        if not added:
            return updated_node
        statements = [
            ensure_type(
                cst.parse_statement(text, config=self.module.config_for_parsing),
                cst.SimpleStatementLine,
            )
            for text in added
        ]
        # the TODOs of the statement go on it here: the base class sees a FlattenSentinel
        messages = self._todo_statements.pop(original_node, None)
        if messages:
            updated_node = ensure_type(
                self._with_todo_comments(updated_node, messages), cst.SimpleStatementLine
            )
        return cst.FlattenSentinel([updated_node, *statements])

    def _bound_name(self, call: cst.Call) -> str | None:
        for name, found in self.blueprint_calls.items():
            if found is call:
                return name
        return None

    def _include(self, original_node: cst.Call, updated_node: cst.Call) -> cst.BaseExpression:
        args = updated_node.args
        given = {a.keyword.value: a for a in args if a.keyword is not None}
        if (
            not args
            or args[0].keyword is not None
            or any(a.star for a in args)
            or len(args) != len(given) + 1
            or not set(given) <= {"url_prefix", "name"}
        ):
            self.todo(
                original_node,
                "register_blueprint() options other than url_prefix and name have no"
                " include_router equivalent yet",
            )
            return updated_node
        blueprint = args[0].value
        moved = (
            self.moved_prefixes.get(blueprint.value) if isinstance(blueprint, cst.Name) else None
        )
        prefix = given["url_prefix"].value if "url_prefix" in given else moved
        # Flask's url_prefix replaces the blueprint's own prefix; FastAPI's is prepended to it.
        replaced = "url_prefix" in given and moved is None and not self._has_no_prefix(blueprint)
        if replaced or "name" in given:
            if replaced:
                self.todo(original_node, REPLACED_PREFIX)
            else:
                self.note(original_node, RENAMED)
            if "url_prefix" not in given and moved is not None:
                given["url_prefix"] = keyword("url_prefix", moved)
            self.import_support("include_blueprint")
            assert isinstance(updated_node.func, cst.Attribute)
            kept = [given[k] for k in ("url_prefix", "name") if k in given]
            return updated_node.with_changes(
                func=cst.Name("include_blueprint"),
                args=with_commas(
                    [cst.Arg(updated_node.func.value), args[0], *kept], like=updated_node
                ),
            )
        new_args = [args[0]]
        if prefix is not None and (stripped := _router_prefix(prefix)) is not None:
            new_args.append(keyword("prefix", stripped))
        assert isinstance(updated_node.func, cst.Attribute)
        return updated_node.with_changes(
            func=updated_node.func.with_changes(attr=cst.Name("include_router")),
            args=with_commas(new_args),
        )

    def _has_no_prefix(self, blueprint: cst.BaseExpression) -> bool:
        """True when `blueprint` is a Blueprint made without url_prefix, in this file or in the
        module this file imports it from."""
        if not isinstance(blueprint, cst.Name):
            return False
        call = self.blueprint_calls.get(blueprint.value)
        if call is None and blueprint.value not in self.flask_objects:
            imported = self.index.imported(blueprint.value)
            if imported is not None:
                finder = _BlueprintCalls(None)
                imported[0].module.visit(finder)
                call = finder.calls.get(imported[1])
        return call is not None and _keyword(call, "url_prefix") is None

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.Attribute:
        self.flag_unconverted(original_node, "blueprint", ROUTER_ATTRIBUTES, "Blueprint")
        return updated_node


def _keyword(call: cst.Call | None, name: str) -> cst.BaseExpression | None:
    if call is None:
        return None
    return next((a.value for a in call.args if a.keyword and a.keyword.value == name), None)


def _router_prefix(value: cst.BaseExpression) -> cst.BaseExpression | None:
    """FastAPI's `prefix=` for Flask's `url_prefix=`: Flask joins prefix and rule with one `/`
    (stripping the prefix's own), FastAPI refuses a prefix ending in `/`. None: no prefix."""
    text = literal_string(value)
    if text is None:
        if isinstance(value, cst.Name) and value.value == "None":
            return None
        return cst.Call(
            cst.Attribute(value, cst.Name("rstrip")), [cst.Arg(cst.SimpleString('"/"'))]
        )
    if not text.endswith("/"):
        return value
    stripped = text.rstrip("/")
    return cst.SimpleString(f'"{stripped}"') if stripped else None


class _BlueprintCalls(cst.CSTVisitor):
    """`name = Blueprint(...)` calls (by name), the blueprints registered with `url_prefix=`,
    and those whose `.prefix` / `.url_prefix` is read."""

    def __init__(self, rule: Rule | None) -> None:
        self.rule = rule
        self.calls: dict[str, cst.Call] = {}
        self.registered_with_prefix: set[str] = set()
        self.prefix_read: set[str] = set()

    def visit_Assign(self, node: cst.Assign) -> None:
        target = node.targets[0].target if len(node.targets) == 1 else None
        value = node.value
        if not (isinstance(target, cst.Name) and isinstance(value, cst.Call)):
            return
        name = get_full_name_for_node(value.func) or ""
        if (self.rule is not None and self.rule.calls(value, FLASK_BLUEPRINT)) or (
            self.rule is None and name.rsplit(".", 1)[-1] == "Blueprint"
        ):
            if target.value in self.calls:  # bound twice: nothing is provable
                self.prefix_read.add(target.value)
            self.calls[target.value] = value

    def visit_Call(self, node: cst.Call) -> None:
        func = node.func
        if (
            isinstance(func, cst.Attribute)
            and func.attr.value == "register_blueprint"
            and node.args
            and isinstance(node.args[0].value, cst.Name)
            and any(a.keyword and a.keyword.value == "url_prefix" for a in node.args)
        ):
            self.registered_with_prefix.add(node.args[0].value.value)

    def visit_Attribute(self, node: cst.Attribute) -> None:
        if isinstance(node.value, cst.Name) and node.attr.value in ("prefix", "url_prefix"):
            self.prefix_read.add(node.value.value)
