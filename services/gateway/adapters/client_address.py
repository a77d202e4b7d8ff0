"""Who is asking: the connecting address, or the client a trusted proxy says it forwards.

Rate limits, the public's idempotency keys and the sign-in allowance count per client address. Behind a
proxy every request connects from the proxy, so its `X-Forwarded-For` names the client; but anyone can
send that header, so it is read only when the connection comes from an address in
GATEWAY.trusted_proxies (CIDRs), and then from the right: each hop appends the address it saw, so the
first address from the right that is not a trusted proxy is the client. Entries further left were
written by that client and are ignored.
"""
import ipaddress

Network = ipaddress.IPv4Network | ipaddress.IPv6Network
UNKNOWN = "unknown"


def parse_networks(value) -> tuple[Network, ...]:
    """GATEWAY.trusted_proxies: CIDRs or addresses, a list or one comma-separated string; a bad one
    stops the gateway at start (ValueError naming it) rather than trusting something unmeant."""
    items = value if isinstance(value, list | tuple) else str(value or "").replace(",", " ").split()
    networks = []
    for item in items:
        try:
            networks.append(ipaddress.ip_network(str(item).strip(), strict=False))
        except ValueError as exc:
            raise ValueError(f"GATEWAY.trusted_proxies: {item!r} is not an address or CIDR") from exc
    return tuple(networks)


def resolve(remote_addr: str | None, forwarded_for: list[str], trusted: tuple[Network, ...]) -> str:
    """The client's address: `remote_addr` unless it is a trusted proxy, else the rightmost
    untrusted address of the X-Forwarded-For headers (their values in order)."""
    client = remote_addr or UNKNOWN
    if not trusted or not _is_trusted(client, trusted):
        return client
    hops = [hop.strip() for value in forwarded_for for hop in value.split(",") if hop.strip()]
    for hop in reversed(hops):
        address = _address(hop)
        if address is None:
            return client      # not an address: the last hop we trust is all that is known
        client = str(address)
        if not _is_trusted(client, trusted):
            return client
    return client


def of_request(request, trusted: tuple[Network, ...]) -> str:
    return resolve(request.remote_addr, request.headers.getlist("X-Forwarded-For"), trusted)


def _address(text: str):
    if text.startswith("[") and "]" in text:          # [v6]:port
        text = text[1:text.index("]")]
    elif text.count(":") == 1:                        # v4:port
        text = text.split(":", 1)[0]
    try:
        return ipaddress.ip_address(text)
    except ValueError:
        return None


def _is_trusted(address: str, trusted: tuple[Network, ...]) -> bool:
    parsed = _address(address)
    return parsed is not None and any(parsed in network for network in trusted)
