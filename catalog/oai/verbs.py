"""The six OAI-PMH verbs, one function each, dispatched from VERBS.

Each takes the checked arguments and a Context, and returns the element named after the verb,
or raises an OAIError. They read the catalogue through records.py and sets.py only.
"""
import logging
from dataclasses import dataclass
from datetime import datetime

from django.utils.translation import gettext_lazy as _
from lxml import etree

from catalog.dublincore import NS_DC, NS_OAI_DC

from . import counts, formats, identify as identity, records, response, sets, tokens
from .cache import fragments, headers
from .arguments import SECONDS, parse_datestamp
from .errors import BadResumptionToken, CannotDisseminateFormat, IdDoesNotExist, NoRecordsMatch
from .markup import NS_OAI, XSI_SCHEMA_LOCATION, datestamp, text


NO_RECORDS = _("No records match these arguments: widen from/until, or check the set against ListSets.")
UNKNOWN_SET = _(
    "This repository has no set “%(set)s”. Set names are case-sensitive: copy the setSpec "
    "exactly as ListSets gives it."
)
NOT_IN_FORMAT = _(
    "The record “%(identifier)s” cannot be given as %(prefix)s: it lacks what that format "
    "requires (for edm: a rights statement Europeana accepts, a type Europeana knows, a title or "
    "description, and for a text its language). ListMetadataFormats with this identifier lists "
    "the formats it has."
)
RECORDS_GONE = _(
    "The records this token led to are gone (edited out of the range or the set since): "
    "harvest again from the datestamp you last received."
)


logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Context:
    base_url: str  # the endpoint, as Identify gives it
    site_url: str  # the public site, for item pages and served schemas
    page_size: int  # records, headers or sets per list response


def _verb_element(verb, metadata_format=None):
    """The verb's element; a record format's namespaces are declared on it once, rather than on
    every record."""
    nsmap = {None: NS_OAI, **(metadata_format.declared if metadata_format else {})}
    return etree.Element(etree.QName(NS_OAI, verb), nsmap=nsmap)


def identify(arguments, context):
    e_identify = _verb_element("Identify")
    identity.write(
        e_identify,
        base_url=context.base_url,
        earliest=datestamp(identity.earliest_datestamp()),
        granularity=SECONDS,
        deleted_record="persistent",
    )
    return e_identify


def list_metadata_formats(arguments, context):
    offered = formats.all_formats()
    if "identifier" in arguments:
        record = _find(arguments["identifier"])
        # An item is offered in the formats that can describe it; a deleted one in all of them.
        if not record.deleted:
            offered = [f for f in offered if records.admitted(record, f.condition())]
    e_list = _verb_element("ListMetadataFormats")
    response.metadata_formats(e_list, offered, site_url=context.site_url)
    return e_list


def list_sets(arguments, context):
    if "resumptionToken" in arguments:
        state = tokens.redeem("ListSets", arguments["resumptionToken"])
        after, types_done, delivered, total = state["after"], state["types"], state["n"], state["total"]
        fonds_after = state.get("fonds")  # absent from tokens issued before arrangements were sets
    else:
        after, types_done, fonds_after, delivered, total = None, 0, None, 0, sets.count()
    found, more, (after, types_done, fonds_after) = sets.page(
        after=after, types_done=types_done, fonds_after=fonds_after, size=context.page_size
    )
    e_list = _verb_element("ListSets")
    for oai_set in found:
        e_set = etree.SubElement(e_list, etree.QName(NS_OAI, "set"))
        etree.SubElement(e_set, etree.QName(NS_OAI, "setSpec")).text = oai_set.spec
        etree.SubElement(e_set, etree.QName(NS_OAI, "setName")).text = text(oai_set.name)
        if oai_set.description:
            e_description = etree.SubElement(e_set, etree.QName(NS_OAI, "setDescription"))
            _set_description(e_description, oai_set)
    state = {"after": after, "types": types_done, "fonds": fonds_after, "n": delivered + len(found), "total": total}
    _continue(e_list, "ListSets", state, more=more, delivered=delivered)
    return e_list


def _set_description(parent, oai_set):
    """A set's description as oai_dc, the container the protocol's own examples use."""
    e_dc = etree.SubElement(parent, etree.QName(NS_OAI_DC, "dc"), nsmap={"oai_dc": NS_OAI_DC, "dc": NS_DC})
    e_dc.set(XSI_SCHEMA_LOCATION, f"{NS_OAI_DC} {formats.get('oai_dc').schema}")
    etree.SubElement(e_dc, etree.QName(NS_DC, "description")).text = text(oai_set.description)


def list_identifiers(arguments, context):
    return _list("ListIdentifiers", arguments, context, describe=False)


def list_records(arguments, context):
    return _list("ListRecords", arguments, context, describe=True)


def get_record(arguments, context):
    metadata_format = _format(arguments["metadataPrefix"])
    record = _find(arguments["identifier"], site_url=context.site_url)
    if not record.deleted and not records.admitted(record, metadata_format.condition()):
        raise CannotDisseminateFormat(
            str(NOT_IN_FORMAT % {"identifier": arguments["identifier"], "prefix": metadata_format.prefix})
        )
    e_get = _verb_element("GetRecord", metadata_format)
    e_get.text = response.MARKER
    return response.Ready(e_get, _records_body([record], metadata_format, context))


