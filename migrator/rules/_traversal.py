"""A traversal of LibCST trees that builds a node only where something under it changed.

LibCST's `CSTNode.visit` rebuilds every node it passes, for a visitor too (which then drops
the copy) and for a transformer that changed nothing: most of the cost of the many passes a
file goes through (each rule, each metadata provider, each import pass). `walk` calls the
same hooks in the same order (`on_visit`, each field's `on_visit_attribute`, the children,
`on_leave_attribute`, `on_leave`), with the same checks on what a hook returns, and:

- for a visitor, builds nothing (LibCST returns the node it was given anyway);
- for a transformer, hands `on_leave` the node itself when every child came back as it was
  (LibCST hands an equal copy), and builds a node, with LibCST's own constructor, only
  where a child changed. Trees are immutable, so sharing unchanged subtrees is safe.

The order in which a node's fields are visited is read once per node class from LibCST's
own `_visit_and_replace_children` (its keyword arguments, in source order); a class whose
method doesn't have that shape is visited by LibCST's code, its children by `walk`.

`fast_traversal()` makes `CSTNode.visit` use `walk` in the current context only (a
`ContextVar`): the fast engine turns it on, and everything else, the plain engine included,
keeps LibCST's traversal.
"""

from __future__ import annotations

import ast
import contextlib
import contextvars
import inspect
import textwrap
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import FunctionType
from typing import Any, cast

import libcst as cst
from libcst import CSTNode, CSTVisitor, FlattenSentinel, MaybeSentinel, RemovalSentinel
from libcst._batched_visitor import _BatchedCSTVisitor
from libcst._nodes.internal import CodegenState
from libcst.matchers import MatcherDecoratableTransformer, MatcherDecoratableVisitor
from libcst.metadata import CodeRange, PositionProvider
from libcst.metadata.position_provider import NEWLINE_RE, PositionProvidingCodegenState

REQUIRED, OPTIONAL, SENTINEL, SEQUENCE, BODY, EITHER = range(6)
_KINDS = {
    "visit_required": REQUIRED,
    "visit_optional": OPTIONAL,
    "visit_sentinel": SENTINEL,
    "visit_sequence": SEQUENCE,
    "visit_body_sequence": BODY,
}
Plan = tuple[tuple[str, int], ...]
_PLANS: dict[type[CSTNode], Plan | None] = {}


class _Registry:
    """What the fast traversal keeps while the outermost `fast_traversal()` block runs, for
    the context (thread, task) it runs in: the registered trees (kept alive, so no other
    object can have one of their nodes' ids), each node's subtree mask and children by id,
    and the code and parents found for a module."""

    def __init__(self) -> None:
        self.masks: dict[int, int] = {}
        self.kids: dict[int, list[CSTNode]] = {}
        self.held: list[CSTNode] = []
        self.codes: dict[int, tuple[CSTNode, str]] = {}
        # a module statement's code and the positions in it, by (id, indent, newline)
        self.pieces: dict[tuple[int, str, str], tuple[CSTNode, _Piece]] = {}
        self.relative: dict[tuple[int, str, str], tuple[CSTNode, dict[CSTNode, Any]]] = {}
        self.registered: dict[int, tuple[CSTNode, dict[CSTNode, CSTNode] | None]] = {}


# the registry of the current `fast_traversal()` block; None: outside one
_ACTIVE: contextvars.ContextVar[_Registry | None] = contextvars.ContextVar(
    "migrator_walk", default=None
)


def plan(cls: type[CSTNode]) -> Plan | None:
    """The fields LibCST's `_visit_and_replace_children` visits for `cls`, in its order, each
    with the helper that visits it (EITHER: a field visited as one node or as a sequence,
    depending on its value, as `ImportFrom.names`); None when the method has another shape."""
    if cls in _PLANS:
        return _PLANS[cls]
    found: Plan | None = None
    with contextlib.suppress(OSError, TypeError, SyntaxError):
        found = _read_plan(cls)
    _PLANS[cls] = found
    return found


def _read_plan(cls: type[CSTNode]) -> Plan | None:
    method = cls._visit_and_replace_children
    if method is CSTNode._visit_and_replace_children:
        return None
    source = textwrap.dedent(inspect.getsource(method))
    function = ast.parse(source).body[0]
    assert isinstance(function, ast.FunctionDef)
    body = [s for s in function.body if not isinstance(s, ast.Expr)]  # docstrings aside
    if len(body) == 1 and ast.unparse(body[0]) == "return self":
        return ()  # a leaf
    # the node it builds: `ClassName(...)`, `self.__class__(...)` or `type(self)(...)`
    builders = {cls.__name__, "self.__class__", "type(self)"}
    built = [
        node
        for node in ast.walk(function)
        if isinstance(node, ast.Call) and ast.unparse(node.func) in builders
    ]
    if len(built) != 1 or built[0].args:
        return None
    fields = []
    for keyword in built[0].keywords:
        value = keyword.value
        name = keyword.arg
        if name is None:
            return None
        if ast.unparse(value) == f"self.{name}":
            continue  # not a node: passed on as it is
        kinds = {
            _KINDS.get(call.func.id)
            for call in ast.walk(value)
            if isinstance(call, ast.Call) and isinstance(call.func, ast.Name)
        }
        kinds.discard(None)
        if isinstance(value, ast.Call) and len(kinds) == 1 and _visits(value, name):
            fields.append((name, cast(int, kinds.pop())))
        elif isinstance(value, ast.IfExp) and kinds:
            fields.append((name, EITHER))  # e.g. `visit_sequence(...) if x is not None else None`
        else:
            return None
    return tuple(fields)


