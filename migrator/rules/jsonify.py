"""`jsonify(...)` keeps its spelling but comes from the generated support module, whose `jsonify`
writes Flask's exact bytes: compact, sorted keys, ASCII escapes and a trailing newline
(FastAPI's `JSONResponse` writes none of these the same way)."""

from __future__ import annotations

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule

FLASK_JSONIFY = ("flask.jsonify", "flask.json.jsonify")


class Jsonify(Rule):
    DESCRIPTION = "flask.jsonify -> jsonify from flask_compat (Flask's exact JSON bytes)"
    TRIGGERS = ("jsonify",)

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if self._is_jsonify(original_node):
            return self._convert(original_node, updated_node)
        return updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if self._is_jsonify(original_node):
            return self._convert(original_node, cst.Name("jsonify"))
        return updated_node

    def _is_jsonify(self, node: cst.Name | cst.Attribute) -> bool:
        names = self.qualified(node)
        if not names or not names <= set(FLASK_JSONIFY):
            return False
        parent = self.get_metadata(ParentNodeProvider, node, None)
        # the import itself, and the `jsonify` of `flask.jsonify`, are not uses
        return not isinstance(parent, cst.ImportAlias) and not (
            isinstance(parent, cst.Attribute) and parent.attr is node
        )

    def _convert(self, original: cst.CSTNode, replacement: cst.Name) -> cst.Name:
        if isinstance(original, cst.Name) and original.value == "jsonify":
            self.force_remove_import("flask", "jsonify")  # same name: scope analysis keeps it
        else:
            self.remove_unused_import_by_node(original)
        self.import_support("jsonify")
        return replacement.with_changes(value="jsonify")
