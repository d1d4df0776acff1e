"""The deployment files (deploy/) checked as far as this machine allows (no docker, no
kubectl/kubeconform here, nothing downloaded): they parse; every environment variable is a
real setting or one the code reads; every probe path is a route our processes serve; every
container command is a process of bot/processes.py (through bot.ops.serve) or a CLI that
exists; ports, Service selectors and the Rasa StatefulSet's addresses fit together."""
from __future__ import annotations

import ast
import re
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

from bot.settings import PROJECT_ROOT

DEPLOY = PROJECT_ROOT / "deploy"
K8S = DEPLOY / "k8s"
# Variables our code reads that are not WW_* settings, and those of the database/Redis images.
CODE_VARIABLES = {"LOG_LEVEL", "TELEGRAM_BOT_TOKEN"}
RUNTIME_VARIABLES = {"PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "PYTHONWARNINGS",
                     "SQLALCHEMY_SILENCE_UBER_WARNING", "RASA_TELEMETRY_ENABLED", "TF_CPP_MIN_LOG_LEVEL"}
IMAGE_VARIABLES = {"POSTGRES_USER", "POSTGRES_PASSWORD", "POSTGRES_DB", "REDIS_PASSWORD"}
OUR_IMAGE = "welzijnswijzer"
PORTS = {"rasa": 5005, "actions": 5055, "web": 8000}


def setting_names() -> set[str]:
    source = (PROJECT_ROOT / "bot" / "settings.py").read_text(encoding="utf-8")
    return {
        node.value for node in ast.walk(ast.parse(source))
        if isinstance(node, ast.Constant) and isinstance(node.value, str)
        and re.fullmatch(r"WW_[A-Z0-9_]+", node.value)
    }


def k8s_documents() -> list[dict]:
    documents = []
    for path in sorted(K8S.glob("*.yaml")):
        if path.name == "kustomization.yaml":
            continue
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document:
                document["_file"] = path.name
                documents.append(document)
    return documents


def compose() -> dict:
    return yaml.safe_load((DEPLOY / "docker-compose.yml").read_text(encoding="utf-8"))


def pod_specs(documents):
    for document in documents:
        spec = document.get("spec", {})
        if document["kind"] in ("Deployment", "StatefulSet", "Job"):
            yield document, spec["template"]["spec"]
        elif document["kind"] == "CronJob":
            yield document, spec["jobTemplate"]["spec"]["template"]["spec"]


def containers(documents):
    for document, pod in pod_specs(documents):
        for container in pod["containers"]:
            yield document, container


def web_routes():
    from starlette.routing import Match

    from bot.web.app import create_app

    app = create_app()
    routes = app.routes

    def serves(path: str) -> bool:
        scope = {"type": "http", "path": path, "method": "GET", "root_path": "", "headers": [],
                 "query_string": b""}
        return any(route.matches(scope)[0] == Match.FULL for route in routes)

    return serves


def probe_paths_are_served(kind: str, path: str, serves_web) -> bool:
    from bot.web.health import RASA_HEALTH_PATH

    if kind == "web":
        return serves_web(path)
    if kind == "rasa":
        return path in ("/", RASA_HEALTH_PATH)  # Rasa's hello, bot.rasa_server's health route
    if kind == "actions":
        import importlib.util

        source = (Path(importlib.util.find_spec("rasa_sdk").origin).parent / "endpoint.py").read_text()
        return f'@app.get("{path}")' in source
    return False


@pytest.fixture(scope="module")
def documents():
    return k8s_documents()


@pytest.fixture(scope="module")
def serves_web(tmp_path_factory):
    import os

    previous = os.environ.get("WW_VAR_DIR")
    os.environ["WW_VAR_DIR"] = str(tmp_path_factory.mktemp("deploy-var"))
    try:
        yield web_routes()
    finally:
        if previous is None:
            os.environ.pop("WW_VAR_DIR", None)
        else:
            os.environ["WW_VAR_DIR"] = previous


