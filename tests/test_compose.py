"""docker-compose.yml is for operators: validated here without a Docker engine."""
import shutil
import subprocess

import pytest
import yaml

from ops.services import SANDBOXES, SERVICES
from shared.config import ROOT


def env_names() -> list[str]:
    return [line.split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines()
            if line and not line.startswith("#")]


@pytest.fixture
def compose_dir(tmp_path):
    """The compose file with a throwaway .env, as an operator would have it."""
    shutil.copy(ROOT / "docker-compose.yml", tmp_path)
    shutil.copytree(ROOT / "deploy", tmp_path / "deploy")
    (tmp_path / ".env").write_text("".join(f"{name}=not-a-real-secret\n" for name in env_names()))
    return tmp_path


def rendered(compose_dir) -> dict:
    """Every service as docker-compose resolves it (anchors merged, .env read)."""
    output = subprocess.run(["docker-compose", "--profile", "sandbox", "config"], cwd=compose_dir,
                            capture_output=True, text=True, check=True).stdout
    return yaml.safe_load(output)["services"]


def test_the_compose_file_is_valid_for_docker_compose(compose_dir):
    result = subprocess.run(["docker-compose", "--profile", "sandbox", "config", "-q"],
                            cwd=compose_dir, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


def test_every_process_of_the_system_is_in_the_compose_file_with_a_health_check(compose_dir):
    services = rendered(compose_dir)
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


def test_every_long_running_service_is_restarted_when_it_exits_and_has_a_health_check(compose_dir):
    services = rendered(compose_dir)
    one_shot = {"migrate"}
    assert set(services) >= one_shot | {spec.name for spec in SERVICES + SANDBOXES} | {"rabbitmq", "postgres"}
    for name, service in services.items():
        if name in one_shot:
            assert service["restart"] == "no", name
            continue
        assert service.get("restart") == "unless-stopped", name
        check = service.get("healthcheck", {}).get("test")
        assert check and check[0] in ("CMD", "CMD-SHELL") and len(check) > 1, name
    assert services["migrate"]["depends_on"]["postgres"]["condition"] == "service_healthy"


def test_each_service_checks_its_own_readiness_on_its_own_port(compose_dir):
    services = rendered(compose_dir)
    for spec in SERVICES:
        service = services[spec.name]
        port = service["environment"]["WEB_SERVER_ADDRESS"].rsplit(":", 1)[1]
        assert port == str(spec.port)
        assert f"http://127.0.0.1:{port}/health/ready" in " ".join(service["healthcheck"]["test"]), spec.name
    for box in SANDBOXES:
        service = services[box.name]
        assert f"http://127.0.0.1:{box.port}/health" in " ".join(service["healthcheck"]["test"]), box.name
        assert str(box.port) in service["command"]


def test_services_wait_for_a_healthy_broker_and_database_and_a_finished_migration(compose_dir):
    services = rendered(compose_dir)
    for spec in SERVICES:
        depends = {name: dep["condition"] for name, dep in services[spec.name]["depends_on"].items()}
        assert depends.items() >= {"rabbitmq": "service_healthy", "postgres": "service_healthy",
                                   "migrate": "service_completed_successfully"}.items(), spec.name
    for box in SANDBOXES:
        assert services[box.name]["depends_on"]["gateway"]["condition"] == "service_healthy"


def test_followup_keeps_its_studies_in_orthanc_over_dicomweb_once_the_archive_is_healthy(compose_dir):
    services = rendered(compose_dir)
    followup, orthanc = services["followup"], services["orthanc"]
    assert followup["depends_on"]["orthanc"]["condition"] == "service_healthy"
    assert followup["environment"]["FOLLOWUP_ORTHANC_URL"] == "http://orthanc:8042/dicom-web"
    assert followup["environment"]["FOLLOWUP_ORTHANC_PASSWORD"] == "not-a-real-secret"
    assert orthanc["environment"]["DICOM_WEB_PLUGIN_ENABLED"] == "true"
    assert orthanc["environment"]["ORTHANC__AUTHENTICATION_ENABLED"] == "true"
    assert "healthcheck" in orthanc and orthanc["restart"] == "unless-stopped"


def test_the_gateway_takes_its_token_secret_from_the_env_file_and_has_no_default(compose_dir):
    assert rendered(compose_dir)["gateway"]["environment"]["AUTH_TOKEN_SECRET"] == "not-a-real-secret"
    (compose_dir / ".env").write_text("".join(f"{name}=not-a-real-secret\n" for name in env_names()
                                              if name != "AUTH_TOKEN_SECRET"))
    result = subprocess.run(["docker-compose", "config", "-q"], cwd=compose_dir, capture_output=True,
                            text=True)
    assert result.returncode != 0 and "AUTH_TOKEN_SECRET" in result.stderr
