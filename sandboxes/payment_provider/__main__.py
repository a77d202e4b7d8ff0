"""python -m sandboxes.payment_provider --port 8101 --gateway http://127.0.0.1:8000"""
from sandboxes.base import arguments, serve
from sandboxes.payment_provider import app
from shared.config import load_config
from shared.webhooks import split_secrets


def main(argv=None) -> None:
    parser = arguments(app.__doc__, 8101, "webhook signing secret (default: the first configured)")
    parser.add_argument("--public-url", help="where payers' browsers reach the checkout pages "
                                             "(default: http://<host>:<port>, 127.0.0.1 for a wildcard host)")
    args = parser.parse_args(argv)
    secret = args.secret or split_secrets((load_config().get("PAYMENTS") or {}).get("webhook_secrets"))[0]
    host = "127.0.0.1" if args.host in ("0.0.0.0", "::") else args.host   # a browser cannot open 0.0.0.0
    public_url = args.public_url or f"http://{host}:{args.port}"
    serve(app.Sandbox(args.gateway, secret, public_url), args.host, args.port,
          f"payment sandbox on http://{args.host}:{args.port}, webhooks to {args.gateway}")


if __name__ == "__main__":
    main()