def _visits(call: ast.Call, name: str) -> bool:
    """Whether `call` is `visit_x(self, "<name>", self.<name>, visitor)`, or an alias of it."""
    if len(call.args) != 4:
        return False
    label, value = call.args[1], ast.unparse(call.args[2])
    return (
        isinstance(label, ast.Constant) and label.value == name and value in (f"self.{name}", name)
    )


def walk(node: CSTNode, visitor: Any) -> Any:
    """`node.visit(visitor)`, as LibCST computes it, for less (see the module's docstring)."""
    attributes = _attribute_hooks(visitor)
    prune = _pruning(node, visitor)
    if isinstance(visitor, CSTVisitor):
        _look(node, visitor, attributes, prune)
        return node
    return _walk(node, visitor, False, attributes, prune)


# the registered trees' subtree masks, the visitor's interest (-1: every class), each node's
# children (listed once for a tree, not once a walk), and what a skipped subtree still gets
# (None: nothing; see `_FILLS`)
Prune = (
    tuple[dict[int, int], int, dict[int, list[CSTNode]], Callable[[CSTNode], None] | None] | None
)


def _look(node: CSTNode, visitor: Any, attributes: Hooked, prune: Prune) -> None:
    """`_walk` for a visitor, which changes nothing: only the hooks are called."""
    if visitor.on_visit(node):
        if attributes is None or type(node).__name__ in attributes:
            _walk_children(node, visitor, attributes, prune)
        elif prune is None:
            for child in children_of(node):
                _look(child, visitor, attributes, None)
        else:
            masks, interest, kids, fill = prune
            # every node of a registered tree with children has them listed: none is a leaf
            children = kids.get(id(node), ())
            if interest == -1:
                for child in children:
                    _look(child, visitor, attributes, prune)
            else:
                for child in children:
                    if masks.get(id(child), -1) & interest:
                        _look(child, visitor, attributes, prune)
                    elif fill is not None:
                        fill(child)
    visitor.on_leave(node)


def _walk_children(node: CSTNode, visitor: Any, attributes: Hooked, prune: Prune) -> None:
    try:
        fields = _PLANS[type(node)]
    except KeyError:
        fields = plan(type(node))
    if fields is None:
        node._visit_and_replace_children(visitor)
    elif fields:
        _children(node, fields, visitor, True, attributes, True, prune)


def _walk(node: CSTNode, visitor: Any, is_visitor: bool, attributes: Hooked, prune: Prune) -> Any:
    updated = node
    if visitor.on_visit(node):
        try:
            fields = _PLANS[type(node)]
        except KeyError:
            fields = plan(type(node))
        if fields is None:  # LibCST's own code; its children come back through `walk`
            updated = node._visit_and_replace_children(visitor)
        elif fields:
            hooked = attributes is None or type(node).__name__ in attributes
            changes = _children(node, fields, visitor, is_visitor, attributes, hooked, prune)
            if changes:
                updated = node.with_changes(**changes)
    if is_visitor:
        visitor.on_leave(node)
        return node
    result = visitor.on_leave(node, updated)
    if result is not updated and not isinstance(
        result, (CSTNode, RemovalSentinel, FlattenSentinel)
    ):
        raise cst.CSTValidationError(
            "Expected a node of type CSTNode or a RemovalSentinel, "
            + f"but got a return value of {type(result).__name__}"
        )
    return result


def _children(
    node: CSTNode,
    fields: Plan,
    visitor: Any,
    is_visitor: bool,
    attributes: Hooked,
    hooked: bool,
    prune: Prune,
) -> dict[str, Any]:
    """Visit `node`'s children; the fields whose value changed, with their new values."""
    changes: dict[str, Any] = {}
    for name, kind in fields:
        value = getattr(node, name)
        if kind == EITHER:
            if value is None:
                continue  # LibCST passes None on without a hook
            kind = SEQUENCE if isinstance(value, (tuple, list)) else REQUIRED
        if hooked:
            visitor.on_visit_attribute(node, name)
        if kind in (SEQUENCE, BODY):
            new = _sequence(value, visitor, is_visitor, attributes, kind == BODY, prune)
        elif value is None or isinstance(value, MaybeSentinel):
            new = value if kind != SENTINEL else MaybeSentinel.DEFAULT
        elif prune is not None and not prune[0].get(id(value), -1) & prune[1]:
            new = value  # nothing below it has a hook: it comes back as it is
            if prune[3] is not None:
                prune[3](value)
        else:
            new = _walk(value, visitor, is_visitor, attributes, prune)
            if new is not value:
                new = _in_field(new, value, kind)
        if hooked:
            visitor.on_leave_attribute(node, name)
        if new is not value:
            changes[name] = new
    return changes


