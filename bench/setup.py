"""The bench's world: a scratch directory, one secret, seeded databases, servers, tokens."""

import json
import secrets
import shutil
import tempfile
from dataclasses import dataclass, field
from pathlib import Path

import httpx

from bench.apps import APP_VARIABLE
from bench.servers import PORTS, Server, start_server

EVENTS_QUERY = (
    "query { events(first: 20) { edges { node { id title tags creator { displayName } } } } }"
)
SIGN_IN = (
    "mutation SignIn($email: String!, $password: String!) "
    "{ signIn(email: $email, password: $password) { accessToken } }"
)
BCRYPT_ROUNDS = 12  # the configured (default) cost


def graphql_body(query: str, variables: dict[str, object] | None = None) -> str:
    return json.dumps({"query": query, "variables": variables or {}})


@dataclass
class Bench:
    directory: Path = field(default_factory=lambda: Path(tempfile.mkdtemp(prefix="planner-bench-")))
    secret: str = field(default_factory=lambda: secrets.token_urlsafe(48))
    servers: list[Server] = field(default_factory=list)
    _next_port: int = PORTS.start
    rate: float = 100.0  # last requests/s seen, to size load runs

    def env(self, database_url: str, app: str = "rest-twin", **extra: str) -> dict[str, str]:
        """`app`: which composition bench/apps.py serves (PLANNER_BENCH_APP)."""
        return {
            "ENVIRONMENT": "development",
            "SECRET_KEY": self.secret,
            "DATABASE_URL": database_url,
            APP_VARIABLE: app,
            "BCRYPT_ROUNDS": str(BCRYPT_ROUNDS),
            "GRAPHIQL": "false",
            **extra,
        }

    def start(
        self, name: str, env: dict[str, str], workers: int = 1, module: str = "bench.serve"
    ) -> Server:
        port, self._next_port = self._next_port, self._next_port + 1
        server = start_server(name, port, env, self.directory, workers, module)
        self.servers.append(server)
        return server

    def stop(self, server: Server) -> None:
        server.stop()
        self.servers.remove(server)

    def close(self) -> None:
        for server in list(self.servers):
            self.stop(server)
        shutil.rmtree(self.directory, ignore_errors=True)


def sign_in(server: Server, email: str, password: str) -> str:
    response = httpx.post(
        f"{server.url}/graphql",
        content=graphql_body(SIGN_IN, {"email": email, "password": password}),
        headers={"Content-Type": "application/json"},
        timeout=30,
    )
    token: str = response.json()["data"]["signIn"]["accessToken"]
    return token


def fetch(server: Server, path: str, token: str | None, body: str | None = None) -> object:
    """One request, to check what the load generator will be hammering."""
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    if body is None:
        response = httpx.get(f"{server.url}{path}", headers=headers, timeout=30)
    else:
        response = httpx.post(f"{server.url}{path}", content=body, headers=headers, timeout=30)
    response.raise_for_status()
    return response.json()
