"""`redirect(location, code)` keeps its spelling but comes from the generated support module,
whose `redirect` answers with Werkzeug's page and `Location` (made a URI as Werkzeug's
`iri_to_uri` does); FastAPI's `RedirectResponse` sends no body and quotes differently."""

from __future__ import annotations

from migrator.rules._helpers import SupportFunction


class Redirect(SupportFunction):
    DESCRIPTION = "flask.redirect -> redirect from flask_compat (Werkzeug's page and Location)"
    TRIGGERS = ("redirect",)
    FLASK_NAMES = ("flask.redirect", "flask.helpers.redirect", "werkzeug.utils.redirect")
    NAME = "redirect"
