"""Synthetic catalogues for benchmarks: `manage.py generate_catalog N [--seed S] [--batch B]
[--big-series K] [--file-items MIN MAX] [--images M [--image-scale F]]`.

The rows look like a northern Norwegian local-history archive: photographs, letters, recordings
and objects, titled in Norwegian, English, Russian, Finnish or Northern Sami, dated in the many
ways archivists write dates (some unreadable), linked to a few thousand shared authority records
that carry variant spellings, filed in nested collections, mostly published.

They are arranged as archives are (class Layout): N counts every unit of description, and the
units are fonds (every fourth an assembled collection), their series, the series' files, and the
items in the files, in finding-aid order. The first fonds holds the trees the benchmarks need: a
series of files with a tenth of K items (K = --big-series, 100,000 by default), then a series of
K items directly under it. Every unit has its level, a local code (fonds SYN<seed>-001, series A,
B…, files and items numbered from 1) and its derived place (ancestry, reference code,
ancestors_public) written as Item.place() would derive it; the units above the items are
published and described (title, dates, extent, scope, creator of a fonds, arrangement).

Everything is drawn from random.Random seeded by (seed, unit number): the same seed gives the
same rows, and generating 1,000 units twice appends the same 2,000 units as generating 2,000 at
once (with the same --big-series and --file-items). Identifiers are syn-<seed>-<number>; a second
run with the same seed continues the numbering, the tree and that seed's authority records and
collections.

Speed: units go in as plain multi-row INSERTs (catalog.bulk, shared with the CSV import), their
primary keys read back by identifier, the units above before the units below them (a unit's
ancestry needs its parent's key); statements and memberships likewise; one transaction per
batch. The derived caches (sort title, date range) and places are computed here, with
Item.derived_fields and from the parent's place, so no refresh pass follows.

Images: --images M attaches M synthetic images, made by code from the seed (phone photographs
to 100-megapixel scans; --image-scale shrinks them), to published items of the run, each through
imaging.ingest() with its derivatives and pyramid: see catalog/synthetic_images.py. Without it,
no file is made and the rows are the same as ever.
"""
import random
import time
from collections import Counter, namedtuple
from datetime import date, datetime, timedelta, timezone
from decimal import Decimal

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.db.models.functions import Length
from django.utils.text import slugify
from tqdm import tqdm

from catalog import dublincore, synthetic_images
from catalog.bulk import insert_rows
from catalog.models import Authority, AuthorityLink, AuthorityVariant, Collection, Item, Level, Statement, Tombstone
from catalog.models.items import fonds_set
from catalog.search import reindex_items
from catalog.facets import index as facet_index

# --- Vocabulary -------------------------------------------------------------------------------

LANGUAGES = {"nb": 35, "en": 25, "ru": 15, "fi": 13, "se": 12}
TYPES = {
    "StillImage": 38, "Text": 30, "PhysicalObject": 8, "Sound": 5, "MovingImage": 5, "Image": 4,
    "Dataset": 3, "Collection": 3, "Event": 2, "InteractiveResource": 2,
}
STATUSES = {Item.PUBLISHED: 90, Item.DRAFT: 7, Item.WITHDRAWN: 3}
GENRE = {
    "StillImage": "picture", "Image": "picture", "Text": "text", "Sound": "sound",
    "MovingImage": "film", "PhysicalObject": "object",
}

# Title patterns per language and genre; {topic} and {object} are filled in the title's language.
TITLES = {
    "en": {
        "picture": ["View of {place}", "{person} at {place}", "The harbour at {place}", "{topic} in {place}", "Portrait of {person}"],
        "text": ["Letter from {person} to {person2}", "Report on {topic} in {place}", "Minutes of {org}", "Diary of {person}", "Notes on {topic}"],
        "sound": ["Interview with {person}", "Songs from {place}"],
        "film": ["{topic} in {place}", "Film from {place}"],
        "object": ["{object} from {place}"],
        "record": ["Records of {org}", "Survey of {topic} in {place}"],
    },
    "nb": {
        "picture": ["Utsikt over {place}", "{person} i {place}", "Havna i {place}", "{topic} i {place}", "Portrett av {person}"],
        "text": ["Brev fra {person} til {person2}", "Rapport om {topic} i {place}", "Møtebok for {org}", "Dagbok ført av {person}"],
        "sound": ["Intervju med {person}", "Sanger fra {place}"],
        "film": ["{topic} i {place}", "Film fra {place}"],
        "object": ["{object} fra {place}"],
        "record": ["Arkivet etter {org}", "Registrering av {topic} i {place}"],
    },
    "ru": {
        "picture": ["Вид: {place}", "{person}, {place}", "Портрет: {person}", "{topic}: {place}"],
        "text": ["Письмо: {person}", "Отчёт: {topic}, {place}", "Дневник: {person}", "Протокол: {org}"],
        "sound": ["Интервью: {person}"],
        "film": ["Фильм: {place}"],
        "object": ["{object}: {place}"],
        "record": ["Документы: {org}"],
    },
    "fi": {
        "picture": ["Näkymä: {place}", "{person}, {place}", "Muotokuva: {person}", "{topic}: {place}"],
        "text": ["Kirje: {person}", "Raportti: {topic}, {place}", "Päiväkirja: {person}"],
        "sound": ["Haastattelu: {person}"],
        "film": ["Elokuva: {place}"],
        "object": ["{object}, {place}"],
        "record": ["Arkisto: {org}"],
    },
    "se": {
        "picture": ["Govva: {place}", "{person}, {place}", "{topic}: {place}"],
        "text": ["Reive: {person}", "Raporta: {topic}, {place}"],
        "sound": ["Jearahallan: {person}"],
        "film": ["Filbma: {place}"],
        "object": ["{object}, {place}"],
        "record": ["Arkiiva: {org}"],
    },
}

DESCRIPTIONS = {
    "en": ["Shows {topic} in {place}.", "Given to the archive by {person}.", "From the papers of {org}.",
           "Taken during the rebuilding of {place}.", "Mentions {person} and the work of {org}."],
    "nb": ["Viser {topic} i {place}.", "Gitt til arkivet av {person}.", "Fra arkivet etter {org}.",
           "Tatt under gjenreisningen av {place}."],
    "ru": ["Тема: {topic}. Место: {place}.", "Передано в архив: {person}."],
    "fi": ["Aihe: {topic}. Paikka: {place}.", "Arkistoon lahjoittanut {person}."],
    "se": ["Fáddá: {topic}. Báiki: {place}."],
}

