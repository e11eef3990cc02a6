"""The README's "Harvesting Arkiv" stays true: its sample URLs, curl requests and Sickle code are
run against the demo catalogue, and must answer with records, not errors."""
import contextlib
import io
import re
import shlex
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import pytest
from django.core.management import call_command
from lxml import etree

from tests.oai.support import errors, request, xpath

README = Path(__file__).resolve().parents[2] / "README.md"
SECTION = re.search(r"^## Harvesting Arkiv\n(.*?)^## ", README.read_text(encoding="utf-8"), re.S | re.M).group(1)
DEMO_OAI = "http://127.0.0.1:8000/oai"


def blocks(language):
    return re.findall(rf"^```{language}\n(.*?)^```", SECTION, re.S | re.M)


def sample_urls():
    return [line for line in blocks("").pop(0).splitlines() if line.startswith(DEMO_OAI)]


def curl_requests():
    """The arguments of each curl line (-d name=value), leaving out the one that needs a token."""
    found = []
    for line in blocks("sh")[0].splitlines():
        if not line.startswith("curl") or "resumptionToken" in line:
            continue
        words = shlex.split(line)
        found.append(dict(words[i + 1].split("=", 1) for i, word in enumerate(words) if word == "-d"))
    return found


@pytest.fixture
def demo(db):
    call_command("load_demo", verbosity=0)


def test_the_section_has_a_sample_for_each_format():
    prefixes = sorted(dict(parse_qsl(urlsplit(url).query))["metadataPrefix"] for url in sample_urls())
    assert prefixes == ["edm", "oai_dc", "qdc"]


def test_each_sample_url_gives_a_record(client, demo, settings):
    settings.ARKIV_REPOSITORY_ID = "arkiv.example.org"
    for url in sample_urls():
        arguments = dict(parse_qsl(urlsplit(url).query))
        if arguments["metadataPrefix"] == "edm":
            from tests.oai.edm_validation import problems, records_of

            root = edm_response(client, arguments)
            assert [problems(record) for record in records_of(root)] == [[]]
        else:
            root = request(client, **arguments)  # validated against the official schemas
        assert errors(root) == [], url
        assert xpath(root, "//oai:record/oai:metadata/*"), url


def edm_response(client, arguments):
    """An edm response, parsed (its records are checked by Europeana's XSD and schematron,
    tests/oai/edm_validation.py, not by the OAI driver schemas)."""
    response = client.get("/oai", arguments)
    return etree.fromstring(response.content)


def test_each_curl_request_is_answered(client, demo, settings):
    settings.ARKIV_REPOSITORY_ID = "arkiv.example.org"
    asked = curl_requests()
    assert {arguments.get("metadataPrefix") for arguments in asked} >= {"oai_dc", "qdc", "edm"}
    assert any(arguments.get("set", "").startswith("fonds:") for arguments in asked)
    assert any("from" in arguments and "until" in arguments for arguments in asked)
    for arguments in asked:
        if arguments.get("metadataPrefix") == "edm":
            root = edm_response(client, arguments)
        else:
            root = request(client, **arguments)
        assert errors(root) == [], arguments


@pytest.mark.django_db(transaction=True)
def test_the_sickle_code_runs_against_a_live_server(live_server, settings):
    call_command("load_demo", verbosity=0)
    settings.ARKIV_REPOSITORY_ID = "arkiv.example.org"
    code = blocks("python")[0].replace(DEMO_OAI, f"{live_server.url}/oai")
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        exec(compile(code, "README.md (Harvesting Arkiv)", "exec"), {})
    lines = printed.getvalue().splitlines()
    assert "Note on the Soviet forces in Eastern Finnmark" in lines[0]  # the note's titles
    assert any(line.startswith("oai:arkiv.example.org:") for line in lines[1:])


def test_the_browser_view_named_in_the_section_answers(client, demo):
    match = re.search(r"`(/oai/browse\?[^`]+)`", SECTION)
    response = client.get(match.group(1))
    assert response.status_code == 200
    assert b'role="alert"' not in response.content
