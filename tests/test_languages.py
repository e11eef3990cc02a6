"""The value in the reader's language: catalog/languages.py."""
import pytest

from catalog import languages
from catalog.models import AuthorityVariant, Item, Statement
from tests.factories import AuthorityFactory, ItemFactory, VariantFactory


@pytest.mark.parametrize(
    "tag, language, expected",
    [
        ("nb", "nb", True),
        ("nb-NO", "nb", True),  # a longer tag is in the language it begins with
        ("nb", "nb-no", True),  # and the other way round
        ("NB-no", "nb", True),  # letter case is no part of a tag
        ("no", "nb", True),  # Norwegian is written for Bokmål
        ("no-NO", "nb", True),
        ("nb", "no", True),
        ("nn", "nb", False),  # Nynorsk is a language of its own
        ("nb", "nn", False),
        ("nn-NO", "nn", True),
        ("en", "nb", False),
        ("en-GB", "en", True),
        ("en-GB", "en-US", False),
        ("ru-Latn", "ru", True),
        ("", "nb", False),  # a value whose language is not stated is in none
        ("nb", "", False),
        ("nbx", "nb", False),  # subtags match whole, not as text
    ],
)
def test_a_value_is_in_a_language_by_bcp_47_prefix(tag, language, expected):
    assert languages.matches(tag, language) is expected


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["nb", "no", "nn", "en", "en-gb", "ru", "nb-no"])
def test_the_database_condition_matches_as_python_does(language):
    authority = AuthorityFactory()
    tags = ["nb", "nb-NO", "NB-no", "no", "no-NO", "nn", "nn-NO", "en", "en-GB", "en-US", "ru", "ru-Latn", "nbx", ""]
    for n, tag in enumerate(tags):
        VariantFactory(authority=authority, label=f"Form {n}", lang=tag)
    found = AuthorityVariant.objects.filter(languages.language_q("lang", language))
    assert sorted(found.values_list("lang", flat=True)) == sorted(t for t in tags if languages.matches(t, language))


# --- titles ----------------------------------------------------------------------------------------

def item_with(*statements, title="Note on the Soviet forces in Eastern Finnmark", title_lang="en", **fields):
    """An item (as with_description() reads it) with its first title and then `statements`,
    each (term, value, lang)."""
    item = ItemFactory(title=title, **fields)
    item.statements.filter(term="title").update(lang=title_lang)
    for position, (term, value, lang) in enumerate(statements, start=1):
        Statement.objects.create(item=item, term=term, value=value, lang=lang, position=position)
    item.refresh_derived()
    return Item.objects.with_description().get(pk=item.pk)


NB_TITLE = "Notat om de sovjetiske styrkene i Øst-Finnmark"


@pytest.mark.django_db
def test_an_item_is_headed_by_its_title_in_the_readers_language():
    item = item_with(("title", NB_TITLE, "nb"))
    english, norwegian = languages.item_title(item, "en"), languages.item_title(item, "nb")
    assert (english.text, english.lang) == ("Note on the Soviet forces in Eastern Finnmark", "en")
    assert (norwegian.text, norwegian.lang) == (NB_TITLE, "nb")
    assert str(norwegian) == NB_TITLE
    assert languages.item_title(item, "no").text == NB_TITLE  # Norwegian is Bokmål
    assert languages.item_title(item, "nn").text == item.title  # Nynorsk is not: the derived title


@pytest.mark.django_db
def test_a_title_in_the_language_catalogued_as_another_title_heads_the_item_too():
    # The demo catalogue records the Norwegian title of the note as dcterms:alternative.
    item = item_with(("alternative", NB_TITLE, "nb"))
    assert languages.item_title(item, "nb").text == NB_TITLE
    assert languages.item_title(item, "en").text == "Note on the Soviet forces in Eastern Finnmark"


@pytest.mark.django_db
def test_a_title_comes_before_another_title_in_the_same_language():
    item = item_with(("alternative", "Sovjetnotatet", "nb"), ("title", NB_TITLE, "nb"))
    assert languages.item_title(item, "nb").text == NB_TITLE


@pytest.mark.django_db
def test_an_item_with_one_title_is_headed_by_it_in_every_language():
    item = item_with()
    for language in ("en", "nb", "ru"):
        title = languages.item_title(item, language)
        assert (title.text, title.lang) == ("Note on the Soviet forces in Eastern Finnmark", "en")
        assert languages.parallel_titles(item, title) == []


@pytest.mark.django_db
def test_an_item_without_a_title_is_headed_by_its_identifier():
    item = item_with(identifier="note-1945")
    item.statements.all().delete()
    item.refresh_derived()
    item = Item.objects.with_description().get(pk=item.pk)
    assert languages.item_title(item, "nb") == languages.Title("note-1945")


