"""python -m sandboxes.travel_agency --port 8102 --gateway http://127.0.0.1:8000 [switches]"""
from sandboxes.base import arguments, serve
from sandboxes.travel_agency import app
from sandboxes.travel_agency.orders import Switches
from shared.config import load_config
from shared.webhooks import split_secrets

DEFAULT_SECRET = "travel_local_sandbox_secret"
DEFAULT_API_SECRET = "travel_local_sandbox_api_secret"
FLAGS = ("duplicates", "reorder", "refuse-book", "refuse-change", "refuse-cancel")


def configured_secret() -> str:
    """The first of TRAVEL.webhook_secrets (the one the gateway lists first during a rotation)."""
    configured = split_secrets((load_config().get("TRAVEL") or {}).get("webhook_secrets"))
    return configured[0] if configured else DEFAULT_SECRET


def configured_api_secrets() -> tuple[str, ...]:
    """TRAVEL.agency_api_secret: what travel signs its requests with."""
    configured = split_secrets((load_config().get("TRAVEL") or {}).get("agency_api_secret"))
    return configured or (DEFAULT_API_SECRET,)


def main(argv=None) -> None:
    parser = arguments(app.__doc__, 8102, "webhook signing secret (default: the first configured)")
    for flag in FLAGS:
        parser.add_argument(f"--{flag}", action="store_true")
    parser.add_argument("--delay-seconds", type=float, default=0.0)
    parser.add_argument("--schedule-change-days", type=int, default=0)
    parser.add_argument("--api-secret", help="the secret clients sign requests with (default: configured)")
    args = parser.parse_args(argv)
    secret = args.secret or configured_secret()
    switches = Switches()
    switches.update({k: v for k, v in vars(args).items()
                     if k not in ("host", "port", "gateway", "secret", "api_secret")})
    api_secrets = (args.api_secret,) if args.api_secret else configured_api_secrets()
    serve(app.SandboxAgency(args.gateway, secret, switches, api_secrets), args.host, args.port,
          f"travel agency sandbox on http://{args.host}:{args.port}, webhooks to {args.gateway}")


if __name__ == "__main__":
    main()
