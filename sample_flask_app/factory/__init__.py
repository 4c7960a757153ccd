"""The same kind of service written as an app factory: nested blueprints, JSON errors, CORS."""

from flask import Flask, abort, jsonify, request

from .api import api
from .converters import HexColor
from .uploads import uploads


def create_app():
    app = Flask(__name__)
    app.url_map.converters["hex"] = HexColor
    app.register_blueprint(api)
    app.register_blueprint(uploads)

    @app.before_request
    def refuse_blocked_clients():
        if request.headers.get("X-Block") == "yes":
            return jsonify(error="blocked"), 403
        if request.headers.get("X-Block") == "abort":
            abort(401)

    @app.errorhandler(404)
    def not_found(error):
        return jsonify(error="not found"), 404

    @app.after_request
    def allow_any_origin(response):
        response.headers["Access-Control-Allow-Origin"] = "*"
        return response

    return app
