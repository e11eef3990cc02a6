"""The arguments each verb takes, as data, and their checking before any query runs.

Rules follow OAI-PMH 2.0 section 4: `required` must be present, `optional` may be, and
`exclusive` (resumptionToken) must come alone, apart from the verb. Every fault of a request
is reported, not only the first, so a harvester's author can fix them all at once.
"""
import re
from datetime import datetime, timedelta, timezone
from typing import NamedTuple

from .errors import BadArgument, BadVerb

REQUIRED, OPTIONAL, EXCLUSIVE = "required", "optional", "exclusive"

_LIST_ARGUMENTS = {
    "metadataPrefix": REQUIRED,
    "from": OPTIONAL,
    "until": OPTIONAL,
    "set": OPTIONAL,
    "resumptionToken": EXCLUSIVE,
}

RULES = {
    "Identify": {},
    "ListMetadataFormats": {"identifier": OPTIONAL},
    "ListSets": {"resumptionToken": EXCLUSIVE},
    "ListIdentifiers": _LIST_ARGUMENTS,
    "ListRecords": _LIST_ARGUMENTS,
    "GetRecord": {"identifier": REQUIRED, "metadataPrefix": REQUIRED},
}

DAY, SECONDS = "YYYY-MM-DD", "YYYY-MM-DDThh:mm:ssZ"
_GRANULARITIES = {
    DAY: (re.compile(r"^\d{4}-\d{2}-\d{2}$"), "%Y-%m-%d", timedelta(days=1)),
    SECONDS: (re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$"), "%Y-%m-%dT%H:%M:%SZ", timedelta(seconds=1)),
}

# OAI-PMH.xsd, setSpecType and metadataPrefixType.
SET_SPEC = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+(:[A-Za-z0-9\-_.!~*'()]+)*$")
METADATA_PREFIX = re.compile(r"^[A-Za-z0-9\-_.!~*'()]+$")


class Request(NamedTuple):
    verb: str
    arguments: dict


class Datestamp(NamedTuple):
    """A from or until value: the instant it starts, the instant after it ends, its granularity."""

    start: datetime
    end: datetime | None  # None past the end of the calendar (until=9999-12-31)
    granularity: str


def parse(params) -> Request:
    """The verb and arguments of a request (a QueryDict), or the OAI errors that fault it."""
    verb = _verb(params)
    rules = RULES[verb]
    errors, arguments = [], {}
    for name, values in params.lists():
        if name == "verb":
            continue
        if name not in rules:
            accepted = ", ".join(rules) or "no arguments"
            errors.append(BadArgument(f"{verb} does not take “{name}”: it takes {accepted}."))
        elif len(values) > 1:
            errors.append(BadArgument(f"“{name}” is given {len(values)} times: give it once."))
        elif values[0] == "":
            errors.append(BadArgument(f"“{name}” is empty: give it a value, or leave it out."))
        else:
            arguments[name] = values[0]
    errors += _presence(verb, rules, arguments, params)
    errors += _values(arguments)
    if len(errors) == 1:
        raise errors[0]
    if errors:
        raise ExceptionGroup(f"{len(errors)} faults in the arguments of {verb}", errors)
    return Request(verb, arguments)


def _verb(params):
    verbs = params.getlist("verb")
    known = ", ".join(RULES)
    if not verbs:
        raise BadVerb(f"The request has no verb: add verb= one of {known}.")
    if len(verbs) > 1:
        raise BadVerb(f"The verb is given {len(verbs)} times: give exactly one of {known}.")
    verb = verbs[0]
    if verb in RULES:
        return verb
    meant = next((name for name in RULES if name.lower() == verb.lower()), None)
    if meant:
        raise BadVerb(f"“{verb}” is not a verb: verbs are case-sensitive, write {meant}.")
    raise BadVerb(f"“{verb}” is not an OAI-PMH verb: use one of {known}.")


def _presence(verb, rules, arguments, params):
    given = [name for name in params if name != "verb"]
    exclusive = [name for name, rule in rules.items() if rule == EXCLUSIVE and name in given]
    if exclusive:
        others = sorted(set(given) - set(exclusive))
        if others:
            return [BadArgument(
                f"resumptionToken must come alone (with the verb): leave out {', '.join(others)}, "
                "which the token already carries."
            )]
        return []
    return [
        BadArgument(f"{verb} needs “{name}”: add {name}=... to the request.")
        for name, rule in rules.items()
        if rule == REQUIRED and name not in given
    ]


def _values(arguments):
    errors, stamps = [], {}
    for name in ("from", "until"):
        if name in arguments:
            try:
                stamps[name] = parse_datestamp(arguments[name])
            except ValueError:
                errors.append(BadArgument(
                    f"{name}=“{arguments[name]}” is not a UTC datestamp: write 2024-05-31 or "
                    "2024-05-31T23:59:59Z."
                ))
    if len(stamps) == 2:
        start, end = stamps["from"], stamps["until"]
        if start.granularity != end.granularity:
            errors.append(BadArgument(
                "from and until have different granularities: write both as days (2024-05-31) "
                "or both to the second (2024-05-31T23:59:59Z)."
            ))
        elif start.start > end.start:
            errors.append(BadArgument(
                f"from ({arguments['from']}) is later than until ({arguments['until']}): swap them."
            ))
    if "metadataPrefix" in arguments and not METADATA_PREFIX.match(arguments["metadataPrefix"]):
        errors.append(BadArgument(
            f"metadataPrefix=“{arguments['metadataPrefix']}” is not a metadataPrefix: use one that "
            "ListMetadataFormats gives, such as oai_dc."
        ))
    if "set" in arguments and not SET_SPEC.match(arguments["set"]):
        errors.append(BadArgument(
            f"set=“{arguments['set']}” is not a setSpec: setSpecs are names like “finnmark-1944” "
            "or “finnmark-1944:photographs”, as ListSets gives them."
        ))
    return errors


def parse_datestamp(value) -> Datestamp:
    """A from/until value at day or seconds granularity; ValueError if it is neither."""
    for granularity, (pattern, layout, step) in _GRANULARITIES.items():
        if pattern.match(value):
            start = datetime.strptime(value, layout).replace(tzinfo=timezone.utc)
            try:
                end = start + step
            except OverflowError:
                end = None
            return Datestamp(start, end, granularity)
    raise ValueError(value)
