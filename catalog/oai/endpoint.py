"""The HTTP side of OAI-PMH: /oai, and the schemas its records point to.

GET and POST (application/x-www-form-urlencoded) take the same arguments and get the same
answer. Protocol errors are answers too: HTTP 200 with <error> elements (OAI-PMH 2.0, 3.6).
"""
from pathlib import Path

from django.conf import settings
from django.http import FileResponse, Http404, HttpResponse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods

from . import arguments, response
from .errors import OAIError
from .identify import base_url, site_url
from .verbs import VERBS, Context

CONTENT_TYPE = "text/xml; charset=UTF-8"
OAI_LANGUAGE = "en"  # the source language of every message, as harvesters expect it
SCHEMAS = Path(__file__).resolve().parent / "schemas"


# Harvesters POST without a CSRF token, and nothing here changes state.
@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def oai(request):
    # A protocol answer is the same whoever asks: never in the language of the request's
    # browser (OAI-PMH messages and labels are for harvesters and their logs).
    with translation.override(OAI_LANGUAGE):
        return _answer(request)


def _answer(request):
    params = request.POST if request.method == "POST" else request.GET
    context = Context(base_url=base_url(request), site_url=site_url(request), page_size=settings.ARKIV_OAI_PAGE_SIZE)
    parsed, problems, body = None, [], None
    try:
        parsed = arguments.parse(params)
        e_verb = VERBS[parsed.verb](parsed.arguments, context)
        if isinstance(e_verb, response.Ready):  # a list whose records are ready as bytes
            e_verb, body = e_verb
    except OAIError as error:
        problems = [error]
    except ExceptionGroup as group:
        problems = list(group.exceptions)
    # The request element echoes the arguments, unless they are what is wrong (section 3.2).
    echo = parsed is not None and all(problem.echoes_arguments for problem in problems)
    e_root = response.envelope(
        base_url=context.base_url, arguments={"verb": parsed.verb, **parsed.arguments} if echo else None
    )
    if problems:
        response.errors(e_root, problems)
    else:
        e_root.append(e_verb)
    return HttpResponse(response.serialize(e_root, None if problems else body), content_type=CONTENT_TYPE)


def schema(request, name):
    """A schema of catalog/oai/schemas/, so that record schemas resolve, imports included."""
    path = SCHEMAS / name
    if path.suffix != ".xsd" or path.parent != SCHEMAS or not path.is_file():
        raise Http404(f"No schema “{name}” here.")
    return FileResponse(path.open("rb"), content_type="application/xml; charset=UTF-8")
