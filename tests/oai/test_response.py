"""response.py writes headers from string templates: what it escapes must be what the XML needs."""
from xml.sax.saxutils import escape

import pytest
from lxml import etree

from catalog.oai import response
from catalog.oai.markup import text


@pytest.mark.parametrize("value", [
    "plain-identifier", "Søsken & venner", "<b>", "a>b", "tab\there", "nul\x00byte", "form\x0cfeed", "ikke\ufffe",
    "emoji \U0001F600", "ørret",
])
def test_a_value_is_escaped_exactly_as_escape_and_text_would(value):
    assert response._escape(value) == escape(text(value))
    assert etree.fromstring(f"<v>{response._escape(value)}</v>").text == text(value)
