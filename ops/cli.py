"""carepath: the operator CLI (`python -m ops <command>`)."""
import argparse
import getpass
import json
import os
import sys

from ops.services import SERVICES
from shared.config import database_url, load_config


def _store(args, config, service):
    from sqlalchemy import MetaData

    from shared.db import Store
    from shared.tables import add_kernel_tables
    url = args.database_url or database_url(config, service)
    return Store(url, add_kernel_tables(MetaData()))


def cmd_run(args, config):
    from ops.run import main
    return main()


def cmd_migrate(args, config):
    from ops.queues import ConsumersAttached, migrate
    from ops.run import prepare, service_classes
    try:   # queues an earlier release declared classic become quorum queues first, messages kept
        migrate(config["AMQP_URI"], [cls for _, cls in service_classes()])
    except ConsumersAttached as exc:
        print(f"not migrated: {exc}", file=sys.stderr)
        return 1
    for spec, _ in prepare(config):
        print(f"migrated {spec.name}")
    return 0


def cmd_create_user(args, config):
    from services.gateway.handlers.accounts import create_user
    from services.gateway.models import kernel
    from shared.db import Store
    from shared.errors import CarepathError
    password = os.environ.get("CAREPATH_NEW_PASSWORD") or getpass.getpass("Password: ")
    store = Store(args.database_url or database_url(config, "gateway"), kernel)
    try:
        with store.session() as session:
            create_user(session, args.username, password, args.role)
    except CarepathError as exc:
        print(f"not created: {exc.message}", file=sys.stderr)
        return 1
    print(f"created {args.username} ({args.role})")
    return 0


def cmd_dead_letters(args, config):
    from ops import deadletters as ops_dl
    from shared import deadletters
    services = [args.service] if args.service else [s.name for s in SERVICES]
    code = 0
    for service in services:
        store = _store(args, config, service)
        try:
            if args.action == "list":
                for letter in deadletters.list_letters(store, None if args.all else deadletters.PARKED):
                    print(f"{service} {ops_dl.describe(letter)}")
            elif args.action == "show":
                letter = deadletters.get_letter(store, args.id)
                print(json.dumps(letter, default=str, indent=2) if letter else f"no dead letter {args.id}")
            elif args.action == "replay":
                ops_dl.replay(store, args.amqp_uri or config["AMQP_URI"], args.id)
                print(f"replayed {service} dead letter {args.id}")
            elif args.action == "discard":
                done = ops_dl.discard(store, args.id)
                print(f"discarded {service} dead letter {args.id}" if done else "not parked; nothing done")
        except (LookupError, ValueError) as exc:
            print(str(exc), file=sys.stderr)
            code = 1
        finally:
            store.dispose()
    return code


def cmd_migrate_queues(args, config):
    from ops.queues import ConsumersAttached, migrate
    from ops.run import service_classes
    classes = [cls for spec, cls in service_classes() if not args.service or spec.name == args.service]
    if not classes:
        print(f"no service {args.service}", file=sys.stderr)
        return 2
    try:
        migrated = migrate(args.amqp_uri or config["AMQP_URI"], classes)
    except ConsumersAttached as exc:
        print(f"not migrated: {exc}", file=sys.stderr)
        return 1
    print(f"{migrated} queue(s) migrated to quorum queues; the others already were")
    return 0


def cmd_health(args, config):
    import requests
    ok = True
    for spec in SERVICES:
        try:
            response = requests.get(f"http://127.0.0.1:{spec.port}/health/ready", timeout=3)
            status = response.json().get("status", response.status_code)
        except Exception as exc:  # a down service is a line in the report, not a crash
            status = f"unreachable ({type(exc).__name__})"
        ok = ok and status == "ready"
        print(f"{spec.name:15} {status}")
    return 0 if ok else 1


def cmd_rebuild_projections(args, config):
    from tqdm import tqdm

    from services.journey import models
    from services.journey.handlers.projection import rebuild
    from shared.db import Store
    store = Store(args.database_url or database_url(config, "journey"), models.kernel)
    try:
        result = rebuild(store, progress=lambda journeys: tqdm(journeys, unit="journey"))
    finally:
        store.dispose()
    print(f"rebuilt the journey projection: {result['journeys']} journeys from {result['events']} events")
    return 0


