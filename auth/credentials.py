"""Rules for emails and passwords (OWASP ASVS: 8..256 characters, no truncation,
no composition rules)."""

from email_validator import EmailNotValidError, validate_email

from db.errors import InvalidInput

MIN_PASSWORD_LENGTH = 8
MAX_PASSWORD_LENGTH = 256
MAX_EMAIL_LENGTH = 254


def normalize_email(email: str) -> str:
    """Trimmed and lower-cased, so lookups and the unique index ignore case."""
    return email.strip().lower()


def check_email(email: str, field: str = "email") -> str:
    normalized = normalize_email(email)
    if len(normalized) > MAX_EMAIL_LENGTH:
        raise InvalidInput(field, "Email is too long")
    try:
        validate_email(normalized, check_deliverability=False)
    except EmailNotValidError as error:
        raise InvalidInput(field, "Invalid email address") from error
    return normalized


def check_password(password: str, field: str = "password") -> str:
    if len(password) < MIN_PASSWORD_LENGTH:
        raise InvalidInput(
            field, f"Password must be at least {MIN_PASSWORD_LENGTH} characters long"
        )
    if len(password) > MAX_PASSWORD_LENGTH:
        raise InvalidInput(field, f"Password must be at most {MAX_PASSWORD_LENGTH} characters long")
    return password
