"""One config file (config.yaml) with ${NAME:default} environment overrides.

Nameko reads the same file with `nameko run --config`; tools outside the
nameko runtime (the run command, the operator CLI, tests) load it here.
"""
import copy
import os
from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "config.yaml"


_parsed: dict[tuple, dict] = {}


def load_config(path: str | os.PathLike | None = None) -> dict:
    """The config file, its ${VAR:default} values read from the environment: a fresh copy each call,
    parsed again only when the file or the environment changed (parsing costs a tenth of a second)."""
    setup_yaml_parser()
    path = Path(path or os.environ.get("CAREPATH_CONFIG", DEFAULT_PATH))
    key = (str(path.resolve()), path.stat().st_mtime_ns, hash(frozenset(os.environ.items())))
    if key not in _parsed:
        with open(path) as handle:
            _parsed.clear()   # one file and one environment at a time is all a process uses
            _parsed[key] = yaml.safe_load(handle)
    return copy.deepcopy(_parsed[key])


def database_url(config: dict, service: str) -> str:
    """The service's database URL; relative SQLite paths resolve from the project root."""
    url = config["DATABASES"][service]
    prefix = "sqlite:///"
    if url.startswith(prefix) and not url.startswith(prefix + "/") and ":memory:" not in url:
        url = prefix + str(ROOT / url[len(prefix):])
    return url


def section(config: dict, name: str, **defaults) -> dict:
    """A config section with defaults filled in; numbers arrive as numbers."""
    merged = dict(defaults)
    merged.update(config.get(name) or {})
    return merged
