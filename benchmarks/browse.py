"""Latency of the public browse, search and item pages, served as in production.

    .venv/bin/python -m benchmarks.browse                       # 10k and 100k items, SQLite
    .venv/bin/python -m benchmarks.browse --sizes 10000 100000 1000000 --backends sqlite postgres

For each catalogue (benchmarks/catalog.py builds and caches them) it starts gunicorn with two
sync workers and DEBUG off on a free 127.0.0.1 port, waits until both hold the facet index in
memory (each says so in the log), asks each page `--requests` times one
after the other (after two warm-up requests, so both workers have connected and compiled their
templates), prints the latency of the first, cold request (the facet cache empty) and the median
and 95th-percentile latency of the rest, and stops the server.

The pages: /items/ with no filter, with one facet (the commonest type), with three (that type,
its commonest collection and place); a search for a common and a rare word taken from the
catalogue's titles and descriptions; the home page, that collection's page, the pages of the ten
most used authority records; and item pages, a different item each time. A page is asked at most
`--max-seconds` in total, so a slow page cannot stall the run; the N printed is what was asked.

The site caches facet counts and the head of each result until the catalogue changes
(catalog/caching.py), so a page asked again is served mostly from that cache; the cache is
emptied before each catalogue, which makes the first request of each page a cold one. The row
"search, new words" asks a different common word every time, so that nothing of it is cached:
what a visitor's first search costs.

"Cold after an edit" (issue 15): a live archive is never warm, so for the pages in COLD_PAGES
a helper process edits the catalogue through the application, as an archivist would (one
published item's description, one linked authority record's preferred label, one draft
published), and the page is asked once right after, `--cold-rounds` times (default 5), once the
warm rows are measured; a table gives the median, fastest and slowest of those first requests
beside the warm median, and the 1M/100k ratio of the cold medians. The search
for new words asks a word not asked before each round. The edits are undone when the run ends
(the drafts made drafts again, their facet and search rows rebuilt), so the cached catalogue
stays as generate_catalog made it.

Each page is asked in every language of `--languages` (default en and nb, by Accept-Language; the
answer's Content-Language is checked), one row each, the requests of the languages taking turns
so that both meet the same load; the row of a language after the first gives the ratio of its
median to the first language's. Translation must not cost more than 5% on a cached page (issue
10). "search, new words" gives each language words of its own, alternately from the same list,
so that neither finds the other's search cached. The load average is printed before and after.
"""
import argparse
import collections
import math
import os
import re
import signal
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.parse
import urllib.request

from .catalog import ROOT, catalog_database

