"""The fast engine's traversal (`migrator.rules._traversal`) calls the hooks LibCST's calls, in
its order, and gives the same tree; it builds nodes only where something changed."""

from __future__ import annotations

import inspect
import types
from collections.abc import Mapping
from pathlib import Path

import libcst as cst
import libcst.matchers as m
import pytest

from migrator.rules._traversal import fast_traversal, parents_of, plan, walk

SAMPLE = Path(__file__).resolve().parent.parent / "sample_flask_app"

# Python's syntax, much of it in one module (LibCST parses it whatever Python runs this)
SYNTAX = '''\
"""doc"""
from __future__ import annotations
import os.path as p, sys
from . import a
from ..b import (c as d, e,)
from m import *
x: int = 1; y = x ** 2 // 3 @ z; del y
a, *b = [1, 2, *c]
f = lambda q, /, r=1, *s, t, **u: (q, r, s, t, u)
g = {k: v for k, v in d.items() if k} | {**e} | {1, 2} ^ {i for i in range(3)}
h = [i async for i in j] if k else (l for l in m)
n = not o and p or q is not r in s not in t < u <= v != w
o += 1; o -= 1; o *= 2; o @= 3; o /= 4; o //= 5; o %= 6; o **= 7
o >>= 1; o <<= 1; o &= 1; o ^= 1; o |= 1
s = f"{x!r:>{width}} {y=}" "plain"; by = rb"\\x"
t = x[1:2, ::3, ...]; u = -x + ~y - +z; v = (yield)
w = (a := 10)
global G
@decorator(1)
@other.attr
async def fn(a: int = 1, *args: str, b, **kwargs) -> None:
    nonlocal_ = 1
    async with ctx() as (c, d), other:
        await thing()
    async for item in stream():
        pass
    try:
        raise ValueError("x") from None
    except* (TypeError, ValueError) as error:
        ...
    else:
        return
    finally:
        pass
class C(Base, metaclass=Meta):
    attr: str
    def method(self): return self.attr
def gen():
    yield from range(3)
    while True:
        if x:
            break
        elif y:
            continue
        else:
            assert z, "message"
    for i in range(2):
        print(i, sep="")
    else:
        pass
    with open("f") as handle:
        pass
    match command:
        case [x, y, *rest] if x:
            pass
        case {"k": v, **others}:
            pass
        case Point(x=0, y=0) | None:
            pass
        case str() as s:
            pass
        case _:
            pass
def typed[T: int, *Ts, **P](x: T) -> T:
    return x
type Alias[T] = list[T]
'''


class Recording:
    def __init__(self) -> None:
        super().__init__()
        self.log: list[tuple[str, ...]] = []

    def on_visit(self, node: cst.CSTNode) -> bool:
        self.log.append(("visit", type(node).__name__))
        return not isinstance(node, cst.Lambda)  # a subtree the visitor skips

    def on_visit_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.log.append(("visit_attribute", type(node).__name__, attribute))

    def on_leave_attribute(self, node: cst.CSTNode, attribute: str) -> None:
        self.log.append(("leave_attribute", type(node).__name__, attribute))


class RecordingVisitor(Recording, cst.CSTVisitor):
    def on_leave(self, original_node: cst.CSTNode) -> None:
        self.log.append(("leave", type(original_node).__name__))


class RecordingTransformer(Recording, cst.CSTTransformer):
    """Renames, removes (from sequences, bodies and optional fields) and multiplies nodes."""

    def on_leave(self, original_node, updated_node):  # type: ignore[no-untyped-def]
        self.log.append(("leave", type(original_node).__name__))
        if isinstance(updated_node, cst.Name) and updated_node.value.startswith("s"):
            return updated_node.with_changes(value=updated_node.value + "_renamed")
        if isinstance(updated_node, cst.Pass):
            return cst.RemoveFromParent()  # leaves an empty body line: LibCST drops it
        if isinstance(updated_node, (cst.Decorator, cst.AsName)):  # sequence, optional
            return cst.RemoveFromParent()
        if isinstance(updated_node, cst.SimpleStatementLine) and any(
            isinstance(statement, cst.Return) for statement in updated_node.body
        ):
            return cst.FlattenSentinel([updated_node, updated_node])
        return updated_node


