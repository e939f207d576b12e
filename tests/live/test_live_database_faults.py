"""The database goes away under open subscriptions and comes back: the sockets stay
open, delivery pauses, and the same process's listener reconnects by itself.

PostgreSQL only (the app reaches it through tests/tcp_proxy.py, which the test breaks
and repairs); on SQLite the change log is a local file, followed from the last change
each worker reached.
"""

import pytest

from tests.client import GraphQLClient
from tests.live.conftest import http_client
from tests.live.sockets import EVENTS_CHANGED, activate, signed_in_socket
from tests.live.test_database_faults import proxied_server, proxy  # noqa: F401 (fixtures)
from tests.planning.helpers import CREATE, ok
from tests.servers import LiveServer
from tests.tcp_proxy import TcpProxy


@pytest.mark.parametrize("fault", ["refuse", "blackhole"])
async def test_delivery_resumes_after_an_outage_without_a_restart(
    fault: str,
    proxy: TcpProxy,  # noqa: F811
    proxied_server: LiveServer,  # noqa: F811
) -> None:
    async with http_client(proxied_server) as http:
        api = GraphQLClient(http)
        ada = await api.sign_up()
        probe = (await ok(api, CREATE, ada, input={"title": "Probe"}))["createEvent"]["id"]
        async with signed_in_socket(proxied_server, ada.token) as socket:
            await socket.subscribe("all", EVENTS_CHANGED)
            await activate(api, ada, probe, [(socket, "all")])

            proxy.set_mode("refuse" if fault == "refuse" else "blackhole")
            # Writes fail meanwhile (nothing commits, so there is nothing to miss).
            failed = await api.post(CREATE, {"input": {"title": "Lost"}}, token=ada.token)
            assert failed["errors"][0]["extensions"]["code"] == "INTERNAL_SERVER_ERROR"
            proxy.set_mode("forward")

            # The same socket receives changes again once the listener is back.
            await activate(api, ada, probe, [(socket, "all")])
            made = (await ok(api, CREATE, ada, input={"title": "After"}))["createEvent"]["id"]
            change = await socket.change_for("all")
            assert (change["kind"], change["eventId"]) == ("CREATED", made)
        assert proxied_server.running
