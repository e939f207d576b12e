"""Every element of the schema is described: GraphiQL's docs are the API's manual."""

from graphql import (
    GraphQLEnumType,
    GraphQLInputObjectType,
    GraphQLInterfaceType,
    GraphQLNamedType,
    GraphQLObjectType,
    GraphQLSchema,
    is_specified_directive,
    is_specified_scalar_type,
)
from graphql import build_schema as schema_from_sdl

from schema import schema


def _undescribed_members(named: GraphQLNamedType) -> list[str]:
    missing: list[str] = []
    if isinstance(named, GraphQLObjectType | GraphQLInterfaceType):
        for field_name, field in named.fields.items():
            if not field.description:
                missing.append(f"field {named.name}.{field_name}")
            missing.extend(
                f"argument {named.name}.{field_name}({arg_name})"
                for arg_name, arg in field.args.items()
                if not arg.description
            )
    if isinstance(named, GraphQLInputObjectType):
        missing.extend(
            f"input field {named.name}.{field_name}"
            for field_name, field in named.fields.items()
            if not field.description
        )
    if isinstance(named, GraphQLEnumType):
        missing.extend(
            f"enum value {named.name}.{value_name}"
            for value_name, value in named.values.items()
            if not value.description
        )
    return missing


def undescribed(schema: GraphQLSchema) -> list[str]:
    """Every type, field, argument, input field, enum value and directive of ours that
    has no description; introspection types and the built-in scalars are GraphQL's."""
    missing: list[str] = []
    for name, named in schema.type_map.items():
        if name.startswith("__") or is_specified_scalar_type(named):
            continue
        if not named.description:
            missing.append(f"type {name}")
        missing.extend(_undescribed_members(named))
    for directive in schema.directives:
        if is_specified_directive(directive):
            continue
        if not directive.description:
            missing.append(f"directive @{directive.name}")
        missing.extend(
            f"argument @{directive.name}({arg_name})"
            for arg_name, arg in directive.args.items()
            if not arg.description
        )
    return missing


def test_every_schema_element_has_a_description() -> None:
    missing = undescribed(schema._schema)
    assert not missing, "no description for:\n" + "\n".join(missing)


def test_an_undescribed_element_is_named() -> None:
    # The walk itself finds what it should, so the test above can fail.
    sdl = """
        "Described."
        type Query {
          "Described."
          plain(first: Int): Kind
        }
        enum Kind { A }
    """
    assert undescribed(schema_from_sdl(sdl)) == [
        "argument Query.plain(first)",
        "type Kind",
        "enum value Kind.A",
    ]