# (en, nb, ru, fi): Northern Sami titles use the Norwegian word, as bilingual labels often do.
TOPICS = [
    ("fishing", "fiske", "рыболовство", "kalastus"), ("reindeer herding", "reindrift", "оленеводство", "poronhoito"),
    ("mining", "gruvedrift", "горное дело", "kaivostoiminta"), ("reconstruction", "gjenreisning", "восстановление", "jälleenrakennus"),
    ("evacuation", "evakuering", "эвакуация", "evakuointi"), ("border guards", "grensevakt", "пограничники", "rajavartijat"),
    ("shipping", "skipsfart", "судоходство", "merenkulku"), ("schools", "skoler", "школы", "koulut"),
    ("churches", "kirker", "церкви", "kirkot"), ("weddings", "bryllup", "свадьбы", "häät"),
    ("military occupation", "okkupasjon", "оккупация", "miehitys"), ("liberation", "frigjøring", "освобождение", "vapautus"),
    ("trade", "handel", "торговля", "kauppa"), ("road building", "veibygging", "строительство дорог", "tienrakennus"),
    ("fish processing", "fiskeforedling", "рыбопереработка", "kalanjalostus"), ("hunting", "jakt", "охота", "metsästys"),
    ("agriculture", "jordbruk", "сельское хозяйство", "maatalous"), ("health care", "helsevesen", "здравоохранение", "terveydenhuolto"),
    ("sports", "idrett", "спорт", "urheilu"), ("music", "musikk", "музыка", "musiikki"),
    ("emigration", "utvandring", "эмиграция", "siirtolaisuus"), ("railways", "jernbane", "железные дороги", "rautatiet"),
    ("bridges", "bruer", "мосты", "sillat"), ("harbours", "havner", "гавани", "satamat"),
    ("memorials", "minnesmerker", "памятники", "muistomerkit"), ("prisoners of war", "krigsfanger", "военнопленные", "sotavangit"),
    ("bombing raids", "bombeangrep", "бомбардировки", "pommitukset"), ("air-raid shelters", "tilfluktsrom", "бомбоубежища", "väestönsuojat"),
    ("Sami culture", "samisk kultur", "саамская культура", "saamelaiskulttuuri"), ("Kven culture", "kvensk kultur", "квенская культура", "kveenikulttuuri"),
    ("Pomor trade", "pomorhandel", "поморская торговля", "pomorikauppa"), ("fires", "branner", "пожары", "tulipalot"),
    ("storms", "stormer", "штормы", "myrskyt"), ("elections", "valg", "выборы", "vaalit"),
    ("festivals", "festivaler", "праздники", "juhlat"), ("telegraph", "telegraf", "телеграф", "lennätin"),
    ("post offices", "postkontorer", "почтовые отделения", "postitoimistot"), ("cooperatives", "samvirkelag", "кооперативы", "osuuskunnat"),
    ("whaling", "hvalfangst", "китобойный промысел", "valaanpyynti"), ("boat building", "båtbygging", "судостроение", "veneenrakennus"),
]
OBJECTS = [
    ("Fishing net", "Fiskegarn", "Рыболовная сеть", "Kalaverkko"), ("Ration card", "Rasjoneringskort", "Продовольственная карточка", "Ostokortti"),
    ("Uniform jacket", "Uniformsjakke", "Китель", "Univormutakki"), ("Medal", "Medalje", "Медаль", "Mitali"),
    ("Sledge", "Slede", "Сани", "Reki"), ("Map", "Kart", "Карта", "Kartta"), ("Flag", "Flagg", "Флаг", "Lippu"),
]
LANGUAGE_COLUMN = {"en": 0, "nb": 1, "ru": 2, "fi": 3, "se": 1}

EVENTS = [("Fire in {place}", "Brannen i {place}"), ("Storm at {place}", "Uværet ved {place}"),
          ("Opening of the school at {place}", "Skoleåpningen i {place}"),
          ("Consecration of the church at {place}", "Kirkevigslingen i {place}"),
          ("Royal visit to {place}", "Kongebesøket i {place}"), ("Flood at {place}", "Flommen i {place}")]

# People: (given, surname) pools by culture; Russian names with their Cyrillic forms.
NORWEGIAN = (["Ole", "Kari", "Nils", "Ingrid", "Johan", "Marit", "Per", "Anna", "Hans", "Sigrid", "Arne", "Solveig",
              "Bjørn", "Astrid", "Knut", "Ragnhild", "Einar", "Gudrun", "Odd", "Liv"],
             ["Hansen", "Johansen", "Olsen", "Larsen", "Andersen", "Pedersen", "Nilsen", "Karlsen", "Berg", "Haugen",
              "Dahl", "Lund", "Eriksen", "Bakken", "Strøm", "Holm", "Mathisen", "Jakobsen", "Søreng", "Hætta"])
RUSSIAN = ([("Ivan", "Иван"), ("Pavel", "Павел"), ("Igor", "Игорь"), ("Nikolai", "Николай"), ("Anna", "Анна"),
            ("Olga", "Ольга"), ("Sergei", "Сергей"), ("Maria", "Мария"), ("Aleksandr", "Александр"),
            ("Yelena", "Елена"), ("Dmitri", "Дмитрий"), ("Tatyana", "Татьяна"), ("Mikhail", "Михаил"), ("Vera", "Вера")],
           [("Ivanov", "Иванов"), ("Petrov", "Петров"), ("Smirnov", "Смирнов"), ("Kuznetsov", "Кузнецов"),
            ("Popov", "Попов"), ("Sokolov", "Соколов"), ("Lebedev", "Лебедев"), ("Kozlov", "Козлов"),
            ("Novikov", "Новиков"), ("Morozov", "Морозов"), ("Volkov", "Волков"), ("Orlov", "Орлов"),
            ("Belyaev", "Беляев"), ("Zaitsev", "Зайцев")])
FINNISH = (["Matti", "Aino", "Juhani", "Helmi", "Eino", "Liisa", "Toivo", "Hilja", "Väinö", "Elli"],
           ["Virtanen", "Korhonen", "Mäkinen", "Nieminen", "Heikkinen", "Laine", "Hietala", "Kallio", "Lehto", "Salo"])
SAMI = (["Ánde", "Máret", "Biret", "Niillas", "Elle", "Jovnna", "Ánte", "Sárá", "Issát", "Inger"],
        ["Sara", "Eira", "Gaup", "Buljo", "Hætta", "Somby", "Turi", "Bals", "Utsi", "Valkeapää"])
ASCII_FORMS = str.maketrans({"ø": "o", "Ø": "O", "æ": "ae", "Æ": "Ae", "å": "aa", "Å": "Aa", "á": "a", "Á": "A", "ä": "a", "ö": "o"})

