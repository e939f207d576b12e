"""The change feed's cursor: each seq delivered once, also when a lower seq commits
after a higher one (PostgreSQL) and the log is read again after a gap."""

from db.feed_cursor import FeedCursor


def test_sqlite_follows_the_highest_seq() -> None:
    cursor = FeedCursor(0)
    cursor.start(10, [])
    assert not cursor.fresh(10) and cursor.fresh(11)
    cursor.delivered(11)
    assert cursor.resume_after() == 11
    assert not cursor.fresh(11) and cursor.fresh(12)


def test_postgresql_rereads_a_window_and_skips_what_was_delivered() -> None:
    cursor = FeedCursor(5)
    # At start the log holds 8 and 10 (9 is a transaction still open): 9 is to come.
    cursor.start(10, [8, 10])
    assert [seq for seq in range(1, 13) if cursor.fresh(seq)] == [1, 2, 3, 4, 5, 6, 7, 9, 11, 12]
    for seq in (12, 11):  # heard by notification, in commit order
        cursor.delivered(seq)
    assert cursor.resume_after() == 7
    # The re-read after a gap finds 9 (committed late) and 13: only those are new.
    assert [seq for seq in (8, 9, 10, 11, 12, 13) if cursor.fresh(seq)] == [9, 13]


def test_postgresql_forgets_only_what_no_reread_reaches() -> None:
    cursor = FeedCursor(5)
    cursor.start(0, [])
    for seq in range(1, 100):
        cursor.delivered(seq)
    assert cursor.resume_after() == 94
    assert not any(cursor.fresh(seq) for seq in range(1, 100))
    assert cursor.fresh(100)
