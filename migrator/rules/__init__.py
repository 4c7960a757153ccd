"""The rules, in the order they run. Each ordering constraint says why."""

from __future__ import annotations

from migrator.rules._base import Rule
from migrator.rules.abort_errors import AbortErrors
from migrator.rules.app_object import AppObject
from migrator.rules.app_run import AppRun
from migrator.rules.app_state import AppState
from migrator.rules.async_views import AsyncViews
from migrator.rules.blueprints import Blueprints
from migrator.rules.class_views import ClassViews
from migrator.rules.converters import Converters
from migrator.rules.cors import Cors
from migrator.rules.error_handlers import ErrorHandlers
from migrator.rules.extensions import Extensions
from migrator.rules.jsonify import Jsonify
from migrator.rules.make_response import MakeResponse
from migrator.rules.path_converters import PathConverters
from migrator.rules.proxy_fix import ProxyFix
from migrator.rules.redirect import Redirect
from migrator.rules.request_access import RequestAccess
from migrator.rules.request_hooks import RequestHooks
from migrator.rules.response_bytes import ResponseBytes
from migrator.rules.response_class import ResponseClass
from migrator.rules.route_decorator import RouteDecorator
from migrator.rules.route_order import RouteOrder
from migrator.rules.route_shortcuts import RouteShortcuts
from migrator.rules.send_file import SendFile
from migrator.rules.send_from_directory import SendFromDirectory
from migrator.rules.streaming import Streaming
from migrator.rules.templates import Templates
from migrator.rules.tuple_returns import TupleReturns
from migrator.rules.url_for import UrlFor
from migrator.rules.url_rules import UrlRules

RULES: tuple[type[Rule], ...] = (
    # route_shortcuts first: @app.get(...) becomes @app.route(..., methods=["GET"]), which
    # url_rules and every later rule know as a view.
    RouteShortcuts,
    # url_rules first: it turns add_url_rule() / route()(view) into @route decorators, and
    # every later rule finds views by their decorators.
    UrlRules,
    # class_views: flask.views' classes become the support module's, whose as_view() the
    # url_rules fallback registers
    ClassViews,
    # Streaming first: it takes the generator uses of flask.Response, so that response_bytes
    # can tell whether every remaining use converts (the two Response classes share a name).
    Streaming,
    ResponseBytes,
    # jsonify keeps its name; tuple_returns and route_decorator then know what it returns.
    Jsonify,
    Redirect,
    # These emit FastAPI's Response, so they run once flask.Response is gone.
    MakeResponse,
    TupleReturns,
    SendFile,
    SendFromDirectory,
    AbortErrors,
    # Views are found by their @app.route decorators: everything that needs to know
    # "is this a view?" runs before route_decorator rewrites them.
    RequestAccess,
    # app state and templates: Flask names become the support module's, and a view returning
    # stream_template() a StreamingResponse (route_decorator then documents it)
    AppState,
    Templates,
    # url_for gives the view the `request: Request` parameter request_access didn't
    UrlFor,
    Converters,
    PathConverters,
    # error handlers are found by @app.errorhandler, and their returns were converted above
    ErrorHandlers,
    RequestHooks,
    # cors before route_decorator, which gives a view with cross_origin its OPTIONS route
    Cors,
    Extensions,
    # app.wsgi_app = ...: while `app` is still known as the Flask app
    ProxyFix,
    # response_class: app.response_class = X (tuple_returns read the assignment's text, before
    # or after this rule) before app_object, which flags the app attributes it doesn't know
    ResponseClass,
    # route_decorator documents the media types the converted responses above declare.
    RouteDecorator,
    # route_order reads the Starlette paths route_decorator wrote
    RouteOrder,
    # async_views reads the views' bodies as every rule above left them, and their FastAPI
    # route decorators
    AsyncViews,
    # Flask apps and blueprints are found by their Flask(...) / Blueprint(...) calls:
    # these two rewrite those calls, so they run last.
    Blueprints,
    AppRun,
    AppObject,
)


def by_name() -> dict[str, type[Rule]]:
    return {rule.name: rule for rule in RULES}