def cmd_verify_access_log(args, config):
    from services.gateway.handlers.audit import verify
    from services.gateway.models import kernel
    from shared.db import Store
    store = Store(args.database_url or database_url(config, "gateway"), kernel)
    try:
        report = verify(store.session)
    finally:
        store.dispose()
    for finding in report["findings"]:
        print(finding["message"])
    print(f"access log: {report['entries']} entries read up to entry {report['last_id']}, "
          + ("intact" if report["intact"] else f"{len(report['findings'])} problems found"))
    return 0 if report["intact"] else 1


def cmd_tail(args, config):
    from ops.tail import tail
    return tail(args.amqp_uri or config["AMQP_URI"], journey=args.journey, event_type=args.type)


def cmd_demo(args, config):
    from ops.demo import run
    return run(config, patients=args.patients, gateway=args.gateway)


def cmd_seed(args, config):
    from ops.seed import seed
    seed(config, {name: database_url(config, name) for name in ("enquiries", "journey", "notifications")},
         args.journeys)
    return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="carepath", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("run", help="migrate and start every service").set_defaults(func=cmd_run)
    sub.add_parser("migrate", help="migrate every database, declare queues").set_defaults(func=cmd_migrate)
    user = sub.add_parser("create-user", help="create a staff user (password from prompt "
                                               "or CAREPATH_NEW_PASSWORD)")
    user.add_argument("username")
    user.add_argument("--role", required=True)
    user.add_argument("--database-url")
    user.set_defaults(func=cmd_create_user)
    dl = sub.add_parser("dead-letters", help="list, show, replay or discard parked messages")
    dl.add_argument("action", choices=["list", "show", "replay", "discard"])
    dl.add_argument("id", nargs="?", type=int)
    dl.add_argument("--service", help="one service (default: all)")
    dl.add_argument("--all", action="store_true", help="list resolved letters too")
    dl.add_argument("--database-url", help="override the service's database URL")
    dl.add_argument("--amqp-uri", help="override AMQP_URI")
    dl.set_defaults(func=cmd_dead_letters)
    queues = sub.add_parser("migrate-queues", help="move classic handler and delay queues to quorum "
                                                   "queues, keeping every message (stop the services first)")
    queues.add_argument("--service", help="one service (default: all)")
    queues.add_argument("--amqp-uri", help="override AMQP_URI")
    queues.set_defaults(func=cmd_migrate_queues)
    sub.add_parser("health", help="readiness of every service").set_defaults(func=cmd_health)
    rebuild = sub.add_parser("rebuild-projections",
                             help="rebuild the journey timeline and board from the stored event history")
    rebuild.add_argument("--database-url", help="override the journey database URL")
    rebuild.set_defaults(func=cmd_rebuild_projections)
    verify = sub.add_parser("verify-access-log", help="check the access log's hash chain; names every "
                                                      "altered or missing entry (exit 1 if any)")
    verify.add_argument("--database-url", help="override the gateway database URL")
    verify.set_defaults(func=cmd_verify_access_log)
    tail = sub.add_parser("tail", help="print the live event stream")
    tail.add_argument("--journey")
    tail.add_argument("--type")
    tail.add_argument("--amqp-uri")
    tail.set_defaults(func=cmd_tail)
    demo = sub.add_parser("demo", help="drive sample patients through the whole journey (after `make run`)")
    demo.add_argument("--patients", type=int, default=1, choices=range(1, 101), metavar="N",
                      help="how many sample patients, one after another (default 1, at most 100)")
    demo.add_argument("--gateway", default="http://127.0.0.1:8000", help="the running gateway's URL")
    demo.set_defaults(func=cmd_demo)
    seeding = sub.add_parser("seed", help="make journeys with their histories through the services' own use "
                                           "cases, in their databases (after `ops migrate`)")
    seeding.add_argument("--journeys", type=int, default=10_000)
    seeding.set_defaults(func=cmd_seed)
    return parser


def main(argv=None) -> int:
    args = build_parser().parse_args(argv)
    if getattr(args, "action", None) in ("show", "replay", "discard") and args.id is None:
        print("give the dead letter's id", file=sys.stderr)
        return 2
    if getattr(args, "action", None) in ("replay", "discard", "show") and not args.service:
        print("give --service for show, replay and discard", file=sys.stderr)
        return 2
    return args.func(args, load_config())