# -- pruning -------------------------------------------------------------------------------------
# A visitor whose hooks are all per node class (`visit_<Node>` / `leave_<Node>`, LibCST's
# dispatch, nothing on every node) does nothing below a node whose subtree holds none of
# those classes: the walk skips it (a transformer gets it back as it is). Which classes a
# subtree holds is known for the nodes of a tree `register`ed with its parents (the fast
# engine's metadata wrappers: the trees every rule, metadata provider and import pass walks),
# for a walk from its root or from any node of it (a hook's `node.visit(...)` of a child).
# The registered trees are kept until the outermost `fast_traversal()` block ends, so no other
# object can have one of their nodes' ids meanwhile; trees that share a subtree (a rule's
# output shares with its input what it didn't change) agree on its masks and children.

_BITS: dict[str, int] = {}
_INTERESTS: dict[type, frozenset[str] | None] = {}
_MASK_OF: dict[frozenset[str], int] = {}


def _bit(name: str) -> int:
    found = _BITS.get(name)
    if found is None:
        found = _BITS[name] = 1 << len(_BITS)
    return found


def register(module: CSTNode, kids: dict[int, list[CSTNode]]) -> None:
    """Note, for each node of `module`, the node classes its subtree holds and its children
    (`kids`, from `parents_of(module, kids)` or `_grafted`, which checked that every node is
    in it once), until the outermost `fast_traversal()` block ends (outside one, nothing: no
    walk would read it)."""
    registry = _ACTIVE.get()
    if registry is None:
        return
    registry.held.append(module)
    registry.kids.update(kids)
    masks = registry.masks
    # children before their parents; a subtree registered with an earlier tree (a rule's
    # output shares with its input what it didn't change) has its masks already
    stack = [(module, False)]
    while stack:
        node, children_done = stack.pop()
        key = id(node)
        if children_done:
            mask = _bit(type(node).__name__)
            for child in kids.get(key, ()):
                mask |= masks[id(child)]
            masks[key] = mask
        elif key not in masks:
            stack.append((node, True))
            stack.extend([(child, False) for child in kids.get(key, ())])


def registered(module: CSTNode) -> dict[CSTNode, CSTNode] | None:
    """`parents_of(module)`, the module `register`ed with it: once per module inside the
    outermost `fast_traversal()` block (outside one, every time, and nothing registered).
    Inside one, for a module made from the last one registered (a rule's output from its
    input), from what the rule changed (`_grafted`)."""
    registry = _ACTIVE.get()
    found = registry.registered.get(id(module)) if registry is not None else None
    if found is not None and found[0] is module:
        return found[1]
    kids: dict[int, list[CSTNode]] = {}
    parents: dict[CSTNode, CSTNode] | None = None
    grafted = _grafted(module, registry, kids) if registry is not None else _NOT_GRAFTED
    if grafted is _NOT_GRAFTED:
        kids.clear()
        parents = parents_of(module, kids)
    else:
        parents = grafted
    if parents is not None:
        register(module, kids)
    if registry is not None:
        latest = registry.registered
        latest[id(module)] = (module, parents)
        if len(latest) > 4:  # the trees asked for again are the latest ones
            del latest[next(iter(latest))]
    return parents


_NOT_GRAFTED: Any = object()  # `_grafted`: the parents can't be found so; make them whole


def _grafted(module: CSTNode, registry: _Registry, kids: dict[int, list[CSTNode]]) -> Any:
    """`parents_of(module)` when `module` was made from the latest module registered (a
    rule's output from its input), found from the nodes the transformer made and the nodes
    it dropped, not from a walk of the whole tree: a walk of the nodes not registered before
    (noting their children in `kids`), whose children not made anew are subtrees it kept
    from the base; the base's parents without the nodes of the base that aren't in a kept
    subtree (a walk of the base that doesn't enter those), with the parent of each child of
    a node made anew. The same parents; in another order than a walk's. None when a node is
    in `module` twice (as `parents_of` says): a node met twice, or one kept subtree inside
    another (each is whole and once in the base). `_NOT_GRAFTED` when it can't be done so:
    no base, or a kept node the base doesn't hold."""
    latest = registry.registered
    masks = registry.masks
    if not latest or id(module) in masks:
        return _NOT_GRAFTED
    base_module, base = latest[next(reversed(latest))]
    if base is None:
        return _NOT_GRAFTED
    own: dict[CSTNode, CSTNode] = {}
    kept: set[CSTNode] = set()
    stack = [module]
    while stack:  # the nodes made anew: a few of the tree's (`children_of` not inlined)
        node = stack.pop()
        found = children_of(node)
        if not found:
            continue
        kids[id(node)] = found
        for child in found:
            if child in own:
                return None  # a node in two places
            own[child] = node
            if id(child) in masks:
                kept.add(child)
            else:
                stack.append(child)
    if not kept:
        return own  # every node made anew: the walk was of them all
    for root in kept:  # in the base, once: its parents lead up to the base's module
        above = base.get(root)
        while above is not None and above is not base_module:
            if above in kept:
                return None  # inside another kept subtree: its nodes twice
            above = base.get(above)
        if above is None:
            return _NOT_GRAFTED  # not in the base: from another tree
    parents = dict(base)
    below = registry.kids
    dropped = [base_module]
    while dropped:
        for child in below.get(id(dropped.pop()), ()):
            if child not in kept:
                del parents[child]
                dropped.append(child)
    parents.update(own)
    return parents


