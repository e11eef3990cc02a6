from catalog.oai.checks import check_repository_settings


def ids(problems):
    return [problem.id for problem in problems]


def test_the_default_settings_pass(settings):
    settings.ARKIV_REPOSITORY_ID = "arkiv.example.org"
    settings.ARKIV_ADMIN_EMAIL = "archivist@example.org"
    assert check_repository_settings() == []


def test_a_repository_id_must_be_a_domain_name(settings):
    for bad in ("arkiv", "arkiv.example.org:8000", "1arkiv.org", ""):
        settings.ARKIV_REPOSITORY_ID = bad
        assert ids(check_repository_settings()) == ["arkiv.oai.E001"]


def test_the_admin_email_must_be_an_address(settings):
    settings.ARKIV_ADMIN_EMAIL = "the archivist"
    assert ids(check_repository_settings()) == ["arkiv.oai.E002"]


def test_the_page_size_must_be_sensible(settings):
    settings.ARKIV_OAI_PAGE_SIZE = 0
    assert ids(check_repository_settings()) == ["arkiv.oai.E003"]