def _sources() -> list[tuple[str, str]]:
    files = sorted(SAMPLE.rglob("*.py"))
    return [("syntax", SYNTAX)] + [
        (str(f.relative_to(SAMPLE)), f.read_text("utf-8")) for f in files
    ]


@pytest.mark.parametrize("kind", [RecordingVisitor, RecordingTransformer])
@pytest.mark.parametrize(("name", "code"), _sources(), ids=lambda v: v if len(v) < 60 else "")
def test_same_hooks_in_the_same_order_and_the_same_tree(name: str, code: str, kind: type):
    module = cst.parse_module(code)
    theirs, ours = kind(), kind()
    expected = module.visit(theirs)
    with fast_traversal():
        got = module.visit(ours)
    assert ours.log == theirs.log
    assert len(ours.log) > len(code) / 10  # the tree was walked, not skipped
    assert got.code == expected.code
    assert got.deep_equals(expected)


def test_a_removal_where_the_parent_requires_the_node_raises_as_in_libcst():
    class RemoveNames(cst.CSTTransformer):
        def leave_Name(self, original_node, updated_node):  # type: ignore[no-untyped-def]
            return cst.RemoveFromParent()

    module = cst.parse_module("x.y = 1\n")
    with pytest.raises(TypeError, match="RemovalSentinel"):
        module.visit(RemoveNames())
    with fast_traversal(), pytest.raises(TypeError, match="RemovalSentinel"):
        module.visit(RemoveNames())


def test_unchanged_subtrees_are_the_same_objects_and_a_visitor_builds_nothing():
    module = cst.parse_module("def f():\n    return 1\n\nx = y\n")

    class RenameY(cst.CSTTransformer):
        def leave_Name(self, original_node, updated_node):  # type: ignore[no-untyped-def]
            return (
                updated_node.with_changes(value="z") if updated_node.value == "y" else updated_node
            )

    changed = walk(module, RenameY())
    assert changed.code == "def f():\n    return 1\n\nx = z\n"
    assert changed.body[0] is module.body[0]  # the function: nothing in it changed
    assert changed.body[1] is not module.body[1]
    assert walk(module, cst.CSTTransformer()) is module
    assert walk(module, cst.CSTVisitor()) is module
    # LibCST's own traversal copies every node
    assert module.visit(cst.CSTTransformer()).body[0] is not module.body[0]


class FieldHooks(cst.CSTVisitor):
    """A visitor with hooks on one node class's fields: only those are called (and the
    traversal skips the others' attribute hooks, which are LibCST's no-op stubs)."""

    def __init__(self) -> None:
        super().__init__()
        self.log: list[str] = []

    def visit_Call_func(self, node: cst.Call) -> None:
        self.log.append(f"func of {cst.Module([]).code_for_node(node)}")

    def leave_Call_args(self, original_node: cst.Call) -> None:
        self.log.append(f"{len(original_node.args)} args")


def test_hooks_on_fields_are_called_where_the_visitor_has_them():
    module = cst.parse_module("f(g(1), 2)\nx = y\n")
    theirs, ours = FieldHooks(), FieldHooks()
    module.visit(theirs)
    with fast_traversal():
        module.visit(ours)
    assert ours.log == theirs.log == ["func of f(g(1), 2)", "func of g(1)", "1 args", "2 args"]


def test_metadata_resolves_the_same():
    from libcst.metadata import MetadataWrapper, ParentNodeProvider, ScopeProvider

    code = SYNTAX
    theirs = MetadataWrapper(cst.parse_module(code), unsafe_skip_copy=True)
    ours = MetadataWrapper(theirs.module, unsafe_skip_copy=True)
    expected = theirs.resolve_many([ScopeProvider, ParentNodeProvider])
    with fast_traversal():
        got = ours.resolve_many([ScopeProvider, ParentNodeProvider])
    assert got[ParentNodeProvider] == expected[ParentNodeProvider]
    scopes = {node: type(scope).__name__ for node, scope in got[ScopeProvider].items()}
    assert scopes == {n: type(s).__name__ for n, s in expected[ScopeProvider].items()}
    assert len(scopes) > 500


