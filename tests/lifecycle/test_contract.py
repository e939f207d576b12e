"""The token lifecycle fields of ../shared/api-contract.graphql, as clients expect them."""

from pathlib import Path

import pytest
from graphql import GraphQLField, build_schema

from main import PROJECT_DIR
from schema import schema

CONTRACT = PROJECT_DIR.parent / "shared" / "api-contract.graphql"
LIFECYCLE = {
    "Mutation": ["refreshToken", "signOut", "signOutEverywhere", "changePassword", "deleteAccount"],
    "AuthPayload": ["refreshToken", "refreshExpiresIn"],
}


def signature(field: GraphQLField) -> tuple[str, dict[str, str]]:
    return str(field.type), {name: str(arg.type) for name, arg in field.args.items()}


def test_lifecycle_fields_match_the_contract():
    if not CONTRACT.exists():
        pytest.skip(f"no shared contract at {CONTRACT}")
    contract = build_schema(CONTRACT.read_text())
    ours = build_schema(schema.as_str())
    for type_name, fields in LIFECYCLE.items():
        for name in fields:
            wanted = contract.type_map[type_name].fields[name]  # type: ignore[attr-defined]
            have = ours.type_map[type_name].fields[name]  # type: ignore[attr-defined]
            assert signature(have) == signature(wanted), f"{type_name}.{name}"
            assert have.description, f"{type_name}.{name} needs a description"


def test_exported_sdl_is_current():
    exported = (Path(PROJECT_DIR) / "schema" / "schema.graphql").read_text()
    assert exported == schema.as_str() + "\n", "run `make schema`"
