"""Persistence: SQLModel tables, the async engine and sessions, and queries."""
