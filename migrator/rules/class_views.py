"""`flask.views.View` and `MethodView` become the support module's `FlaskView` and
`FlaskMethodView`: `as_view(name, *args)`, `methods`, `decorators`, `init_every_request` and
`dispatch_request` as in Flask, HEAD answered by `get`. Their registration,
`app.add_url_rule(rule, view_func=Cls.as_view(...))`, is the `url_rules` rule's."""

from __future__ import annotations

from migrator.rules._helpers import SupportNames


class ClassViews(SupportNames):
    DESCRIPTION = "flask.views.MethodView / View -> FlaskMethodView / FlaskView from flask_compat"
    TRIGGERS = ("View",)
    NAMES = {
        "flask.views.MethodView": "FlaskMethodView",
        "flask.views.View": "FlaskView",
    }