PLACE_STEMS = ["Stor", "Lang", "Sand", "Bjørn", "Vard", "Hamn", "Kjel", "Elve", "Fjell", "Nord", "Sør", "Vest", "Øst",
               "Svane", "Ros", "Grense", "Jar", "Bøk", "Kirke", "Laks", "Bugø", "Stein", "Sel", "Rein"]
PLACE_ENDINGS = {  # Norwegian ending: (Sami, Finnish) equivalents of the landscape word
    "vik": ("vuotna", "lahti"), "nes": ("njárga", "niemi"), "fjord": ("vuotna", "vuono"), "dal": ("vággi", "laakso"),
    "vatn": ("jávri", "järvi"), "elv": ("johka", "joki"), "øy": ("suolu", "saari"), "berg": ("várri", "vaara"),
    "moen": ("gieddi", "kenttä"), "botn": ("vuođđu", "pohja"), "sund": ("nuorri", "salmi"), "haug": ("čohkka", "kumpu"),
}
PLACE_QUALIFIERS = ["", "Indre ", "Ytre ", "Øvre ", "Nedre "]
ORGANISATION_KINDS = [("fiskarlag", "fishermen's association"), ("sanitetsforening", "women's health association"),
                      ("skole", "school"), ("kommune", "municipality"), ("museum", "museum"),
                      ("havnevesen", "harbour authority"), ("sykehus", "hospital"), ("samvirkelag", "cooperative"),
                      ("idrettslag", "sports club"), ("menighetsråd", "parish council")]
SERIES = [("photographs", "Photographs"), ("correspondence", "Correspondence"), ("minutes", "Minutes and reports"),
          ("sound", "Sound and film"), ("objects", "Objects"), ("printed", "Printed matter")]

# Spelled out here rather than by strftime, whose month names follow the machine's locale.
MONTH_NAMES = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
               "October", "November", "December"]
UNREADABLE_DATES = ["undated", "n.d.", "uten dato", "без даты", "after the war", "before the evacuation",
                    "sometime in the fifties", "s.a."]
RIGHTS = [("Public domain", "https://creativecommons.org/publicdomain/mark/1.0/"),
          ("In copyright", "http://rightsstatements.org/vocab/InC/1.0/"),
          ("Licensed CC BY 4.0", "https://creativecommons.org/licenses/by/4.0/"),
          ("Copyright not evaluated", "http://rightsstatements.org/vocab/CNE/1.0/")]
# The rights statement of an item (Item.rights_uri), drawn from a random.Random of its own so
# that the rest of every row stays as it was: (URI, weight); "" is an item without one.
RIGHTS_URIS = {
    "http://rightsstatements.org/vocab/CNE/1.0/": 35, "http://creativecommons.org/publicdomain/mark/1.0/": 20,
    "http://creativecommons.org/licenses/by/4.0/": 12, "http://rightsstatements.org/vocab/InC/1.0/": 10,
    "http://creativecommons.org/licenses/by-nc/4.0/": 5, "http://creativecommons.org/publicdomain/zero/1.0/": 5,
    "http://rightsstatements.org/vocab/NoC-US/1.0/": 3, "": 10,
}
EXTENTS = {"picture": ["1 photograph", "1 glass negative", "1 print"], "text": ["{n} pages", "{n} leaves", "1 letter"],
           "sound": ["{n} min", "1 tape reel"], "film": ["{n} min"], "object": ["1 object"], "record": ["{n} files"]}
FORMATS = {"picture": "image/tiff", "text": "application/pdf", "sound": "audio/x-wav", "film": "video/mp4"}

DATESTAMPS_FROM = datetime(2012, 1, 1, tzinfo=timezone.utc)
DATESTAMPS_SPAN = 12 * 365 * 86400  # seconds: accessions spread over twelve years
DATE_FIELDS = ("date_text", "date_earliest", "date_latest", "date_unparsed")
DATE_VOCABULARY = 3000  # distinct date statements per seed
DATE_TERMS, DATE_TERM_WEIGHTS = ("created", "date", "issued"), (75, 15, 10)
AUTHORITY_COUNTS = {"person": 2400, "organisation": 400, "place": 1000, "concept": 600}


# A statement before its item has a primary key: enough for Item.derived_fields, which reads
# only term, value and position, and cheaper to make than a model instance.
Draft = namedtuple("Draft", "term value lang authority_id position")


def weighted(rng, weights):
    return rng.choices(list(weights), weights=list(weights.values()))[0]


# --- Authority records and collections: the same for every run with one seed --------------------