def unshared(module: CSTNode) -> Any:
    """`module` with each node it holds a second time replaced by a copy (and the nodes above
    it rebuilt): the same code, every node once, as metadata needs. A transformer may put
    one object in two places, and LibCST's constructors share their default nodes (every
    `Attribute(value, attr)` made without a `dot` has the same `Dot`); LibCST copies the
    whole tree instead."""
    seen: set[int] = set()
    again: list[bool] = []

    class Copying(cst.CSTTransformer):
        def on_visit(self, node: CSTNode) -> bool:
            twice = id(node) in seen
            seen.add(id(node))
            again.append(twice)
            return not twice

        def on_leave(self, original_node: CSTNode, updated_node: CSTNode) -> Any:
            return updated_node.deep_clone() if again.pop() else updated_node

    return walk(module, Copying())


def code_of(module: cst.Module) -> str:
    """`module.code`, made once per module inside the outermost `fast_traversal()` block,
    from the code of each of its statements, made once per statement (see `_piece`)."""
    registry = _ACTIVE.get()
    if registry is None:
        return module.code
    found = registry.codes.get(id(module))
    if found is not None and found[0] is module:
        return found[1]
    indent, newline = module.default_indent, module.default_newline
    state = CodegenState(default_indent=indent, default_newline=newline)
    for line in module.header:
        line._codegen(state)
    tokens = state.tokens
    for statement in module.body:
        tokens.extend(_piece(registry, statement, indent, newline).tokens)
    for line in module.footer:
        line._codegen(state)
    # the end of LibCST's `Module._codegen_impl`, on the same tokens but the statements'
    # (each joined into one token, its last token kept apart)
    if module.has_trailing_newline:
        if not tokens:
            state.add_token(newline)
    else:
        state.pop_trailing_newline()
    code = "".join(tokens)
    registry.codes[id(module)] = (module, code)
    return code


class _Piece:
    """A module statement's code, as two tokens: all of it but its last token, which is
    apart because `Module._codegen_impl` drops the last token of a file without a final
    newline; and how many lines it ends, counted as LibCST's positions count them."""

    __slots__ = ("tokens", "lines")

    def __init__(self, tokens: list[str]) -> None:
        self.tokens = ["".join(tokens[:-1]), tokens[-1]] if tokens else []
        text = "".join(self.tokens)
        if "\r" in text:  # "\r" then "\n" in two tokens are two line breaks, as one "\r\n"
            self.lines = sum(len(NEWLINE_RE.findall(token)) for token in tokens)
        else:
            self.lines = text.count("\n")


def _piece(registry: _Registry, statement: CSTNode, indent: str, newline: str) -> _Piece:
    """The code of a module's `statement`: the same in every module with the same indent and
    newline, since a statement of the module starts a line, outside any indented block."""
    key = (id(statement), indent, newline)
    found = registry.pieces.get(key)
    if found is not None and found[0] is statement:
        return found[1]
    state = CodegenState(default_indent=indent, default_newline=newline)
    statement._codegen(state)
    piece = _Piece(state.tokens)
    registry.pieces[key] = (statement, piece)  # kept with the statement: its id stays its own
    return piece


class _Positioning(PositionProvidingCodegenState):
    """LibCST's `PositionProvider` codegen state, recording each node's range as a tuple
    `((line, column), (line, column))` (LibCST makes two `CodePosition`s and a `CodeRange`
    for every node), and looking for line breaks in a token with a substring test (LibCST
    splits every token with a regular expression). Otherwise LibCST's code, step by step."""

    def _update_position(self, value: str) -> None:
        if "\n" in value or "\r" in value:
            PositionProvidingCodegenState._update_position(self, value)
        else:
            self.column += len(value)

    def before_codegen(self, node: CSTNode) -> None:
        cast(list[Any], self._stack).append((self.line, self.column))

    def after_codegen(self, node: CSTNode) -> None:
        start = self._stack.pop()
        computed = cast(dict[CSTNode, Any], self.provider._computed)
        if node not in computed:  # a syntactic position recorded already stays
            computed[node] = (start, (self.line, self.column))

    def record_syntactic_position(
        self,
        node: CSTNode,
        *,
        start_node: CSTNode | None = None,
        end_node: CSTNode | None = None,
    ) -> Any:
        return _Syntactic(self, node, start_node, end_node)


class _Syntactic:
    """`_Positioning.record_syntactic_position`'s context: LibCST's generator, as a class."""

    __slots__ = ("state", "node", "start_node", "end_node", "start")

    def __init__(
        self, state: _Positioning, node: CSTNode, start: CSTNode | None, end: CSTNode | None
    ) -> None:
        self.state, self.node, self.start_node, self.end_node = state, node, start, end

    def __enter__(self) -> None:
        self.start = (self.state.line, self.state.column)

    def __exit__(self, *exc: object) -> None:
        state = self.state
        computed = cast(dict[CSTNode, Any], state.provider._computed)
        start = computed[self.start_node][0] if self.start_node is not None else self.start
        end = (
            computed[self.end_node][1] if self.end_node is not None else (state.line, state.column)
        )
        computed[self.node] = (start, end)


