"""archive/csp.py and the CSP settings: the public site runs no script and applies no style that
is not a file of its own; the admin may also use inline styles (Django's own templates and
widgets write some), never inline script. Browsers' own verdicts: tests/browser/test_csp.py."""
import re
from http import HTTPStatus
from pathlib import Path

import pytest
from django.urls import reverse

from archive.csp import ADMIN_ALLOWANCES
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db

CATALOG = Path(__file__).resolve().parents[1] / "catalog"

# What a policy must never allow on the public site.
UNSAFE = ("'unsafe-inline'", "'unsafe-eval'", "data:", "*")

# Markup that a CSP without 'unsafe-inline' refuses: style attributes, <style> elements, event
# handler attributes, javascript: URLs and <script> elements that run (a data block such as
# JSON-LD never runs, so no policy applies to it).
INLINE = re.compile(
    r"""\sstyle\s*=|<style\b|\son[a-z]+\s*=|javascript:|<script(?![^>]*\bsrc=)(?![^>]*type="application/ld\+json")""",
    re.IGNORECASE,
)


def policy(response):
    header = response.headers["Content-Security-Policy"]
    return {
        directive.split()[0]: directive.split()[1:]
        for directive in (part.strip() for part in header.split(";")) if directive
    }


def test_public_pages_take_script_and_style_only_from_the_site(client):
    item = ItemFactory(status="published")
    for url in ("/", "/items/", item.get_absolute_url(), "/collections/"):
        response = client.get(url)
        assert response.status_code == HTTPStatus.OK, url

        directives = policy(response)
        assert directives["default-src"] == ["'self'"]
        assert directives["script-src"] == ["'self'"]
        assert directives["style-src"] == ["'self'"]
        assert directives["object-src"] == ["'none'"]
        assert directives["base-uri"] == ["'none'"]
        assert directives["frame-ancestors"] == ["'none'"]
        assert directives["form-action"] == ["'self'"]
        assert not {value for values in directives.values() for value in values} & set(UNSAFE), url


def test_the_oai_endpoint_and_error_pages_carry_the_policy_too(client):
    for url, status in (("/oai?verb=Identify", HTTPStatus.OK), ("/no-such-page/", HTTPStatus.NOT_FOUND)):
        response = client.get(url)
        assert response.status_code == status
        assert policy(response)["script-src"] == ["'self'"]


def test_the_admin_may_use_inline_styles_but_never_inline_script(admin_client):
    for url in (reverse("admin:index"), reverse("admin:catalog_item_changelist"), reverse("admin:catalog_item_add")):
        response = admin_client.get(url)
        assert response.status_code == HTTPStatus.OK, url

        directives = policy(response)
        assert directives["style-src"] == ["'self'", "'unsafe-inline'"]
        assert directives["script-src"] == ["'self'"]


def test_the_admin_login_page_has_the_admins_policy(client):
    response = client.get(reverse("admin:login"))

    assert policy(response)["style-src"] == ["'self'", "'unsafe-inline'"]


def test_admin_allowances_add_nothing_to_scripts():
    assert not {"script-src", "script-src-elem", "script-src-attr", "default-src"} & set(ADMIN_ALLOWANCES)


@pytest.mark.parametrize(
    "path", sorted((CATALOG / "templates").rglob("*.html")),
    ids=lambda path: str(path.relative_to(CATALOG)),
)
def test_no_template_of_ours_holds_inline_style_or_script(path):
    found = INLINE.findall(path.read_text(encoding="utf-8"))

    assert not found, f"{path.relative_to(CATALOG)}: move {found} into catalog/static/catalog/"