class Pool:
    """The seed's authority records and collections, as rows to insert and as labels to cite."""

    def __init__(self, seed):
        self.seed = seed
        rng = random.Random(f"arkiv-pool-{seed}")
        self.authorities = []  # dicts: slug, kind, label, agent_type, dates, lat, lon, variants, forms
        self.people = self._people(rng)
        self.places = self._places(rng)
        self.organisations = self._organisations(rng)
        self.topics, self.events = self._concepts(rng)
        self.collections = self._collections(rng)
        # Items are dated from a vocabulary of a few thousand date statements, as items in a real
        # archive share the days of the events they record. It also bounds the reading of dates,
        # which costs milliseconds a string (see ItemMaker.derived).
        self.dates = [(rng.choices(DATE_TERMS, DATE_TERM_WEIGHTS)[0], self._date(rng)) for _ in range(DATE_VOCABULARY)]
        self.fonds = [c for c in self.collections if c["series"]]
        self.themes = [c for c in self.collections if "-theme-" in c["identifier"]]

    def _add(self, kind, label, forms=None, variants=(), **fields):
        record = {
            "slug": f"{slugify(label)[:90]}-syn{self.seed}-{len(self.authorities)}",
            "kind": kind, "label": label,
            # One variant per spelling (the table's constraint), never the preferred form itself.
            "variants": list({v[0]: v for v in variants if v[0] != label}.values()),
            "forms": forms or {}, "agent_type": "", "dates": "", "latitude": None, "longitude": None, **fields,
        }
        self.authorities.append(record)
        return record

    def _people(self, rng):
        people = []
        cultures = [(NORWEGIAN, "nb", 45), (RUSSIAN, "ru", 25), (FINNISH, "fi", 15), (SAMI, "se", 15)]
        for _ in range(AUTHORITY_COUNTS["person"]):
            (given_names, surnames), lang, _ = rng.choices(cultures, weights=[c[2] for c in cultures])[0]
            given, surname = rng.choice(given_names), rng.choice(surnames)
            born = rng.randint(1860, 1960)
            variants = []
            if lang == "ru":
                (given, given_cyrillic), (surname, surname_cyrillic) = given, surname
                variants.append((f"{given_cyrillic} {surname_cyrillic}", "ru"))
                if surname.endswith(("ov", "ev")):
                    variants.append((f"{given} {surname[:-1]}ff", "en"))  # Ivanoff, as older English print has it
            label = f"{given} {surname}"
            variants.append((f"{surname}, {given}", ""))
            variants.append((f"{given[0]}. {surname}", ""))
            if label.translate(ASCII_FORMS) != label:
                variants.append((label.translate(ASCII_FORMS), ""))
            people.append(self._add(
                "agent", label, variants=variants, agent_type="person",
                dates=f"{born}-{born + rng.randint(30, 95)}" if born < 1935 else f"{born}-",
            ))
        return people

    def _places(self, rng):
        names = [(qualifier, stem, ending) for qualifier in PLACE_QUALIFIERS for stem in PLACE_STEMS for ending in PLACE_ENDINGS]
        places = []
        for qualifier, stem, ending in rng.sample(names, AUTHORITY_COUNTS["place"]):
            sami, finnish = PLACE_ENDINGS[ending]
            variants = [(f"{stem.translate(ASCII_FORMS)}{sami}", "se")]
            if rng.random() < 0.4:
                variants.append((f"{stem.translate(ASCII_FORMS)}{finnish}", "fi"))
            places.append(self._add(
                "place", f"{qualifier}{stem}{ending}", variants=variants,
                latitude=Decimal(f"{rng.uniform(68.6, 71.1):.6f}"), longitude=Decimal(f"{rng.uniform(21.5, 31.0):.6f}"),
            ))
        return places

    def _organisations(self, rng):
        organisations = []
        for place in rng.sample(self.places, AUTHORITY_COUNTS["organisation"]):
            norwegian, english = rng.choice(ORGANISATION_KINDS)
            label = f"{place['label']} {norwegian}"
            organisations.append(self._add(
                "agent", label, variants=[(f"{place['label']} {english}", "en")], agent_type="organisation",
                forms={"en": f"{place['label']} {english}"},
            ))
        return organisations

    def _concepts(self, rng):
        topics = [
            self._add("concept", words[0], variants=[(words[1], "nb"), (words[2], "ru"), (words[3], "fi")],
                      forms={lang: words[column] for lang, column in LANGUAGE_COLUMN.items()})
            for words in TOPICS
        ]
        events = []
        for _ in range(AUTHORITY_COUNTS["concept"] - len(topics)):
            (english, norwegian), place = rng.choice(EVENTS), rng.choice(self.places)
            year = rng.randint(1880, 2010)
            label = f"{english.format(place=place['label'])}, {year}"
            events.append(self._add("concept", label, variants=[(f"{norwegian.format(place=place['label'])} {year}", "nb")]))
        return topics, events

    @staticmethod
    def _date(rng):
        """A date as archivists write them, from 1850 to 2020 and thickest around 1945."""
        year = min(2020, max(1850, int(rng.gauss(1945, 25))))
        day = date(year, 1, 1) + timedelta(days=rng.randrange(365))
        form = rng.randrange(100)
        if form < 3:
            return rng.choice(UNREADABLE_DATES)
        if form < 25:
            return day.isoformat()
        if form < 40:
            return str(year)
        if form < 48:
            return f"{year}-{day.month:02d}"
        if form < 55:
            return rng.choice(["circa {}", "c. {}", "ca. {}", "[{}?]", "{}~"]).format(year)
        if form < 62:
            return f"{year // 10 * 10}s"
        if form < 68:
            return f"{rng.choice(['early', 'mid', 'late'])} {year}"
        if form < 74:
            return f"{year}-{year + rng.randint(1, 5)}"
        month = MONTH_NAMES[day.month - 1]
        if form < 80:
            return f"{month} {year}"
        if form < 86:
            return f"{day.day} {month[:3]} {year}"
        if form < 90:
            return f"{month[:4] if day.month == 9 else month[:3]}. {day.day}, {year}"
        if form < 95:
            return f"{year}-{day.month:02d}/{year + 1}-{day.month:02d}"
        return f"{str(year)[:3]}X"

    def _collections(self, rng):
        collections = []
        for number, organisation in enumerate(rng.sample(self.organisations, 8), start=1):
            fonds = {"identifier": f"syn{self.seed}-fonds-{number:02d}", "title": f"Archive of {organisation['label']}",
                     "parent": None, "series": []}
            collections.append(fonds)
            for code, title in rng.sample(SERIES, rng.randint(3, len(SERIES))):
                series = {"identifier": f"{fonds['identifier']}-{code}", "title": f"{title}: {organisation['label']}",
                          "parent": fonds["identifier"], "series": []}
                fonds["series"].append(series)
                collections.append(series)
        for topic in rng.sample(self.topics, 4):
            collections.append({"identifier": f"syn{self.seed}-theme-{slugify(topic['label'])}",
                                "title": f"Theme: {topic['label']}", "parent": None, "series": []})
        return collections


def store_pool(pool):
    """Insert the pool's authority records and collections that are not stored yet; give every
    record and collection its primary key (`pk`)."""
    slugs = [record["slug"] for record in pool.authorities]
    stored = dict(Authority.objects.filter(slug__in=slugs).values_list("slug", "pk"))
    new = [record for record in pool.authorities if record["slug"] not in stored]
    rows = [
        Authority(
            kind=r["kind"], preferred_label=r["label"], slug=r["slug"], agent_type=r["agent_type"],
            dates=r["dates"], latitude=r["latitude"], longitude=r["longitude"],
            note="Synthetic record made by generate_catalog for benchmarks.",
        )
        for r in new
    ]
    Authority.objects.bulk_create(rows, batch_size=500)
    stored.update(Authority.objects.filter(slug__in=[r["slug"] for r in new]).values_list("slug", "pk"))
    for record in pool.authorities:
        record["pk"] = stored[record["slug"]]
    AuthorityVariant.objects.bulk_create(
        [AuthorityVariant(authority_id=r["pk"], label=label, lang=lang) for r in new for label, lang in r["variants"]],
        batch_size=1000,
    )
    AuthorityLink.objects.bulk_create(
        [AuthorityLink(authority_id=r["pk"], source="other", uri=f"https://authority.example.org/{r['slug']}")
         for r in new[::4]],
        batch_size=1000,
    )
    stored = Collection.objects.in_bulk([spec["identifier"] for spec in pool.collections], field_name="identifier")
    for spec in pool.collections:  # parents come before their children in the pool
        if spec["identifier"] not in stored:
            collection = Collection(identifier=spec["identifier"], title=spec["title"], parent=stored.get(spec["parent"]),
                                    description="Synthetic collection made by generate_catalog.")
            collection.save()  # computes the setSpec from the parent's
            stored[collection.identifier] = collection
        spec["pk"], spec["set_spec"] = stored[spec["identifier"]].pk, stored[spec["identifier"]].set_spec


# --- Items ----------------------------------------------------------------------------------

