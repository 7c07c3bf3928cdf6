"""Which Host names the server answers (DNS rebinding: a page of another site whose name now
points at 127.0.0.1 must not read the store)."""

from __future__ import annotations

from collections.abc import Iterable

from rasd.api.errors import error_response
from rasd.api.limits import ASGIApp, Receive, Scope, Send

LOOPBACK_NAMES = ("127.0.0.1", "localhost", "::1")


class HostCheck:
    """Answers only requests whose Host header names this server (DNS rebinding: a page of
    another site whose name now points at 127.0.0.1 must not read the store)."""

    def __init__(self, app: ASGIApp, allowed: Iterable[str]) -> None:
        self.app = app
        self.allowed = {h.lower().strip("[]") for h in allowed}

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or "*" in self.allowed:
            await self.app(scope, receive, send)
            return
        host = ""
        for key, value in scope.get("headers", []):
            if key == b"host":
                host = value.decode("latin-1").lower()
                break
        name = (host.rsplit(":", 1)[0] if not host.endswith("]") else host).strip("[]")
        if name not in self.allowed and not _ip_literal(name):
            response = error_response(421, "bad_host",
                                      f"this server does not answer for host "
                                      f"{host or '(none)'}; see rasd serve --allow-host")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)


def _ip_literal(name: str) -> bool:
    """An address, not a name: no DNS answer stands between it and the server, so it cannot
    be rebound (a LAN client of a server bound to 0.0.0.0 uses one)."""
    import ipaddress

    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def serve_hosts(bound: str, extra: Iterable[str] = ()) -> list[str]:
    """The Host names ``rasd serve`` answers: the bound address, the loopback names when it
    is one, and ``--allow-host`` values; any IP address literal is answered too (it cannot be
    rebound). Bound to every interface (0.0.0.0, ::) it answers the machine's name too."""
    import socket

    hosts = [bound, *extra]
    if bound in LOOPBACK_NAMES or bound.startswith("127."):
        hosts += LOOPBACK_NAMES
    if bound in ("0.0.0.0", "::"):
        hosts += [*LOOPBACK_NAMES, socket.gethostname(), socket.getfqdn()]
    return hosts
