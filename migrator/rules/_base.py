"""The `Rule` base class: a thin layer over LibCST's `VisitorBasedCodemodCommand`."""

from __future__ import annotations

import inspect
import re
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from dataclasses import dataclass, replace
from pathlib import Path
from types import FunctionType
from typing import Any, ClassVar, cast

import libcst as cst
from libcst._batched_visitor import BatchableCSTVisitor
from libcst._metadata_dependent import LazyValue
from libcst.codemod import Codemod, CodemodContext, VisitorBasedCodemodCommand
from libcst.codemod.visitors import AddImportsVisitor, RemoveImportsVisitor
from libcst.helpers import get_absolute_module_from_package_for_import, get_full_name_for_node
from libcst.matchers import _visitors as _matcher_visitors
from libcst.matchers._decorators import (
    CONSTRUCTED_LEAVE_MATCHER_ATTR,
    CONSTRUCTED_VISIT_MATCHER_ATTR,
    VISIT_NEGATIVE_MATCHER_ATTR,
    VISIT_POSITIVE_MATCHER_ATTR,
)
from libcst.metadata import (
    CodeRange,
    ImportAssignment,
    MetadataWrapper,
    ParentNodeProvider,
    PositionProvider,
    ProviderT,
    QualifiedNameProvider,
    Scope,
    ScopeProvider,
)

from migrator.rules._imports import Needed
from migrator.rules._static import ModuleIndex
from migrator.rules._traversal import (
    class_namespace,
    hook_names,
    node_classes,
    own_hooks,
    parents_of,
    positions,
    registered,
    subclass_names,
    unshared,
)
from migrator.types import Converter, Endpoints, Finding

SUPPORT_MODULE = "flask_compat"
TODO_PREFIX = "# TODO(migrator"

# The route decorators FastAPI apps and routers share (Flask's `route` becomes these).
ROUTE_METHODS = frozenset({"get", "post", "put", "patch", "delete", "head", "options"})
STATEMENTS = (cst.SimpleStatementLine, cst.BaseCompoundStatement)
# What a file with routes holds: `.route(` or one of Flask 2's shortcuts (`route_shortcuts`)
ROUTE_TRIGGERS = (".route(", ".get(", ".post(", ".put(", ".patch(", ".delete(")
# The methods a Flask app or blueprint registers routes and handlers with
SHORTCUTS = frozenset({"get", "post", "put", "patch", "delete"})
REGISTERING = SHORTCUTS | {"route", "add_url_rule", "register_blueprint"}
REGISTERING |= {"errorhandler", "before_request", "after_request"}
FLASK_APP = "flask.Flask"
#: where an unaliased name is Flask's own (`flask.wrappers` holds `Response` and `Request`)
FLASK_MODULES = frozenset({"flask", "flask.wrappers"})
FLASK_BLUEPRINT = "flask.Blueprint"


@dataclass
class Shared:
    """What the rules of one file share while the tree stays the same: the metadata wrapper
    (whose `module` is the tree; metadata is resolved once, on first use) and the facts
    every rule computes in `visit_Module`. The engine passes it from a rule to the next
    only when the rule changed nothing (see `Rule.transform_module`)."""

    wrapper: MetadataWrapper
    flask_objects: dict[str, str] | None = None
    imported_flask_objects: frozenset[str] = frozenset()


@dataclass(frozen=True)
class FileInfo:
    """Where the file being migrated lives; `support_level` is the number of dots a relative
    import of the generated support module needs (0: an absolute import)."""

    path: str = "<string>"
    support_level: int = 0
    converters: tuple[Converter, ...] = ()
    #: the project's endpoints (`migrator.project.scan_endpoints`); None: scan this file alone
    endpoints: Endpoints | None = None
    #: whether the project uses an app's Flask state (config, logger, templates, current_app);
    #: None: look at this file alone
    app_state: bool | None = None
    #: whether the project sets `app.url_map.strict_slashes = False`; None: this file alone
    loose_slashes: bool | None = None
    #: (file, name) of the Flask files' functions another file names
    #: (`migrator.project.named_elsewhere`); None: the file alone, no other file is known
    named_elsewhere: frozenset[tuple[str, str]] | None = None

    @property
    def file(self) -> Path | None:
        return None if self.path == "<string>" else Path(self.path).resolve()


