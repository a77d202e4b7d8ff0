"""docker-compose.yml is for operators: validated here without a Docker engine."""
import shutil
import subprocess

import pytest
import yaml

from ops.services import SANDBOXES, SERVICES
from shared.config import ROOT


@pytest.fixture
def compose_dir(tmp_path):
    """The compose file with a throwaway .env, as an operator would have it."""
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    names = [line.split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines()
             if line and not line.startswith("#")]
    (tmp_path / ".env").write_text("".join(f"{name}=not-a-real-secret\n" for name in names))
    return tmp_path


def test_the_compose_file_is_valid_for_docker_compose(compose_dir):
    result = subprocess.run(["docker-compose", "--profile", "sandbox", "config", "-q"],
                            cwd=compose_dir, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_process_of_the_system_is_in_the_compose_file_with_a_health_check(compose_dir):
    rendered = subprocess.run(["docker-compose", "--profile", "sandbox", "config"], cwd=compose_dir,
                              capture_output=True, text=True, check=True).stdout
    services = yaml.safe_load(rendered)["services"]
    for spec in SERVICES:
        service = services[spec.name]
        assert spec.path in service["command"]
        assert "healthcheck" in service
        assert service["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
        assert service["environment"][f"{spec.name.upper()}_DATABASE_URL"].endswith(f"/{spec.name}")
    for box in SANDBOXES:
        assert services[box.name]["profiles"] == ["sandbox"]


def test_no_secret_is_written_in_the_compose_file():
    text = (ROOT / "docker-compose.yml").read_text()
    for line in text.splitlines():
        if "PASSWORD" in line or "SECRET" in line or "PASS:" in line:
            assert "${" in line, line
