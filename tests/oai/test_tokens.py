import time

import pytest

from catalog.oai import tokens
from catalog.oai.errors import BadResumptionToken
from tests.oai.support import errors, request, token

pytestmark = pytest.mark.django_db

STATE = {"arguments": {"metadataPrefix": "oai_dc", "set": "kirkenes"}, "cursor": [["2024-05-31T12:00:00.250000+00:00", "item-1"], None], "n": 500, "total": 1200}


def test_a_token_carries_its_state_and_is_signed_per_verb():
    token_, expires = tokens.issue("ListRecords", STATE)
    assert tokens.redeem("ListRecords", token_) == STATE
    with pytest.raises(BadResumptionToken):
        tokens.redeem("ListIdentifiers", token_)


def test_an_altered_token_is_refused():
    token_, _ = tokens.issue("ListRecords", STATE)
    payload, timestamp, signature = token_.rsplit(":", 2)
    with pytest.raises(BadResumptionToken, match="not issued by this repository"):
        tokens.redeem("ListRecords", f"{payload}x:{timestamp}:{signature}")


def test_a_token_signed_with_another_secret_is_refused(settings):
    token_, _ = tokens.issue("ListRecords", STATE)
    settings.SECRET_KEY = "another secret"
    with pytest.raises(BadResumptionToken):
        tokens.redeem("ListRecords", token_)


def test_an_expired_token_says_how_to_carry_on(client, settings, published):
    settings.ARKIV_OAI_PAGE_SIZE = 1
    settings.ARKIV_OAI_TOKEN_LIFETIME = 1
    published(), published()
    sent = token(request(client, verb="ListIdentifiers", metadataPrefix="oai_dc")).text
    time.sleep(2.1)  # real time: the signature's own clock decides
    root = request(client, verb="ListIdentifiers", resumptionToken=sent)
    assert errors(root) == ["badResumptionToken"]
    assert "expired" in root.xpath("string(//*[local-name()='error'])")