class Rule(VisitorBasedCodemodCommand):
    """One Flask construct → its FastAPI form. The rule's name is its module name."""

    name: ClassVar[str]
    DESCRIPTION: str
    #: The rule runs only on files whose text holds one of these (a parse pass costs).
    TRIGGERS: ClassVar[tuple[str, ...]]
    METADATA_DEPENDENCIES: ClassVar[Sequence[ProviderT]] = (
        QualifiedNameProvider,
        ScopeProvider,
        ParentNodeProvider,
    )

    def __init_subclass__(cls, **kwargs: object) -> None:
        super().__init_subclass__(**kwargs)
        cls.name = cls.__module__.rsplit(".", 1)[-1]

    def __init__(self, context: CodemodContext, info: FileInfo) -> None:
        super().__init__(context)
        self.info = info
        self.findings: list[Finding] = []
        self.uses_support_module = False
        self.flask_objects: dict[str, str] = {}
        self.imported_flask_objects: frozenset[str] = frozenset()
        self._todo_statements: dict[cst.CSTNode, list[str]] = {}
        self._forced_removals: list[tuple[str, str]] = []
        self._positions: Mapping[cst.CSTNode, CodeRange] | None = None
        self.needed_imports: list[Needed] = []
        #: set by the engine before `transform_module`: the state of the unchanged tree it
        #: gets (None: a tree nobody resolved metadata for yet); after it, the state the next
        #: rule may reuse, or None when this rule changed the tree
        self.shared: Shared | None = None
        self._changed = False
        #: set by the engine: True for the fast engine (`migrator.api`), which counts a pass
        #: whose rebuilt tree equals its input as no change, runs the import passes on
        #: metadata already resolved, and finds parents with one walk of its own
        self.fast = False

    # -- matching -----------------------------------------------------------------------------

    def qualified(self, node: cst.CSTNode) -> set[str]:
        return {q.name for q in self.get_metadata(QualifiedNameProvider, node, set())}

    def calls(self, node: cst.CSTNode, *names: str) -> bool:
        """True when `node` is a call of one of the qualified `names` (aliases and
        `import flask` spellings included, shadowing local definitions excluded)."""
        if not isinstance(node, cst.Call):
            return False
        found = self.qualified(node.func)
        # every binding the name can refer to must be the Flask one: a local def that
        # shadows the import in some path makes it ambiguous
        return bool(found) and found <= set(names)

    def visit_Module(self, node: cst.Module) -> bool:
        self.index = ModuleIndex(node, self.info.file)
        shared = self.shared
        if shared is not None and shared.flask_objects is not None:
            self.flask_objects = dict(shared.flask_objects)
            self.imported_flask_objects = shared.imported_flask_objects
            return True
        finder = _FlaskObjectFinder(self)
        node.visit(finder)
        self.flask_objects = finder.objects
        #: the names of `flask_objects` imported from another module (whose root path is its)
        self.imported_flask_objects = frozenset(finder.imported)
        if shared is not None:
            shared.flask_objects = dict(finder.objects)
            shared.imported_flask_objects = self.imported_flask_objects
        return True

    def flask_import_references(self, module: cst.Module, name: str) -> list[cst.CSTNode] | None:
        """The uses of `from flask import <name>` (not aliased; also `from flask.wrappers
        import Response`) in `module`, or None if the module has no such import. Needed where
        the FastAPI object has the same name."""
        found = self._unaliased_flask_import(module, name)
        return None if found is None else found[1]

    def flask_import_module(self, module: cst.Module, name: str) -> str | None:
        """The module (`flask` or `flask.wrappers`) `<name>` is imported from unaliased, if any."""
        found = self._unaliased_flask_import(module, name)
        return None if found is None else found[0]

    def _unaliased_flask_import(
        self, module: cst.Module, name: str
    ) -> tuple[str, list[cst.CSTNode]] | None:
        scope = self.get_metadata(ScopeProvider, module, None)
        if scope is None or name not in scope:
            return None
        for assignment in scope[name]:
            if (
                isinstance(assignment, ImportAssignment)
                and isinstance(assignment.node, cst.ImportFrom)
                and assignment.node.relative == ()
                and assignment.node.module is not None
                and get_full_name_for_node(assignment.node.module) in FLASK_MODULES
            ):
                imported = get_full_name_for_node(assignment.node.module)
                assert imported is not None
                return imported, [access.node for access in assignment.references]
        return None

    def method_call(self, node: cst.BaseExpression, *methods: str) -> cst.Call | None:
        """`node` if it is a call `<app or blueprint>.<one of methods>(...)`, else None."""
        if (
            isinstance(node, cst.Call)
            and isinstance(node.func, cst.Attribute)
            and isinstance(node.func.value, cst.Name)
            and node.func.value.value in self.flask_objects
            and node.func.attr.value in methods
        ):
            return node
        return None

    def route_call(self, decorator: cst.Decorator) -> cst.Call | None:
        """The `app.route(...)` / `bp.route(...)` call of a Flask route decorator, else None."""
        return self.method_call(decorator.decorator, "route")

    def errorhandler_call(self, decorator: cst.Decorator) -> cst.Call | None:
        """The `app.errorhandler(...)` call of a Flask error handler's decorator, else None."""
        return self.method_call(decorator.decorator, "errorhandler")

    def flag_unconverted(
        self, node: cst.Attribute, kind: str, known: frozenset[str], label: str
    ) -> None:
        """A TODO on `obj.attr` where `obj` is a Flask `kind` ("app", "blueprint") and `attr`
        is none of the `known` ones, which mean the same after migration."""
        value = node.value
        if (
            isinstance(value, cst.Name)
            and self.flask_objects.get(value.value) == kind
            and node.attr.value not in known
            # `from app.views import x` names a package that shares the app's name
            and self.enclosing(node, (cst.Import, cst.ImportFrom)) is None
        ):
            self.todo(node, f"`{label}.{node.attr.value}` has no FastAPI equivalent yet")

    def is_view(self, function: cst.FunctionDef) -> bool:
        """A route's view or an error handler: Flask makes a response of what either returns."""
        return any(
            self.route_call(d) is not None or self.errorhandler_call(d) is not None
            for d in function.decorators
        )

    def enclosing(
        self, node: cst.CSTNode, kind: type[cst.CSTNode] | tuple[type[cst.CSTNode], ...]
    ) -> cst.CSTNode | None:
        parent: cst.CSTNode | None = node
        while parent is not None:
            parent = self.get_metadata(ParentNodeProvider, parent, None)
            if isinstance(parent, kind):
                return parent
        return None

    def enclosing_view(self, node: cst.CSTNode) -> cst.FunctionDef | None:
        function = self.enclosing(node, cst.FunctionDef)
        if isinstance(function, cst.FunctionDef) and self.is_view(function):
            return function
        return None

    # -- imports ------------------------------------------------------------------------------

    def import_support(self, name: str) -> None:
        """Import `name` from the generated support module (relative inside a package)."""
        self.uses_support_module = True
        self.add_needed_import(SUPPORT_MODULE, name, relative=self.info.support_level)

    def add_needed_import(
        self, module: str, obj: str | None = None, asname: str | None = None, relative: int = 0
    ) -> None:
        """Ask for an import; the API adds them all at the end, grouped, where they belong."""
        assert asname is None
        self.needed_imports.append(Needed(relative, module, obj))

    def force_remove_import(self, module: str, name: str) -> None:
        """Remove `from module import name` even though the name is still referenced: the
        references now mean the FastAPI object of the same name (`Response`)."""
        self._forced_removals.append((module, name))

    def transform_module(self, tree: cst.Module) -> cst.Module:
        """LibCST's `VisitorBasedCodemodCommand.transform_module`, plus the forced import
        removals, with two savings that leave the result the same:

        - metadata is resolved on first use, on a wrapper the engine may hand over from the
          previous rule (`self.shared`: the tree is that wrapper's module, untouched since);
        - when this rule changed nothing, the tree it returns is its input (the wrapper's
          module, not the copy a transformer rebuilds), and `self.shared` is left for the
          next rule to reuse. "Changed nothing" is exact: every `on_leave` returned the node
          LibCST rebuilt from unchanged children, no import was scheduled or removed, so the
          rebuilt tree equals its input node for node. With `self.fast`, see `_fast_finish`.
        """
        shared = self.shared
        if shared is None or shared.wrapper.module is not tree:
            shared = Shared(_wrapper(tree, self.fast))
        self.shared = shared
        wrapper = shared.wrapper
        if self.fast:
            prime(wrapper)
        self.metadata = _LazyMetadata(wrapper, self.get_inherited_dependencies())
        self.context = replace(self.context, wrapper=wrapper)
        try:
            result = self.transform_module_impl(wrapper.module)
        finally:
            self.context = replace(self.context, wrapper=None)
            self.metadata = {}
        changed = self._changed
        if self.fast:
            return self._fast_finish(result, changed and not result.deep_equals(wrapper.module))
        for key, transform in (
            (AddImportsVisitor.CONTEXT_KEY, AddImportsVisitor),
            (RemoveImportsVisitor.CONTEXT_KEY, RemoveImportsVisitor),
        ):
            if key in self.context.scratch:
                result = self._instantiate_and_run(transform, result)
                changed = True
        if self._forced_removals:
            result = _ForcedImportRemover(CodemodContext(), self._forced_removals).transform_module(
                result
            )
            changed = True
        if changed:
            self.shared = None
            return result
        return wrapper.module

    def _fast_finish(self, result: cst.Module, changed: bool) -> cst.Module:
        """The fast engine's end of `transform_module`: the same import passes, each run on
        the metadata of its input tree when someone resolved it already (the rule's, when the
        rule changed nothing), and a pass whose output equals its input counts as no change,
        so the next rule gets the wrapper (and its resolved metadata) along with the tree."""
        current = None if changed else self.shared
        if current is not None:
            result = current.wrapper.module
        passes: list[Codemod] = [
            transform(self.context)
            for key, transform in (
                (AddImportsVisitor.CONTEXT_KEY, AddImportsVisitor),
                (RemoveImportsVisitor.CONTEXT_KEY, RemoveImportsVisitor),
            )
            if key in self.context.scratch
        ]
        if self._forced_removals:
            passes.append(_ForcedImportRemover(CodemodContext(), self._forced_removals))
        for transform in passes:
            if isinstance(transform, RemoveImportsVisitor):
                registered(result)  # for the walks below, and the wrapper of what they leave
                transform = _settled_by_text(transform, result) or transform
            if isinstance(transform, _PresetRemover):  # needs no metadata
                output = transform.transform_module_impl(result)
                if output is not result and not output.deep_equals(result):
                    result, current = output, None
                continue
            if current is None:
                current = Shared(_wrapper(result, fast=True))
            output = _run_on(transform, current.wrapper)
            if output.deep_equals(current.wrapper.module):
                result = current.wrapper.module
            else:
                result, current = output, None
        self.shared = current
        return result

    # -- TODOs --------------------------------------------------------------------------------

    def position(self, node: cst.CSTNode) -> CodeRange:
        """Where `node` is in the source. Positions cost a pass of their own, so they are
        computed on the first finding only."""
        if self._positions is None:
            wrapper = self.context.wrapper
            assert wrapper is not None
            if self.fast and PositionProvider not in wrapper._metadata:
                parents = wrapper._metadata.get(ParentNodeProvider)
                known = parents._parents if isinstance(parents, _Parents) else None
                wrapper._metadata[PositionProvider] = positions(wrapper.module, known)
            self._positions = wrapper.resolve(PositionProvider)
        return self._positions[node]

    def todo(self, node: cst.CSTNode, message: str, *, blocking: bool = False) -> None:
        """Record a finding and put `# TODO(migrator[rule]): message` above the statement.
        `blocking=True`: the code cannot run as migrated (summary and exit code say so apart);
        the comment then reads `# TODO(migrator[rule]): blocking: message`. Code quoted in
        `message` over several lines is put on one: a comment and a finding are one line."""
        if "\n" in message:
            message = " ".join(part.strip() for part in message.splitlines() if part.strip())
        position = self.position(node)
        self.findings.append(
            Finding(
                self.info.path,
                position.start.line,
                position.start.column,
                self.name,
                message,
                blocking=blocking,
            )
        )
        if blocking:
            message = f"blocking: {message}"
        statement = node if isinstance(node, STATEMENTS) else self.enclosing(node, STATEMENTS)
        if statement is not None:
            self._todo_statements.setdefault(statement, []).append(message)

    def note(self, node: cst.CSTNode, message: str) -> None:
        """Record something done that a reviewer should know; no comment is written."""
        position = self.position(node)
        self.findings.append(
            Finding(
                self.info.path,
                position.start.line,
                position.start.column,
                self.name,
                message,
                todo=False,
            )
        )

    # -- traversal ----------------------------------------------------------------------------
    # LibCST's matcher-aware transformer looks up `visit_<Node>`, `leave_<Node>` and, for each
    # of a node's fields, `visit_<Node>_<field>` / `leave_<Node>_<field>` by name on every node
    # it passes, and calls the no-op stubs it finds. A rule that uses no matcher decorators
    # (none does) behaves the same when only the hooks its class defines are called: the fast
    # engine calls those, found once per node type (`_traversal.hook_names`); its traversal
    # (`migrator.rules._traversal`) skips the attribute hooks where they are all no-ops.

    def hooked_node_classes(self) -> frozenset[str] | None:
        """The node classes the fast engine's walk must visit for this rule (the others'
        subtrees it may skip): those it has a hook for, every statement (a TODO comment goes
        on one) and the module; None (every node) outside the fast engine's dispatch."""
        cls = type(self)
        if not self._fast_dispatch() or (cls.on_visit, cls.on_leave) != (
            Rule.on_visit,
            Rule.on_leave,
        ):
            return None
        found = _INTEREST.get(cls)
        if found is None:
            hooked = node_classes(own_hooks(cls))
            found = _INTEREST[cls] = hooked | _STATEMENT_CLASSES | {"Module"}
        return found

    def _fast_dispatch(self) -> bool:
        return self.fast and not (
            self._matchers or self._extra_visit_funcs or self._extra_leave_funcs
        )

    def on_visit(self, node: cst.CSTNode) -> bool:
        if not self._fast_dispatch():
            return super().on_visit(node)
        visit = hook_names(type(self), type(node))[0]
        return visit is None or getattr(self, visit)(node) is not False

    def on_leave(  # type: ignore[override]  # libcst's generic signature can't be restated
        self, original_node: cst.CSTNode, updated_node: cst.CSTNode
    ) -> cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]:
        result: cst.CSTNode | cst.RemovalSentinel | cst.FlattenSentinel[cst.CSTNode]
        if self._fast_dispatch():
            leave = hook_names(type(self), type(original_node))[1]
            result = (
                updated_node if leave is None else getattr(self, leave)(original_node, updated_node)
            )
        else:
            result = super().on_leave(original_node, updated_node)
        messages = self._todo_statements.get(original_node)
        if messages and isinstance(result, (cst.SimpleStatementLine, cst.BaseCompoundStatement)):
            result = self._with_todo_comments(result, messages)
        if result is not updated_node:
            self._changed = True
        return result

    def _with_todo_comments(
        self, statement: cst.SimpleStatementLine | cst.BaseCompoundStatement, messages: list[str]
    ) -> cst.CSTNode:
        lines = list(statement.leading_lines)
        present = {line.comment.value for line in lines if line.comment is not None}
        for message in dict.fromkeys(messages):
            comment = f"{TODO_PREFIX}[{self.name}]): {message}"
            if comment not in present:  # a rerun must not stack a second copy
                lines.append(cst.EmptyLine(comment=cst.Comment(comment)))
        return statement.with_changes(leading_lines=lines)


