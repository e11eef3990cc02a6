"""System check: whether the settings let Arkiv write a valid apeEAD finding aid.

Archives Portal Europe's profile takes only an ISO 3166-1 country code and an agency code of
its own pattern; a repository whose codes do not fit gets told by `manage.py check` (and
runserver, migrate, ...) rather than by the portal's validator. EAD3 has no such limits.
Warnings, not errors: they must not stop commands that have nothing to do with apeEAD.
"""
from django.core.checks import Warning, register

from .apeead import ApeEAD


@register("ead")
def check_apeead_codes(app_configs=None, **kwargs):
    try:
        problems = ApeEAD.problems()
    except OSError as missing:  # the profile's codes are read from the vendored schema
        return [Warning(
            f"The apeEAD schema cannot be read ({missing}), so apeEAD finding aids cannot be checked.",
            hint="Restore catalog/exports/ead/schemas/ (see its README).", id="arkiv.ead.W002",
        )]
    return [Warning(problem, hint="EAD3 finding aids are not affected.", id="arkiv.ead.W001") for problem in problems]