SIZES = (10_000, 100_000)
LANGUAGES = ("en", "nb")
WARM_UP = 2
WORKERS = 2
NEW_WORDS_PAGE = "search, new words"  # a new word each request: each language has words of its own
# The authority page is the most linked record's: its list is counted and sorted afresh after
# any edit (catalog/site/views.py authority_detail).
COLD_PAGES = (
    "browse, no facet", "browse, 1 facet", "browse, 3 facets", "search, common word", NEW_WORDS_PAGE, "home page",
    "authority page",
)
COLD_ROUNDS = 5
CACHE_TABLE = "arkiv_cache"
# How many items the search index matches for a word, as the site asks it (a prefix, since
# the word ends the query; see catalog/search/query.py).
SEARCH_INDEX_HITS = {
    "sqlite": "SELECT count(*) FROM catalog_search WHERE catalog_search MATCH '\"' || %s || '\"*'",
    "postgres": "SELECT count(*) FROM catalog_search WHERE vector @@ to_tsquery('simple', quote_literal(%s) || ':*')",
}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=SIZES, help="catalogue sizes, in items")
    parser.add_argument("--backends", nargs="+", default=["sqlite"], choices=["sqlite", "postgres"])
    parser.add_argument("--requests", type=int, default=30, help="requests per page (default 30)")
    parser.add_argument("--max-seconds", type=float, default=60, help="time cap per page (default 60)")
    parser.add_argument(
        "--database-url", help="measure this catalogue instead of the cached synthetic ones"
    )
    parser.add_argument(
        "--languages", nargs="+", default=LANGUAGES, help="interface languages to ask each page in (default en nb)"
    )
    parser.add_argument(
        "--cold-rounds", type=int, default=COLD_ROUNDS,
        help=f"edits, each followed by one request of each cold page (default {COLD_ROUNDS}; 0: none)",
    )
    arguments = parser.parse_args()

    if arguments.database_url:
        with connect(arguments.database_url) as db:
            size = db.one("SELECT count(*) FROM catalog_item")
        backend = "sqlite" if arguments.database_url.startswith("sqlite") else "postgres"
        catalogues = [(backend, size, arguments.database_url)]
        arguments.sizes = [size]
    else:
        catalogues = (
            (backend, size, None) for backend in arguments.backends for size in arguments.sizes
        )
    results = {}
    languages = arguments.languages
    print(f"load average {load_average()}")
    print(
        f"{'backend':9} {'items':>9}  {'page':22} {'lang':4} {'first ms':>9} {'N':>4} {'median ms':>10} "
        f"{'p95 ms':>8} {f'/{languages[0]}':>6}"
    )
    cold = {}
    for backend, size, url in catalogues:
        url = url or catalog_database(size, backend)
        pages = pages_to_ask(url, new_words=len(languages) * (arguments.requests + WARM_UP) + arguments.cold_rounds)
        empty_cache(url)
        # New words kept for the cold rounds, never asked before them.
        fresh = pages[NEW_WORDS_PAGE][1][len(pages[NEW_WORDS_PAGE][1]) - arguments.cold_rounds:]
        del pages[NEW_WORDS_PAGE][1][len(pages[NEW_WORDS_PAGE][1]) - arguments.cold_rounds:]
        with server(url) as base:
            for name, (detail, paths) in pages.items():
                try:
                    measured = measure(
                        base, paths, arguments.requests, arguments.max_seconds, languages, split=name == NEW_WORDS_PAGE
                    )
                except OSError as error:  # a worker killed by gunicorn's timeout: say so, go on
                    print(f"{backend:9} {size:>9,}  {name:22} failed: {error!r}", flush=True)
                    continue
                for language, (first, times) in measured.items():
                    median, p95 = statistics.median(times), percentile(times, 95)
                    results[backend, size, name, language] = median
                    ratio = median / results[backend, size, name, languages[0]]
                    print(
                        f"{backend:9} {size:>9,}  {name:22} {language:4} {first:>9.1f} {len(times):>4} "
                        f"{median:>10.1f} {p95:>8.1f} {'' if language == languages[0] else f'{ratio:.2f}':>6}  {detail}",
                        flush=True,
                    )
            if arguments.cold_rounds:
                # After the warm rows: what was cached then is what an edit must not leave stale.
                with editor(url) as edit:
                    cold[backend, size] = measure_cold(base, pages, fresh, arguments.cold_rounds, edit, languages[0])
                print_cold({(backend, size): cold[backend, size]}, results, languages[0])
    print(f"load average {load_average()}")
    print_ratios(results, arguments)
    print_cold(cold, results, languages[0], ratios_only=True)