class _LazyMetadata(Mapping[ProviderT, Mapping[cst.CSTNode, object]]):
    """A rule's metadata, resolved on the wrapper (and cached there) when first asked for:
    a rule that never asks for parents costs no parent pass. QualifiedNameProvider and
    ScopeProvider are resolved at once, as LibCST's import removal expects them resolved."""

    EAGER = (QualifiedNameProvider, ScopeProvider)

    def __init__(self, wrapper: MetadataWrapper, providers: Collection[ProviderT]) -> None:
        self.wrapper = wrapper
        self.providers = frozenset(providers)
        wrapper.resolve_many([p for p in self.EAGER if p in self.providers])

    def __getitem__(self, key: ProviderT) -> Mapping[cst.CSTNode, object]:
        if key not in self.providers:
            raise KeyError(key)
        return self.wrapper.resolve(key)

    def __contains__(self, key: object) -> bool:
        return key in self.providers

    def __iter__(self) -> Iterator[ProviderT]:
        return iter(self.providers)

    def __len__(self) -> int:
        return len(self.providers)


def returning(node: cst.Return, value: cst.BaseExpression) -> cst.Return:
    """`node` returning `value` instead: `return{...}` and `return(...)` had no space after
    `return`, which a new value that is a name or a call needs."""
    space = node.whitespace_after_return
    if isinstance(space, cst.SimpleWhitespace) and not space.value:
        return node.with_changes(value=value, whitespace_after_return=cst.SimpleWhitespace(" "))
    return node.with_changes(value=value)


