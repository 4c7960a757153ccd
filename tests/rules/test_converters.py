from __future__ import annotations

import functools

import pytest

from tests.rules.tools import check_noop, check_todo, check_transformed

RULE = "converters"
check_transformed = functools.partial(check_transformed, rule=RULE)
check_noop = functools.partial(check_noop, rule=RULE)
check_todo = functools.partial(check_todo, rule=RULE)


@pytest.mark.parametrize(
    "source",
    [
        pytest.param(
            "from werkzeug.routing import Rule\n\nclass R(Rule):\n    regex = 'x'\n",
            id="another werkzeug class",
        ),
        pytest.param(
            "class BaseConverter:\n    pass\n\nclass C(BaseConverter):\n    regex = 'x'\n",
            id="local class",
        ),
    ],
)
def test_noop(source):
    check_noop(source)


def test_regex_only_converter_becomes_a_regex_convertor():
    check_transformed(
        """\
        from werkzeug.routing import BaseConverter


        class HexColor(BaseConverter):
            \"\"\"Six hex digits.\"\"\"

            regex = "[0-9a-f]{6}"
        """,
        """\
        from .flask_compat import RegexConvertor


        class HexColor(RegexConvertor):
            \"\"\"Six hex digits.\"\"\"

            regex = "[0-9a-f]{6}"
        """,
    )


@pytest.mark.parametrize(
    ("body", "message"),
    [
        (
            "weight = 50\n    regex = 'x'",
            "a converter with weights, attributes or methods other than __init__, to_python and"
            " to_url has no automatic conversion yet",
        ),
        (
            "def __init__(self, map):\n        super().__init__(map)\n    def __repr__(self):\n"
            "        return 'C'",
            "a converter with weights, attributes or methods other than __init__, to_python and"
            " to_url has no automatic conversion yet",
        ),
        (
            "regex = X",
            "a converter without a literal `regex` has no automatic conversion yet",
        ),
        ("pass", "a converter without a literal `regex` has no automatic conversion yet"),
    ],
)
def test_converters_that_convert_get_a_todo(body, message):
    check_todo(
        f"from werkzeug.routing import BaseConverter\n\n\nclass C(BaseConverter):\n    {body}\n",
        message,
        line=4,
    )


def test_other_bases_get_a_todo():
    check_todo(
        "import werkzeug.routing\n\n\nclass C(Mixin, werkzeug.routing.BaseConverter):\n    regex = 'x'\n",
        "a converter with other bases or class keywords has no automatic conversion yet",
        line=4,
    )


def test_converter_with_to_python_and_to_url():
    check_transformed(
        """\
        from werkzeug.routing import BaseConverter


        class ListConverter(BaseConverter):
            def to_python(self, value):
                return value.split(",")

            def to_url(self, values):
                return ",".join(super().to_url(v) for v in values)
        """,
        """\
        from .flask_compat import WerkzeugConvertor


        class ListConverter(WerkzeugConvertor):
            def to_python(self, value):
                return value.split(",")

            def to_url(self, values):
                return ",".join(super().to_url(v) for v in values)
        """,
    )


def test_converter_raising_werkzeugs_validation_error_gets_a_todo():
    check_todo(
        "from werkzeug.routing import BaseConverter, ValidationError\n\n\n"
        "class C(BaseConverter):\n    def to_python(self, value):\n        raise ValidationError()\n",
        "the converter uses Werkzeug (ValidationError: no match in Werkzeug, an error in"
        " Starlette); no automatic conversion yet",
        line=4,
    )


def test_other_classes_beside_a_converter_stay():
    check_noop("from werkzeug.routing import BaseConverter\n\n\nclass Plain:\n    regex = 'x'\n")


def test_converter_with_an_init_becomes_a_flask_converter():
    check_transformed(
        """\
        from werkzeug.routing import BaseConverter


        class RegexConverter(BaseConverter):
            # Werkzeug passes the map, then the rule's arguments
            def __init__(self, url_map, *items):
                super(RegexConverter, self).__init__(url_map)
                self.regex = items[0]
        """,
        """\
        from .flask_compat import FlaskConverter


        class RegexConverter(FlaskConverter):
            # Werkzeug passes the map, then the rule's arguments
            def __init__(self, url_map, *items):
                super(RegexConverter, self).__init__(url_map)
                self.regex = items[0]
        """,
    )


def test_integer_converter_subclass_becomes_a_flask_integer_converter():
    check_transformed(
        """\
        from werkzeug.routing.converters import IntegerConverter


        class Side(IntegerConverter):
            \"\"\"Not too big.\"\"\"

            def __init__(self, url_map):
                super().__init__(url_map, min=1, max=4000)

            def to_url(self, value):
                return super().to_url(value)
        """,
        """\
        from .flask_compat import FlaskIntegerConverter


        class Side(FlaskIntegerConverter):
            \"\"\"Not too big.\"\"\"

            def __init__(self, url_map):
                super().__init__(url_map, min=1, max=4000)

            def to_url(self, value):
                return super().to_url(value)
        """,
    )


@pytest.mark.parametrize(
    "body",
    [
        pytest.param("regex = '[0-9]{2}'", id="its own regex"),
        pytest.param("def to_python(self, value):\n        return -int(value)", id="to_python"),
    ],
)
def test_integer_converter_with_its_own_regex_or_to_python_gets_a_todo(body):
    check_todo(
        f"from werkzeug.routing import IntegerConverter\n\n\nclass C(IntegerConverter):\n    {body}\n",
        "an IntegerConverter with its own `regex` or `to_python` has no automatic conversion"
        " yet (FlaskIntegerConverter's regex holds Werkzeug's checks)",
        line=4,
    )