def pages_to_ask(database_url, new_words):
    """{page name: (detail, [paths])} for this catalogue; facet values and words come from its rows.
    `new_words`: how many different words the row of new words asks (no word is asked twice)."""
    with connect(database_url) as db:
        dcmi_type = db.one(
            "SELECT dcmi_type FROM catalog_item WHERE status = 'published' "
            "GROUP BY dcmi_type ORDER BY count(*) DESC, dcmi_type LIMIT 1"
        )
        collection = db.one(
            "SELECT c.identifier FROM catalog_item_collections m "
            "JOIN catalog_collection c ON c.id = m.collection_id "
            "JOIN catalog_item i ON i.id = m.item_id "
            "WHERE i.status = 'published' AND i.dcmi_type = %s "
            "GROUP BY c.identifier ORDER BY count(*) DESC, c.identifier LIMIT 1",
            [dcmi_type],
        )
        place = db.one(
            "SELECT a.slug FROM catalog_statement s "
            "JOIN catalog_authority a ON a.id = s.authority_id "
            "JOIN catalog_item i ON i.id = s.item_id "
            "JOIN catalog_item_collections m ON m.item_id = i.id "
            "JOIN catalog_collection c ON c.id = m.collection_id "
            "WHERE i.status = 'published' AND i.dcmi_type = %s AND c.identifier = %s "
            "AND s.term IN ('spatial', 'coverage') "
            "GROUP BY a.slug ORDER BY count(*) DESC, a.slug LIMIT 1",
            [dcmi_type, collection],
        )
        texts = db.column(
            "SELECT value FROM catalog_statement WHERE term IN ('title', 'description') "
            "ORDER BY id LIMIT 50000"
        )
        records = db.rows(
            "SELECT a.kind, a.slug FROM catalog_authority a JOIN catalog_statement s ON s.authority_id = a.id "
            "GROUP BY a.id, a.kind, a.slug ORDER BY count(*) DESC, a.slug LIMIT 10"
        )
        identifiers = db.column(
            "SELECT identifier FROM catalog_item WHERE status = 'published' ORDER BY id LIMIT 5000"
        )
        common, rare = common_and_rare_word(texts)
        hits = {word: db.one(SEARCH_INDEX_HITS[db.engine], [word]) for word in (common, rare)}
        new_words = common_words(texts, new_words, exclude={common, rare})

    def browse(parameters):
        return "/items/?" + urllib.parse.urlencode(parameters)

    return {
        "browse, no facet": ("", ["/items/"]),
        "browse, 1 facet": ("", [browse({"type": dcmi_type})]),
        "browse, 3 facets": ("", [browse({"type": dcmi_type, "collection": collection, "place": place})]),
        "search, common word": (f"{common}, {hits[common]:,} hits", [browse({"q": common})]),
        "search, rare word": (f"{rare}, {hits[rare]:,} hits", [browse({"q": rare})]),
        NEW_WORDS_PAGE: (
            f"{len(new_words)} common words, each asked once", [browse({"q": word}) for word in new_words]
        ),
        "home page": ("", ["/"]),
        "collection page": ("", [f"/collections/{urllib.parse.quote(collection)}/"]),
        "authority page": (
            "the 10 most used records", [f"/authorities/{kind}/{urllib.parse.quote(slug)}/" for kind, slug in records]
        ),
        "item page": ("", [f"/items/{urllib.parse.quote(i)}/" for i in identifiers[::max(1, len(identifiers) // 50)]]),
    }


def common_and_rare_word(texts):
    """The commonest word of four letters or more in these titles and descriptions, and the
    rarest of six letters or more."""
    # Plain a-z words only: the hit counts below ask the index directly, which holds words
    # folded by catalog/search/text.py (metsästys as metsastys).
    counts = collections.Counter(word for text in texts for word in re.findall(r"\b[a-z]{4,}\b", text.lower()))
    common = max(counts, key=lambda word: (counts[word], word))
    rare = min((word for word in counts if len(word) >= 6), key=lambda word: (counts[word], word))
    return common, rare


def common_words(texts, n, exclude):
    """The n commonest words of five letters or more in these texts, but those in `exclude`."""
    counts = collections.Counter(word for text in texts for word in re.findall(r"\b[a-z]{5,}\b", text.lower()))
    return [word for word, _ in counts.most_common(n + len(exclude)) if word not in exclude][:n]


def empty_cache(database_url):
    """Forget every cached count and result (the site's cache table, see archive/settings.py)."""
    with connect(database_url) as db:
        db.connection.cursor().execute(f"DELETE FROM {CACHE_TABLE}")
        db.connection.commit()


class connect:
    """A plain DB-API connection to a catalogue (this module stays free of Django)."""

    def __init__(self, database_url):
        self.url = database_url

    def __enter__(self):
        if self.url.startswith("sqlite:///"):
            self.connection = sqlite3.connect(self.url.removeprefix("sqlite:///"))
            self.engine, self.placeholder = "sqlite", "?"
        else:
            import psycopg

            self.connection = psycopg.connect(self.url)
            self.engine, self.placeholder = "postgres", "%s"
        return self

    def __exit__(self, *exc):
        self.connection.close()

    def rows(self, sql, parameters=()):
        cursor = self.connection.cursor()
        cursor.execute(sql.replace("%s", self.placeholder), parameters)
        return cursor.fetchall()

    def one(self, sql, parameters=()):
        rows = self.rows(sql, parameters)
        if not rows:
            raise RuntimeError(f"The catalogue has nothing for: {sql}")
        return rows[0][0]

    def column(self, sql, parameters=()):
        return [row[0] for row in self.rows(sql, parameters)]


class server:
    """gunicorn serving the site from `database_url` on a free port; yields its base URL."""

    def __init__(self, database_url):
        self.database_url = database_url

    def __enter__(self):
        self.log = tempfile.NamedTemporaryFile("w+", prefix="arkiv-gunicorn-", suffix=".log")
        # LOG_LEVEL=INFO: each worker says when it holds the facet bitmaps (see below).
        environment = {**os.environ, "DATABASE_URL": self.database_url, "DEBUG": "0", "LOG_LEVEL": "INFO"}
        self.process = subprocess.Popen(
            [
                sys.executable, "-m", "gunicorn", "archive.wsgi:application",
                "--workers", str(WORKERS), "--bind", "127.0.0.1:0", "--log-level", "info", "--timeout", "120",
            ],
            cwd=ROOT, env=environment, stdout=self.log, stderr=subprocess.STDOUT,
        )
        # Served only once every worker has read the facet index (archive/wsgi.py; 10 s at a
        # million items, in a thread that holds the interpreter): requests made meanwhile measured
        # that read, not the page.
        deadline = time.monotonic() + 180
        while time.monotonic() < deadline:
            log = open(self.log.name).read()
            listening = re.search(r"Listening at: (http://127\.0\.0\.1:\d+)", log)
            # Held, too large to hold, or not read (the first search reads them): each ends the read.
            read = re.findall(r"Facet bitmaps held|too large to hold|were not read at start", log)
            if listening and len(read) >= WORKERS:
                return listening.group(1)
            if self.process.poll() is not None:
                break
            time.sleep(0.1)
        self.__exit__()
        raise RuntimeError(f"gunicorn did not start; its log:\n{open(self.log.name).read()}")

    def __exit__(self, *exc):
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)  # gunicorn's graceful shutdown
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.log.close()


def measure(base, paths, requests, max_seconds, languages=LANGUAGES, *, split=False):
    """{language: (first, [latencies])} in milliseconds: each language's first request, cold
    (empty caches, fresh connection), then up to `requests` GETs each cycling through `paths`
    after the warm-up, the languages taking turns. `split`: each language asks every other path
    of its own (new words, which the other language must not have cached)."""
    own = {
        language: paths[index::len(languages)] if split else paths
        for index, language in enumerate(languages)
    }
    measured = {}
    for language in languages:
        begun = time.perf_counter()
        fetch(base + own[language][0], language)
        measured[language] = ((time.perf_counter() - begun) * 1000, [])
    for n in range(1, WARM_UP):
        for language in languages:
            fetch(base + own[language][n % len(own[language])], language)
    started = time.monotonic()
    for n in range(requests):
        for language in languages:
            chosen = own[language]
            path = chosen[(WARM_UP + n) % len(chosen)]  # after those of the warm-up, so a list is asked in turn
            begun = time.perf_counter()
            fetch(base + path, language)
            measured[language][1].append((time.perf_counter() - begun) * 1000)
        if time.monotonic() - started > max_seconds:
            break
    return measured


def measure_cold(base, pages, fresh, rounds, edit, language):
    """{page name: [latencies]} in milliseconds: in each of `rounds` rounds, every page of
    COLD_PAGES is asked once right after an edit of each kind (`fresh`: a new search word a round)."""
    latencies = {name: [] for name in COLD_PAGES}
    for round_ in range(rounds):
        for name in COLD_PAGES:
            edit()
            path = fresh[round_] if name == NEW_WORDS_PAGE else pages[name][1][0]
            begun = time.perf_counter()
            try:
                fetch(base + path, language)
            except OSError:  # a worker killed by gunicorn's timeout: left out of the figures
                continue
            latencies[name].append((time.perf_counter() - begun) * 1000)
    return latencies


def print_cold(cold, results, language, *, ratios_only=False):
    if not cold:
        return
    if not ratios_only:
        print(f"\nCold after an edit (an item, a record and a publication, then one request; {language}):")
        print(f"{'backend':9} {'items':>9}  {'page':22} {'median ms':>10} {'min ms':>8} {'max ms':>8} {'N':>3} {'warm ms':>8}")
    for (backend, size), pages in cold.items():
        for name, times in pages.items():
            if ratios_only:
                break
            if not times:
                print(f"{backend:9} {size:>9,}  {name:22} failed")
                continue
            warm = results.get((backend, size, name, language))
            print(
                f"{backend:9} {size:>9,}  {name:22} {statistics.median(times):>10.1f} {min(times):>8.1f} "
                f"{max(times):>8.1f} {len(times):>3} {'' if warm is None else f'{warm:.1f}':>8}"
            )
    sizes = sorted({size for _, size in cold})
    if len(sizes) >= 2:
        small, large = sizes[-2], sizes[-1]
        print(f"\nCold median ratio {large:,} / {small:,} items:")
        for (backend, size), pages in cold.items():
            if size == large and (backend, small) in cold:
                for name, times in pages.items():
                    if times and cold[backend, small][name]:
                        print(f"  {backend:9} {name:22} {statistics.median(times) / statistics.median(cold[backend, small][name]):.2f}")
    print(f"load average {load_average()}")


# Run in a process of its own with the catalogue's DATABASE_URL: each line it reads makes one
# edit of each kind through the application (so the receivers, the facet index and the catalogue
# version see it as they see an archivist's), and it answers "done"; at the end of its input it
# undoes them.
EDITOR = """
import os, sys, time
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "archive.settings")
import django
django.setup()
from django.db import OperationalError
from catalog import services
from catalog.facets import index
from catalog.models import Authority, Item, Statement, Tombstone
from catalog.search import reindex_items

described = Statement.objects.filter(term="description", item__status="published").order_by("item_id").first()
record = Authority.objects.filter(statements__item__status="published").order_by("pk").first()
drafts = list(
    Item.objects.filter(status="draft", parent__isnull=True, ever_published=False, statements__term="title")
    .order_by("pk").distinct()[:50]
)
text, label, published = described.value, record.preferred_label, []
print("ready", flush=True)
def edit(number):
    described.value = text + (" (edited)" if number % 2 == 0 else "")
    described.save()
    record.preferred_label = label + (" (edited)" if number % 2 == 0 else "")
    record.save()
    if drafts:
        draft = drafts.pop(0)
        services.item_publish(item=draft)
        published.append(draft.pk)


for number, _ in enumerate(sys.stdin):
    for attempt in range(3):
        try:
            edit(number)
            break
        except OperationalError as error:  # a deadlock with another writer (PostgreSQL): again
            print(repr(error), file=sys.stderr, flush=True)
            time.sleep(1)
    print("done", flush=True)
described.value = text
described.save()
record.preferred_label = label
record.save()
if published:
    identifiers = list(Item.objects.filter(pk__in=published).values_list("identifier", flat=True))
    Item.objects.filter(pk__in=published).update(status="draft", ever_published=False)
    Tombstone.objects.filter(identifier__in=identifiers).delete()
    index.refresh(published)
    reindex_items(published)
"""


class editor:
    """A helper process that edits the catalogue at `database_url`; yields edit(), which makes
    one edit of each kind and returns once they are committed."""

    def __init__(self, database_url):
        self.database_url = database_url

    def __enter__(self):
        environment = {**os.environ, "DATABASE_URL": self.database_url, "DEBUG": "0"}
        self.process = subprocess.Popen(
            [sys.executable, "-c", EDITOR], cwd=ROOT, env=environment, text=True,
            stdin=subprocess.PIPE, stdout=subprocess.PIPE,
        )
        if self.process.stdout.readline().strip() != "ready":
            raise RuntimeError("the editing process did not start")
        return self.edit

    def edit(self):
        self.process.stdin.write("edit\n")
        self.process.stdin.flush()
        if self.process.stdout.readline().strip() != "done":
            raise RuntimeError("the editing process failed")

    def __exit__(self, *exc):
        self.process.stdin.close()  # it undoes its edits, then ends
        self.process.wait(timeout=600)


def fetch(url, language="en"):
    request = urllib.request.Request(url, headers={"Accept-Language": language})
    with urllib.request.urlopen(request, timeout=120) as response:
        if response.status != 200:
            raise RuntimeError(f"{url} answered {response.status}")
        answered = response.headers.get("Content-Language")
        if answered != language:
            raise RuntimeError(f"{url} asked in {language} answered in {answered}")
        return response.read()


def load_average():
    return " ".join(f"{load:.2f}" for load in os.getloadavg())


def percentile(values, p):
    """Nearest-rank percentile: the smallest value with at least p% of the values at or below it."""
    ordered = sorted(values)
    return ordered[max(0, math.ceil(p / 100 * len(ordered)) - 1)]


def print_ratios(results, arguments):
    sizes = sorted(arguments.sizes)
    if len(sizes) < 2:
        return
    small, large = sizes[-2], sizes[-1]
    print(f"\nMedian latency ratio {large:,} / {small:,} items:")
    for (backend, size, name, language), median in results.items():
        if size == large and (backend, small, name, language) in results:
            print(f"  {backend:9} {name:22} {language:4} {median / results[backend, small, name, language]:.2f}")


if __name__ == "__main__":
    main()
