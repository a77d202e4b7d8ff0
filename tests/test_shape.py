"""The codebase keeps one shape: every service alike, pure domains, no service importing another."""
import ast
from pathlib import Path

import pytest

from shared.config import ROOT

SERVICES = ROOT / "services"
SHAPE = {"__init__.py", "service.py", "settings.py", "models.py", "domain", "handlers", "adapters",
         "migrations", "tests"}
NOT_IN_A_DOMAIN = ("nameko", "sqlalchemy", "marshmallow", "requests", "kombu", "pika", "eventlet")
NAMES = sorted(p.name for p in SERVICES.iterdir() if p.is_dir() and not p.name.startswith("__"))


def _imports(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.add(node.module)
    return found


def _code(service: str, *, tests: bool = False):
    for path in (SERVICES / service).rglob("*.py"):
        parts = path.relative_to(SERVICES / service).parts
        if "migrations" in parts or (("tests" in parts) != tests):
            continue
        yield path


def test_there_are_nine_services():
    assert NAMES == ["enquiries", "followup", "gateway", "journey", "notifications", "payments",
                     "rehabilitation", "surgery", "travel"]


@pytest.mark.parametrize("service", NAMES)
def test_every_service_folder_lists_the_same_top_level_names(service):
    names = {p.name for p in (SERVICES / service).iterdir() if p.name != "__pycache__"}
    assert names == SHAPE


@pytest.mark.parametrize("service", NAMES)
def test_a_domain_is_plain_python(service):
    for path in (SERVICES / service / "domain").rglob("*.py"):
        impure = {name for name in _imports(path) if name.split(".")[0] in NOT_IN_A_DOMAIN}
        assert not impure, f"{path.relative_to(ROOT)} imports {sorted(impure)}"


@pytest.mark.parametrize("service", NAMES)
def test_no_service_imports_another(service):
    others = tuple(f"services.{name}" for name in NAMES if name != service)
    for path in _code(service):
        crossing = {name for name in _imports(path) if name.startswith(others)}
        assert not crossing, f"{path.relative_to(ROOT)} imports {sorted(crossing)}"


@pytest.mark.parametrize("service", NAMES)
def test_each_service_reads_its_settings_and_the_clock_one_way(service):
    text = (SERVICES / service / "service.py").read_text()
    assert "Settings(parse)" in text
    for path in _code(service):
        source = path.read_text()
        assert "datetime.now(" not in source and "date.today(" not in source, \
            f"{path.relative_to(ROOT)} reads the time itself instead of from the clinic clock"
