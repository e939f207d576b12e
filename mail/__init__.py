"""Sending mail: the outbox's sender, its transports (SMTP, .eml files) and the templates."""
