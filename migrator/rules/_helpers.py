"""`SupportFunction`: a Flask function the generated support module reproduces under the same
name, so converting it is swapping where the name comes from (calls and other uses alike)."""

from __future__ import annotations

from typing import ClassVar

import libcst as cst
from libcst.metadata import ParentNodeProvider

from migrator.rules._base import Rule


class SupportFunction(Rule):
    #: the function's qualified names in Flask, and its name in the support module
    FLASK_NAMES: ClassVar[tuple[str, ...]]
    NAME: ClassVar[str]

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        if self._is_flasks(original_node):
            return self._convert(original_node, updated_node)
        return updated_node

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        if self._is_flasks(original_node):
            return self._convert(original_node, cst.Name(self.NAME))
        return updated_node

    def _is_flasks(self, node: cst.Name | cst.Attribute) -> bool:
        names = self.qualified(node)
        if not names or not names <= set(self.FLASK_NAMES):
            return False
        parent = self.get_metadata(ParentNodeProvider, node, None)
        # the import itself, and the name part of `flask.jsonify`, are not uses
        return not isinstance(parent, cst.ImportAlias) and not (
            isinstance(parent, cst.Attribute) and parent.attr is node
        )

    def _convert(self, original: cst.CSTNode, replacement: cst.Name) -> cst.Name:
        if isinstance(original, cst.Name) and original.value == self.NAME:
            self.force_remove_import("flask", self.NAME)  # same name: scope analysis keeps it
        else:
            self.remove_unused_import_by_node(original)
        self.import_support(self.NAME)
        return replacement.with_changes(value=self.NAME)
