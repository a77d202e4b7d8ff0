"""One config file (config.yaml) with ${NAME:default} environment overrides.

Nameko reads the same file with `nameko run --config`; tools outside the
nameko runtime (the run command, the operator CLI, tests) load it here.
"""
import os
from pathlib import Path

import yaml
from nameko.cli.main import setup_yaml_parser

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_PATH = ROOT / "config.yaml"


def load_config(path: str | os.PathLike | None = None) -> dict:
    setup_yaml_parser()
    path = Path(path or os.environ.get("CAREPATH_CONFIG", DEFAULT_PATH))
    with open(path) as handle:
        return yaml.safe_load(handle)


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
