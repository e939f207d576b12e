"""The exported SDL is current, and agrees with the shared API contract."""

import re
from typing import Any

import pytest
from graphql import GraphQLNamedType, Undefined, ast_from_value, build_schema, print_ast

from main import PROJECT_DIR
from schema import schema

CONTRACT = PROJECT_DIR.parent / "shared" / "api-contract.graphql"
EXPORTED = PROJECT_DIR / "schema" / "schema.graphql"
# Contract fields marked "[later: <name>]" are required once that work is built.
BUILT = {"token lifecycle"}


def test_exported_schema_is_up_to_date() -> None:
    assert EXPORTED.read_text() == schema.as_str() + "\n", (
        "schema/schema.graphql is stale: run `make schema` and review the diff"
    )


def written_default(node: Any) -> str | None:
    """A contract default as written (build_schema keeps it only in the AST)."""
    ast = getattr(node, "ast_node", None)
    value = getattr(ast, "default_value", None)
    return None if value is None else print_ast(value)


def our_default(node: Any) -> str | None:
    value = getattr(node, "default_value", Undefined)
    if value is Undefined:
        return None
    ast = ast_from_value(value, node.type)
    return None if ast is None else print_ast(ast)


def same_default(contract: Any, ours: Any) -> bool:
    """Equal defaults; where the contract writes none, ours may only be null."""
    written = written_default(contract)
    if written is None:
        return our_default(ours) in (None, "null")
    return written == our_default(ours)


def _later_fields(text: str) -> set[tuple[str, str]]:
    """(type, field) pairs the contract marks as belonging to a later issue."""
    later, current = set(), ""
    for line in text.splitlines():
        if match := re.match(r"\s*(?:type|input)\s+(\w+)", line):
            current = match.group(1)
            continue
        mark = re.search(r"\[later: ([^\]]+)\]", line)
        field = re.match(r"\s*(\w+)", line)
        if mark and field and mark.group(1) not in BUILT:
            later.add((current, field.group(1)))
    return later


@pytest.mark.skipif(not CONTRACT.exists(), reason=f"no shared contract at {CONTRACT}")
def test_schema_has_every_name_and_shape_of_the_contract() -> None:
    text = CONTRACT.read_text()
    contract = build_schema(text)
    ours = schema._schema
    later = _later_fields(text)
    for name, contract_type in contract.type_map.items():
        if name.startswith("__"):
            continue
        assert name in ours.type_map, f"type {name} is missing"
        our_type: GraphQLNamedType = ours.type_map[name]
        for field_name, field in getattr(contract_type, "fields", {}).items():
            if (name, field_name) in later and field_name not in our_type.fields:  # type: ignore[attr-defined]
                continue
            assert field_name in our_type.fields, f"{name}.{field_name} is missing"  # type: ignore[attr-defined]
            our_field = our_type.fields[field_name]  # type: ignore[attr-defined]
            assert str(our_field.type) == str(field.type), f"{name}.{field_name} type differs"
            assert same_default(field, our_field), f"default of {name}.{field_name}"
            for arg_name, arg in getattr(field, "args", {}).items():
                assert arg_name in our_field.args, f"{name}.{field_name}({arg_name}) is missing"
                ours_arg = our_field.args[arg_name]
                assert str(ours_arg.type) == str(arg.type), f"{name}.{field_name}({arg_name})"
                assert same_default(arg, ours_arg), f"default of {name}.{field_name}({arg_name})"
