"""requestPasswordReset under target 5's sign-in storm (issue 14): it only enqueues a
mail job (no account lookup, no bcrypt, no SMTP), so it must stay fast while 20
clients keep every core busy with bcrypt.

Target 11 of `make bench`. The server it measures has the mail limits raised (every
request comes from 127.0.0.1, and beyond MAIL_MAX_PER_CLIENT_PER_HOUR a request skips
the insert, which would flatter the number) and no mail sender (RESET_SERVER_ENV).
"""

import time

from bench.results import TargetResult
from bench.seed import PASSWORD, Seeded
from bench.servers import Server
from bench.setup import SIGN_IN, Bench, graphql_body
from bench.stats import median
from bench.wrk import Load, WrkRun, run_wrk

REQUEST_RESET = "mutation($email: String!) { requestPasswordReset(email: $email) }"
GOAL_MS = 20.0
PAUSE_MS = 100  # a paced client, like target 5's events probe
RESET_SERVER_ENV = {
    "MAIL_MAX_PER_ADDRESS_PER_HOUR": "1000000",
    "MAIL_MAX_PER_CLIENT_PER_HOUR": "1000000",
    "MAIL_SENDER": "false",
}


def reset_requests_during_sign_in_storm(
    bench: Bench, server: Server, seeded: Seeded, rounds: int = 2
) -> TargetResult:
    """Median latency of requestPasswordReset (known and unknown addresses alike)
    while 20 clients sign in non-stop."""
    addresses = [*seeded.sign_in_emails, *(f"nobody{i}@example.com" for i in range(20))]
    probe = Load(
        f"{server.url}/graphql",
        "POST",
        tuple(graphql_body(REQUEST_RESET, {"email": email}) for email in addresses),
        pause_ms=PAUSE_MS,
    )
    storm = Load(
        f"{server.url}/graphql",
        "POST",
        tuple(
            graphql_body(SIGN_IN, {"email": email, "password": PASSWORD})
            for email in seeded.sign_in_emails
        ),
    )
    medians: list[float] = []
    p99s: list[float] = []
    for _ in range(rounds):
        background = WrkRun(storm, 20, 13, bench.directory, timeout=30)
        time.sleep(3)  # every sign-in client is inside bcrypt by now
        busy = run_wrk(probe, 1, 8, bench.directory)
        background.result()
        if busy.errors:
            raise RuntimeError(f"requestPasswordReset: {busy.errors} errors")
        medians.append(busy.p50_ms)
        p99s.append(busy.p99_ms)
    measured = median(medians)
    return TargetResult(
        11,
        "Password reset requests under a sign-in storm",
        f"median < {GOAL_MS:.0f} ms",
        f"median {measured:.1f} ms, p99 {median(p99s):.1f} ms",
        measured < GOAL_MS,
        [
            "requestPasswordReset paced at one request per "
            f"{PAUSE_MS} ms, during 20 sign-in clients (target 5's storm)",
        ],
        {"reset median ms": round(measured, 1)},
    )