@pytest.mark.django_db
def test_the_titles_in_other_languages_are_parallel_titles():
    item = item_with(
        ("alternative", NB_TITLE, "nb"),
        ("alternative", "Note on the Soviet forces", "en-GB"),  # English too: not parallel
        ("title", "Записка о советских войсках", "ru"),
        ("alternative", "Untagged title", ""),  # a language not stated is not another language
    )
    english = languages.item_title(item, "en")
    assert [s.value for s in languages.parallel_titles(item, english)] == [NB_TITLE, "Записка о советских войсках"]
    norwegian = languages.item_title(item, "nb")
    assert [s.value for s in languages.parallel_titles(item, norwegian)] == [
        "Note on the Soviet forces in Eastern Finnmark", "Note on the Soviet forces", "Записка о советских войсках",
    ]


@pytest.mark.django_db
def test_the_description_in_the_readers_language_comes_first():
    item = item_with(
        ("description", "Signed on the eve of the Soviet departure.", "en"),
        ("abstract", "Underskrevet dagen før de sovjetiske styrkene dro.", "nb"),
    )
    assert languages.item_description(item, "nb") == "Underskrevet dagen før de sovjetiske styrkene dro."
    assert languages.item_description(item, "en") == "Signed on the eve of the Soviet departure."
    assert languages.item_description(item, "ru") == "Signed on the eve of the Soviet departure."
    assert languages.item_description(item_with(), "nb") == ""


@pytest.mark.django_db
def test_titles_and_descriptions_are_read_from_the_prefetch_alone(django_assert_num_queries):
    item = item_with(("alternative", NB_TITLE, "nb"), ("description", "Signed.", "en"))
    with django_assert_num_queries(0):
        title = languages.item_title(item, "nb")
        languages.parallel_titles(item, title)
        languages.item_description(item, "nb")


# --- authority records -----------------------------------------------------------------------------

@pytest.mark.django_db
def test_a_record_is_named_by_its_variant_in_the_language_else_by_its_preferred_label():
    army = AuthorityFactory(preferred_label="Red Army")
    VariantFactory(authority=army, label="Красная армия", lang="ru")
    VariantFactory(authority=army, label="Den røde armé", lang="nb")
    VariantFactory(authority=army, label="Soviet forces", lang="")
    assert languages.authority_label(army, "nb") == languages.Label("Den røde armé", "nb")
    assert languages.authority_label(army, "no").text == "Den røde armé"
    assert languages.authority_label(army, "en") == languages.Label("Red Army", "")
    assert languages.authority_label(army, "nn") == languages.Label("Red Army", "")


@pytest.mark.django_db
def test_a_reader_in_the_catalogues_language_sees_the_preferred_label(settings):
    # Variants in the catalogue's own language are other spellings, not translations.
    diakonoff = AuthorityFactory(preferred_label="Igor Diakonoff")
    VariantFactory(authority=diakonoff, label="Igor Diakonov", lang="en")
    VariantFactory(authority=diakonoff, label="Игорь Дьяконов", lang="ru")
    assert settings.ARKIV_CATALOGUE_LANGUAGE == "en"
    assert languages.authority_label(diakonoff, "en") == languages.Label("Igor Diakonoff")
    assert languages.authority_label(diakonoff, "en-GB") == languages.Label("Igor Diakonoff")
    assert languages.authority_label(diakonoff, "ru") == languages.Label("Игорь Дьяконов", "ru")
    settings.ARKIV_CATALOGUE_LANGUAGE = "ru"  # a catalogue whose preferred labels are Russian
    assert languages.authority_label(diakonoff, "ru") == languages.Label("Igor Diakonoff")
    assert languages.authority_label(diakonoff, "en") == languages.Label("Igor Diakonov", "en")


@pytest.mark.django_db
def test_of_several_variants_in_the_language_the_first_by_label_names_the_record():
    archives = AuthorityFactory(preferred_label="National Archives of Norway")
    VariantFactory(authority=archives, label="Riksarkivet", lang="nb")
    VariantFactory(authority=archives, label="Arkivverket", lang="nb-NO")
    assert languages.authority_label(archives, "nb").text == "Arkivverket"


# --- language names --------------------------------------------------------------------------------

@pytest.mark.parametrize(
    "tag, language, name",
    [
        ("ru", "nb", "russisk"), ("ru", "en", "Russian"),
        ("nb", "nb", "norsk bokmål"), ("nb", "en", "Norwegian Bokmål"),
        ("se", "nb", "nordsamisk"), ("se", "en", "Northern Sami"),
        ("not a tag!", "nb", "not a tag!"),
    ],
)
def test_languages_are_named_in_the_readers_language(tag, language, name):
    assert languages.language_name(tag, language) == name


def test_language_names_are_remembered_per_tag_and_language():
    languages.language_name.cache_clear()
    assert languages.language_name("fi", "en") == "Finnish"
    assert languages.language_name("fi", "nb") == "finsk"  # not the English name remembered
    assert languages.language_name("fi", "en") == "Finnish"
    info = languages.language_name.cache_info()
    assert (info.hits, info.misses) == (1, 2)
