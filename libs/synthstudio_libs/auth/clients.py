"""Which client a call comes from, for per-client limits on the calls anyone may make (sign-in,
refresh, logout).

Every REST call reaches a service from the gateway's address, so the services cannot limit by
peer alone: the gateway names the client it saw in metadata and vouches for it with an HMAC
under a key derived from the shared token secret. A service believes that name only with a
valid MAC; any other caller is limited by its own peer address. In front of the gateway,
X-Forwarded-For is believed only from the proxies the settings trust.
"""

from __future__ import annotations

import hashlib
import hmac
import ipaddress
from collections.abc import Mapping

from synthstudio_libs.errors import InvalidInput

CLIENT_KEY = "x-synthstudio-client"
CLIENT_MAC_KEY = "x-synthstudio-client-mac"
_KEY_LABEL = b"synthstudio forwarded client v1"

Network = ipaddress.IPv4Network | ipaddress.IPv6Network


def parse_trusted_proxies(value: str) -> tuple[Network, ...]:
    """The networks of `SYNTHSTUDIO_TRUSTED_PROXIES` (addresses or CIDR ranges, commas)."""
    networks = []
    for item in (part.strip() for part in value.split(",")):
        if not item:
            continue
        try:
            networks.append(ipaddress.ip_network(item, strict=False))
        except ValueError:
            raise InvalidInput(
                f"SYNTHSTUDIO_TRUSTED_PROXIES: '{item}' is not an address or CIDR range",
                field="trusted_proxies",
            ) from None
    return tuple(networks)


def _trusted(address: str, proxies: tuple[Network, ...]) -> bool:
    try:
        ip = ipaddress.ip_address(address)
    except ValueError:
        return False
    return any(ip in network for network in proxies)


def client_address(peer: str, forwarded_for: str, proxies: tuple[Network, ...]) -> str:
    """The client's address: the peer, unless the peer is a trusted proxy; then the nearest
    X-Forwarded-For entry that is not itself a trusted proxy (entries further left were
    written by the client and prove nothing)."""
    if not _trusted(peer, proxies) or not forwarded_for:
        return peer
    hops = [hop.strip() for hop in forwarded_for.split(",") if hop.strip()]
    for hop in reversed(hops):
        if not _trusted(hop, proxies):
            return hop[:64]
    return hops[0][:64] if hops else peer


def peer_host(peer: str) -> str:
    """The address of a gRPC peer string (`ipv4:1.2.3.4:5678`, `ipv6:[::1]:5678`)."""
    address = peer.partition(":")[2] if peer.startswith(("ipv4:", "ipv6:")) else peer
    return address.rsplit(":", 1)[0].strip("[]")


class ClientVouching:
    """Signs the client's address at the gateway and checks that signature at a service."""

    def __init__(self, token_secret: str) -> None:
        self._key = hmac.new(token_secret.encode(), _KEY_LABEL, hashlib.sha256).digest()

    def _mac(self, client: str) -> str:
        return hmac.new(self._key, client.encode(), hashlib.sha256).hexdigest()

    def metadata(self, client: str) -> tuple[tuple[str, str], ...]:
        return ((CLIENT_KEY, client), (CLIENT_MAC_KEY, self._mac(client)))

    def client_of(self, metadata: Mapping[str, str], peer: str) -> str:
        """The vouched-for client of a call, else the address of its peer."""
        client = metadata.get(CLIENT_KEY, "")
        mac = metadata.get(CLIENT_MAC_KEY, "")
        if client and mac and hmac.compare_digest(mac, self._mac(client)):
            return client
        return peer_host(peer)
