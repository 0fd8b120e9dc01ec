"""The YAML loader: safe_load semantics, line numbers, and clear errors for bad input."""

from __future__ import annotations

import pytest

from macros.content.yamlload import MAX_BYTES, load_yaml


def test_records_the_line_of_every_key_path() -> None:
    document, errors = load_yaml("f.yaml", b"id: a\nlist:\n  - x: 1\n    y: 2\n")
    assert errors == []
    assert document is not None
    assert document.data == {"id": "a", "list": [{"x": 1, "y": 2}]}
    assert document.line_of(("list", 0, "y")) == 4
    assert document.line_of(("list", 0, "missing")) == 3


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        (b"id: a\nname: x\nid: b\n", 3, "duplicate key 'id' (first defined on line 1)"),
        (b"id: a\n\tname: x\n", 2, "invalid YAML: found character '\\t'"),
        (b'id: "a\nname: x\n', 1, "invalid YAML: while scanning a quoted scalar, found"),
        (b"id: a\n  name: x\n", 2, "invalid YAML: mapping values are not allowed here"),
        (b"id: !!python/object/apply:os.system ['true']\n", 1, "invalid YAML: could not determine"),
        (b"", 1, "file is empty"),
        (b"id: \xff\xfe\n", 1, "not valid UTF-8"),
    ],
)
def test_bad_yaml_gives_line_and_message(text: bytes, line: int, message: str) -> None:
    document, errors = load_yaml("f.yaml", text)
    assert len(errors) == 1
    assert errors[0].line == line
    assert message in errors[0].message
    assert str(errors[0]).startswith(f"f.yaml:{line}: ")
    if "duplicate" not in message:
        assert document is None


def test_byte_order_mark_is_accepted() -> None:
    document, errors = load_yaml("f.yaml", "\ufeffid: a\n".encode())
    assert errors == []
    assert document is not None
    assert document.data == {"id": "a"}


def test_billion_laughs_is_refused() -> None:
    lines = ['a: &a ["x", "x", "x", "x", "x", "x", "x", "x", "x", "x"]']
    lines += [
        f"{chr(97 + i)}: &{chr(97 + i)} [" + ", ".join([f"*{chr(96 + i)}"] * 10) + "]"
        for i in range(1, 9)
    ]
    document, errors = load_yaml("f.yaml", "\n".join(lines).encode())
    assert document is None
    assert "alias expansion" in errors[0].message


def test_oversized_file_is_refused() -> None:
    document, errors = load_yaml("f.yaml", b"a: " + b"x" * MAX_BYTES)
    assert document is None
    assert "over the" in errors[0].message