class ItemMaker:
    """Makes item number n of a seed: its row (derived fields set), statements and collections."""

    def __init__(self, pool):
        self.pool = pool
        self.derived_dates = {}  # date statements -> their derived fields (see derived())
        self.calculator = Item()  # derived_fields reads only the statements it is given

    def make(self, number):
        pool = self.pool
        rng = random.Random(pool.seed * 1_000_000_007 + number)
        dcmi_type, lang = weighted(rng, TYPES), weighted(rng, LANGUAGES)
        genre = GENRE.get(dcmi_type, "record")
        cast = {
            "place": rng.choice(pool.places), "person": rng.choice(pool.people),
            "person2": rng.choice(pool.people), "org": rng.choice(pool.organisations),
            "topic": rng.choice(pool.topics), "object": rng.choice(OBJECTS),
        }
        values = []  # (term, value, lang, authority record or None)

        def add(term, value, value_lang="", record=None):
            values.append((term, value, value_lang, record))

        add("title", self._fill(rng.choice(TITLES[lang][genre]), cast, lang), lang)
        add(*rng.choice(pool.dates))
        wanted = rng.randint(5, 15)
        optional = self._optional(rng, cast, lang, genre, number)
        while len(values) < wanted:
            add(*next(optional))

        statements = [
            Draft(term, value, value_lang, record["pk"] if record else None, position)
            for position, (term, value, value_lang, record) in enumerate(values)
        ]
        status = weighted(rng, STATUSES)
        created = DATESTAMPS_FROM + timedelta(seconds=rng.randrange(DATESTAMPS_SPAN))
        modified = created + timedelta(seconds=rng.randrange(3 * 365 * 86400)) if rng.random() < 0.3 else created
        item = Item(
            identifier=f"syn-{pool.seed}-{number:07d}", dcmi_type=dcmi_type, status=status,
            created=created, modified=modified, ever_published=status != Item.DRAFT,
            full_text=self._transcription(rng, cast, lang) if genre == "text" and rng.random() < 0.25 else "",
            rights_uri=weighted(random.Random(f"arkiv-rights-{pool.seed}-{number}"), RIGHTS_URIS),
            **self.derived(statements),
        )
        collections = self._collections(rng)
        return item, statements, collections

    def derived(self, statements):
        """Item.derived_fields for these statements. Reading a date costs milliseconds (the EDTF
        grammar) while a catalogue holds a few thousand distinct date strings, so the date part is
        worked out once per distinct set of date statements and the title part every time."""
        dated = [s for s in statements if s.term in dublincore.DATE_TERMS]
        fields = self.calculator.derived_fields([s for s in statements if s.term not in dublincore.DATE_TERMS])
        key = tuple((s.position, s.term, s.value) for s in dated)
        if key not in self.derived_dates:
            from_dates = self.calculator.derived_fields(dated)
            self.derived_dates[key] = {field: from_dates[field] for field in DATE_FIELDS}
        fields.update(self.derived_dates[key])
        return fields

    @staticmethod
    def _fill(pattern, cast, lang):
        column = LANGUAGE_COLUMN[lang]
        return pattern.format(
            place=cast["place"]["label"], person=cast["person"]["label"], person2=cast["person2"]["label"],
            org=cast["org"]["forms"].get(lang, cast["org"]["label"]), topic=cast["topic"]["forms"][lang],
            object=cast["object"][column],
        )

    def _optional(self, rng, cast, lang, genre, number):
        """An endless supply of further statements, in catalogue order, each drawn at random."""
        pool = self.pool
        while True:
            choice = rng.randrange(20)
            if choice < 3:
                record = rng.choice(pool.people) if rng.random() < 0.8 else rng.choice(pool.organisations)
                yield "creator", self._form(rng, record), "", record
            elif choice < 6:
                record = rng.choice(pool.topics) if rng.random() < 0.6 else rng.choice(pool.events)
                yield "subject", record["label"], "en", record
            elif choice < 8:
                record = rng.choice(pool.places)
                yield "spatial", self._form(rng, record), "", record
            elif choice < 10:
                yield "description", self._fill(rng.choice(DESCRIPTIONS[lang]), cast, lang), lang, None
            elif choice == 10:
                record = rng.choice(pool.people)
                yield "contributor", self._form(rng, record), "", record
            elif choice == 11:
                label, uri = rng.choice(RIGHTS)
                yield ("rights", label, "en", None) if rng.random() < 0.6 else ("license", uri, "", None)
            elif choice == 12:
                yield "rightsHolder", cast["org"]["label"], "", cast["org"]
            elif choice == 13:
                yield "identifier", f"SYN/{pool.seed}/{number % 977:03d}/{number}", "", None
            elif choice == 14:
                yield "language", lang, "", None
            elif choice == 15:
                yield "extent", rng.choice(EXTENTS[genre]).format(n=rng.randint(1, 60)), "en", None
            elif choice == 16 and genre in FORMATS:
                yield "format", FORMATS[genre], "", None
            elif choice == 17:
                record = rng.choice(pool.events)
                yield "temporal", record["label"], "en", record
            elif choice == 18:
                yield "provenance", f"Given by {rng.choice(pool.people)['label']} in {rng.randint(1950, 2023)}.", "en", None
            else:
                yield "alternative", self._fill(rng.choice(TITLES["en"][genre]), cast, "en"), "en", None

    @staticmethod
    def _form(rng, record):
        """The name as a source writes it: mostly the preferred form, sometimes a variant."""
        if record["variants"] and rng.random() < 0.2:
            return rng.choice(record["variants"])[0]
        return record["label"]

    @staticmethod
    def _transcription(rng, cast, lang):
        sentences = [ItemMaker._fill(rng.choice(DESCRIPTIONS[lang]), cast, lang) for _ in range(rng.randint(3, 12))]
        return " ".join(sentences)

    def _collections(self, rng):
        roll = rng.random()
        if roll < 0.04:
            return []
        fonds = rng.choice(self.pool.fonds)
        chosen = [rng.choice(fonds["series"]) if rng.random() < 0.9 else fonds]
        if roll > 0.9:
            chosen.append(rng.choice(self.pool.themes))
        return chosen


# --- The arrangement: fonds -> series -> files -> items ------------------------------------------

# Series of the fonds: (English, Norwegian) titles, and what a file of each holds.
ARRANGEMENT_SERIES = [
    ("Photographs", "Fotografier"), ("Correspondence", "Korrespondanse"), ("Minutes and reports", "Møtebøker og rapporter"),
    ("Sound and film", "Lyd og film"), ("Objects", "Gjenstander"), ("Printed matter", "Trykksaker"),
]
SERIES_PER_FONDS = (3, 6)
FILES_PER_SERIES = (20, 160)
FILE_ITEMS = (50, 500)
BIG_SERIES = 100_000
SERIES_CODES = "ABCDEFGHIJ"
COLLECTION_EVERY = 4  # every fourth top unit is an assembled collection, the others fonds
LEVEL_DEPTH = {"collection": 0, "fonds": 0, "series": 1, "file": 2}
LEVEL_ORDER = ("collection", "fonds", "series", "file", "item")


