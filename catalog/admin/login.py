"""How django-axes throttles sign-in to the admin (settings: AXES_*, ARKIV_LOGIN_*).

client_address(request) -> str   the address a pause is kept for: REMOTE_ADDR, or behind a proxy
                                  (ARKIV_BEHIND_PROXY) the address the proxy appended last to
                                  X-Forwarded-For; entries before it come from the client and
                                  could be forged to dodge the pause
paused_response(request, ...)     the admin's login page with LOGIN_PAUSED above its form, status
                                  429, for every sign-in during a pause, right password or not
"""
from http import HTTPStatus

from django.conf import settings
from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext_lazy

LOGIN_PAUSED = ngettext_lazy(
    "Too many wrong passwords for this user from your address. Sign-in is paused for %(minutes)d "
    "minute; try again after that, or ask an administrator to lift the pause.",
    "Too many wrong passwords for this user from your address. Sign-in is paused for %(minutes)d "
    "minutes; try again after that, or ask an administrator to lift the pause.",
    "minutes",
)


def client_address(request):
    if settings.ARKIV_BEHIND_PROXY:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "").split(",")[-1].strip()
        if forwarded:
            return forwarded
    return request.META.get("REMOTE_ADDR", "")


def paused_response(request, original_response=None, credentials=None):
    minutes = max(1, round(settings.AXES_COOLOFF_TIME.total_seconds() / 60))
    username = (credentials or {}).get("username", "")
    context = {
        **admin.site.each_context(request),
        "title": _("Log in"),
        "app_path": request.get_full_path(),
        "form": AdminAuthenticationForm(request, initial={"username": username}),
        "next": request.POST.get("next") or reverse("admin:index"),
        "paused": LOGIN_PAUSED % {"minutes": minutes},
    }
    return render(request, "admin/login_paused.html", context, status=HTTPStatus.TOO_MANY_REQUESTS)