def test_every_file_parses_and_names_its_kind(documents):
    kinds = {(d["kind"], d["metadata"]["name"]) for d in documents}
    for expected in [("Deployment", "web"), ("Deployment", "actions"), ("Deployment", "sender"),
                     ("StatefulSet", "rasa"), ("Service", "rasa"), ("Service", "web"), ("Service", "actions"),
                     ("Job", "welzijnswijzer-setup-db"), ("CronJob", "welzijnswijzer-backup"),
                     ("ConfigMap", "welzijnswijzer-config"), ("Secret", "welzijnswijzer-secrets")]:
        assert expected in kinds
    listed = yaml.safe_load((K8S / "kustomization.yaml").read_text())["resources"]
    assert all((K8S / name).is_file() for name in listed)
    assert "secret.example.yaml" not in listed  # the hosting party brings its own Secret
    assert set(compose()["services"]) == {"postgres", "redis", "setup", "rasa", "actions", "web", "sender"}


def test_every_environment_variable_is_real():
    known = setting_names() | CODE_VARIABLES | RUNTIME_VARIABLES
    used: dict[str, set[str]] = {}
    for document in k8s_documents():
        if document["kind"] == "ConfigMap":
            used.setdefault(document["_file"], set()).update(document["data"])
        if document["kind"] == "Secret":
            used.setdefault(document["_file"], set()).update(document["stringData"])
    for document, container in containers(k8s_documents()):
        used.setdefault(document["_file"], set()).update(e["name"] for e in container.get("env", []))
    for name, service in compose()["services"].items():
        environment = service.get("environment") or {}
        names = set(environment) - {"<<"}
        if service.get("image", "").startswith(OUR_IMAGE):
            used.setdefault(f"compose:{name}", set()).update(names)
        else:
            assert names <= IMAGE_VARIABLES, (name, names)
    example = [line.split("=", 1)[0] for line in (DEPLOY / "env.example").read_text().splitlines()
               if line and not line.startswith("#")]
    used["env.example"] = set(example) - IMAGE_VARIABLES
    dockerfile = (DEPLOY / "Dockerfile").read_text()
    used["Dockerfile"] = set(re.findall(r"^\s*(?:ENV\s+)?([A-Z][A-Z0-9_]+)=", dockerfile, re.M))
    unknown = {where: sorted(names - known) for where, names in used.items() if names - known}
    assert unknown == {}, f"not a setting and not read by our code: {unknown}"
    assert "WW_PROFILE" in used["configmap.yaml"] and "WW_LOG_FORMAT" in used["configmap.yaml"]


def test_every_probe_path_is_a_route_of_its_process(documents, serves_web):
    seen = 0
    for document, container in containers(documents):
        kind = (container.get("args") or [""])[0]
        for probe in ("startupProbe", "readinessProbe", "livenessProbe"):
            if probe in container:
                path = container[probe]["httpGet"]["path"]
                assert probe_paths_are_served(kind, path, serves_web), (document["_file"], probe, path)
                port = container[probe]["httpGet"]["port"]
                assert port in {p["name"] for p in container["ports"]}
                seen += 1
        if kind in PORTS:
            assert [p["containerPort"] for p in container["ports"]] == [PORTS[kind]]
            assert "readinessProbe" in container and "livenessProbe" in container
    assert seen >= 8
    for name, service in compose()["services"].items():
        test = " ".join(service.get("healthcheck", {}).get("test", []))
        for port, path in re.findall(r"http://127\.0\.0\.1:(\d+)(/[^'\"]*)", test):
            kind = service["command"][0]
            assert int(port) == PORTS[kind] and probe_paths_are_served(kind, path, serves_web), (name, path)


def test_the_probes_do_not_take_the_web_app_down_with_rasa(documents):
    """/health is red when Rasa is down; the web pods must stay to say "storing" (113/112)."""
    web = next(c for d, c in containers(documents) if d["metadata"]["name"] == "web")
    assert web["readinessProbe"]["httpGet"]["path"] != "/health"
    assert web["livenessProbe"]["httpGet"]["path"] != "/health"


