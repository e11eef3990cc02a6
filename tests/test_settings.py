"""archive/settings.py: the production settings come from the environment, and the variables the
README's deployment section writes into arkiv.env give a clean `manage.py check --deploy`.

Settings are read once per process, so each case runs Django in a subprocess with the
environment it describes."""
import json
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest

PROJECT = Path(__file__).resolve().parents[1]
README = PROJECT / "README.md"

# The heredoc of the README that writes the production environment file.
ENV_FILE_BLOCK = re.compile(r"^sudo tee /srv/arkiv/arkiv\.env >/dev/null <<EOF\n(.*?)^EOF$", re.M | re.S)
# Folders of the production machine, replaced by temporary ones here: settings create some.
MACHINE_PATHS = ("MEDIA_ROOT", "STATIC_ROOT", "ARKIV_IMPORT_DIR")

PRODUCTION_SETTINGS = (
    "DEBUG", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE", "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS", "SECURE_HSTS_INCLUDE_SUBDOMAINS", "SECURE_HSTS_PRELOAD",
    "SECURE_PROXY_SSL_HEADER", "ARKIV_BEHIND_PROXY", "CSRF_TRUSTED_ORIGINS", "ALLOWED_HOSTS",
    "AXES_FAILURE_LIMIT",
)


def documented_production_environment(tmp_path):
    """KEY=value pairs of the README's arkiv.env, with the secret key the README's command would
    make and this machine's temporary folders."""
    block = ENV_FILE_BLOCK.search(README.read_text(encoding="utf-8"))
    assert block, "README.md has no `sudo tee /srv/arkiv/arkiv.env >/dev/null <<EOF` block in its deployment section"
    environment = {}
    for line in block.group(1).splitlines():
        if not line.strip() or line.lstrip().startswith("#"):
            continue
        name, _, value = line.partition("=")
        environment[name.strip()] = value.strip().strip('"')
    assert environment["SECRET_KEY"].startswith("$("), "the README makes the secret key with a command"
    environment["SECRET_KEY"] = secrets.token_urlsafe(50)
    for name in MACHINE_PATHS:
        environment[name] = str(tmp_path / name.lower())
    return environment


def run_django(arguments, environment):
    """`python <arguments>` in the project folder with only `environment` and a PATH."""
    return subprocess.run(
        [sys.executable, *arguments], cwd=PROJECT, capture_output=True, text=True, timeout=120,
        env={"PATH": "/usr/bin:/bin", **environment},
    )


def settings_under(environment, names=PRODUCTION_SETTINGS):
    code = (
        "import json; from django.conf import settings as s; "
        f"print(json.dumps({{name: getattr(s, name) for name in {names!r}}}, default=str))"
    )
    result = run_django(["-c", code], {"DJANGO_SETTINGS_MODULE": "archive.settings", **environment})
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def production(tmp_path):
    return documented_production_environment(tmp_path)


def test_check_deploy_is_clean_under_the_documented_production_variables(production):
    result = run_django(["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production)

    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_check_deploy_warns_of_each_https_setting_left_at_its_demo_default(production):
    """The clean result above is earned: the same check without the HTTPS variables warns."""
    for name in ("SECURE_HSTS_SECONDS", "SECURE_SSL_REDIRECT", "SESSION_COOKIE_SECURE", "CSRF_COOKIE_SECURE"):
        del production[name]

    result = run_django(["manage.py", "check", "--deploy"], production)

    for warning in ("security.W004", "security.W008", "security.W012", "security.W016"):
        assert warning in result.stdout + result.stderr


def test_each_documented_variable_reaches_its_setting(production):
    settings = settings_under(production)

    assert settings["DEBUG"] is False
    assert settings["SESSION_COOKIE_SECURE"] is True
    assert settings["CSRF_COOKIE_SECURE"] is True
    assert settings["SECURE_SSL_REDIRECT"] is True
    assert settings["SECURE_HSTS_SECONDS"] == int(production["SECURE_HSTS_SECONDS"])
    assert settings["SECURE_HSTS_INCLUDE_SUBDOMAINS"] is True
    assert settings["SECURE_HSTS_PRELOAD"] is True
    assert settings["ARKIV_BEHIND_PROXY"] is True
    assert settings["SECURE_PROXY_SSL_HEADER"] == ["HTTP_X_FORWARDED_PROTO", "https"]
    assert settings["ALLOWED_HOSTS"] == production["ALLOWED_HOSTS"].split(",")


def test_the_demo_defaults_work_over_plain_http():
    """`make run` serves http://127.0.0.1:8000: secure cookies or a redirect to https would lock
    the archivist out of the admin there."""
    settings = settings_under({})

    assert settings["SESSION_COOKIE_SECURE"] is False
    assert settings["CSRF_COOKIE_SECURE"] is False
    assert settings["SECURE_SSL_REDIRECT"] is False
    assert settings["SECURE_HSTS_SECONDS"] == 0
    assert settings["SECURE_PROXY_SSL_HEADER"] is None
    assert settings["CSRF_TRUSTED_ORIGINS"] == []


def test_csrf_trusted_origins_and_the_login_limit_are_read_from_the_environment():
    settings = settings_under({
        "CSRF_TRUSTED_ORIGINS": "https://arkiv.example.org, https://admin.example.org",
        "ARKIV_LOGIN_FAILURE_LIMIT": "7",
    })

    assert settings["CSRF_TRUSTED_ORIGINS"] == ["https://arkiv.example.org", "https://admin.example.org"]
    assert settings["AXES_FAILURE_LIMIT"] == 7


def test_a_worker_keeps_its_database_connection_for_conn_max_age_seconds():
    kept = settings_under({}, names=("DATABASES",))["DATABASES"]["default"]
    per_request = settings_under({"CONN_MAX_AGE": "0"}, names=("DATABASES",))["DATABASES"]["default"]

    assert kept["CONN_MAX_AGE"] == 60
    assert kept["CONN_HEALTH_CHECKS"] is True
    assert per_request["CONN_MAX_AGE"] == 0


def test_the_readme_nginx_location_sets_the_file_headers_that_nginx_drops():
    """Behind X-Accel-Redirect nginx keeps only Content-Type, Content-Disposition and the caching
    headers of Django's answer, so the README's /protected-media/ location sets the others again:
    the same ones catalog/delivery/sending.py gives every file."""
    from catalog.delivery.sending import FILE_CSP

    readme = README.read_text(encoding="utf-8")
    location = re.search(r"location /protected-media/ \{(.*?)\}", readme, re.S).group(1)

    assert "internal;" in location
    assert "add_header X-Content-Type-Options nosniff always;" in location
    assert f'add_header Content-Security-Policy "{FILE_CSP}" always;' in location