class _Ranges(Mapping[CSTNode, CodeRange]):
    """Each node's `CodeRange`, made from its tuples when asked for."""

    def __init__(self, ranges: dict[CSTNode, Any]) -> None:
        self._ranges = ranges

    def __getitem__(self, node: CSTNode) -> CodeRange:
        start, end = self._ranges[node]
        return CodeRange(start, end)

    def __iter__(self) -> Iterator[CSTNode]:
        return iter(self._ranges)

    def __len__(self) -> int:
        return len(self._ranges)


def positions(
    module: cst.Module, parents: Mapping[CSTNode, CSTNode] | None = None
) -> Mapping[CSTNode, CodeRange]:
    """What LibCST's `PositionProvider` gives for `module`, for less (see `_Positioning`).
    Inside a `fast_traversal()` block, a node's position is found when asked for, from the
    positions in its module statement, made once per statement, moved down by the lines of
    the statements above it (the parents of the module's nodes, `parents`, or those of a
    module `registered` lately, tell which statement holds a node)."""
    registry = _ACTIVE.get()
    if registry is None:
        return _Ranges(_all_positions(module))
    if parents is None:
        found = registry.registered.get(id(module))
        parents = found[1] if found is not None and found[0] is module else None
    return _StatementRanges(registry, module, parents)


def _ends_a_line(token: str) -> bool:
    return token.endswith(("\n", "\r"))


def _all_positions(module: cst.Module) -> dict[CSTNode, Any]:
    """Every node's position, in one pass over `module` (LibCST's, made cheaper)."""
    return _positions_in(module, module)


def _positions_in(node: CSTNode, module: cst.Module) -> dict[CSTNode, Any]:
    """The positions of `node` and the nodes under it, its code generated as `module`'s
    (its indent and newline) from line 1, column 0."""
    provider = PositionProvider()
    state = _Positioning(
        default_indent=module.default_indent,
        default_newline=module.default_newline,
        provider=provider,
    )
    node._codegen(state)
    return cast(dict[CSTNode, Any], provider._computed)


class _StatementRanges(Mapping[CSTNode, CodeRange]):
    """`positions` inside a `fast_traversal()` block. A statement of the module starts a
    line at column 0 (the statement above ends with a line break) outside any indented
    block, so the positions in it are those of the statement alone, moved down. A node
    outside the module's statements (the module, its header and footer lines), or when the
    parents are not known, gets the positions of the whole module, made once."""

    def __init__(
        self, registry: _Registry, module: cst.Module, parents: Mapping[CSTNode, CSTNode] | None
    ) -> None:
        self.registry = registry
        self.module = module
        self.parents = parents
        self._starts: dict[int, int] | None = None
        self._all: dict[CSTNode, Any] | None = None

    def __getitem__(self, node: CSTNode) -> CodeRange:
        statement = self._statement(node)
        if statement is None:
            start, end = self._whole()[node]
            return CodeRange(start, end)
        module = self.module
        key = (id(statement), module.default_indent, module.default_newline)
        found = self.registry.relative.get(key)
        if found is not None and found[0] is statement:
            relative = found[1]
        else:
            relative = _positions_in(statement, module)
            self.registry.relative[key] = (statement, relative)
        (start_line, start_column), (end_line, end_column) = relative[node]
        below = self._start_lines()[id(statement)] - 1
        return CodeRange((start_line + below, start_column), (end_line + below, end_column))

    def _statement(self, node: CSTNode) -> CSTNode | None:
        """The statement of the module that holds `node` (or is it); None: not known."""
        starts = self._start_lines()
        if not starts:
            return None
        if id(node) in starts:
            return node
        if self.parents is None:
            return None
        above = self.parents.get(node)
        while above is not None and above is not self.module:
            node, above = above, self.parents.get(above)
        return node if above is self.module and id(node) in starts else None

    def _start_lines(self) -> dict[int, int]:
        """Each statement's first line, by id; empty when a statement is in the module twice
        or doesn't end with a line break (then the whole module's positions are used)."""
        if self._starts is None:
            self._starts = self._lines_of_statements()
        return self._starts

    def _lines_of_statements(self) -> dict[int, int]:
        module = self.module
        indent, newline = module.default_indent, module.default_newline
        state = CodegenState(default_indent=indent, default_newline=newline)
        for empty in module.header:
            empty._codegen(state)
        if state.tokens and not _ends_a_line(state.tokens[-1]):
            return {}
        line = 1 + sum(len(NEWLINE_RE.findall(token)) for token in state.tokens)
        starts: dict[int, int] = {}
        for statement in module.body:
            piece = _piece(self.registry, statement, indent, newline)
            if id(statement) in starts or not piece.tokens or not _ends_a_line(piece.tokens[-1]):
                return {}
            starts[id(statement)] = line
            line += piece.lines
        return starts

    def _whole(self) -> dict[CSTNode, Any]:
        if self._all is None:
            self._all = _all_positions(self.module)
        return self._all

    def __iter__(self) -> Iterator[CSTNode]:
        return iter(self._whole())

    def __len__(self) -> int:
        return len(self._whole())