def test_outside_the_block_visit_is_libcsts():
    module = cst.parse_module("x = 1\n")
    with fast_traversal():
        assert module.visit(cst.CSTTransformer()) is module
    assert module.visit(cst.CSTTransformer()) is not module


def _concrete(cls: type) -> list[type]:
    found = []
    for sub in cls.__subclasses__():
        if not inspect.isabstract(sub) and not sub.__name__.startswith("_"):
            found.append(sub)
        found.extend(_concrete(sub))
    return found


def test_every_concrete_node_class_has_a_plan_read_from_libcst():
    """A class without one is still visited right (by LibCST's code), only not faster: a
    LibCST release that reshapes `_visit_and_replace_children` shows here first."""
    classes = {c for c in _concrete(cst.CSTNode) if c.__module__.startswith("libcst._nodes")}
    assert len(classes) > 150
    assert sorted(c.__name__ for c in classes if plan(c) is None) == []
    assert plan(cst.Name) == (("lpar", 3), ("rpar", 3))


def test_parents_are_libcsts_in_the_order_a_traversal_enters_them_and_a_node_twice_none():
    from libcst.metadata import MetadataWrapper, ParentNodeProvider

    from migrator.rules._traversal import parents_of

    class Entering(cst.CSTVisitor):
        def __init__(self) -> None:
            super().__init__()
            self.parents: list[cst.CSTNode] = []

        def on_visit(self, node: cst.CSTNode) -> bool:
            self.parents.append(node)
            return True

    module = cst.parse_module(SYNTAX)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ParentNodeProvider)
    found = parents_of(module)
    assert found == dict(expected)
    entered = Entering()
    module.visit(entered)
    assert list(found) == entered.parents[1:]  # the module aside
    line = module.body[-1]
    assert parents_of(module.with_changes(body=(*module.body, line))) is None


def test_a_metadata_provider_finds_its_methods_as_inspect_finds_them():
    import inspect as inspection

    from libcst.metadata.scope_provider import ScopeProvider

    import migrator.rules._base  # noqa: F401 - memoizes BatchableCSTVisitor.get_visitors

    provider = ScopeProvider()
    expected = dict(
        inspection.getmembers(
            provider,
            lambda m: (
                inspection.ismethod(m)
                and m.__name__.startswith(("visit_", "leave_"))
                and not getattr(m, "_is_no_op", False)
            ),
        )
    )
    assert list(expected) == ["visit_Module"]
    assert provider.get_visitors() == expected
    other = ScopeProvider()  # the second object: from the memo, bound to it
    assert other.get_visitors() == {"visit_Module": other.visit_Module}

    def visit_Name(self: object, node: cst.Name) -> None:
        pass

    mine = ScopeProvider()  # a method of its own: looked for as LibCST does
    mine.visit_Name = types.MethodType(visit_Name, mine)  # type: ignore[method-assign]
    assert list(mine.get_visitors()) == ["visit_Module", "visit_Name"]


class Calls(cst.CSTVisitor):
    """Hooks on one node class: on a registered tree the walk enters only what leads to it."""

    def __init__(self) -> None:
        super().__init__()
        self.calls: list[str] = []
        self.entered = 0

    def visit_Call(self, node: cst.Call) -> None:
        self.calls.append(cst.Module([]).code_for_node(node.func))

    def leave_Call(self, original_node: cst.Call) -> None:
        self.calls.append("/")


class Entering(Calls):
    def on_visit(self, node: cst.CSTNode) -> bool:
        self.entered += 1
        return super().on_visit(node)


class RenameCalls(cst.CSTTransformer):
    def leave_Call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        if isinstance(updated_node.func, cst.Name):
            return updated_node.with_changes(func=cst.Name(updated_node.func.value + "_"))
        return updated_node


def test_a_registered_tree_is_walked_only_where_a_hook_is():
    from migrator.rules._traversal import interest, parents_of, register

    module = cst.parse_module(SYNTAX)
    kids: dict[int, list[cst.CSTNode]] = {}
    parents = parents_of(module, kids)
    assert parents is not None
    theirs = Calls()
    module.visit(theirs)
    expected = module.visit(RenameCalls())
    with fast_traversal():
        register(module, kids)
        ours = Calls()
        module.visit(ours)
        got = module.visit(RenameCalls())
        assert interest(Calls()) == frozenset({"Call"})
        assert interest(Entering()) is None  # a hook on every node: nothing is skipped
    assert ours.calls == theirs.calls and len(ours.calls) > 10
    assert got.code == expected.code
    assert got.body[0] is module.body[0]  # the docstring: no call below it, not rebuilt


