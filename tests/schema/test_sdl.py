"""The exported SDL is current, and agrees with the shared API contract."""

import re
from typing import Any

import pytest
from graphql import GraphQLNamedType, Undefined, ast_from_value, build_schema, print_ast

from main import PROJECT_DIR
from schema import schema

CONTRACT = PROJECT_DIR.parent / "shared" / "api-contract.graphql"
NEXT_CONTRACT = PROJECT_DIR.parent / "shared" / "api-contract-next.graphql"
EXPORTED = PROJECT_DIR / "schema" / "schema.graphql"
# Contract fields marked "[later: <name>]" are required once that work is built.
BUILT = {"token lifecycle"}
# Marks of api-contract-next.graphql ("[planning]", "[live]", "[accounts]") whose
# elements are built, and so checked; the others stay optional until they are.
BUILT_NEXT = {"planning", "accounts", "live"}
# Built marks' elements not built yet (none: issue 14 built inviteByEmail, the last).
WAITING: set[tuple[str, str | None, str | None]] = set()
# The [accounts] comment on SessionKind changes arguments it cannot mark on their own
# lines: these fields take `session: SessionKind = TOKEN`, and these arguments become
# optional (String, no default).
SESSION_FIELDS = ("signUp", "signIn", "refreshToken", "resetPassword")
OPTIONAL_REFRESH_ARGS = {
    ("Mutation", "refreshToken", "refreshToken"),
    ("Mutation", "signOut", "refreshToken"),
}


def _argument_type(type_name: str, field: str, argument: str, contract_type: str) -> str:
    """The type an argument must have: the contract's, unless a built comment changed it."""
    if "accounts" in BUILT_NEXT and (type_name, field, argument) in OPTIONAL_REFRESH_ARGS:
        return contract_type.removesuffix("!")
    return contract_type


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
    # Where the next contract changes an element for a built issue (User.email), it wins.
    overridden = _next_marks(NEXT_CONTRACT.read_text()) if NEXT_CONTRACT.exists() else {}
    for name, contract_type in contract.type_map.items():
        if name.startswith("__"):
            continue
        assert name in ours.type_map, f"type {name} is missing"
        our_type: GraphQLNamedType = ours.type_map[name]
        for field_name, field in getattr(contract_type, "fields", {}).items():
            if overridden.get((name, field_name, None)) in BUILT_NEXT:
                continue
            if (name, field_name) in later and field_name not in our_type.fields:  # type: ignore[attr-defined]
                continue
            assert field_name in our_type.fields, f"{name}.{field_name} is missing"  # type: ignore[attr-defined]
            our_field = our_type.fields[field_name]  # type: ignore[attr-defined]
            assert str(our_field.type) == str(field.type), f"{name}.{field_name} type differs"
            assert same_default(field, our_field), f"default of {name}.{field_name}"
            for arg_name, arg in getattr(field, "args", {}).items():
                assert arg_name in our_field.args, f"{name}.{field_name}({arg_name}) is missing"
                ours_arg = our_field.args[arg_name]
                expected = _argument_type(name, field_name, arg_name, str(arg.type))
                assert str(ours_arg.type) == expected, f"{name}.{field_name}({arg_name})"
                assert same_default(arg, ours_arg), f"default of {name}.{field_name}({arg_name})"


Element = tuple[str, str | None, str | None]  # (type, field or enum value, argument)


def _next_marks(text: str) -> dict[Element, str]:
    """The mark ("planning", "live", "accounts") of each element of the next contract
    that carries one: a type on its opening line (its members inherit it), a field or
    enum value on its own line, an argument as `# name: [mark]` on its field's line."""
    marks: dict[Element, str] = {}
    current = ""
    for line in text.splitlines():
        code, _, comment = line.partition("#")
        opening = re.match(r"\s*(?:type|input|enum)\s+(\w+)", code)
        if opening:
            current = opening.group(1)
            if mark := re.fullmatch(r"\s*\[(\w+)\]\s*", comment):
                marks[(current, None, None)] = mark.group(1)
            continue
        member = re.match(r"\s*(\w+)\s*[(:]", code) or re.match(r"\s*(\w+)\s*$", code)
        if not member or not current:
            continue
        if mark := re.fullmatch(r"\s*\[(\w+)\]\s*", comment):
            marks[(current, member.group(1), None)] = mark.group(1)
        for argument, mark_name in re.findall(r"(\w+): \[(\w+)\]", comment):
            marks[(current, member.group(1), argument)] = mark_name
    return marks


