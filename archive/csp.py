"""The site's Content-Security-Policy, with the admin's allowances.

The policy itself is settings.CONTENT_SECURITY_POLICY (django-csp). The public site needs nothing
more: its script and styles are files under catalog/static/. The Django admin is not ours to
rewrite: its change list writes a <style> element, and widgets such as the autocomplete write
style attributes, so pages under the admin's URL add ADMIN_ALLOWANCES. They never allow inline
script, which the admin does not use either.
"""
from csp.middleware import CSPMiddleware
from django.urls import reverse

ADMIN_ALLOWANCES = {"style-src": ["'unsafe-inline'"]}


class SitePolicyMiddleware(CSPMiddleware):
    def get_policy_parts(self, request, response, report_only=False):
        parts = super().get_policy_parts(request, response, report_only=report_only)
        if not report_only and parts.update is None and request.path_info.startswith(reverse("admin:index")):
            parts.update = ADMIN_ALLOWANCES
        return parts
