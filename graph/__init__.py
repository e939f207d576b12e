"""The GraphQL runtime around the schema: context, permissions, loaders, errors."""