def shipped_levels():
    """{code: pk} of the levels the arrangement uses, made as the migration makes them where a
    database lacks one (a flushed test database has none)."""
    return Level.ensure(LEVEL_ORDER)

Unit = namedtuple("Unit", "number level parent position code top spec")
"""An aggregate of the arrangement: its number (identifier syn-<seed>-<number>), level code,
parent's number (None at the top), position and local code among its siblings, the number of its
top unit, and what its description is made from (`spec`, a dict)."""

Run = namedtuple("Run", "start count parent")
"""`count` units at the level item, numbered from `start`, directly under unit `parent`."""

Placed = namedtuple("Placed", "unit parent position code")
"""One unit to write: the aggregate (`unit`, None for an item), its parent's number, position
and local code."""


class Layout:
    """Where every unit number of a seed sits: a pure function of the number, so that appending
    gives what one longer run gives. Unit 0 opens the first fonds; units follow in the order of a
    finding aid (a fonds, its first series, that series' first file, the file's items, the next
    file…).

    The first fonds is the benchmarks' tree: a series A of files (BIG_SERIES / 10 items in all,
    the subtree a move is timed on), then a series B of BIG_SERIES items directly under it (the
    100,000-child page), then a few ordinary series. Every other top unit has SERIES_PER_FONDS
    series of FILES_PER_SERIES files of FILE_ITEMS items each. The sizes are drawn from
    random.Random seeded by (seed, top unit number); generating a catalogue in several runs
    gives the same tree only with the same --big-series and --file-items."""

    def __init__(self, seed, *, big_series=BIG_SERIES, file_items=FILE_ITEMS):
        self.seed, self.big_series, self.file_items = seed, big_series, file_items
        self.units = {}  # number -> Unit, for every aggregate walked past

    def identifier(self, number):
        return f"syn-{self.seed}-{number:07d}"

    def walk(self, first):
        """Placed units from number `first` on, for ever (the caller stops)."""
        for entry in self._entries():
            if isinstance(entry, Unit):
                self.units[entry.number] = entry
                if entry.number >= first:
                    yield Placed(entry, entry.parent, entry.position, entry.code)
                continue
            start = max(first - entry.start, 0)  # an item run: skipped by arithmetic
            for offset in range(start, entry.count):
                yield Placed(None, entry.parent, offset, str(offset + 1))

    def _entries(self):
        number = 0
        for k in range(1, 10**6):
            rng = random.Random(f"arkiv-arrangement-{self.seed}-{k}")
            top = Unit(number, "collection" if k % COLLECTION_EVERY == 0 else "fonds", None, k - 1,
                       f"SYN{self.seed}-{k:03d}", number, {"k": k})
            series = self._series_plan(rng, k)
            top.spec["series"] = len(series)
            yield top
            number += 1
            for index, (kind, files, direct) in enumerate(series):
                unit = Unit(number, "series", top.number, index, SERIES_CODES[index], top.number,
                            {"kind": kind, "files": len(files), "items": direct or sum(files)})
                yield unit
                number += 1
                if direct:
                    yield Run(number, direct, unit.number)
                    number += direct
                for position, size in enumerate(files):
                    file = Unit(number, "file", unit.number, position, str(position + 1), top.number,
                                {"kind": kind, "items": size})
                    yield file
                    number += 1
                    yield Run(number, size, file.number)
                    number += size

    def _series_plan(self, rng, k):
        """[(kind, [items in each file], items directly under the series)] of top unit k."""
        low, high = self.file_items

        def files(count):
            return [rng.randint(low, high) for _ in range(count)]

        kinds = rng.sample(range(len(ARRANGEMENT_SERIES)), rng.randint(*SERIES_PER_FONDS))
        plan = [(kind, files(rng.randint(*FILES_PER_SERIES)), 0) for kind in kinds]
        if k == 1:
            first = []
            while sum(first) < self.big_series // 10:
                first += files(1)
            plan = [(kinds[0], first, 0), (0, [], self.big_series), *plan[1:]]
        return plan


class Placer:
    """The derived place (pk, ancestry, reference, whether visible) of every aggregate written,
    so that the units below it are written with theirs: Item.place() without a query a unit."""

    def __init__(self, layout):
        self.layout = layout
        self.places = {}  # number -> (pk, ancestry, reference, public)

    def parent_place(self, number):
        if number not in self.places:  # written by an earlier run: read once
            row = Item.objects.filter(identifier=self.layout.identifier(number)).values_list(
                "pk", "ancestry", "reference", "status", "ancestors_public").first()
            if row is None:
                raise CommandError(
                    f"Unit {self.layout.identifier(number)}, above the next units of seed {self.layout.seed}, "
                    "is missing: generate this seed's catalogue afresh."
                )
            pk, ancestry, reference, status, above = row
            self.places[number] = (pk, ancestry, reference, status == Item.PUBLISHED and above)
        return self.places[number]

    def place(self, item, placed):
        """Set `item`'s place fields as Item.place() would derive them."""
        item.parent_id, item.position, item.local_code = None, placed.position, placed.code
        if placed.parent is None:
            item.ancestry, item.reference, item.ancestors_public = "/", placed.code, True
        else:
            pk, ancestry, reference, public = self.parent_place(placed.parent)
            item.parent_id = pk
            item.ancestry, item.reference, item.ancestors_public = f"{ancestry}{pk}/", f"{reference}/{placed.code}"[:255], public

    def remember(self, number, item):
        self.places[number] = (item.pk, item.ancestry, item.reference, item.is_public)