def test_a_hook_set_on_the_object_is_followed_as_libcst_follows_it():
    from migrator.rules._traversal import interest, parents_of, register

    module = cst.parse_module(SYNTAX)
    kids: dict[int, list[cst.CSTNode]] = {}
    assert parents_of(module, kids) is not None

    def names_seen(visitor: Calls) -> list[str]:
        seen: list[str] = []
        visitor.visit_Name = lambda node: seen.append(node.value)  # type: ignore[attr-defined]
        module.visit(visitor)
        return seen

    theirs = names_seen(Calls())
    with fast_traversal():
        register(module, kids)
        ours = names_seen(Calls())
        assert interest(Calls()) == frozenset({"Call"})  # the class's alone: pruned to calls
    assert ours == theirs and len(ours) > 20  # every Name, as LibCST's own walk finds them
    plain = Calls()
    plain.leave_Name = print  # type: ignore[attr-defined]
    assert interest(plain) is None  # a hook of the object's own: nothing is skipped


def test_pruning_skips_most_of_the_tree():
    from migrator.rules import _traversal
    from migrator.rules._traversal import parents_of, register

    module = cst.parse_module(SYNTAX)
    kids: dict[int, list[cst.CSTNode]] = {}
    parents = parents_of(module, kids)
    assert parents is not None
    entered: list[cst.CSTNode] = []
    real = _traversal._look

    def spy(node, visitor, attributes, prune):  # type: ignore[no-untyped-def]
        entered.append(node)
        return real(node, visitor, attributes, prune)

    calls = Calls()
    with fast_traversal(), pytest.MonkeyPatch.context() as patch:
        patch.setattr(_traversal, "_look", spy)
        register(module, kids)
        module.visit(calls)
    assert len(calls.calls) > 10
    assert len(entered) < len(parents) / 3  # most nodes are never entered


def test_a_matcher_aware_visitor_is_pruned_only_without_matchers():
    import libcst.matchers as m

    from migrator.rules._traversal import interest

    class Plain(m.MatcherDecoratableVisitor):
        def visit_Call(self, node: cst.Call) -> None:
            pass

    class Matching(m.MatcherDecoratableVisitor):
        @m.call_if_inside(m.FunctionDef())
        def visit_Call(self, node: cst.Call) -> None:
            pass

    assert interest(Plain()) == frozenset({"Call"})
    assert interest(Matching()) is None


def _scopes_described(scopes: Mapping[cst.CSTNode, object]) -> list[tuple[object, ...]]:
    """Each node's scope, by what the scope is (its kind, node, bindings and reads), in the
    order the mapping holds them: two resolutions of one tree compare equal."""
    from libcst.metadata import Scope

    described: dict[int, tuple[object, ...]] = {}
    found = []
    for node, scope in scopes.items():
        if scope is None:
            found.append((id(node), None))
            continue
        assert isinstance(scope, Scope)
        if id(scope) not in described:
            described[id(scope)] = (
                type(scope).__name__,
                id(getattr(scope, "node", None)),
                sorted((a.name, id(a.node), len(a.references)) for a in scope.assignments),
                sorted((a.node.value, id(a.node), len(a.referents)) for a in scope.accesses),
                scope._assignment_count,
            )
        found.append((id(node), described[id(scope)]))
    return found


