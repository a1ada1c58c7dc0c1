"""deploy/docker-compose.yml without a Docker engine: the Compose Specification's JSON schema
(vendored from check-jsonschema, Apache-2.0, tests/deploy/LICENSE.compose-spec), plus what
the schema cannot know: files it names exist, each service's environment is what our
settings (settings/) and deploy/endpoints.yml read, and nginx balances the services that exist."""

from __future__ import annotations

import json
import re
from pathlib import Path

import jsonschema_rs
import pytest
import yaml

from settings import environment_variables

ROOT = Path(__file__).resolve().parents[2]
DEPLOY = ROOT / "deploy"
COMPOSE = DEPLOY / "docker-compose.yml"
INTERPOLATION = re.compile(r"\$\{([A-Z0-9_]+)(?::?[-?+][^}]*)?\}")


def compose_text() -> str:
    return COMPOSE.read_text()


def interpolated(text: str) -> str:
    """What `docker compose config` does first: substitute ${VAR}, ${VAR:-default}, ${VAR:?err}."""

    def value(match: re.Match[str]) -> str:
        spec = match.group(0)
        if ":-" in spec:
            return spec.split(":-", 1)[1].rstrip("}")
        return f"value-of-{match.group(1).lower()}"

    return INTERPOLATION.sub(value, text)


@pytest.fixture(scope="module")
def compose() -> dict:
    return yaml.safe_load(interpolated(compose_text()))


def test_the_compose_file_matches_the_compose_specification(compose):
    schema = json.loads((Path(__file__).parent / "compose-spec.schema.json").read_text())
    validator = jsonschema_rs.validator_for(schema)
    errors = [f"{'/'.join(map(str, e.instance_path))}: {e.message}" for e in validator.iter_errors(compose)]
    assert errors == []


def test_the_schema_check_can_fail():
    schema = json.loads((Path(__file__).parent / "compose-spec.schema.json").read_text())
    broken = {"services": {"web": {"image": "x", "deploy": {"replicas": "two"}, "restart": ["always"]}}}
    assert not jsonschema_rs.validator_for(schema).is_valid(broken)


def test_every_required_secret_is_asked_for_not_written_down():
    text = compose_text()
    for secret in (
        "POSTGRES_PASSWORD",
        "RABBITMQ_PASSWORD",
        "LINE_CHANNEL_SECRET",
        "LINE_CHANNEL_ACCESS_TOKEN",
        "CONSOLE_SECRET_KEY",
        "RASA_AUTH_TOKEN",
        "ACTION_SERVER_TOKEN",
    ):
        assert re.search(r"\$\{" + secret + r":\?", text), f"{secret} must be required from the environment"
    assert not re.search(r"(PASSWORD|SECRET|TOKEN)\w*:\s+['\"]?[A-Za-z0-9]{8,}", text)


def test_the_topology_has_every_part(compose):
    services = compose["services"]
    assert {"postgres", "redis", "rabbitmq", "rasa", "actions", "web", "worker", "lb", "proxy", "migrate"} <= set(
        services
    )
    for scaled in ("rasa", "actions", "web", "worker"):
        assert int(services[scaled]["deploy"]["replicas"]) >= 2
    assert [p for p in services["proxy"]["ports"]], "one public entry point"
    assert all("ports" not in s for name, s in services.items() if name != "proxy")


def test_files_the_compose_file_names_exist(compose):
    for name, service in compose["services"].items():
        build = service.get("build")
        if build:
            context = (DEPLOY / build["context"]).resolve()
            assert (context / build["dockerfile"]).is_file(), name
            for line in (context / build["dockerfile"]).read_text().splitlines():
                if line.startswith("COPY "):
                    source = line.split()[1]
                    if source != "models/idee.tar.gz":  # built by `make train`
                        assert (context / source).exists(), f"{name}: {source}"
        for volume in service.get("volumes", []):
            source = volume.split(":")[0]
            if source.startswith("."):
                assert (DEPLOY / source).is_file(), f"{name}: {source}"


