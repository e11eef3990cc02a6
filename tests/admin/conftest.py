"""Users in the two working roles, their logged-in clients, and helpers to post admin forms."""
import io

import pytest
from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from PIL import Image

PASSWORD = "a-long-test-passphrase"


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Logging in is what these tests exercise, not the cost of PBKDF2's iterations."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def staff_user(username, group):
    user = User.objects.create_user(username, password=PASSWORD, is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


@pytest.fixture
def cataloguer(db):
    return staff_user("cataloguer", "Cataloguer")


@pytest.fixture
def editor(db):
    return staff_user("editor", "Editor")


@pytest.fixture
def cataloguer_client(cataloguer):
    client = Client()
    client.force_login(cataloguer)
    return client


@pytest.fixture
def editor_client(editor):
    client = Client()
    client.force_login(editor)
    return client


@pytest.fixture(params=["Cataloguer", "Editor"])
def staff_client(request, db):
    """A client logged in as a Cataloguer, then (second run) as an Editor."""
    client = Client()
    client.force_login(staff_user(request.param.lower(), request.param))
    return client


def jpeg_upload(name="photo.jpg", size=(64, 48), color=(120, 90, 60)):
    buffer = io.BytesIO()
    Image.new("RGB", size, color).save(buffer, "JPEG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/jpeg")


def management(prefix, total, initial=0):
    """The management form of an inline formset."""
    return {
        f"{prefix}-TOTAL_FORMS": str(total), f"{prefix}-INITIAL_FORMS": str(initial),
        f"{prefix}-MIN_NUM_FORMS": "0", f"{prefix}-MAX_NUM_FORMS": "1000",
    }


def form_data(response):
    """What the browser would post back, unchanged, from an admin change form in `response`."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms.append(inline.formset.management_form)
        forms.extend(inline.formset.forms)
    data = {}
    for form in forms:
        for name, field in form.fields.items():
            if field.disabled or field.widget.needs_multipart_form:
                continue
            value = form[name].value()
            if value is None or value is False:
                continue
            if value is True:
                value = "on"
            data[form.add_prefix(name)] = value
    return data