def _run_on(transform: Codemod, wrapper: MetadataWrapper) -> cst.Module:
    """`transform.transform_module(tree)` for a tree whose wrapper is at hand: LibCST's
    makes a copy of the tree and resolves its metadata again; this uses `wrapper`'s."""
    prime(wrapper)
    with transform.resolve(wrapper):
        old = transform.context
        transform.context = replace(old, wrapper=wrapper)
        try:
            return transform.transform_module_impl(wrapper.module)
        finally:
            transform.context = old


def _memoize_matcher_gathering() -> None:
    """Make LibCST find a class's matcher-decorated methods once per class, not per object.

    Every matcher-aware visitor (each rule, each of LibCST's import passes and the visitors
    those start) looks through `dir(self)` (some 1,500 names) three times when it is made,
    for methods decorated with `@m.visit`, `@m.leave`, `@m.call_if_inside` and the like:
    a few milliseconds each, many times the rule's own work on a short file. What it finds
    depends only on the class, so it is found in one look per class (`_gathered`), kept and
    bound to each new object. An object with callables of its own at that moment (none of
    ours) is looked through by LibCST's own functions, as before."""
    from libcst.matchers import _visitors

    if getattr(_visitors, "_migrator_memoized", False):  # imported twice (tests reload)
        return
    libcst_own: tuple[Callable[[object], Any], ...] = (  # for an object with callables of its own
        _visitors._gather_matchers,
        _visitors._gather_constructed_visit_funcs,
        _visitors._gather_constructed_leave_funcs,
    )
    found: dict[type, _Gathered] = {}

    def memoized(kind: int, bound: bool) -> Any:
        def gather(obj: object) -> dict[object, Any]:
            if any(callable(value) for value in vars(obj).values()):
                return dict(libcst_own[kind](obj))
            cls = type(obj)
            if cls not in found:
                found[cls] = _gathered(obj)
            return {
                key: tuple(getattr(obj, name) for name in value) if bound else value
                for key, value in found[cls][kind].items()
            }

        return gather

    _visitors._gather_matchers = memoized(0, False)
    _visitors._gather_constructed_visit_funcs = memoized(1, True)
    _visitors._gather_constructed_leave_funcs = memoized(2, True)
    setattr(_visitors, "_migrator_libcst_gathering", libcst_own)  # noqa: B010
    setattr(_visitors, "_migrator_memoized", True)  # noqa: B010 - not a declared attribute
    _memoize_batched_methods()