@pytest.mark.parametrize(("name", "code"), _sources(), ids=lambda v: v if len(v) < 60 else "")
def test_scope_analysis_of_a_registered_tree_is_libcsts(name: str, code: str):
    """On a registered tree the walk records the scope of the subtrees no scope hook is
    interested in itself (whitespace, punctuation, literals) without entering them."""
    from libcst.metadata import MetadataWrapper, ScopeProvider
    from libcst.metadata.scope_provider import ScopeVisitor

    from migrator.rules import _traversal
    from migrator.rules._traversal import parents_of, register

    assert ScopeVisitor in _traversal._FILLS  # off: LibCST's ScopeVisitor.on_leave changed
    module = cst.parse_module(code)
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    entered: list[cst.CSTNode] = []
    real = _traversal._look

    def spy(node, visitor, attributes, prune):  # type: ignore[no-untyped-def]
        if isinstance(visitor, ScopeVisitor):
            entered.append(node)
        return real(node, visitor, attributes, prune)

    with fast_traversal(), pytest.MonkeyPatch.context() as patch:
        kids: dict[int, list[cst.CSTNode]] = {}
        parents = parents_of(module, kids)
        assert parents is not None
        register(module, kids)
        patch.setattr(_traversal, "_look", spy)
        got = MetadataWrapper(module, unsafe_skip_copy=True).resolve(ScopeProvider)
    assert _scopes_described(got) == _scopes_described(expected)
    assert len(entered) < len(got) * 2 / 3  # a third or more recorded by the walk


@pytest.mark.parametrize(("name", "code"), _sources(), ids=lambda v: v if len(v) < 60 else "")
def test_positions_are_libcsts_and_the_pass_writes_the_code(name: str, code: str):
    from libcst.metadata import MetadataWrapper, PositionProvider

    from migrator.rules._traversal import code_of, positions

    module = cst.parse_module(code.replace("\n", "\r\n", 3))  # line breaks of both kinds
    expected = MetadataWrapper(module, unsafe_skip_copy=True).resolve(PositionProvider)
    with fast_traversal():
        got = positions(module)
        assert list(got) == list(expected)
        assert {n: got[n] for n in got} == dict(expected)
        assert code_of(module) == module.code


# the ends and line breaks a module's code can have, beside the samples'
_SHAPES = [
    "",
    "\n",
    "# a header comment only\n",
    "x = 1",  # no final line break: the last token dropped
    "x = 1\n\n\n# a footer comment\n",
    "#!/usr/bin/env python\n\n# header\n\ndef f():\n    return 1  # c\n\n\n# footer",
    "if x:\r    y = 1\relse:\r    z = [\r        1,\r    ]\rw = 2\r",  # old Mac line breaks
    "class A:\n\tdef f(self):\n\t\tpass\n\tx = 1\ny = (\n  2)\n",
]


@pytest.mark.parametrize(
    ("name", "code"),
    [*_sources(), *((f"shape {i}", c) for i, c in enumerate(_SHAPES))],
    ids=lambda v: v if len(v) < 60 else "",
)
def test_positions_and_code_made_statement_by_statement_are_libcsts(name: str, code: str):
    """Inside a block, a node's position comes from its module statement's own positions
    moved down, and the module's code from its statements' codes: both as LibCST's, for
    every node, also for a tree sharing statements with one seen before (the cached
    pieces), and with line breaks of several kinds."""
    from libcst.metadata import MetadataWrapper, PositionProvider

    from migrator.rules._traversal import code_of, positions, registered

    module = cst.parse_module(code.replace("\n", "\r\n", 2))
    renamed = module.visit(RenameCalls())
    with fast_traversal():
        for tree in (module, renamed, module):
            expected = MetadataWrapper(tree, unsafe_skip_copy=True).resolve(PositionProvider)
            assert code_of(tree) == tree.code
            known = registered(tree)
            for parents in (known, None):  # from the parents given, from the registry
                got = positions(tree, parents)
                assert {n: got[n] for n in expected} == dict(expected)
            assert list(positions(tree)) == list(expected)
        assert bool(_registry().relative) == bool(module.body)  # the statements' own were used


def test_a_statement_in_a_module_twice_gets_the_positions_of_the_whole_module():
    from libcst.metadata import MetadataWrapper, PositionProvider

    from migrator.rules._traversal import code_of, positions

    module = cst.parse_module("x = f(1)\n")
    twice = module.with_changes(body=[module.body[0], module.body[0]])
    expected = MetadataWrapper(twice, unsafe_skip_copy=True).resolve(PositionProvider)
    with fast_traversal():
        assert code_of(twice) == "x = f(1)\nx = f(1)\n"
        got = positions(twice)
        assert {n: got[n] for n in expected} == dict(expected)
        assert not _registry().relative  # no statement's own positions were used


