"""Create the first administrator login for a fresh installation, once.

`make run` calls this on every start, so it creates a login only where there is none at all:
an archivist who removed or renamed the first login never finds it back, with a new password,
after a restart.
"""
import os
import secrets

from django.contrib.auth import get_user_model
from django.utils.translation import gettext_lazy as _

from catalog.management.translated import TranslatedCommand

LOGIN_EXISTS = _(
    "Admin login “%(username)s” exists (forgotten the password? python manage.py changepassword "
    "%(username)s)."
)
LOGIN_CREATED = _("Admin login created: user “%(username)s”, password %(password)s")
FROM_ENVIRONMENT = _("from ARKIV_ADMIN_PASSWORD")
LOGINS_EXIST = _(
    "Logins exist, so none was created (forgotten a password? python manage.py changepassword "
    "NAME; another administrator: python manage.py createsuperuser)."
)


class Command(TranslatedCommand):
    help = _(
        "Create a superuser from ARKIV_ADMIN_USER / ARKIV_ADMIN_PASSWORD (defaults: admin and a "
        "generated password, printed once). Does nothing once any login exists."
    )

    def handle(self, *args, **options):
        User = get_user_model()
        username = os.environ.get("ARKIV_ADMIN_USER", "admin")
        if User.objects.filter(username=username).exists():
            self.stdout.write(LOGIN_EXISTS % {"username": username})
            return
        if User.objects.exists():
            self.stdout.write(str(LOGINS_EXIST))
            return
        password = os.environ.get("ARKIV_ADMIN_PASSWORD") or secrets.token_urlsafe(12)
        User.objects.create_superuser(username=username, email="", password=password)
        shown = FROM_ENVIRONMENT if os.environ.get("ARKIV_ADMIN_PASSWORD") else password
        self.stdout.write(self.style.SUCCESS(LOGIN_CREATED % {"username": username, "password": shown}))
