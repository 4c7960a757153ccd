"""The engine's guarantees: untriggered rules don't traverse, an unchanged tree's metadata is
resolved once for the rules that follow."""

from __future__ import annotations

import libcst as cst
import pytest
from libcst.metadata import MetadataWrapper, ParentNodeProvider

from migrator import migrate_source
from migrator.rules import by_name

APP = (
    "from flask import Flask, jsonify\n\napp = Flask(__name__)\n\n\n"
    "@app.route('/')\ndef index():\n    return jsonify(ok=True)\n"
)


def test_a_rule_whose_trigger_is_absent_does_not_traverse(monkeypatch: pytest.MonkeyPatch):
    ran: list[str] = []
    for rule in by_name().values():
        original = rule.transform_module_impl

        def spy(self, tree, original=original):  # type: ignore[no-untyped-def]
            ran.append(self.name)
            return original(self, tree)

        monkeypatch.setattr(rule, "transform_module_impl", spy)
    migrate_source(APP)
    assert "abort_errors" not in ran and "send_file" not in ran
    assert "jsonify" in ran and "app_object" in ran


def test_metadata_is_resolved_once_while_rules_change_nothing(monkeypatch: pytest.MonkeyPatch):
    import migrator.rules._base as base

    wrappers: list[MetadataWrapper] = []
    original = base._wrapper

    def counting(tree: cst.Module, fast: bool) -> MetadataWrapper:
        wrappers.append(original(tree, fast))
        return wrappers[-1]

    monkeypatch.setattr(base, "_wrapper", counting)
    # every rule triggers on this text, none has anything to change in it
    code = "import flask\n# jsonify request Response .route( abort redirect url_for\nx = flask\n"
    result = migrate_source(code)
    assert result.code == code
    # url_rules, first, returns a tree equal to its input (no change); it and the eleven
    # triggered rules after it share one wrapper: one, not twelve
    assert len(wrappers) == 1


def test_a_tree_is_wrapped_as_it_is_unless_a_node_is_in_it_twice():
    from migrator.rules._base import _wrapper

    tree = cst.parse_module("x = 1\ny = 2\n")
    assert _wrapper(tree, fast=True).module is tree  # no copy
    twice = tree.with_changes(body=(*tree.body, tree.body[0]))
    copied = _wrapper(twice, fast=True).module
    assert copied is not twice and copied.code == twice.code
    assert copied.body[0] is not copied.body[2]  # metadata can tell the two apart
    assert copied.body[1] is twice.body[1]  # only the node found twice is copied
    # LibCST's constructors share their default nodes: two `a.b` made share one `Dot`
    dotted = cst.parse_module("").with_changes(
        body=[
            cst.SimpleStatementLine([cst.Expr(cst.Attribute(cst.Name(n), cst.Name("b")))])
            for n in "ac"
        ]
    )
    wrapped = _wrapper(dotted, fast=True)
    dots = [line.body[0].value.dot for line in wrapped.module.body]  # type: ignore[attr-defined]
    assert dots[0] is not dots[1] and wrapped.module.code == dotted.code == "a.b\nc.b"
    assert wrapped.resolve(ParentNodeProvider)[dots[1]] is wrapped.module.body[1].body[0].value  # type: ignore[attr-defined]
    assert _wrapper(tree, fast=False).module is not tree  # the plain engine: LibCST's copy


def test_unchanged_output_is_the_input_tree():
    rule = by_name()["abort_errors"]
    from libcst.codemod import CodemodContext

    from migrator.rules._base import FileInfo

    tree = cst.parse_module("import flask\nx = 1\n")
    instance = rule(CodemodContext(), FileInfo())
    result = instance.transform_module(tree)
    assert instance.shared is not None and result is instance.shared.wrapper.module
    again = rule(CodemodContext(), FileInfo())
    again.shared = instance.shared
    assert again.transform_module(result) is result


