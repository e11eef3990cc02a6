"""The language an archivist chooses for themselves (catalog.models.Preference).

language_page(request)   /admin/language/, for any signed-in member of staff, about themselves
                         only: GET shows the languages of settings.LANGUAGES, each named in its
                         own language, and “your browser's language”; a valid POST stores the
                         Preference of request.user, keeps it in the session
                         (Preference.SESSION_KEY, as a sign-in does) and in the language cookie
                         (as the public site's switcher does), and redirects to `next` (a page of
                         this site, else this page), which is then shown in the new language.
PreferenceInline         the same choice on a user's page of the User admin, for superusers.

The admin's user tools link to the page (templates/admin/base_site.html).
"""
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_user_model
from django.contrib.auth.admin import UserAdmin  # registers User first: unregistered below
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.utils import translation
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext

from archive.language import language_for

from ..models import Preference

BROWSER = _("Your browser's language")
LANGUAGE_SAVED = _("Saved: Arkiv speaks this language to you from now on, whenever you sign in.")
BROWSER_SAVED = _("Saved: Arkiv speaks to you in your browser's language from now on.")
SOURCE_TITLE = "Language"


def language_choices():
    """Every language of the interface, named in its own language, after the browser's."""
    return [("", BROWSER), *settings.LANGUAGES]


def page_title():
    """“Language”, and in another language “Språk / Language”: whoever finds the admin in a
    language they cannot read still finds the way out."""
    title = pgettext("language page", "Language")
    return title if title == SOURCE_TITLE else f"{title} / {SOURCE_TITLE}"


class LanguageForm(forms.Form):
    language = forms.ChoiceField(
        label=_("Language"), choices=language_choices, required=False, widget=forms.RadioSelect
    )


def _language_view(request):
    preference = Preference.objects.filter(user=request.user).first()
    form = LanguageForm(request.POST or None, initial={"language": preference.language if preference else ""})
    next_url = _next_url(request)
    if request.method == "POST" and form.is_valid():
        language = form.cleaned_data["language"]
        # request.user only, whatever else the form carries: nobody sets another's language here.
        Preference.objects.update_or_create(user=request.user, defaults={"language": language})
        response = redirect(next_url or request.path)
        _remember(request, response, language)
        with translation.override(language_for(request)):  # the language of the next page
            messages.success(request, str(LANGUAGE_SAVED if language else BROWSER_SAVED))
        return response
    request.current_app = admin.site.name
    return TemplateResponse(request, "admin/language.html", {
        **admin.site.each_context(request), "title": page_title(), "form": form, "next": next_url,
    })


def _next_url(request):
    wanted = request.POST.get("next") or request.GET.get("next") or ""
    safe = url_has_allowed_host_and_scheme(
        wanted, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    )
    return wanted if safe else ""


def _remember(request, response, language):
    """Keep `language` where archive.language.language_for looks: the session, as at sign-in,
    and the cookie, which comes before it (a cookie of the switcher's would otherwise win). The
    browser's language is no choice to keep: both are cleared. The request is updated too, so
    that language_for(request) gives the language of the next page."""
    cookies = dict(request.COOKIES)
    if language:
        request.session[Preference.SESSION_KEY] = language
        cookies[settings.LANGUAGE_COOKIE_NAME] = language
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME, language, max_age=settings.LANGUAGE_COOKIE_AGE,
            path=settings.LANGUAGE_COOKIE_PATH, domain=settings.LANGUAGE_COOKIE_DOMAIN,
            secure=settings.LANGUAGE_COOKIE_SECURE, httponly=settings.LANGUAGE_COOKIE_HTTPONLY,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    else:
        request.session.pop(Preference.SESSION_KEY, None)
        cookies.pop(settings.LANGUAGE_COOKIE_NAME, None)
        response.delete_cookie(
            settings.LANGUAGE_COOKIE_NAME, path=settings.LANGUAGE_COOKIE_PATH,
            domain=settings.LANGUAGE_COOKIE_DOMAIN, samesite=settings.LANGUAGE_COOKIE_SAMESITE,
        )
    request.COOKIES = cookies


language_page = admin.site.admin_view(_language_view)  # staff only, CSRF-protected, never cached


class PreferenceForm(forms.ModelForm):
    language = forms.ChoiceField(
        label=_("language"), choices=language_choices, required=False,
        help_text=_("The language Arkiv speaks to this user in after they sign in."),
    )

    class Meta:
        model = Preference
        fields = ["language"]


class PreferenceInline(admin.StackedInline):
    """A user's language, which a superuser may set for them (a newcomer's first sign-in)."""

    model = Preference
    form = PreferenceForm
    can_delete = False
    verbose_name = verbose_name_plural = _("language")

    def has_view_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_add_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_change_permission(self, request, obj=None):
        return request.user.is_superuser

    def has_delete_permission(self, request, obj=None):
        return False


User = get_user_model()
admin.site.unregister(User)


@admin.register(User)
class ArkivUserAdmin(UserAdmin):
    inlines = [*UserAdmin.inlines, PreferenceInline]
