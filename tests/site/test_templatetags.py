"""The browse's query-string helpers: every facet link is the current browse, changed once."""
from django.http import QueryDict
from django.template import Context
from django.test import RequestFactory

from catalog.site.templatetags.arkiv import keep_query, toggle_query, without_query


def link(query, name, value):
    return toggle_query(Context({"request": RequestFactory().get(f"/items/?{query}")}), name, value)


def test_a_value_of_a_many_valued_filter_is_added_or_dropped_and_the_page_forgotten():
    assert link("q=kirkenes&type=Text&page=3", "type", "StillImage") == "?q=kirkenes&type=Text&type=StillImage"
    assert link("type=Text&type=StillImage&page=2", "type", "Text") == "?type=StillImage"
    assert link("type=Text", "place", "kirkenes") == "?type=Text&place=kirkenes"


def test_a_one_valued_filter_is_replaced_and_values_are_quoted():
    assert link("has_file=true", "has_file", "false") == "?has_file=false"
    assert link("q=%C3%B8st+%26+vest", "place", "sør-varanger") == "?q=%C3%B8st+%26+vest&place=s%C3%B8r-varanger"


def test_each_link_starts_from_the_request_as_it_came():
    context = Context({"request": RequestFactory().get("/items/?type=Text")})
    assert toggle_query(context, "type", "Sound") == "?type=Text&type=Sound"
    assert toggle_query(context, "type", "Image") == "?type=Text&type=Image"


def test_without_a_request_a_link_holds_only_its_own_value():
    assert toggle_query(Context({}), "type", "Text") == "?type=Text"


def test_links_start_from_the_query_the_page_used_where_the_view_gives_one():
    request = RequestFactory().get("/items/?type=Text&type=Bogus&other=x&page=2")
    context = Context({"request": request, "query": QueryDict("type=Text")})
    assert toggle_query(context, "type", "Sound") == "?type=Text&type=Sound"
    assert without_query(context, "type", "Text") == "?"
    assert keep_query(context, "q") == '<input type="hidden" name="type" value="Text">'