# the `call_if_inside` / `call_if_not_inside` matchers; `@visit` and `@leave` methods' names
_Gathered = tuple[dict[object, Any], dict[object, Any], dict[object, Any]]


def _gathered(obj: object) -> _Gathered:
    """What LibCST's three gatherings find on `obj` (matchers with the names of the methods
    that use them), in one look through `dir(obj)` instead of three: each name that is not a
    property is read once, and tested as each of the three tests it. A name the class binds
    to a plain function without a matcher attribute is passed over unread: its bound method
    has none of the attributes LibCST reads (they are the function's), so it adds nothing;
    that is nearly all of the 1,500 names (LibCST's no-op `visit_*` / `leave_*` stubs)."""
    gating: dict[object, Any] = {}
    constructed: tuple[dict[object, Any], dict[object, Any]] = ({}, {})
    own = getattr(obj, "__dict__", {})
    bound = class_namespace(type(obj))
    for name in dir(obj):
        plain = bound.get(name) if name not in own else None
        if type(plain) is FunctionType and not _MATCHER_ATTRIBUTES & plain.__dict__.keys():
            continue
        if _matcher_visitors.is_property(obj, name):
            continue
        value = getattr(obj, name)
        for attribute in (VISIT_POSITIVE_MATCHER_ATTR, VISIT_NEGATIVE_MATCHER_ATTR):
            for matcher in getattr(value, attribute, []):
                gating[matcher] = None
        if not inspect.ismethod(value):
            continue
        for found, attribute, decorator in (
            (constructed[0], CONSTRUCTED_VISIT_MATCHER_ATTR, "visit"),
            (constructed[1], CONSTRUCTED_LEAVE_MATCHER_ATTR, "leave"),
        ):
            matchers = getattr(value, attribute, [])
            if matchers:  # LibCST's check: no `@visit` on a `visit_Node`
                _matcher_visitors._assert_not_concrete(decorator, value)
            for matcher in matchers:
                found[matcher] = (*found.get(matcher, ()), name)
    return gating, *constructed


