"""Which client a sign-in comes from: trusted proxies and the gateway's vouching."""

from __future__ import annotations

import pytest

from synthstudio_libs.auth.clients import (
    ClientVouching,
    client_address,
    parse_trusted_proxies,
    peer_host,
)
from synthstudio_libs.errors import InvalidInput


def test_forwarded_for_is_believed_only_from_a_trusted_proxy():
    proxies = parse_trusted_proxies("10.0.0.0/8, 192.168.1.7")
    assert client_address("203.0.113.9", "198.51.100.1", proxies) == "203.0.113.9"
    assert client_address("10.1.2.3", "198.51.100.1", proxies) == "198.51.100.1"
    # The client wrote the leftmost entry itself; the nearest untrusted hop is the client.
    forged = "1.1.1.1, 198.51.100.1, 192.168.1.7"
    assert client_address("10.1.2.3", forged, proxies) == "198.51.100.1"
    assert client_address("10.1.2.3", "", proxies) == "10.1.2.3"
    assert client_address("10.1.2.3", "198.51.100.1", ()) == "10.1.2.3"


def test_a_malformed_trusted_proxy_names_the_setting():
    with pytest.raises(InvalidInput, match="SYNTHSTUDIO_TRUSTED_PROXIES: 'nonsense'"):
        parse_trusted_proxies("10.0.0.1, nonsense")


def test_a_vouched_client_is_believed_and_a_forged_one_is_not():
    gateway, service = ClientVouching("shared secret"), ClientVouching("shared secret")
    vouched = dict(gateway.metadata("198.51.100.1"))
    assert service.client_of(vouched, "ipv4:127.0.0.1:5000") == "198.51.100.1"
    forged = {**vouched, "x-synthstudio-client": "198.51.100.2"}
    assert service.client_of(forged, "ipv4:127.0.0.1:5000") == "127.0.0.1"
    other_key = dict(ClientVouching("another secret").metadata("198.51.100.3"))
    assert service.client_of(other_key, "ipv6:[::1]:5000") == "::1"


def test_peer_strings_become_addresses():
    assert peer_host("ipv4:10.0.0.1:443") == "10.0.0.1"
    assert peer_host("ipv6:[2001:db8::1]:443") == "2001:db8::1"
