"""Every admin request that may write is one change set, recorded as made through the admin
(or as what a service inside it says it is: a merge). Long work the admin starts elsewhere (an
import, a batch edit) records its own change set (bulk.py)."""
from django.urls import reverse

from .models import ChangeSet
from .recording import changes

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})


class AdminChangesMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response
        self.prefix = None

    def __call__(self, request):
        if self.prefix is None:
            self.prefix = reverse("admin:index")
        if request.method in SAFE_METHODS or not request.path.startswith(self.prefix):
            return self.get_response(request)
        with changes(source=ChangeSet.ADMIN, user=getattr(request, "user", None)):
            return self.get_response(request)