_MATCHER_ATTRIBUTES = frozenset(
    {
        VISIT_POSITIVE_MATCHER_ATTR,
        VISIT_NEGATIVE_MATCHER_ATTR,
        CONSTRUCTED_VISIT_MATCHER_ATTR,
        CONSTRUCTED_LEAVE_MATCHER_ATTR,
    }
)


def _memoize_batched_methods() -> None:
    """The same for the metadata providers: each one LibCST resolves looks through
    `dir(self)` with `inspect.getmembers` for its `visit_*` / `leave_*` methods
    (`BatchableCSTVisitor.get_visitors`), some 6 ms a provider, a few providers for each
    tree the engine resolves metadata for. The names found depend on the class; they are
    kept per class and bound to each object, unless it has callables of its own."""
    original = BatchableCSTVisitor.get_visitors
    names: dict[type, tuple[str, ...]] = {}

    def get_visitors(self: BatchableCSTVisitor) -> Mapping[str, Callable[[cst.CSTNode], None]]:
        if any(callable(value) for value in vars(self).values()):
            return original(self)
        cls = type(self)
        if cls not in names:
            names[cls] = tuple(original(self))
        return {name: getattr(self, name) for name in names[cls]}

    BatchableCSTVisitor.get_visitors = get_visitors  # type: ignore[method-assign]


_memoize_matcher_gathering()

_INTEREST: dict[type[Rule], frozenset[str]] = {}


_STATEMENT_CLASSES = frozenset(
    subclass_names(cst.BaseCompoundStatement) | {cst.SimpleStatementLine.__name__}
)


def _wrapper(tree: cst.Module, fast: bool) -> MetadataWrapper:
    """A metadata wrapper of `tree`. LibCST's `transform_module` wraps a copy, so that every
    node is in the tree once (metadata is keyed by node); the fast engine checks that with
    the walk that finds each node's parent, and wraps `tree` itself when it holds, else
    `tree` with a copy of each node found a second time."""
    if fast:
        parents = registered(tree)  # the walks of the tree skip what no hook wants
        if parents is None:
            tree = unshared(tree)
            parents = registered(tree)
        if parents is not None:
            wrapper = MetadataWrapper(tree, unsafe_skip_copy=True)
            wrapper._metadata[ParentNodeProvider] = _Parents(tree, parents)
            return wrapper
    return MetadataWrapper(tree)


def prime(wrapper: MetadataWrapper) -> None:
    """Give `wrapper` the parents and qualified names LibCST's providers would compute, for
    less, so that every reader (the rules, LibCST's import passes) gets them from it:

    - `ParentNodeProvider`: one walk that notes each node's parent as it enters it, the
      first time a parent is asked for (LibCST's provider walks each node's `children` too);
    - `QualifiedNameProvider`: LibCST's walks the whole tree to store, for every node,
      `LazyValue(lambda: scope.get_qualified_names_for(node))` with the node's scope (or an
      empty set where it has none); here that value is made when a node is asked for, from
      the same `ScopeProvider` metadata. Rules ask for a few dozen nodes, not every one.
    """
    if QualifiedNameProvider in wrapper._metadata:
        return
    scopes = wrapper.resolve(ScopeProvider)
    parents = wrapper._metadata.get(ParentNodeProvider)
    if not isinstance(parents, _Parents):
        parents = wrapper._metadata[ParentNodeProvider] = _Parents(wrapper.module)
    wrapper._metadata[QualifiedNameProvider] = _QualifiedNames(scopes, parents)


class _Parents(Mapping[cst.CSTNode, cst.CSTNode]):
    """Each node's parent (`ParentNodeProvider`'s mapping), from one walk on first use."""

    def __init__(
        self, module: cst.Module, parents: dict[cst.CSTNode, cst.CSTNode] | None = None
    ) -> None:
        self.module = module
        self._parents = parents

    @property
    def parents(self) -> dict[cst.CSTNode, cst.CSTNode]:
        if self._parents is None:
            self._parents = parents_of(self.module)  # a wrapper's module has unique nodes
            assert self._parents is not None
        return self._parents

    def __getitem__(self, node: cst.CSTNode) -> cst.CSTNode:
        return self.parents[node]

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return iter(self.parents)

    def __len__(self) -> int:
        return len(self.parents)

    def nodes(self) -> Iterator[cst.CSTNode]:
        """Every node of the tree, the module first."""
        yield self.module
        yield from self.parents


