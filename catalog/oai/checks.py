"""System checks of the OAI-PMH settings: a bad value would make every response invalid for
harvesters that check schemas, so `manage.py check` (and runserver, migrate, ...) says so first."""
import re

from django.conf import settings
from django.core.checks import Error, register

# oai-identifier.xsd, repositoryIdentifierType; OAI-PMH.xsd, emailType.
REPOSITORY_ID = re.compile(r"^[a-zA-Z][a-zA-Z0-9\-]*(\.[a-zA-Z][a-zA-Z0-9\-]*)+$")
EMAIL = re.compile(r"^\S+@(\S+\.)+\S+$")


@register("oai")
def check_repository_settings(app_configs=None, **kwargs):
    problems = []
    if not REPOSITORY_ID.match(settings.ARKIV_REPOSITORY_ID):
        problems.append(Error(
            f"ARKIV_REPOSITORY_ID “{settings.ARKIV_REPOSITORY_ID}” is not a domain name, which OAI "
            "identifiers need.",
            hint="Set it to a domain the repository controls, such as arkiv.example.org (and never "
                 "change it once harvesters have seen it).",
            id="arkiv.oai.E001",
        ))
    if not EMAIL.match(settings.ARKIV_ADMIN_EMAIL):
        problems.append(Error(
            f"ARKIV_ADMIN_EMAIL “{settings.ARKIV_ADMIN_EMAIL}” is not an e-mail address.",
            hint="Set it to the address harvesters should write to, such as archivist@example.org.",
            id="arkiv.oai.E002",
        ))
    if not 1 <= settings.ARKIV_OAI_PAGE_SIZE <= 10_000:
        problems.append(Error(
            f"ARKIV_OAI_PAGE_SIZE is {settings.ARKIV_OAI_PAGE_SIZE}.",
            hint="Give it between 1 and 10000 records a page (500 suits most harvesters).",
            id="arkiv.oai.E003",
        ))
    return problems
