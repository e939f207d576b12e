"""Security logic: passwords, tokens and account use cases. No GraphQL, no HTTP."""