class _QualifiedNames(Mapping[cst.CSTNode, object]):
    """`QualifiedNameProvider`'s mapping, each value made when its node is first asked for:
    a `LazyValue` of the node's qualified names in its scope, an empty set for a node of the
    tree that has no scope, and no value for a node outside the tree."""

    def __init__(self, scopes: Mapping[cst.CSTNode, object], parents: _Parents) -> None:
        self.scopes = scopes
        self.tree = parents
        self._values: dict[cst.CSTNode, object] = {}

    def __getitem__(self, node: cst.CSTNode) -> object:
        value = self._values.get(node)
        if value is None:
            scope = self.scopes.get(node)
            if scope:
                value = _qualified_names_of(cast(Scope, scope), node)
            elif node is self.tree.module or node in self.tree.parents:
                value = set()
            else:
                raise KeyError(node)
            self._values[node] = value
        return value

    def __iter__(self) -> Iterator[cst.CSTNode]:
        return self.tree.nodes()

    def __len__(self) -> int:
        return len(self.tree) + 1


def _qualified_names_of(scope: Scope, node: cst.CSTNode) -> LazyValue[object]:
    return LazyValue(lambda: scope.get_qualified_names_for(node))


class _FlaskObjectFinder(cst.CSTVisitor):
    """Collects the names bound to `Flask(...)` apps and `Blueprint(...)`s, at any depth
    (app factories bind the app inside a function); those imported from a sibling module that
    binds them so (`from app import app` in a `views.py`); and the parameters a function
    registers routes on (`def register(app): @app.route(...)`), or annotated `Flask`."""

    def __init__(self, rule: Rule) -> None:
        self.rule = rule
        self.objects: dict[str, str] = {}
        self.imported: set[str] = set()
        self._parameters: list[set[str]] = []
        # the module's subclasses of Flask that app_object makes FastAPI's
        self.subclasses: set[str] = set()

    def visit_ClassDef(self, node: cst.ClassDef) -> None:
        from migrator.rules._flask_subclass import simple_subclass

        if simple_subclass(self.rule, node) is not None:
            self.subclasses.add(node.name.value)  # its instances are apps, FastAPI's after

    def visit_Assign(self, node: cst.Assign) -> None:
        if len(node.targets) != 1 or not isinstance(node.targets[0].target, cst.Name):
            return
        for qname, kind in ((FLASK_APP, "app"), (FLASK_BLUEPRINT, "blueprint")):
            if self.rule.calls(node.value, qname):
                self.objects[node.targets[0].target.value] = kind
        value = node.value
        if (
            isinstance(value, cst.Call)
            and isinstance(value.func, cst.Name)
            and (value.func.value in self.subclasses or self._imported_subclass(value.func.value))
        ):
            self.objects[node.targets[0].target.value] = "app"

    def _imported_subclass(self, name: str) -> bool:
        """`name` is imported from a sibling module that defines it as a subclass of Flask
        which app_object makes FastAPI's (`from app import Webserver`)."""
        from migrator.rules._flask_subclass import simple_subclass

        found = self.rule.index.imported(name)
        if found is None:
            return False
        index, original = found
        return any(
            isinstance(statement, cst.ClassDef)
            and statement.name.value == original
            and simple_subclass(None, statement) is not None
            for statement in index.module.body
        )

    def visit_FunctionDef(self, node: cst.FunctionDef) -> None:
        names = set()
        for param in (*node.params.params, *node.params.kwonly_params):
            kind = self._annotated(param)
            if kind is not None:
                self.objects.setdefault(param.name.value, kind)
            else:
                names.add(param.name.value)
        self._parameters.append(names)

    def leave_FunctionDef(self, original_node: cst.FunctionDef) -> None:
        self._parameters.pop()

    def _annotated(self, param: cst.Param) -> str | None:
        if param.annotation is None:
            return None
        found = self.rule.qualified(param.annotation.annotation)
        return (
            "app" if found == {FLASK_APP} else "blueprint" if found == {FLASK_BLUEPRINT} else None
        )

    def visit_Decorator(self, node: cst.Decorator) -> None:
        call = node.decorator
        if isinstance(call, cst.Call) and isinstance(call.func, cst.Attribute):
            self._registering(call.func, REGISTERING)

    def visit_Call(self, node: cst.Call) -> None:
        if isinstance(node.func, cst.Attribute):
            # `x.get(...)` outside a decorator is a dict's as often as not
            self._registering(node.func, REGISTERING - SHORTCUTS)

    def _registering(self, func: cst.Attribute, methods: frozenset[str]) -> None:
        if not (isinstance(func.value, cst.Name) and func.attr.value in methods):
            return
        name = func.value.value
        if name in self.objects:
            return
        if any(name in params for params in self._parameters):
            # a Flask file's function registering routes on its parameter: the app it is given
            self.objects[name] = "app"
            return
        kind = self._imported_kind(name)
        if kind is not None:
            self.objects[name] = kind
            self.imported.add(name)

    def _imported_kind(self, name: str) -> str | None:
        from migrator.rules._flask_subclass import simple_subclass

        found = self.rule.index.imported(name)
        if found is None:
            return None
        index, original = found
        for statement in index.module.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue  # a class or function: its body is a block, not statements of the module
            for small in statement.body:
                if not (isinstance(small, cst.Assign) and isinstance(small.value, cst.Call)):
                    continue
                targets = [t.target for t in small.targets]
                if not any(isinstance(t, cst.Name) and t.value == original for t in targets):
                    continue
                called = get_full_name_for_node(small.value.func) or ""
                kind = {"Flask": "app", "Blueprint": "blueprint"}.get(called.rsplit(".", 1)[-1])
                if kind is not None:
                    return kind
                if any(  # `app = Webserver()`, a subclass of Flask app_object converts
                    isinstance(other, cst.ClassDef)
                    and other.name.value == called
                    and simple_subclass(None, other) is not None
                    for other in index.module.body
                ):
                    return "app"
        return None