def _mark_of(marks: dict[Element, str], element: Element) -> str | None:
    """An element's own mark, else its field's, else its type's; None: unmarked."""
    type_name, member, _ = element
    for key in (element, (type_name, member, None), (type_name, None, None)):
        if key in marks:
            return marks[key]
    return None


def _required(marks: dict[Element, str], element: Element) -> bool:
    if (element[0], element[1], None) in WAITING:
        return False
    mark = _mark_of(marks, element)
    return mark is None or mark in BUILT_NEXT


@pytest.mark.skipif(not NEXT_CONTRACT.exists(), reason=f"no next contract at {NEXT_CONTRACT}")
def test_schema_has_every_built_element_of_the_next_contract() -> None:
    """Every element of api-contract-next.graphql that is unmarked or carries a built
    mark: types, fields, their types, arguments and defaults, enum values."""
    text = NEXT_CONTRACT.read_text()
    contract, ours, marks = build_schema(text), schema._schema, _next_marks(text)
    checked = 0
    for name, contract_type in contract.type_map.items():
        if name.startswith("__") or not _required(marks, (name, None, None)):
            continue
        assert name in ours.type_map, f"type {name} is missing"
        our_type: Any = ours.type_map[name]
        for value in getattr(contract_type, "values", {}):
            if _required(marks, (name, value, None)):
                assert value in our_type.values, f"{name}.{value} is missing"
                checked += 1
        for field_name, field in getattr(contract_type, "fields", {}).items():
            if not _required(marks, (name, field_name, None)):
                continue
            assert field_name in our_type.fields, f"{name}.{field_name} is missing"
            our_field = our_type.fields[field_name]
            assert str(our_field.type) == str(field.type), f"{name}.{field_name} type differs"
            assert same_default(field, our_field), f"default of {name}.{field_name}"
            checked += 1
            for arg_name, arg in getattr(field, "args", {}).items():
                if not _required(marks, (name, field_name, arg_name)):
                    continue
                assert arg_name in our_field.args, f"{name}.{field_name}({arg_name}) is missing"
                ours_arg = our_field.args[arg_name]
                expected = _argument_type(name, field_name, arg_name, str(arg.type))
                assert str(ours_arg.type) == expected, f"{name}.{field_name}({arg_name})"
                assert same_default(arg, ours_arg), f"default of {name}.{field_name}({arg_name})"
    assert checked > 100  # the file was read, not skipped


@pytest.mark.skipif(not NEXT_CONTRACT.exists(), reason=f"no next contract at {NEXT_CONTRACT}")
def test_sessions_as_the_accounts_comment_says() -> None:
    """`session: SessionKind = TOKEN` on signUp, signIn, refreshToken and resetPassword;
    refreshToken and signOut may omit their refreshToken."""
    assert "enum SessionKind { TOKEN BROWSER }" in NEXT_CONTRACT.read_text()
    mutation = schema._schema.mutation_type
    assert mutation is not None
    for field_name in SESSION_FIELDS:
        argument = mutation.fields[field_name].args["session"]
        assert str(argument.type) == "SessionKind", field_name
        assert our_default(argument) == "TOKEN", field_name
    for _, field_name, arg_name in OPTIONAL_REFRESH_ARGS:
        argument = mutation.fields[field_name].args[arg_name]
        assert str(argument.type) == "String"
        assert our_default(argument) in (None, "null")


def test_next_contract_marks_are_read_as_written() -> None:
    """The mark reader on the shapes the next contract uses."""
    text = """
type Query {
  events(first: Int = 20, orderBy: EventOrder): EventConnection!   # orderBy: [planning]
  myRsvps: RsvpConnection!   # [planning]
}
enum Visibility { PUBLIC PRIVATE }   # [planning]
type Subscription {   # [live]
  eventChanged(id: ID!): EventChange!   # [live]
}
type User {
  email: String   # [planning]
  emailVerified: Boolean   # [accounts]
}
"""
    marks = _next_marks(text)
    assert _mark_of(marks, ("Query", "events", "orderBy")) == "planning"
    assert _mark_of(marks, ("Query", "events", "first")) is None
    assert _mark_of(marks, ("Query", "myRsvps", None)) == "planning"
    assert _mark_of(marks, ("Visibility", "PUBLIC", None)) == "planning"
    assert _mark_of(marks, ("Subscription", None, None)) == "live"
    assert _required(marks, ("Subscription", "eventChanged", None))
    assert _required(marks, ("User", "email", None))
    assert _required(marks, ("User", "emailVerified", None))
