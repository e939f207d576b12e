"""auth/throttle.py's arithmetic: whose failures count together, and how long a locked
client waits. The throttle at work, through the API, is in tests/lifecycle/test_throttle.py."""

from datetime import UTC, datetime, timedelta

from auth.throttle import email_digest, retry_after

NOW = datetime(2030, 1, 31, 18, 0, tzinfo=UTC)
WINDOW = timedelta(minutes=15)


def test_an_email_counts_the_same_in_any_case_and_spacing() -> None:
    assert email_digest(" Ann@Example.COM ") == email_digest("ann@example.com")
    assert email_digest("ann@example.com") != email_digest("bob@example.com")
    assert "ann" not in email_digest("ann@example.com")  # a digest, not the address


def test_the_wait_ends_when_the_oldest_counted_failure_leaves_the_window() -> None:
    # Newest first; with a limit of 3 the third newest is the one that must age out.
    times = [NOW - timedelta(minutes=m) for m in (1, 2, 10, 14)]
    assert retry_after(times, 3, WINDOW, NOW) == 5 * 60


def test_the_wait_is_rounded_up_and_at_least_a_second() -> None:
    assert retry_after([NOW - WINDOW + timedelta(milliseconds=1500)], 1, WINDOW, NOW) == 2
    assert retry_after([NOW - WINDOW], 1, WINDOW, NOW) == 1
