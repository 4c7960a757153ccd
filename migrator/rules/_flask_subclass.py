"""A subclass of `Flask` that adds nothing Flask's behaviour depends on: an `__init__` calling
`super().__init__(import_name, *args, **kwargs)`, and methods of its own (registering its
blueprints, say). `app_object` makes it a subclass of FastAPI; any other subclass stays Flask's
(`response_class` reports it blocking)."""

from __future__ import annotations

from dataclasses import dataclass

import libcst as cst
import libcst.matchers as m
from libcst.helpers import get_full_name_for_node

from migrator.rules._base import FLASK_APP, Rule

# What `flask.Flask` defines (Flask 3.1, dunders aside): a method of the same name overrides
# Flask's and has no FastAPI meaning.
FLASK_NAMES = frozenset(
    [
        "_check_setup_finished",
        "_find_error_handler",
        "_get_exc_class_and_code",
        "_method_route",
        "_static_folder",
        "_static_url_path",
        "aborter_class",
        "add_template_filter",
        "add_template_global",
        "add_template_test",
        "add_url_rule",
        "after_request",
        "app_context",
        "app_ctx_globals_class",
        "async_to_sync",
        "auto_find_instance_path",
        "before_request",
        "config_class",
        "context_processor",
        "create_global_jinja_loader",
        "create_jinja_environment",
        "create_url_adapter",
        "debug",
        "default_config",
        "delete",
        "dispatch_request",
        "do_teardown_appcontext",
        "do_teardown_request",
        "endpoint",
        "ensure_sync",
        "errorhandler",
        "finalize_request",
        "full_dispatch_request",
        "get",
        "get_send_file_max_age",
        "handle_exception",
        "handle_http_exception",
        "handle_url_build_error",
        "handle_user_exception",
        "has_static_folder",
        "inject_url_defaults",
        "iter_blueprints",
        "jinja_env",
        "jinja_environment",
        "jinja_loader",
        "jinja_options",
        "json_provider_class",
        "log_exception",
        "logger",
        "make_aborter",
        "make_config",
        "make_default_options_response",
        "make_response",
        "make_shell_context",
        "name",
        "open_instance_resource",
        "open_resource",
        "patch",
        "permanent_session_lifetime",
        "post",
        "preprocess_request",
        "process_response",
        "put",
        "raise_routing_exception",
        "redirect",
        "register_blueprint",
        "register_error_handler",
        "request_class",
        "request_context",
        "response_class",
        "route",
        "run",
        "secret_key",
        "select_jinja_autoescape",
        "send_static_file",
        "session_interface",
        "shell_context_processor",
        "should_ignore_error",
        "static_folder",
        "static_url_path",
        "teardown_appcontext",
        "teardown_request",
        "template_filter",
        "template_global",
        "template_test",
        "test_cli_runner",
        "test_cli_runner_class",
        "test_client",
        "test_client_class",
        "test_request_context",
        "testing",
        "trap_http_exception",
        "update_template_context",
        "url_defaults",
        "url_for",
        "url_map_class",
        "url_rule_class",
        "url_value_preprocessor",
        "wsgi_app",
    ]
)
# what the subclass's methods may use of the app itself (`self.<name>`): the rules convert
# these on a FastAPI app, or `flask_app_state` gives them
SELF_USES = frozenset({"register_blueprint", "config", "logger", "import_name", "extensions"})


@dataclass(frozen=True)
class Subclass:
    init: cst.FunctionDef
    # the `super().__init__(...)` statement line, and the import name it passes
    line: cst.SimpleStatementLine
    import_name: cst.BaseExpression
    # `*args` / `**kwargs` passed on to Flask: FastAPI takes none of Flask's options
    dropped: bool


def simple_subclass(rule: Rule | None, node: cst.ClassDef) -> Subclass | None:
    """The parts to convert of `class App(Flask)` when it adds only an `__init__` calling
    Flask's and methods of its own, else None. Without a `rule` (a class of another module,
    whose names aren't resolved), the base must be spelled `Flask` or `flask.Flask`."""
    if len(node.bases) != 1 or node.keywords or node.decorators:
        return None
    base = node.bases[0].value
    if rule is None:
        if get_full_name_for_node(base) not in ("Flask", FLASK_APP):
            return None
    elif rule.qualified(base) != {FLASK_APP}:
        return None
    init = None
    for statement in node.body.body:
        if isinstance(statement, cst.FunctionDef):
            name = statement.name.value
            if statement.decorators or name in FLASK_NAMES:
                return None
            if name.startswith("__") and name.endswith("__"):
                if name != "__init__":
                    return None
                init = statement
        elif not m.matches(
            statement, m.SimpleStatementLine([m.Expr(m.SimpleString() | m.ConcatenatedString())])
        ) and not m.matches(statement, m.SimpleStatementLine([m.Pass()])):
            return None  # a class attribute (`response_class = ...`) or anything else
    if init is None:
        return None
    for use in m.findall(node, m.Attribute(value=m.Name("self"))):
        attribute = use.attr.value  # type: ignore[attr-defined]
        if attribute in FLASK_NAMES and attribute not in SELF_USES:
            return None
    calls = [
        s
        for s in init.body.body
        if m.matches(
            s,
            m.SimpleStatementLine(
                [m.Expr(m.Call(func=m.Attribute(m.Call(m.Name("super"), []), m.Name("__init__"))))]
            ),
        )
    ]
    if len(calls) != 1 or len(m.findall(init, m.Name("super"))) != 1:
        return None
    line = calls[0]
    assert isinstance(line, cst.SimpleStatementLine)
    call = cst.ensure_type(cst.ensure_type(line.body[0], cst.Expr).value, cst.Call)
    import_name = None
    dropped = False
    for index, argument in enumerate(call.args):
        if argument.star:
            dropped = True
        elif (argument.keyword is None and index == 0) or (
            argument.keyword is not None and argument.keyword.value == "import_name"
        ):
            import_name = argument.value
        else:
            return None  # a Flask option (static_folder=...): not converted here
    if import_name is None:
        return None
    return Subclass(init, line, import_name, dropped)