def _pruning(node: CSTNode, visitor: Any) -> Prune:
    registry = _ACTIVE.get()
    if registry is None or id(node) not in registry.masks:
        return None
    fill = None
    special = _FILLS.get(type(visitor))
    if special is not None and not any(_hooks_name(name) for name in vars(visitor)):
        names: frozenset[str] | None = special[0]
        fill = special[1](visitor, registry.kids)
    else:
        names = interest(visitor)
    if names is None:
        return registry.masks, -1, registry.kids, None
    mask = _MASK_OF.get(names)
    if mask is None:
        mask = _MASK_OF[names] = sum(_bit(name) for name in names)
    return registry.masks, mask, registry.kids, fill


# -- LibCST's scope analysis ---------------------------------------------------------------------
# `ScopeVisitor`, the visitor `ScopeProvider` runs over every node, has hooks on some node
# classes, and an `on_leave` for every node that records the node's scope
# (`set_metadata(node, self.scope)`) and counts the assignment-like ones. Below a node whose
# subtree holds none of the hooked or assignment-like classes, no hook runs and nothing changes
# `self.scope`: each node's visit comes down to that record. The walk skips such a subtree and
# makes the records itself, children before their parents as LibCST's `on_leave`s do. Those
# subtrees are whitespace, commas, brackets, operators and literals: most nodes of a tree.
# Only for the `on_leave` below, word for word (a LibCST release that changes it turns this off,
# and a test says so).

_SCOPE_ON_LEAVE = """
def on_leave(self, original_node: cst.CSTNode) -> None:
    self.provider.set_metadata(original_node, self.scope)
    if isinstance(original_node, _ASSIGNMENT_LIKE_NODES):
        self.scope._assignment_count += 1
    super().on_leave(original_node)
"""


def _scope_fills() -> dict[type, tuple[frozenset[str], Callable[[Any, Any], Any]]]:
    from libcst.metadata import BaseMetadataProvider, scope_provider

    visitor = scope_provider.ScopeVisitor
    try:
        source = textwrap.dedent(inspect.getsource(visitor.on_leave))
    except (OSError, TypeError):
        return {}
    if (
        source.strip() != _SCOPE_ON_LEAVE.strip()
        or (visitor.on_visit, visitor.on_visit_attribute, visitor.on_leave_attribute)
        != (CSTVisitor.on_visit, CSTVisitor.on_visit_attribute, CSTVisitor.on_leave_attribute)
        or scope_provider.ScopeProvider.set_metadata is not BaseMetadataProvider.set_metadata
    ):
        return {}
    assigning: set[str] = set()
    for cls in scope_provider._ASSIGNMENT_LIKE_NODES:
        assigning |= {cls.__name__} | subclass_names(cls)
    hooked = node_classes(own_hooks(visitor)) | assigning

    kinds = scope_provider._ASSIGNMENT_LIKE_NODES
    counted: dict[type, bool] = {}  # node class -> isinstance(node, kinds)

    def fill(scoping: Any, kids: dict[int, list[CSTNode]]) -> Callable[[CSTNode], None]:
        found = vars(scoping).get("_migrator_record")
        if found is not None:
            return cast(Callable[[CSTNode], None], found)
        computed = scoping.provider._computed

        def record(node: CSTNode) -> None:
            scope = scoping.scope
            stack = [(node, False)]
            while stack:
                top, children_done = stack.pop()
                below = kids.get(id(top))
                if below is None or children_done:
                    computed[top] = scope
                else:
                    stack.append((top, True))
                    stack.extend([(child, False) for child in reversed(below)])

        # LibCST's on_visit and ScopeVisitor's on_leave, with what they look up by name or
        # test with isinstance known once per node class (the others' hooks are no-ops)
        def on_visit(node: CSTNode) -> bool:
            hook = hook_names(visitor, type(node))[0]
            return hook is None or getattr(scoping, hook)(node) is not False

        def on_leave(node: CSTNode) -> None:
            computed[node] = scoping.scope
            cls = type(node)
            assigns = counted.get(cls)
            if assigns is None:
                assigns = counted[cls] = issubclass(cls, kinds)
            if assigns:
                scoping.scope._assignment_count += 1
            hook = hook_names(visitor, cls)[1]
            if hook is not None:
                getattr(scoping, hook)(node)

        scoping._migrator_record = record
        scoping.on_visit = on_visit
        scoping.on_leave = on_leave
        return record

    return {visitor: (frozenset(hooked), fill)}


def subclass_names(base: type) -> set[str]:
    """The names of `base`'s subclasses, theirs included."""
    found: set[str] = set()
    sub: type
    for sub in base.__subclasses__():
        found |= {sub.__name__} | subclass_names(sub)
    return found