class _PresetRemover(RemoveImportsVisitor):
    """LibCST's import removal, told which imports are unused instead of finding out with
    scope analysis (`visit_Module` sets `_unused_imports`): it reads no metadata, and the
    fast engine runs it without resolving any."""


class _TextRemover(_PresetRemover):
    def __init__(self, scheduled: RemoveImportsVisitor, unused: dict[cst.ImportAlias, Any]):
        super().__init__(scheduled.context)
        self.unused_module_imports = scheduled.unused_module_imports
        self.unused_obj_imports = scheduled.unused_obj_imports
        self._preset = unused

    def visit_Module(self, node: cst.Module) -> None:
        self._unused_imports = dict(self._preset)


def _settled_by_text(remover: RemoveImportsVisitor, module: cst.Module) -> _TextRemover | None:
    """`remover` (LibCST's removal of the imports rules scheduled, "if unused"), told which
    are unused without scope analysis when the module's names and strings settle it: a
    scheduled import whose name is no other name of the module and in none of its strings
    (docstrings and other lone strings aside) has no reference, is in no `__all__` and no
    string annotation, which is all LibCST's `GatherUnusedImportsVisitor` checks. None when
    a scheduled import's name is found elsewhere: then scope analysis decides."""
    words = _Words()
    module.visit(words)
    scheduled: list[tuple[cst.ImportAlias, cst.Import | cst.ImportFrom]] = []
    for statement in words.imports:
        if isinstance(statement, cst.ImportFrom):
            # what LibCST's gathering looks at, and its removal matches
            if isinstance(statement.names, cst.ImportStar) or statement.module is None:
                continue
            if isinstance(statement.module, cst.Name) and statement.module.value == "__future__":
                continue
            name = get_absolute_module_from_package_for_import(
                remover.context.full_package_name, statement
            )
            wanted = remover.unused_obj_imports.get(name or "", set())
            scheduled += [
                (alias, statement)
                for alias in statement.names
                if (alias.evaluated_name, alias.evaluated_alias) in wanted
            ]
        else:
            modules = remover.unused_module_imports
            scheduled += [
                (alias, statement)
                for alias in statement.names
                if alias.evaluated_name in modules
                and alias.evaluated_alias == modules[alias.evaluated_name]
            ]
    for alias, _ in scheduled:
        bound = (alias.evaluated_alias or alias.evaluated_name).split(".")[0]
        word = re.compile(rf"(?<!\w){re.escape(bound)}(?!\w)")
        if words.names.count(bound) + sum(len(word.findall(s)) for s in words.strings) != 1:
            return None
    return _TextRemover(remover, dict(scheduled))


class _Words(cst.CSTVisitor):
    """A module's imports, the names it holds (every `Name` node) and its strings' texts,
    save those of a string that is a statement of its own (a docstring)."""

    def __init__(self) -> None:
        super().__init__()
        self.imports: list[cst.Import | cst.ImportFrom] = []
        self.names: list[str] = []
        self.strings: list[str] = []

    def visit_Import(self, node: cst.Import) -> None:
        self.imports.append(node)

    def visit_ImportFrom(self, node: cst.ImportFrom) -> None:
        self.imports.append(node)

    def visit_Name(self, node: cst.Name) -> None:
        self.names.append(node.value)

    def visit_SimpleString(self, node: cst.SimpleString) -> None:
        self.strings.append(node.value)

    def visit_FormattedStringText(self, node: cst.FormattedStringText) -> None:
        self.strings.append(node.value)

    def visit_Expr(self, node: cst.Expr) -> bool:
        return not isinstance(node.value, cst.SimpleString)  # (an f-string holds names)


class _ForcedImportRemover(_PresetRemover):
    def __init__(self, context: CodemodContext, names: list[tuple[str, str]]) -> None:
        super().__init__(context, [(module, name, None) for module, name in names])
        self._forced = set(names)

    def visit_Module(self, node: cst.Module) -> None:
        self._unused_imports = {}
        for statement in node.body:
            if not isinstance(statement, cst.SimpleStatementLine):
                continue
            for small in statement.body:
                if isinstance(small, cst.ImportFrom) and isinstance(
                    small.module, (cst.Name, cst.Attribute)
                ):
                    module = get_full_name_for_node(small.module)
                    if small.relative or isinstance(small.names, cst.ImportStar):
                        continue
                    for alias in small.names:
                        if (module, alias.evaluated_name) in self._forced and alias.asname is None:
                            self._unused_imports[alias] = small
