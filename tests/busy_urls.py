"""The site's URLs (and its handler500), and one page that only remembers something in the
session: a request whose one write comes after its view, when the session is saved."""
from django.http import HttpResponse
from django.urls import path

from archive import urls as site


def remember(request):
    request.session["remembered"] = True
    return HttpResponse("remembered")


urlpatterns = [path("remember/", remember), *site.urlpatterns]
handler500 = getattr(site, "handler500", None)  # None: Django's own