def test_every_command_is_a_process_of_bot_processes_or_a_real_cli(documents, tmp_path):
    from bot.ops.serve import KINDS

    dockerfile = (DEPLOY / "Dockerfile").read_text()
    assert 'ENTRYPOINT ["python", "-m", "bot.ops.serve"]' in dockerfile
    for source in re.findall(r"^COPY (?!--)(\S+(?: \S+)*) \S+$", dockerfile, re.M):
        for name in source.split():
            assert (PROJECT_ROOT / name).exists(), name
    clis = set()
    for _document, container in containers(documents):
        assert container["image"] == OUR_IMAGE
        if "command" in container:
            clis.add(" ".join(container["command"] + container["args"]))
        else:
            assert container["args"][0] in KINDS
    for name, service in compose()["services"].items():
        if service.get("image", "").startswith(OUR_IMAGE):
            if "entrypoint" in service:
                clis.add(" ".join(service["entrypoint"] + service["command"]))
            else:
                assert service["command"][0] in KINDS, name
    env = {"WW_VAR_DIR": str(tmp_path / "var"), "PATH": "/usr/bin:/bin"}
    for kind in ("web", "actions", "sender"):  # the exact command bot.processes builds
        result = subprocess.run([sys.executable, "-m", "bot.ops.serve", kind, "--dry-run"], cwd=PROJECT_ROOT,
                                env=env, capture_output=True, text=True, timeout=120)
        assert result.returncode == 0, result.stderr
        assert "-m bot." in result.stdout
    for command in clis:  # python -m bot.cli setup-db ..., python -m bot.ops.backup dump/check
        for module, sub in re.findall(r"python -m ([\w.]+) (\w[\w-]*)", command):
            result = subprocess.run([sys.executable, "-m", module, sub, "--help"], cwd=PROJECT_ROOT, env=env,
                                    capture_output=True, text=True, timeout=120)
            assert result.returncode == 0, (command, result.stderr[-500:])


def test_services_select_pods_and_rasa_addresses_fit_the_statefulset(documents):
    workloads = [d for d in documents if d["kind"] in ("Deployment", "StatefulSet")]
    for service in (d for d in documents if d["kind"] == "Service"):
        selector = service["spec"]["selector"].items()
        targets = [w for w in workloads if selector <= w["spec"]["template"]["metadata"]["labels"].items()]
        assert targets, service["metadata"]["name"]
        names = {p["name"] for w in targets for c in w["spec"]["template"]["spec"]["containers"]
                 for p in c.get("ports", [])}
        assert all(p["targetPort"] in names for p in service["spec"]["ports"])
    rasa = next(d for d in documents if d["kind"] == "StatefulSet")
    headless = next(d for d in documents
                    if d["kind"] == "Service" and d["metadata"]["name"] == rasa["spec"]["serviceName"])
    assert headless["spec"]["clusterIP"] == "None"
    config = next(d for d in documents if d["kind"] == "ConfigMap")["data"]
    expected = [f"http://rasa-{i}.{headless['metadata']['name']}:{PORTS['rasa']}"
                for i in range(rasa["spec"]["replicas"])]
    assert config["WW_RASA_URLS"].split(",") == expected
    assert config["WW_ACTION_SERVER_URL"] == f"http://actions:{PORTS['actions']}"


def test_the_settings_accept_the_configmap_with_a_filled_in_secret(documents, monkeypatch, tmp_path):
    from cryptography.fernet import Fernet

    from bot.settings import Settings

    config = next(d for d in documents if d["kind"] == "ConfigMap")["data"]
    secret = {
        "WW_SECRET_KEY": "k" * 40, "WW_FERNET_KEYS": Fernet.generate_key().decode(),
        "WW_DATABASE_URL": "postgresql+psycopg2://ww:pw@db:5432/welzijnswijzer",
        "WW_TRACKER_STORE_URL": "postgresql+psycopg2://rasa:pw@db:5432/rasa",
        "WW_REDIS_URL": "redis://:pw@redis:6379/0", "WW_METRICS_TOKEN": "m" * 20,
    }
    for name, value in {**config, **secret, "WW_VAR_DIR": str(tmp_path)}.items():
        monkeypatch.setenv(name, value)
    settings = Settings.from_env()  # the productie profile: refuses any development default
    assert settings.is_production and settings.log_format == "json" and len(settings.rasa_urls) == 2
    assert settings.action_server_urls == ("http://actions:5055",) * 2


def test_every_container_has_requests_and_limits(documents):
    for document, container in containers(documents):
        resources = container["resources"]
        assert {"cpu", "memory"} <= resources["requests"].keys(), document["_file"]
        assert "memory" in resources["limits"], document["_file"]
