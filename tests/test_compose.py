"""docker-compose.yml and docker-compose.cluster.yml are for operators: validated without an engine."""
import shutil
import subprocess

import pytest
import yaml

from ops.services import SANDBOXES, SERVICES
from shared.config import ROOT

CLUSTER_FILE = "docker-compose.cluster.yml"
BROKER_NODES = ("rabbitmq-1", "rabbitmq-2", "rabbitmq-3")


def env_names() -> list[str]:
    return [line.split("=")[0] for line in (ROOT / ".env.example").read_text().splitlines()
            if line and not line.startswith("#")]


def operator_folder(folder):
    """The compose files with a throwaway .env, as an operator would have them."""
    shutil.copy(ROOT / "docker-compose.yml", folder)
    shutil.copy(ROOT / CLUSTER_FILE, folder)
    shutil.copytree(ROOT / "deploy", folder / "deploy")
    (folder / ".env").write_text("".join(f"{name}=not-a-real-secret\n" for name in env_names()))
    return folder


@pytest.fixture
def compose_dir(tmp_path):
    return operator_folder(tmp_path)


@pytest.fixture(scope="module")
def cluster_services(tmp_path_factory):
    """The cluster file's services, rendered once for the tests that read it."""
    return rendered(operator_folder(tmp_path_factory.mktemp("cluster")), CLUSTER_FILE)


def rendered(compose_dir, compose_file="docker-compose.yml") -> dict:
    """Every service as docker-compose resolves it (anchors merged, .env read)."""
    output = subprocess.run(["docker-compose", "-f", compose_file, "--profile", "sandbox", "config"],
                            cwd=compose_dir, capture_output=True, text=True, check=True).stdout
    return yaml.safe_load(output)["services"]


@pytest.mark.parametrize("compose_file", ["docker-compose.yml", CLUSTER_FILE])
def test_the_compose_file_is_valid_for_docker_compose(compose_dir, compose_file):
    result = subprocess.run(["docker-compose", "-f", compose_file, "--profile", "sandbox", "config", "-q"],
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


@pytest.mark.parametrize("compose_file", ["docker-compose.yml", CLUSTER_FILE])
def test_no_secret_is_written_in_the_compose_file(compose_file):
    text = (ROOT / compose_file).read_text()
    for line in text.splitlines():
        if "PASSWORD" in line or "SECRET" in line or "PASS:" in line or "COOKIE:" in line:
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


def test_the_cluster_runs_two_replicas_of_every_service_each_with_its_own_health_check(cluster_services):
    services = cluster_services
    for spec in SERVICES:
        assert spec.name not in services, spec.name
        for replica in (f"{spec.name}-1", f"{spec.name}-2"):
            service = services[replica]
            assert spec.path in service["command"] and service["restart"] == "unless-stopped"
            assert f"http://127.0.0.1:{spec.port}/health/ready" in " ".join(service["healthcheck"]["test"])
            depends = {name: dep["condition"] for name, dep in service["depends_on"].items()}
            assert depends.items() >= {**{node: "service_healthy" for node in BROKER_NODES},
                                       "postgres": "service_healthy",
                                       "migrate": "service_completed_successfully"}.items(), replica
            assert "ports" not in service, f"{replica} is reached through the proxy or the broker only"


def test_every_service_is_given_all_three_broker_nodes_to_fail_over_between(cluster_services):
    services = cluster_services
    for name, service in services.items():
        if "AMQP_URI" in service.get("environment", {}):
            uris = service["environment"]["AMQP_URI"].split(";")
            assert [uri.split("@")[1] for uri in uris] == [f"{node}:5672/" for node in BROKER_NODES], name


def test_the_three_broker_nodes_share_one_cookie_and_find_each_other_by_name(cluster_services):
    services = cluster_services
    peers = (ROOT / "deploy" / "rabbitmq-cluster.conf").read_text()
    for node in BROKER_NODES:
        broker = services[node]
        assert broker["hostname"] == node and f"= rabbit@{node}" in peers
        assert broker["environment"]["RABBITMQ_ERLANG_COOKIE"] == "not-a-real-secret"
        assert "/var/lib/rabbitmq/.erlang.cookie" in " ".join(broker["entrypoint"])
        assert "deploy/rabbitmq-cluster.conf" in " ".join(str(volume) for volume in broker["volumes"])
    assert "peer_discovery_backend = classic_config" in peers
    for later in BROKER_NODES[1:]:   # the first starts alone; the others join it
        assert services[later]["depends_on"]["rabbitmq-1"]["condition"] == "service_healthy"


def test_the_gateway_is_reached_only_through_a_proxy_that_says_whom_it_forwards(cluster_services):
    services = cluster_services
    proxy = services["proxy"]
    assert [port["target"] for port in proxy["ports"]] == [8080]
    conf = (ROOT / "deploy" / "nginx-cluster.conf").read_text()
    assert "server gateway-1:8000" in conf and "server gateway-2:8000" in conf
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in conf   # replaced, never appended
    trusted = services["gateway-1"]["environment"]["GATEWAY_TRUSTED_PROXIES"]
    assert trusted == f"{proxy['networks']['carepath']['ipv4_address']}/32"
    for box in SANDBOXES:
        assert "http://proxy:8080" in services[box.name]["command"]
