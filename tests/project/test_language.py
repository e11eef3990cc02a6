"""archive/language.py: which language a request is answered in."""
import re
from http import HTTPStatus

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from catalog.models import Preference
from tests.factories import ItemFactory

pytestmark = pytest.mark.django_db


def language_of(response):
    return response["Content-Language"]


@pytest.mark.parametrize("accept, expected", [
    ("nb-NO,nb;q=0.9,en;q=0.5", "nb"),
    ("no", "nb"),                      # Norwegian, as many Norwegian browsers ask
    ("nn-NO,nn;q=0.9", "nb"),          # Nynorsk readers read Bokmål before English
    ("en-GB,en;q=0.9,nb;q=0.8", "en"),
    ("de-DE,fr;q=0.8", "en"),          # none Arkiv has: LANGUAGE_CODE
    ("", "en"),
])
def test_the_browsers_languages_choose_at_first(client, accept, expected):
    assert language_of(client.get("/", HTTP_ACCEPT_LANGUAGE=accept)) == expected


def test_the_switcher_choice_is_remembered_over_the_browsers(client):
    response = client.post(reverse("set_language"), {"language": "nb", "next": "/items/"}, HTTP_ACCEPT_LANGUAGE="en")

    assert response.status_code == HTTPStatus.FOUND and response["Location"] == "/items/"
    assert language_of(client.get("/items/", HTTP_ACCEPT_LANGUAGE="en")) == "nb"


def test_a_language_parameter_asks_for_that_language_and_is_remembered(client):
    assert language_of(client.get("/?lang=nb", HTTP_ACCEPT_LANGUAGE="en")) == "nb"
    assert language_of(client.get("/items/", HTTP_ACCEPT_LANGUAGE="en")) == "nb"
    assert language_of(client.get("/items/?lang=xx-unknown", HTTP_ACCEPT_LANGUAGE="en")) == "nb"


def test_a_signed_in_archivists_preference_follows_them(django_user_model):
    user = django_user_model.objects.create_user("kari", password="pw-for-test", is_staff=True)
    Preference.objects.create(user=user, language="nb")
    client = Client(HTTP_ACCEPT_LANGUAGE="en")
    client.post(reverse("admin:login"), {"username": "kari", "password": "pw-for-test"})

    assert language_of(client.get(reverse("admin:index"))) == "nb"


def test_pages_say_they_vary_by_language(client):
    response = client.get("/")

    assert {"Accept-Language", "Cookie"} <= {part.strip() for part in response["Vary"].split(",")}


def test_the_oai_endpoint_answers_alike_in_every_language(client):
    ItemFactory(status="published")

    def answer(accept, url):
        body = client.get(url, HTTP_ACCEPT_LANGUAGE=accept).content.decode()
        return re.sub(r"<responseDate>[^<]*</responseDate>", "", body)

    for query in ("verb=Identify", "verb=ListRecords&metadataPrefix=oai_dc", "verb=ListSets",
                  "verb=ListRecords&metadataPrefix=oai_dc&set=Nope", "verb=Nonsense"):
        assert answer("nb", f"/oai?{query}") == answer("en", f"/oai?{query}")


def test_languages_are_those_with_a_translation_file():
    assert [code for code, _ in settings.LANGUAGES][:1] == ["en"]
    assert ("nb", "norsk bokmål") in settings.LANGUAGES