def _records_body(found, metadata_format, context):
    """The records as bytes, their metadata from the fragment cache, on the site's address."""
    metadata = fragments.metadata(found, metadata_format)
    return [fragments.on_site(b"".join(response.records(found, metadata)), context.site_url)]


VERBS = {
    "Identify": identify,
    "ListMetadataFormats": list_metadata_formats,
    "ListSets": list_sets,
    "ListIdentifiers": list_identifiers,
    "ListRecords": list_records,
    "GetRecord": get_record,
}


def _list(verb, arguments, context, *, describe):
    if "resumptionToken" in arguments:
        state = tokens.redeem(verb, arguments["resumptionToken"])
        asked, delivered, total = state["arguments"], state["n"], state["total"]
        cursor = records.Cursor(*(_key(key) for key in state["cursor"]))
    else:
        asked, delivered, total, cursor = arguments, 0, None, records.Cursor()
    metadata_format = _format(asked["metadataPrefix"])
    selection = _selection(asked, metadata_format)
    started = cursor
    found, more, cursor = records.page(
        selection, after=cursor, size=context.page_size, site_url=context.site_url, stored_header=headers.stored(),
    )
    headers.keep(found)
    delivered_items = sum(1 for record in found if not record.deleted)
    _log_left_out(verb, metadata_format, selection, after=started.items, upto=cursor.items, more=more, delivered=delivered_items)
    if not found:
        raise NoRecordsMatch(str(_nothing_found(asked, delivered)))
    if total is None:
        total = counts.complete_list_size(selection, metadata_format) if more else len(found)
    # Stored records leave their format's declarations to the verb element (MetadataFormat.declared).
    e_list = _verb_element(verb, metadata_format if describe else None)
    e_list.text = response.MARKER
    if describe:
        body = _records_body(found, metadata_format, context)
    else:
        body = response.headers(found)
    given = delivered + len(found)
    state = {
        "arguments": asked,
        "cursor": [_key_state(key) for key in cursor],
        "n": given,
        # Counted once, on the first page: a count per page would cost as much as the page.
        # Records added since may outnumber it; the size never claims fewer than are known.
        "total": max(total, given + 1 if more else given),
    }
    _continue(e_list, verb, state, more=more, delivered=delivered)
    return response.Ready(e_list, body)


def _log_left_out(verb, metadata_format, selection, *, after, upto, more, delivered):
    """One line per list response of a format that cannot describe every item: how many
    published items in the range of keys this response covered it left out (to the end of the
    list on its last page; none on a page of deleted records only, whose range the next page
    covers again)."""
    if selection.condition is None:
        return
    if more and upto == after:
        left_out = 0
    else:
        left_out = records.left_out(selection, after=after, upto=upto if more else None, delivered=delivered)
    logger.info("%s %s: %d published items left out (not describable in this format)", verb, metadata_format.prefix, left_out)


def _nothing_found(arguments, delivered):
    if delivered:
        return RECORDS_GONE
    if "set" in arguments and not sets.exists(arguments["set"]):
        # Still noRecordsMatch, not badArgument: the set of a deleted collection is no longer
        # listed, yet its tombstones still answer to it, and the protocol names no other code.
        return UNKNOWN_SET % {"set": arguments["set"]}
    return NO_RECORDS


def _continue(e_list, verb, state, *, more, delivered):
    """Add the resumptionToken: a new one while more follow, an empty one on the last page of
    a list that took several, none on a list that fitted in one."""
    if more:
        token, expires = tokens.issue(verb, state)
        response.resumption_token(
            e_list, token=token, expires=expires, complete_list_size=state["total"], cursor=delivered
        )
    elif delivered:
        response.resumption_token(e_list, complete_list_size=state["total"], cursor=delivered)


def _key_state(key):
    return None if key is None else [key[0].isoformat(), key[1]]


def _key(state):
    if state is None:
        return None
    try:
        return (datetime.fromisoformat(state[0]), state[1])
    except (TypeError, ValueError, IndexError):
        raise BadResumptionToken("This resumptionToken is damaged: restart the harvest without one.") from None


def _selection(arguments, metadata_format):
    start = parse_datestamp(arguments["from"]).start if "from" in arguments else None
    end = parse_datestamp(arguments["until"]).end if "until" in arguments else None
    set_spec = arguments.get("set")
    return records.Selection(
        start=start, end=end, set_spec=set_spec, condition=metadata_format.condition(),
        admitted=metadata_format.admitted_count, key=(metadata_format.prefix, start, end, set_spec, headers.context()),
    )


def _format(prefix):
    metadata_format = formats.get(prefix)
    if metadata_format is None:
        offered = ", ".join(f.prefix for f in formats.all_formats())
        raise CannotDisseminateFormat(
            f"This repository has no metadataPrefix “{prefix}”: use one of {offered} (see ListMetadataFormats)."
        )
    return metadata_format


def _find(oai_id, **options):
    identifier = identity.local_identifier(oai_id)
    record = records.find(identifier, **options) if identifier else None
    if record is None:
        raise IdDoesNotExist(
            f"No record has the identifier “{oai_id}”. Identifiers of this repository look like "
            f"{identity.sample_identifier()}; ListIdentifiers lists them all."
        )
    return record