def _nodes(module: cst.Module) -> list[cst.CSTNode]:
    found: list[cst.CSTNode] = []

    class Walk(cst.CSTVisitor):
        def on_visit(self, node: cst.CSTNode) -> bool:
            found.append(node)
            return True

    module.visit(Walk())
    return found


def test_primed_parents_and_qualified_names_are_libcsts():
    from libcst.metadata import ParentNodeProvider, QualifiedNameProvider

    from migrator.rules._base import prime
    from tests.golden import SAMPLE

    code = (SAMPLE / "app.py").read_text("utf-8")
    theirs, ours = MetadataWrapper(cst.parse_module(code)), MetadataWrapper(cst.parse_module(code))
    prime(ours)
    expected = theirs.resolve_many([ParentNodeProvider, QualifiedNameProvider])
    got = ours.resolve_many([ParentNodeProvider, QualifiedNameProvider])
    pairs = list(zip(_nodes(theirs.module), _nodes(ours.module), strict=True))
    index = {id(mine): position for position, (_, mine) in enumerate(pairs)}
    index_theirs = {id(node): position for position, (node, _) in enumerate(pairs)}
    for their, mine in pairs:
        names = expected[QualifiedNameProvider][their]
        names = names() if callable(names) else names
        my_names = got[QualifiedNameProvider][mine]
        my_names = my_names() if callable(my_names) else my_names
        assert names == my_names
        if their is not theirs.module:
            assert (
                index_theirs[id(expected[ParentNodeProvider][their])]
                == index[id(got[ParentNodeProvider][mine])]
            )
    assert len(got[QualifiedNameProvider]) == len(pairs) == len(list(got[QualifiedNameProvider]))
    assert len(got[ParentNodeProvider]) == len(pairs) - 1
    stranger = cst.Name("x")
    assert got[QualifiedNameProvider].get(stranger) is None
    assert got[ParentNodeProvider].get(stranger) is None


def test_threads_migrating_at_once_get_what_one_thread_gets():
    """Each thread's fast traversal keeps its own registry (a `ContextVar`): one thread ending
    its migration must not take another's pruning records away mid-walk."""
    from concurrent.futures import ThreadPoolExecutor

    from tests.golden import SAMPLE

    files = [p for p in sorted(SAMPLE.rglob("*.py")) if "flask" in p.read_text("utf-8")]
    texts = [(str(p), p.read_text("utf-8")) for p in files] * 3
    expected = [migrate_source(text, filename=name) for name, text in texts]
    with ThreadPoolExecutor(4) as pool:
        got = list(pool.map(lambda item: migrate_source(item[1], filename=item[0]), texts))
    assert [r.code for r in got] == [r.code for r in expected]
    assert [r.findings for r in got] == [r.findings for r in expected]
    assert sum(r.changed for r in got) >= 3 * 6


def test_a_file_the_project_scans_parsed_is_not_parsed_again(tmp_path, monkeypatch):
    from migrator.project import scan_endpoints
    from migrator.rules import _static

    path = tmp_path / "app.py"
    path.write_text(
        APP.replace("jsonify(ok=True)", "url_for('index')").replace("jsonify", "url_for")
    )
    endpoints = scan_endpoints([path])  # parses the file (url_for: the scan has work)
    assert endpoints.routes
    _static._BY_TEXT.clear()
    expected = migrate_source(path.read_text(), endpoints=endpoints)  # from a parse of its own
    _static.parse_file.cache_clear()
    assert scan_endpoints([path]) == endpoints
    parses: list[str] = []
    original = cst.parse_module

    def counting(source, *args, **kwargs):  # type: ignore[no-untyped-def]
        parses.append(source)
        return original(source, *args, **kwargs)

    monkeypatch.setattr(cst, "parse_module", counting)
    result = migrate_source(path.read_text(), endpoints=endpoints)
    assert result == expected and result.changed
    assert path.read_text() not in parses  # the scan's tree, not a parse of its own
    changed = path.read_text().replace("'/'", "'/x'")
    migrate_source(changed, endpoints=endpoints)
    assert changed in parses  # another text: parsed
