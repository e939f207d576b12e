"""Query limits and caches as schema extensions (OWASP GraphQL Cheat Sheet).

Every limit is checked while parsing or validating, so an over-limit document is
refused before any resolver runs. Each refusal is GRAPHQL_VALIDATION_FAILED.
"""

import re
from collections.abc import Callable, Iterator
from contextlib import suppress
from dataclasses import dataclass
from functools import partial

from graphql import ASTValidationRule, GraphQLError, GraphQLSyntaxError
from strawberry.extensions import (
    AddValidationRules,
    DisableIntrospection,
    MaxAliasesLimiter,
    MaxTokensLimiter,
    ParserCache,
    QueryDepthLimiter,
    SchemaExtension,
    ValidationCache,
)

VALIDATION_FAILED = "GRAPHQL_VALIDATION_FAILED"
# graphql-core's parser says "Document contains more than N tokens. Parsing aborted."
_TOO_MANY_TOKENS = re.compile(r"Document contains more than \d+ tokens")
_SUGGESTION = re.compile(r"\s*Did you mean [^?]*\?")


@dataclass(frozen=True)
class QueryLimits:
    max_depth: int = 10
    max_aliases: int = 15
    max_tokens: int = 2000
    max_body_bytes: int = 1024 * 1024
    max_page_size: int = 100
    # Bounded so that a stream of distinct documents cannot grow memory without end.
    cache_size: int = 256
    introspection: bool = True
    suggestions: bool = True


class ReportingParserCache(ParserCache):
    """ParserCache, except that a document that fails to parse is left to Strawberry's
    own parse. ParserCache parses in `on_parse`, where a syntax error escapes the
    operation's extensions, so it would reach the client without a code."""

    def on_parse(self) -> Iterator[None]:
        execution = self.execution_context
        # On an error the document stays unset: Strawberry parses it again and
        # reports the error like any other.
        with suppress(GraphQLError):
            execution.graphql_document = self.cached_parse_document(
                execution.query, **execution.parse_options
            )
        yield


class TokenLimitCode(SchemaExtension):
    """The parser reports a token-count overrun as a syntax error; clients are told
    it is a limit (GRAPHQL_VALIDATION_FAILED), as for depth and aliases."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        if result is None or not result.errors:
            return
        result.errors = [_as_limit_error(error) for error in result.errors]


def _as_limit_error(error: GraphQLError) -> GraphQLError:
    if not isinstance(error, GraphQLSyntaxError) or not _TOO_MANY_TOKENS.search(error.message):
        return error
    message = error.message.removeprefix("Syntax Error: ")
    return GraphQLError(message, extensions={"code": VALIDATION_FAILED})


class HideSuggestions(SchemaExtension):
    """Drops "Did you mean ...?" from every error, not only unknown fields, so that a
    schema with introspection off cannot be read back through typo suggestions."""

    def on_operation(self) -> Iterator[None]:
        yield
        result = self.execution_context.result
        for error in (result.errors if result is not None else None) or []:
            error.message = _SUGGESTION.sub("", error.message)


ExtensionFactory = Callable[[], SchemaExtension]


def limit_rules(limits: QueryLimits) -> list[type[ASTValidationRule]]:
    """The validation rules, beyond the GraphQL spec's, that `limits` add."""
    rules = [
        *QueryDepthLimiter(max_depth=limits.max_depth).validation_rules,
        *MaxAliasesLimiter(max_alias_count=limits.max_aliases).validation_rules,
    ]
    if not limits.introspection:
        rules += DisableIntrospection().validation_rules
    return rules


def limit_extensions(limits: QueryLimits) -> list[ExtensionFactory]:
    """Factories of the extensions that enforce `limits` (one instance per request;
    the parser and validation caches themselves are shared). List them after the error
    mapping so that they see, and fix up, the errors before it does."""
    # The rule classes are made once, here. QueryDepthLimiter and MaxAliasesLimiter
    # make a new class per instance, and the validation cache is keyed by the rules:
    # built per request, they would make every request a cache miss (and fill the cache).
    rules = limit_rules(limits)
    return [
        partial(ReportingParserCache, maxsize=limits.cache_size),
        partial(ValidationCache, maxsize=limits.cache_size),
        partial(MaxTokensLimiter, max_token_count=limits.max_tokens),
        TokenLimitCode,
        partial(AddValidationRules, rules),
        *([] if limits.suggestions else [HideSuggestions]),
    ]
