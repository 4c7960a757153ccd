from __future__ import annotations

import pkgutil
import re
import sys
from pathlib import Path

import migrator
import migrator.rules
from migrator.rules import RULES, by_name

DOCS = Path(__file__).resolve().parents[1] / "docs" / "rules.md"


def test_every_rule_module_is_registered_once():
    modules = {
        m.name for m in pkgutil.iter_modules(migrator.rules.__path__) if not m.name.startswith("_")
    }
    assert sorted(r.name for r in RULES) == sorted(modules)
    assert len(by_name()) == len(RULES)


def test_every_rule_has_a_description_and_a_docs_section_in_order():
    for rule in RULES:
        assert rule.DESCRIPTION and "\n" not in rule.DESCRIPTION
        assert rule.__module__.endswith(rule.name)
        assert sys.modules[rule.__module__].__doc__, f"{rule.name} has no module docstring"
    sections = re.findall(r"^## (\w+)$", DOCS.read_text("utf-8"), re.MULTILINE)
    assert sections == [r.name for r in RULES]


def test_every_rule_has_one_test_module():
    tests = Path(__file__).parent / "rules"
    assert sorted(p.stem for p in tests.glob("test_*.py")) == sorted(
        f"test_{r.name}" for r in RULES
    )


def test_public_api_is_sorted_and_complete():
    assert migrator.__all__ == sorted(migrator.__all__)
    for name in migrator.__all__:
        assert hasattr(migrator, name)
