"""An import's messages are written in the language of whoever started it.

They are stored as text (the plan, status.json), so they are translated as they are made: in the
engine, under the active language; in an admin job, under the language the job was uploaded in,
also when the job runs in a background thread, which starts with no language of its own.
"""
import time

import pytest
from django.contrib.auth.models import User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation
from django.utils.functional import Promise

from catalog.imports import arrangement, csv as engine, header, jobs, lookup, plan, reader
from catalog.models import Authority, Item
from tests.factories import ItemFactory
from tests.task_worker import run_queued_tasks

BAD_DATE = "identifier,type,dcterms:created\nkir-1,Text,in the war\n"


@pytest.mark.django_db
def test_a_dry_run_under_norwegian_says_what_is_wrong_in_norwegian(run):
    with translation.override("nb"):
        result, store = run(BAD_DATE)
        expected = plan.DATE_UNREADABLE.format(value="in the war")

    assert [error["message"] for error in store.errors()] == [expected]
    assert expected.startswith("«in the war» er ikke en dato Arkiv kan lese")
    assert result.counts["error"] == 1


@pytest.mark.django_db
def test_file_and_header_problems_and_the_result_speak_norwegian(run):
    with translation.override("nb"):
        result, store = run("identifier,dc:titel\n")

    assert result.message == "Filen kan ikke importeres slik den er: se feilene. Ingenting ble endret."
    assert [error["message"] for error in store.errors()] == [
        "Kolonne B «dc:titel» er ikke en kolonne Arkiv kjenner (mente du «dc:title»?): bruk identifier, type, "
        "status, rights_uri, level, parent, local_code, arrangement, collections, files, full_text eller et Dublin Core-element som "
        "dc:title, dcterms:created eller dc:title@nb."
    ]
    with translation.override("nb"):
        _, store = run(b"")
    assert store.errors()[0]["message"] == "Filen er tom: eksporter regnearket som CSV på nytt, med en overskriftsrad."


@pytest.mark.django_db
def test_notes_and_kinds_of_record_speak_norwegian(run):
    kirkenes = Authority.objects.create(kind=Authority.PLACE, preferred_label="Kirkenes")
    with translation.override("nb"):
        _, created = run("identifier,type,dc:subject\nkir-1,Text,Bridges\n", create_authorities=True)
        _, failed = run(
            f"identifier,type,dc:subject,dc:creator\nkir-1,Text,Bridges,Kirkenes <{kirkenes.slug}>\n"
        )

    assert created.entries(["create"])[0]["changes"][1]["notes"] == ["«Bridges» blir en ny autoritetspost (begrep)"]
    assert [error["message"] for error in failed.errors()] == [
        "«Bridges» er ikke navnet eller en variantform i noen autoritetspost av typen begrep, aktør eller sted: "
        "rett stavemåten, legg til posten (eller variantformen) i administrasjonen, eller importer med "
        "«opprett autoritetsposter» for å legge den til.",
        f"«{kirkenes.slug}» er et sted, og dc:creator tar autoritetsposter av typen aktør: velg en annen post.",
    ]


@pytest.mark.django_db
def test_a_record_of_the_wrong_kind_is_named_with_its_article(run):
    agent = Authority.objects.create(kind=Authority.AGENT, preferred_label="Ivan Petrov")

    _, store = run(f"identifier,type,dcterms:spatial\nkir-1,Text,Ivan Petrov <{agent.slug}>\n")

    assert store.errors()[0]["message"].startswith(f"“{agent.slug}” is an agent record, and dcterms:spatial takes place records")


@pytest.mark.django_db
def test_the_same_file_in_english_gives_the_english_messages(run):
    result, store = run(BAD_DATE)

    assert store.errors()[0]["message"] == plan.DATE_UNREADABLE.format(value="in the war")
    assert store.errors()[0]["message"].startswith("“in the war” is not a date Arkiv can read")


def in_english_and_norwegian(message):
    with translation.override("en"):
        english = str(message)
    with translation.override("nb"):
        return english, str(message)


def test_every_message_of_the_import_is_marked_and_has_a_norwegian_translation():
    modules = (engine, header, plan, reader, lookup, jobs, arrangement)
    constants = {name: value for module in modules for name, value in vars(module).items() if name.isupper()}
    messages = [value for value in constants.values() if isinstance(value, Promise)]
    unmarked = [name for name, value in constants.items() if isinstance(value, str) and " " in value and name[0] != "_"]

    assert len(messages) > 40 and not unmarked
    assert not [english for english, norwegian in map(in_english_and_norwegian, messages) if english == norwegian]


# --- admin jobs: planned and applied in the uploader's language ---------------------------------


def wait(job, *states):
    for _ in range(300):
        if job.status["state"] in states:
            return job.status
        time.sleep(0.05)
    raise AssertionError(f"the job stayed {job.status['state']}")


@pytest.fixture
def editor(transactional_db):
    return User.objects.create_superuser("editor")


def upload(user, text):
    return jobs.Job.create(user=user, upload=SimpleUploadedFile("items.csv", text.encode()))


def test_a_job_uploaded_in_norwegian_plans_in_norwegian_in_its_background_task(editor):
    with translation.override("nb"):
        job = upload(editor, BAD_DATE + "kir-2,Text,1945\n")
        expected = plan.DATE_UNREADABLE.format(value="in the war")
    assert job.status["language"] == "nb"

    job.plan(user=editor, background=True)
    with translation.override("en"):  # the task worker runs with a language of its own
        run_queued_tasks()
    wait(job, jobs.PLANNED)

    store = job.store()
    try:
        assert [error["message"] for error in store.errors()] == [expected]
        assert expected.startswith("«in the war» er ikke en dato")
    finally:
        store.close()

    with translation.override("en"):  # confirmed from a page in English, the next day
        assert job.apply(user=editor, background=True)
        run_queued_tasks()
    status = wait(job, jobs.APPLIED, jobs.PLANNED)
    assert status["state"] == jobs.PLANNED  # the bad row stops it, and says so in Norwegian
    assert status["message"].startswith("1 av radene har feil, så ingenting ble importert")


def test_a_job_confirmed_in_another_language_is_not_taken_for_a_changed_catalogue(editor):
    ItemFactory(identifier="kir-1", title="Bridge")
    with translation.override("nb"):  # the preview, in the request that uploaded the file
        job = upload(editor, "identifier,dc:subject\nkir-1,Bridges\n")
        job.plan(user=editor)
    assert job.status["result"]["counts"]["error"] == 1  # no record “Bridges”, said in Norwegian

    with translation.override("en"):
        assert job.apply(user=editor, skip_bad_rows=True)

    # The plan's fingerprint covers its messages: made in another language, it would differ from
    # the preview's, and the archivist would be told the catalogue had changed.
    assert job.status["state"] == jobs.APPLIED
    assert job.status["message"] == ""
    assert Item.objects.count() == 1


def test_a_job_from_before_jobs_kept_their_language_runs_in_the_default_one(editor):
    job = upload(editor, BAD_DATE)
    status = job.status
    del status["language"]
    job._write_status(status)

    with translation.override("nb"):
        job.plan(user=editor)

    store = job.store()
    try:
        assert store.errors()[0]["message"].startswith("“in the war” is not a date Arkiv can read")
    finally:
        store.close()
