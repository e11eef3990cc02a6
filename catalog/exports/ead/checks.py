"""System check: whether the settings let Arkiv write a valid apeEAD finding aid.

Archives Portal Europe's profile takes only an ISO 3166-1 country code and an agency code of
its own pattern; a repository whose codes do not fit gets told by `manage.py check` (and
runserver, migrate, ...) rather than by the portal's validator. EAD3 has no such limits.
"""
from django.core.checks import Warning, register

from .apeead import ApeEAD


@register("ead")
def check_apeead_codes(app_configs=None, **kwargs):
    return [
        Warning(problem, hint="EAD3 finding aids are not affected.", id="arkiv.ead.W001")
        for problem in ApeEAD.problems()
    ]
