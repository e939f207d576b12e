"""Where one worker is in the change log (db/live_changes.py): which changes it has
delivered, so that reading the log again after a gap delivers each change once.

On SQLite a seq is also a commit order (one write transaction at a time), so "after
the highest seq delivered" is exact: the window is 0. On PostgreSQL a seq is taken at
insert, not at commit: a change with a lower seq can commit after one with a higher
seq that was already delivered. So a re-read starts `window` seqs behind the highest
delivered, and skips the seqs already delivered, which the cursor remembers for that
stretch (a transaction that stays uncommitted while `window` later changes are
recorded could still be missed by a re-read; its notification, if heard, is not).
"""


class FeedCursor:
    def __init__(self, window: int) -> None:
        self.window = window
        # The highest seq delivered (or, at start, the highest in the log): None until
        # the log was first read.
        self.high: int | None = None
        # Seqs delivered (or present at start) above `_floor`; what is at or below it
        # was forgotten and counts as delivered (never twice, rather than once more).
        self._seen: set[int] = set()
        self._floor = 0

    @property
    def started(self) -> bool:
        return self.high is not None

    def start(self, high: int, present: list[int]) -> None:
        """The log's highest seq when this worker started following it, and the seqs
        present in the window below it: those committed before the start are not
        delivered (a lower seq still uncommitted then is, when it commits)."""
        self.high = high
        self._seen.update(present)

    def resume_after(self) -> int:
        """Re-read the log from after this seq."""
        return max((self.high or 0) - self.window, 0)

    def fresh(self, seq: int) -> bool:
        """Not delivered yet."""
        if self.window == 0:
            return seq > (self.high or 0)
        return seq > self._floor and seq not in self._seen

    def delivered(self, seq: int) -> None:
        if self.window == 0:
            self.high = max(self.high or 0, seq)
            return
        self._seen.add(seq)
        if self.high is None or seq > self.high:
            self.high = seq
            if min(self._seen) < seq - 3 * self.window:
                # Now and then, not at every change: forget what no re-read reaches.
                self._floor = seq - 2 * self.window
                self._seen = {kept for kept in self._seen if kept > self._floor}
