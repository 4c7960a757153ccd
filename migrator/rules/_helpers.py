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


class SupportNames(Rule):
    """Several Flask names, each swapped for the support module's name of the same meaning
    (`g`, `current_app`, `render_template`, ...); `converted(node, name)` hears of each use."""

    #: qualified Flask name -> the support module's name
    NAMES: ClassVar[dict[str, str]]

    def leave_Name(self, original_node: cst.Name, updated_node: cst.Name) -> cst.Name:
        name = self._support_name(original_node)
        if name is None:
            return updated_node
        return self._swap(original_node, updated_node, name)

    def leave_Attribute(
        self, original_node: cst.Attribute, updated_node: cst.Attribute
    ) -> cst.BaseExpression:
        name = self._support_name(original_node)
        if name is None:
            return updated_node
        return self._swap(original_node, cst.Name(name), name)

    def _support_name(self, node: cst.Name | cst.Attribute) -> str | None:
        names = {self.NAMES.get(q) for q in self.qualified(node)}
        if len(names) != 1 or None in names:
            return None
        parent = self.get_metadata(ParentNodeProvider, node, None)
        # the import itself, and the name part of `flask.g`, are not uses
        used = not isinstance(parent, cst.ImportAlias) and not (
            isinstance(parent, cst.Attribute) and parent.attr is node
        )
        return names.pop() if used else None

    def _swap(
        self, original: cst.Name | cst.Attribute, replacement: cst.Name, name: str
    ) -> cst.Name:
        if isinstance(original, cst.Name) and original.value == name:
            self.force_remove_import("flask", name)  # same name: scope analysis keeps it
        else:
            self.remove_unused_import_by_node(original)
        self.import_support(name)
        self.converted(original, name)
        return replacement.with_changes(value=name)

    def converted(self, node: cst.CSTNode, name: str) -> None:
        """A use of the Flask name of `name` was converted (a TODO can say what it became)."""
