"""The gateway's AUTH section, the proxies it trusts, and the guard against running in the open with the
committed secret."""
import ipaddress
from dataclasses import dataclass

from services.gateway.adapters.client_address import Network, parse_networks
from shared.config import section

# The token secret config.yaml falls back to: fine on a developer's loopback, never anywhere else.
LOCAL_ONLY_SECRET = "change-me-in-production-this-is-only-for-local-runs"


class UnsafeSecret(RuntimeError):
    """The committed token secret is in use on an address others can reach."""


@dataclass(frozen=True)
class Settings:
    token_secret: str
    token_ttl_seconds: int
    # GATEWAY.trusted_proxies: only a connection from these may say whom it forwards (X-Forwarded-For).
    trusted_proxies: tuple[Network, ...] = ()


def parse(config: dict) -> Settings:
    auth = section(config, "AUTH", token_ttl_seconds=900)
    check_secret(auth.get("token_secret") or "", str(config.get("WEB_SERVER_ADDRESS") or ""))
    proxies = parse_networks(section(config, "GATEWAY", trusted_proxies="")["trusted_proxies"])
    return Settings(token_secret=auth["token_secret"], token_ttl_seconds=int(auth["token_ttl_seconds"]),
                    trusted_proxies=proxies)


def check_secret(secret: str, bind_address: str) -> None:
    """Refuse the committed (or a short) secret unless the gateway listens on loopback only."""
    if (secret == LOCAL_ONLY_SECRET or len(secret) < 32) and not is_loopback(bind_address):
        raise UnsafeSecret(
            "AUTH_TOKEN_SECRET is the committed local-only secret (or shorter than 32 characters) and the "
            f"gateway would listen on {bind_address or 'an unknown address'}: set AUTH_TOKEN_SECRET to a "
            "long random value (e.g. `python -c 'import secrets; print(secrets.token_urlsafe(48))'`)")


def is_loopback(bind_address: str) -> bool:
    host = bind_address.rsplit(":", 1)[0].strip("[]") if ":" in bind_address else bind_address
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False