def test_a_tree_sharing_subtrees_with_a_registered_one_gets_the_masks_of_its_own():
    from migrator.rules._traversal import registered

    module = cst.parse_module(SYNTAX)
    with fast_traversal():
        registered(module)
        renamed = module.visit(RenameCalls())  # shares every subtree without a call
        assert renamed.body[0] is module.body[0]
        registered(renamed)
        masks = {id(n): _registry().masks[id(n)] for n in _nodes(renamed)}
    with fast_traversal():
        registered(renamed)  # alone
        assert masks == {id(n): _registry().masks[id(n)] for n in _nodes(renamed)}


def _registry():  # type: ignore[no-untyped-def]
    from migrator.rules import _traversal

    registry = _traversal._ACTIVE.get()
    assert registry is not None
    return registry


def _nodes(module: cst.CSTNode) -> list[cst.CSTNode]:
    from migrator.rules._traversal import descendants

    return list(descendants(module))


class _Decorated(m.MatcherDecoratableTransformer):
    """Each of LibCST's matcher decorators, one matcher used twice, a property and an alias."""

    @m.call_if_inside(m.FunctionDef())
    @m.call_if_not_inside(m.ClassDef())
    def leave_Return(self, original_node: cst.Return, updated_node: cst.Return) -> cst.Return:
        return updated_node

    @m.visit(m.Name("a"))
    def seen_a(self, node: cst.Name) -> None:
        pass

    @m.visit(m.Name("a"))
    @m.call_if_inside(m.Call())
    def seen_a_again(self, node: cst.Name) -> None:
        pass

    @m.leave(m.Call())
    def left_call(self, original_node: cst.Call, updated_node: cst.Call) -> cst.Call:
        return updated_node

    also_left = left_call

    @property
    def broken(self) -> None:
        raise AssertionError("a property is not read")


def test_matcher_decorations_are_found_as_libcst_finds_them():
    from libcst.matchers import _visitors

    import migrator.rules._base  # noqa: F401 - memoizes the gathering

    libcst_own = _visitors._migrator_libcst_gathering
    ours = (
        _visitors._gather_matchers,
        _visitors._gather_constructed_visit_funcs,
        _visitors._gather_constructed_leave_funcs,
    )
    for visitor in (_Decorated(), _Decorated()):  # the second from what the first left
        for gather, original in zip(ours, libcst_own, strict=True):
            assert gather(visitor) == original(visitor)
    found = [gather(_Decorated()) for gather in ours]
    assert [len(f) for f in found] == [3, 2, 1]  # not empty: the test compares something
    assert len(next(iter(found[2].values()))) == 2  # the alias too
    # an object with a callable of its own is looked through by LibCST itself
    visitor = _Decorated()
    visitor.extra = lambda: None  # type: ignore[attr-defined]
    assert all(g(visitor) == o(visitor) for g, o in zip(ours, libcst_own, strict=True))


def test_every_rules_and_import_passes_matchers_are_found_as_libcst_finds_them():
    # what the gathering passes over unread (plain methods) must hold nothing LibCST finds
    from libcst.codemod import CodemodContext
    from libcst.codemod.visitors import (
        AddImportsVisitor,
        GatherImportsVisitor,
        RemoveImportsVisitor,
    )
    from libcst.matchers import _visitors

    from migrator.rules import RULES
    from migrator.rules._base import FileInfo, _gathered

    libcst_own = _visitors._migrator_libcst_gathering
    context = CodemodContext()
    visitors = [rule(context, FileInfo("app.py")) for rule in RULES]
    visitors += [AddImportsVisitor(context), RemoveImportsVisitor(context)]
    visitors += [GatherImportsVisitor(context), _Decorated()]
    for visitor in visitors:
        found = _gathered(visitor)
        assert found[0] == libcst_own[0](visitor), type(visitor)
        for ours, theirs in zip(found[1:], libcst_own[1:], strict=True):
            names = {key: tuple(getattr(visitor, n) for n in value) for key, value in ours.items()}
            assert names == theirs(visitor), type(visitor)


class _Hooked(cst.CSTVisitor):
    """Hooks of each kind a class can bind: a plain one, a stub put back, a static and a
    class method, a callable object."""

    def visit_Name(self, node: cst.Name) -> None:
        pass

    leave_Name = cst.CSTVisitor.leave_Name  # LibCST's no-op stub again

    @staticmethod
    def visit_Call(node: cst.Call) -> None:
        pass

    @classmethod
    def leave_Call(cls, original_node: cst.Call) -> None:
        pass

    visit_Attribute = types.SimpleNamespace(_is_no_op=True)


