from django.conf import settings


def repository(request):
    """The repository's name for every template."""
    return {"repository_name": settings.ARKIV_REPOSITORY_NAME}