def test_app_services_set_only_variables_our_settings_read(compose):
    known = environment_variables()
    services = compose["services"]
    for name in ("web", "worker", "actions", "migrate"):
        env = services[name]["environment"]
        assert set(env) <= known, (name, set(env) - known)
    for name in ("web", "worker"):
        assert services[name]["environment"]["INTAKE_BROKER_URL"].startswith("amqp://")


def test_rasa_gets_every_variable_its_endpoints_file_reads(compose):
    endpoints = (DEPLOY / "endpoints.yml").read_text()
    code = "\n".join(line.split("#")[0] for line in endpoints.splitlines())
    needed = set(re.findall(r"\$\{([A-Z0-9_]+)\}", code))
    assert needed >= {"TRACKER_DB_HOST", "REDIS_HOST", "ACTION_ENDPOINT_URL"}
    env = compose["services"]["rasa"]["environment"]
    assert needed <= set(env), needed - set(env)
    parsed = yaml.safe_load(endpoints)
    assert parsed["tracker_store"]["type"] == "SQL" and parsed["tracker_store"]["dialect"] == "postgresql"
    assert parsed["lock_store"]["type"] == "redis"


def test_nginx_balances_services_that_exist_and_the_gateway_uses_it(compose):
    conf = (DEPLOY / "nginx.conf").read_text() + (DEPLOY / "nginx-internal.conf").read_text()
    upstreams = dict(re.findall(r"upstream (\w+) \{ server (\w+):\d+; \}", conf))
    assert set(upstreams) == {"web", "rasa", "actions"}
    assert set(upstreams.values()) <= set(compose["services"])
    env = compose["services"]["worker"]["environment"]
    assert env["RASA_URL"].startswith("http://lb:5005")
    assert compose["services"]["rasa"]["environment"]["ACTION_ENDPOINT_URL"].startswith("http://lb:5055")


def test_only_the_web_app_is_exposed(compose):
    """The public proxy serves only the web app; Rasa and the action servers are balanced on
    the internal network, which has no published port and no route out."""
    public = (DEPLOY / "nginx.conf").read_text()
    assert re.findall(r"listen (\S+);", public) == ["80"]
    assert re.findall(r"proxy_pass http://(\w+);", public) == ["web"]
    services, networks = compose["services"], compose["networks"]
    assert networks["backend"]["internal"] is True
    for name in ("rasa", "actions", "lb", "postgres", "redis", "rabbitmq"):
        assert services[name]["networks"] == ["backend"], name
    assert "backend" not in services["proxy"]["networks"]


def test_rasa_and_the_action_server_need_their_tokens(compose):
    rasa = compose["services"]["rasa"]
    argv = rasa["command"]
    assert argv[argv.index("--auth-token") + 1] == "value-of-rasa_auth_token"
    assert rasa["environment"]["ACTION_ENDPOINT_URL"].endswith("?token=value-of-action_server_token")
    actions = compose["services"]["actions"]
    assert actions["command"][:3] == ["python", "-m", "web.security.action_server"]
    assert actions["environment"]["ACTION_SERVER_TOKEN"] == "value-of-action_server_token"
    for name in ("web", "worker"):
        assert compose["services"][name]["environment"]["RASA_AUTH_TOKEN"] == "value-of-rasa_auth_token"


def test_forwarded_addresses_are_trusted_only_from_the_proxy(compose):
    web = compose["services"]["web"]["command"]
    allowed = web[web.index("--forwarded-allow-ips") + 1]
    proxy_ip = compose["services"]["proxy"]["networks"]["edge"]["ipv4_address"]
    assert allowed == proxy_ip != "*"
    public = (DEPLOY / "nginx.conf").read_text()
    assert "proxy_set_header X-Forwarded-For $remote_addr;" in public
    assert "$proxy_add_x_forwarded_for" not in public  # never append to what the client sent
