"""python -m sandboxes.payment_provider --port 8101 --gateway http://127.0.0.1:8000"""
from sandboxes.base import arguments, serve
from sandboxes.payment_provider import app
from shared.config import load_config
from shared.webhooks import split_secrets


def main(argv=None) -> None:
    parser = arguments(app.__doc__, 8101, "webhook signing secret (default: the first configured)")
    args = parser.parse_args(argv)
    secret = args.secret or split_secrets((load_config().get("PAYMENTS") or {}).get("webhook_secrets"))[0]
    serve(app.Sandbox(args.gateway, secret), args.host, args.port,
          f"payment sandbox on http://{args.host}:{args.port}, webhooks to {args.gateway}")


if __name__ == "__main__":
    main()