def interest(visitor: Any) -> frozenset[str] | None:
    """The node classes whose hooks do something for `visitor`; None when any node's may."""
    own = getattr(visitor, "hooked_node_classes", None)
    if own is not None:
        return cast(frozenset[str] | None, own())
    cls = type(visitor)
    if isinstance(visitor, _BatchedCSTVisitor):
        standard = (
            cls.on_visit is _BatchedCSTVisitor.on_visit
            and cls.on_leave is _BatchedCSTVisitor.on_leave
            and visitor.before_visit is None
            and visitor.after_leave is None
        )
        return node_classes(visitor.visitor_methods) if standard else None
    if cls not in _INTERESTS:
        # LibCST's per-class dispatch (a matcher-aware one without matchers is the same)
        dispatching = (cls.on_visit, cls.on_leave) in {
            (base.on_visit, base.on_leave)
            for base in (
                CSTVisitor,
                cst.CSTTransformer,
                MatcherDecoratableVisitor,
                MatcherDecoratableTransformer,
            )
        }
        _INTERESTS[cls] = node_classes(own_hooks(cls)) if dispatching else None
    found = _INTERESTS[cls]
    if found is None or any(_hooks_name(name) for name in vars(visitor)):
        return None
    if isinstance(visitor, (MatcherDecoratableVisitor, MatcherDecoratableTransformer)) and (
        visitor._matchers or visitor._extra_visit_funcs or visitor._extra_leave_funcs
    ):
        return None  # matchers follow every node
    return found


def _hooks_name(name: str) -> bool:
    return name.startswith(("visit_", "leave_"))


def own_hooks(cls: type) -> tuple[str, ...]:
    """The `visit_*` / `leave_*` methods of `cls` that aren't LibCST's no-op stubs, by name
    in `dir` order; found once per class (a visitor has some 1,400 such names, nearly all
    stubs, and each of the engine's dispatch tables asks)."""
    found = _OWN_HOOK_NAMES.get(cls)
    if found is None:
        found = _OWN_HOOK_NAMES[cls] = tuple(
            name
            for name, value in sorted(class_namespace(cls).items())
            if _hooks_name(name) and not _no_op(cls, name, value)
        )
    return found


def _no_op(cls: type, name: str, value: object) -> bool:
    if type(value) is FunctionType:  # what `cls.<name>` gives; its marks are in its __dict__
        return bool(value.__dict__.get("_is_no_op", False))
    return bool(getattr(getattr(cls, name), "_is_no_op", False))


def class_namespace(cls: type) -> dict[str, object]:
    """What each name of `cls` and its bases is bound to in the class `cls` takes it from
    (the first of its method resolution order to define it): `dir(cls)`'s names, unread."""
    found: dict[str, object] = {}
    for klass in reversed(cls.__mro__):
        found.update(vars(klass))
    return found


_OWN_HOOK_NAMES: dict[type, tuple[str, ...]] = {}


_OWN_HOOKS: dict[type, frozenset[str]] = {}
_HOOK_NAMES: dict[tuple[type, type], tuple[str | None, str | None]] = {}


def hook_names(cls: type, node: type) -> tuple[str | None, str | None]:
    """The names of `cls`'s own `visit_<node>` and `leave_<node>` (None: it has none, or only
    LibCST's no-op stub): what LibCST's dispatch would call to any effect, found once."""
    key = (cls, node)
    found = _HOOK_NAMES.get(key)
    if found is None:
        own = _OWN_HOOKS.get(cls)
        if own is None:
            own = _OWN_HOOKS[cls] = frozenset(own_hooks(cls))
        names = (f"visit_{node.__name__}", f"leave_{node.__name__}")
        found = _HOOK_NAMES[key] = (
            names[0] if names[0] in own else None,
            names[1] if names[1] in own else None,
        )
    return found


def node_classes(names: Iterable[str], *, fields_only: bool = False) -> frozenset[str]:
    """The node classes of the `visit_<Node>` / `leave_<Node>` and field hooks
    (`visit_<Node>_<field>`) in `names`; `fields_only`: of the field hooks alone (node class
    names have no `_`)."""
    return frozenset(
        name.split("_")[1]
        for name in names
        if _hooks_name(name) and (not fields_only or name.count("_") >= 2)
    )


def _in_field(new: Any, old: CSTNode, kind: int) -> Any:
    """What a field that held `old` holds when its visit returned `new`."""
    if isinstance(new, FlattenSentinel) or (kind == REQUIRED and isinstance(new, RemovalSentinel)):
        raise TypeError(
            f"We got a {type(new).__name__} while visiting a {type(old).__name__}."
            " This node's parent does not allow it."
        )
    if isinstance(new, RemovalSentinel):
        return None if kind == OPTIONAL else MaybeSentinel.DEFAULT
    return new


