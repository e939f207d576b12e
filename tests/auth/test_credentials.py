import pytest

from auth.credentials import check_email, check_password
from db.errors import InvalidInput


def test_emails_are_trimmed_and_lower_cased() -> None:
    assert check_email("  Ada@Example.COM ") == "ada@example.com"


@pytest.mark.parametrize(
    "email", ["", "ada", "ada@", "@example.com", "a b@example.com", "a@" + "x" * 250 + ".com"]
)
def test_invalid_emails(email: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_email(email)
    assert raised.value.field == "email"


@pytest.mark.parametrize("password", ["", "1234567", "x" * 257])
def test_password_length_rules(password: str) -> None:
    with pytest.raises(InvalidInput) as raised:
        check_password(password)
    assert raised.value.field == "password"


def test_passwords_are_kept_as_given() -> None:
    assert check_password("  spaces kept  ") == "  spaces kept  "