class _HookedAgain(_Hooked):
    def leave_Name(self, original_node: cst.Name) -> None:
        pass


def test_own_hooks_are_the_hooks_dir_finds_that_arent_stubs():
    from libcst.metadata import ExpressionContextProvider, ParentNodeProvider, ScopeProvider
    from libcst.metadata.scope_provider import ScopeVisitor

    from migrator.rules import RULES
    from migrator.rules._traversal import own_hooks

    classes = [*RULES, ScopeProvider, ScopeVisitor, ExpressionContextProvider, ParentNodeProvider]
    for cls in [*classes, _Hooked, _HookedAgain]:
        expected = tuple(
            name
            for name in dir(cls)
            if name.startswith(("visit_", "leave_"))
            and not getattr(getattr(cls, name), "_is_no_op", False)
        )
        assert own_hooks(cls) == expected, cls
    assert own_hooks(_Hooked) == ("leave_Call", "visit_Call", "visit_Name")
    assert own_hooks(_HookedAgain) == ("leave_Call", "leave_Name", "visit_Call", "visit_Name")


class _Doubling(cst.CSTTransformer):
    """Puts the module's first statement in a second place too: a node in the tree twice."""

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        return updated_node.with_changes(body=(*updated_node.body, updated_node.body[0]))


class _Nesting(cst.CSTTransformer):
    """Adds, as a statement of its own, an expression kept inside another statement: the
    same subtree twice, once inside a kept statement."""

    def leave_Module(self, original_node: cst.Module, updated_node: cst.Module) -> cst.Module:
        line = next(
            s
            for s in updated_node.body
            if isinstance(s, cst.SimpleStatementLine) and "(" in cst.Module([s]).code
        )
        inner = line.body[0]
        return updated_node.with_changes(
            body=(*updated_node.body, cst.SimpleStatementLine([inner]))
        )


def _walks(monkeypatch) -> list[cst.CSTNode]:  # type: ignore[no-untyped-def]
    """The modules `parents_of` is asked for from now on."""
    from migrator.rules import _traversal

    walked: list[cst.CSTNode] = []
    real = _traversal.parents_of

    def spy(module, kids=None):  # type: ignore[no-untyped-def]
        walked.append(module)
        return real(module, kids)

    monkeypatch.setattr(_traversal, "parents_of", spy)
    return walked


def test_a_transformed_tree_s_parents_come_from_what_changed_as_a_walk_finds_them(monkeypatch):
    from migrator.rules._traversal import registered

    module = cst.parse_module(SYNTAX)
    walked = _walks(monkeypatch)
    with fast_traversal():  # where a transformer keeps what it doesn't change
        assert registered(module) == parents_of(module) and walked == [module]  # a walk
        renamed = module.visit(RenameCalls())  # rebuilds the paths to the calls alone
        assert renamed.body[0] is module.body[0]  # the docstring: kept
        assert registered(renamed) == parents_of(renamed)  # the same parents, in another order
        again = renamed.visit(RenameCalls())
        assert registered(again) == parents_of(again)  # from parents found so in turn
        assert walked == [module]  # no walk of the whole tree but the first
        nested = again.visit(_Nesting())
        assert parents_of(nested) is None and registered(nested) is None
    with fast_traversal():
        registered(again)
        doubled = again.visit(_Doubling())
        assert parents_of(doubled) is None and registered(doubled) is None


def test_a_tree_keeping_nodes_from_elsewhere_gets_its_parents_from_a_walk(monkeypatch):
    from migrator.rules._traversal import registered

    one, other = cst.parse_module(SYNTAX), cst.parse_module("x = 1\n")
    mixed = one.with_changes(body=(*one.body, other.body[0]))
    expected = parents_of(mixed)
    walked = _walks(monkeypatch)
    with fast_traversal():
        registered(one)
        assert registered(other) == parents_of(other)  # no node of `one`: each node made anew
        assert registered(mixed) == expected  # `one`'s statements are not in `other`, the latest
    assert walked == [one, mixed]