def parents_of(
    module: CSTNode, kids: dict[int, list[CSTNode]] | None = None
) -> dict[CSTNode, CSTNode] | None:
    """Each node's parent (what LibCST's `ParentNodeProvider` maps), in the order a traversal
    enters them, from one walk that calls no hook; None when a node is in the tree twice (a
    transformer put one node object in two places), which LibCST's metadata can't take.
    `kids`, if given, gets each node's children (by `id`) on the way."""
    parents: dict[CSTNode, CSTNode] = {}
    found = children_of(module)
    if kids is not None:
        kids[id(module)] = found
    stack: list[tuple[CSTNode, CSTNode]] = [(child, module) for child in reversed(found)]
    entered = 0  # a node entered twice leaves `parents` shorter than this
    plans = _PLANS
    default = MaybeSentinel.DEFAULT
    while stack:  # `children_of`, inlined: this walk is half the cost of registering a tree
        node, parent = stack.pop()
        parents[node] = parent
        entered += 1
        cls = type(node)
        fields = plans[cls] if cls in plans else plan(cls)
        if not fields:
            if fields is not None:
                continue  # a leaf
            found = list(node.children)
        else:
            found = []
            for name, _ in fields:
                value = getattr(node, name)
                if value is None or value is default:
                    continue
                if type(value) is tuple or type(value) is list:
                    found.extend(value)
                else:
                    found.append(value)
        if found:
            if kids is not None:
                kids[id(node)] = found
            stack.extend([(child, node) for child in reversed(found)])
    return parents if len(parents) == entered else None


def children_of(node: CSTNode) -> list[CSTNode]:
    """`node.children`, from its plan (LibCST's property runs a visitor over the node)."""
    try:
        fields = _PLANS[type(node)]
    except KeyError:
        fields = plan(type(node))
    if fields is None:
        return list(node.children)
    found: list[CSTNode] = []
    for name, _ in fields:
        value = getattr(node, name)
        if value is None or value is MaybeSentinel.DEFAULT:
            continue
        if type(value) is tuple or type(value) is list:
            found.extend(value)
        else:
            found.append(value)
    return found


def descendants(node: CSTNode) -> Iterator[CSTNode]:
    """`node` and every node below it, parents before their children, in the order of
    their fields."""
    stack = [node]
    while stack:
        top = stack.pop()
        yield top
        stack.extend(reversed(children_of(top)))


def _sequence(
    children: Any, visitor: Any, is_visitor: bool, attributes: Hooked, body: bool, prune: Prune
) -> Any:
    """The visited `children`: the same tuple when every child came back as it was."""
    new: list[Any] | None = None
    for index, child in enumerate(children):
        if prune is not None and not prune[0].get(id(child), -1) & prune[1]:
            result = child  # nothing below it has a hook
            if prune[3] is not None:
                prune[3](child)
        else:
            result = _walk(child, visitor, is_visitor, attributes, prune)
        if result is child and new is None:
            continue
        if new is None:
            new = list(children[:index])
        if isinstance(result, RemovalSentinel):
            continue
        if isinstance(result, FlattenSentinel):
            for item in result:
                if not (body and not child._is_removable() and item._is_removable()):
                    new.append(item)
        elif not (body and not child._is_removable() and result._is_removable()):
            new.append(result)
    if new is None:
        return children if isinstance(children, tuple) else tuple(children)
    return tuple(new)


# The attribute hooks of LibCST's visitors: each calls `visit_<Node>_<field>` (or
# `leave_...`) when the visitor has one that isn't one of LibCST's no-op stubs.
_DISPATCHING = {
    getattr(cls, hook)
    for cls in (
        CSTVisitor,
        cst.CSTTransformer,
        MatcherDecoratableTransformer,
        MatcherDecoratableVisitor,
    )
    for hook in ("on_visit_attribute", "on_leave_attribute")
}
_CLASS_HOOKS: dict[type, frozenset[str] | None] = {}
Hooked = frozenset[str] | None  # node class names; None: every node


def _attribute_hooks(visitor: Any) -> Hooked:
    """The node classes whose attribute hooks can do anything for `visitor`. Where these are
    LibCST's dispatching ones, the classes it has a `visit_<Node>_<field>` or
    `leave_<Node>_<field>` for that isn't a no-op stub (most visitors have none: the rules,
    LibCST's metadata providers); otherwise None: every class."""
    cls = type(visitor)
    if isinstance(visitor, _BatchedCSTVisitor):  # metadata providers, resolved together
        own = cls.on_visit_attribute, cls.on_leave_attribute
        batched = _BatchedCSTVisitor.on_visit_attribute, _BatchedCSTVisitor.on_leave_attribute
        return node_classes(visitor.visitor_methods, fields_only=True) if own == batched else None
    if cls not in _CLASS_HOOKS:
        dispatching = {cls.on_visit_attribute, cls.on_leave_attribute} <= _DISPATCHING
        _CLASS_HOOKS[cls] = node_classes(own_hooks(cls), fields_only=True) if dispatching else None
    found = _CLASS_HOOKS[cls]
    return None if found is None else found | node_classes(vars(visitor), fields_only=True)


_libcst_visit: Callable[..., Any] = CSTNode.visit


def _visit(self: CSTNode, visitor: Any) -> Any:
    if _ACTIVE.get():
        return walk(self, visitor)
    return _libcst_visit(self, visitor)


@contextlib.contextmanager
def fast_traversal() -> Iterator[None]:
    """`CSTNode.visit` is `walk` inside this block, in this context (thread, task) only."""
    if CSTNode.visit is not _visit:
        CSTNode.visit = _visit  # type: ignore[method-assign]
    # the outermost block of a context starts a registry of its own, let go when it ends
    token = _ACTIVE.set(_ACTIVE.get() or _Registry())
    try:
        yield
    finally:
        _ACTIVE.reset(token)


_FILLS = _scope_fills()