class UnitMaker:
    """Describes an aggregate: title and dates, extent, scope, its creator (a fonds), subjects."""

    def __init__(self, pool, layout):
        self.pool, self.layout = pool, layout

    def make(self, unit):
        rng = random.Random(f"arkiv-unit-{self.pool.seed}-{unit.number}")
        top = self.layout.units[unit.top]
        # A fonds is one organisation's, a collection is about one topic; the units below share them.
        top_rng = random.Random(f"arkiv-unit-{self.pool.seed}-{top.number}")
        organisation, topic, place = (top_rng.choice(self.pool.organisations), top_rng.choice(self.pool.topics),
                                      top_rng.choice(self.pool.places))
        begun = top_rng.randint(1870, 1960)
        ended = min(2020, begun + top_rng.randint(20, 70))
        values = []
        if unit.level in ("fonds", "collection"):
            if unit.level == "fonds":
                english, norwegian = f"Archive of {organisation['forms'].get('en', organisation['label'])}", f"Arkivet etter {organisation['label']}"
            else:
                english = f"Collection on {topic['forms']['en']} in {place['label']}"
                norwegian = f"Samling om {topic['forms']['nb']} i {place['label']}"
            values += [("title", english, "en", None), ("alternative", norwegian, "nb", None),
                       ("created", f"{begun}/{ended}", "", None), ("extent", f"{unit.spec['series']} series", "en", None),
                       ("abstract", f"Records of {topic['forms']['en']} in {place['label']} and around it, {begun} to {ended}.", "en", None)]
            if unit.level == "fonds":
                values.append(("creator", organisation["label"], "", organisation))
            arrangement = f"{unit.spec['series']} series by kind of material; files within a series in order of date."
        elif unit.level == "series":
            english, norwegian = ARRANGEMENT_SERIES[unit.spec["kind"]]
            values += [("title", english, "en", None), ("alternative", norwegian, "nb", None),
                       ("created", f"{begun}/{ended}", "", None),
                       ("extent", f"{unit.spec['files']} files" if unit.spec["files"] else f"{unit.spec['items']} items", "en", None),
                       ("abstract", f"{english} about {topic['forms']['en']} in {place['label']}, {begun} to {ended}.", "en", None)]
            arrangement = "Files in order of date." if unit.spec["files"] else "Items in order of registration."
        else:
            first = rng.randint(begun, ended)
            last = min(ended, first + rng.randint(0, 8))
            file_topic, file_place = rng.choice(self.pool.topics), rng.choice(self.pool.places)
            years = f"{first}–{last}" if last > first else str(first)
            values += [("title", f"{ARRANGEMENT_SERIES[unit.spec['kind']][0]}: {file_topic['forms']['en']}, {file_place['label']}, {years}", "en", None),
                       ("alternative", f"{ARRANGEMENT_SERIES[unit.spec['kind']][1]}: {file_topic['forms']['nb']}, {file_place['label']}, {years}", "nb", None),
                       ("created", f"{first}/{last}", "", None), ("extent", f"{unit.spec['items']} items", "en", None),
                       ("subject", file_topic["label"], "en", file_topic)]
            place, arrangement = file_place, ""
        values += [("subject", topic["label"], "en", topic), ("spatial", place["label"], "", place)]
        statements = [Draft(term, value, lang, record["pk"] if record else None, position)
                      for position, (term, value, lang, record) in enumerate(values)]
        created = DATESTAMPS_FROM + timedelta(seconds=rng.randrange(DATESTAMPS_SPAN))
        item = Item(identifier=self.layout.identifier(unit.number), dcmi_type="Collection", status=Item.PUBLISHED,
                    created=created, modified=created, ever_published=True, arrangement=arrangement)
        return item, statements


UNIT_COLUMNS = (
    "identifier", "dcmi_type", "status", "full_text", "created", "modified", "ever_published",
    "level_id", "parent_id", "position", "local_code", "reference", "ancestry", "ancestors_public", "arrangement",
    "rights_uri", "sort_title", "date_text", "date_earliest", "date_latest", "date_unparsed",
)
LOOKUP_CHUNK = 900  # identifiers a query: under SQLite's oldest limit of parameters


def insert_units(items):
    """Insert `items` (Item instances, not saved) in order, and give each its primary key.

    bulk_create() compiled every one of a unit's twenty columns for every row, which cost more
    than the database's work (5 of 12 s for 10,000 units); the rows go in as plain tuples
    (catalog.bulk) and the keys are read back by identifier, a query per 900 units."""
    insert_rows(Item, UNIT_COLUMNS, [tuple(getattr(item, column) for column in UNIT_COLUMNS) for item in items])
    for start in range(0, len(items), LOOKUP_CHUNK):
        chunk = items[start:start + LOOKUP_CHUNK]
        pks = dict(Item.objects.filter(identifier__in=[item.identifier for item in chunk]).values_list("identifier", "pk"))
        for item in chunk:
            item.pk = pks[item.identifier]


# --- The command ----------------------------------------------------------------------------

class Command(BaseCommand):
    help = (
        "Append N synthetic units of description (identifiers syn-<seed>-<number>): fonds and "
        "collections, their series and files, and the items in them, with statements, shared "
        "authority records and nested collections, for benchmarks. The same seed gives the same rows."
    )

    def add_arguments(self, parser):
        parser.add_argument("count", type=int, metavar="N", help="How many units to add, items and the units above them.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1); the same seed gives the same rows.")
        parser.add_argument("--batch", type=int, default=5000, help="Units per transaction (default 5000).")
        parser.add_argument(
            "--big-series", type=int, default=BIG_SERIES,
            help=f"Items directly under the first fonds' series B (default {BIG_SERIES:,}); its series A holds a tenth as many in files.",
        )
        parser.add_argument(
            "--file-items", type=int, nargs=2, default=list(FILE_ITEMS), metavar=("MIN", "MAX"),
            help=f"Items in a file, drawn between MIN and MAX (default {FILE_ITEMS[0]} {FILE_ITEMS[1]}).",
        )
        parser.add_argument(
            "--images", type=int, default=0, metavar="M",
            help="Attach M synthetic images (phone photographs to 100 MP scans, made by code) to published items, "
                 "through the ingest of uploads (default 0).",
        )
        parser.add_argument(
            "--image-scale", type=float, default=1.0, metavar="F",
            help="Scale both sides of every image by F, between 0 and 1 (default 1: full size; 0.02 for tests).",
        )

    def handle(self, *args, count, seed, batch, big_series, file_items, images=0, image_scale=1.0, verbosity=1, **options):
        if count < 1:
            raise CommandError(f"N must be a positive number of items, not {count}.")
        if batch < 1:
            raise CommandError(f"--batch must be at least 1 item, not {batch}.")
        if seed < 0:
            raise CommandError(f"--seed must be zero or a positive number, not {seed}.")
        if big_series < 1:
            raise CommandError(f"--big-series must be at least 1 item, not {big_series}.")
        if not 1 <= file_items[0] <= file_items[1]:
            raise CommandError(f"--file-items must be two numbers, MIN at least 1 and MAX at least MIN, not {file_items[0]} {file_items[1]}.")
        if images < 0:
            raise CommandError(f"--images must be zero or a positive number of images, not {images}.")
        if not 0 < image_scale <= 1:
            raise CommandError(f"--image-scale must be above 0 and at most 1, not {image_scale}.")
        self._tune_connection()
        started = time.perf_counter()
        pool = Pool(seed)
        with transaction.atomic():
            store_pool(pool)
            self.levels = shipped_levels()
        first = self._next_number(seed)
        layout = Layout(seed, big_series=big_series, file_items=tuple(file_items))
        self.layout, self.placer = layout, Placer(layout)
        maker, unit_maker = ItemMaker(pool), UnitMaker(pool, layout)
        units = layout.walk(first)
        item_ids, statements, levels = [], 0, Counter()
        with tqdm(total=count, unit=" units", disable=verbosity < 1, smoothing=0.05) as progress:
            for start in range(first, first + count, batch):
                numbers = range(start, min(start + batch, first + count))
                placed = [next(units) for _ in numbers]
                with transaction.atomic():
                    ids, written = self._insert(maker, unit_maker, numbers, placed)
                item_ids += ids
                statements += written
                levels.update(p.unit.level if p.unit else "item" for p in placed)
                progress.update(len(numbers))
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"Generated {count} items, {statements} statements in {seconds:.1f} s "
            f"({count / seconds:,.0f} items/s); identifiers syn-{seed}-{first:07d} to syn-{seed}-{first + count - 1:07d}."
        )
        self.stdout.write("Levels: " + ", ".join(f"{levels[code]} {code}" for code in LEVEL_ORDER if levels[code]) + ".")
        self._analyze()
        self._reindex(item_ids)
        if images:
            self._attach_images(item_ids, images, seed, image_scale, verbosity)

    def _attach_images(self, item_ids, count, seed, scale, verbosity):
        started = time.perf_counter()
        with tqdm(total=count, unit=" images", disable=verbosity < 1) as progress:
            try:
                done = synthetic_images.attach(item_ids, count, seed=seed, scale=scale, progress=progress.update)
            except ValueError as error:
                raise CommandError(f"No images attached: {error}.") from None
        self.stdout.write(
            f"Images: {done.files} files on {done.items} items, {done.megapixels:,.1f} megapixels, "
            f"{done.bytes / 1e6:,.1f} MB of originals in {time.perf_counter() - started:.1f} s (making them "
            f"{done.make_seconds:.1f} s, ingest {done.ingest_seconds:.1f} s, waiting for pyramids {done.pyramid_seconds:.1f} s)."
        )

    def _insert(self, maker, unit_maker, numbers, placed):
        """Write the units numbered `numbers`, placed as `placed` says: the units above first, a
        level at a time (a unit's place needs its parent's primary key), then the items."""
        written = []  # (item, statements, collections)
        aggregates = [(number, p) for number, p in zip(numbers, placed) if p.unit]
        for depth in sorted({LEVEL_DEPTH[p.unit.level] for _, p in aggregates}):
            made = []
            for number, p in aggregates:
                if LEVEL_DEPTH[p.unit.level] == depth:
                    item, drafts = unit_maker.make(p.unit)
                    self._place(item, p)
                    for field, value in maker.derived(drafts).items():
                        setattr(item, field, value)
                    made.append((number, item, drafts))
            insert_units([item for _, item, _ in made])
            for number, item, drafts in made:
                self.placer.remember(number, item)
                written.append((item, drafts, []))
        made = []
        for number, p in zip(numbers, placed):
            if p.unit is None:
                item, drafts, collections = maker.make(number)
                self._place(item, p)
                made.append((item, drafts, collections))
        insert_units([item for item, _, _ in made])
        written += made
        statements, memberships, tombstones = [], [], []
        Membership = Item.collections.through
        for item, drafts, collections in written:
            statements += [(item.pk, d.term, d.value, d.lang, d.authority_id, d.position) for d in drafts]
            memberships += [(item.pk, c["pk"]) for c in collections]
            if item.ever_published and not item.is_public:
                # The rule of Tombstone: an item once published and not public now has one.
                specs = sorted({c["set_spec"] for c in collections} | {f"type:{item.dcmi_type}", item._fonds_set})
                tombstones.append(Tombstone(identifier=item.identifier, datestamp=item.modified,
                                            set_specs=Tombstone.pack_set_specs(specs), item_id=item.pk))
        insert_rows(Statement, ("item_id", "term", "value", "lang", "authority_id", "position"), statements)
        insert_rows(Membership, ("item_id", "collection_id"), memberships)
        Tombstone.objects.bulk_create(tombstones, batch_size=1000)
        return [item.pk for item, _, _ in written], len(statements)

    def _place(self, item, placed):
        item.level_id = self.levels[placed.unit.level if placed.unit else "item"]
        self.placer.place(item, placed)
        top = placed.unit.top if placed.unit else None
        if top is None:
            parent = self.layout.units[placed.parent]
            top = parent.top
        # Every unit of a tree is in its top unit's set, the top unit too once it has units below.
        item._fonds_set = fonds_set(self.layout.identifier(top))

    @staticmethod
    def _next_number(seed):
        """One past the highest number this seed has used, so a second run appends."""
        last = (
            Item.objects.filter(identifier__startswith=f"syn-{seed}-")
            .annotate(length=Length("identifier")).order_by("-length", "-identifier")
            .values_list("identifier", flat=True).first()
        )
        return int(last.rsplit("-", 1)[1]) + 1 if last else 0

    @staticmethod
    def _tune_connection():
        """Settings for this bulk-loading session only, neither of which risks the data."""
        with connection.cursor() as cursor:
            if connection.vendor == "sqlite":
                # A 1 GiB page cache keeps the statement indexes in memory while they grow.
                cursor.execute("PRAGMA cache_size = -1048576")
            elif connection.vendor == "postgresql":
                # A crash could lose the last batches, never corrupt them; the run can be redone.
                cursor.execute("SET synchronous_commit TO OFF")

    @staticmethod
    def _analyze():
        """PostgreSQL: statistics for the planner now. Until autovacuum comes round, tables filled
        in bulk read as nearly empty, and joins over them are planned as if they were: the
        browse's authority counts on 400 generated items took 3 to 7 s a query."""
        if connection.vendor == "postgresql":
            with connection.cursor() as cursor:
                cursor.execute("ANALYZE")

    def _reindex(self, item_ids):
        """Index the new items for search and facets (bulk writes bypass the receivers that would)."""
        started = time.perf_counter()
        reindex_items(item_ids=item_ids)
        self.stdout.write(f"Search index: {len(item_ids)} items in {time.perf_counter() - started:.1f} s.")
        if item_ids:
            started = time.perf_counter()
            # By their range, not their ids: a million ids make no query (the numbers are new, in order).
            facet_index.refresh_queryset(Item.objects.filter(pk__gte=min(item_ids), pk__lte=max(item_ids)))
            self.stdout.write(f"Facet index: {len(item_ids)} items in {time.perf_counter() - started:.1f} s.")
