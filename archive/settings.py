"""Arkiv settings. Everything that differs between machines comes from the environment.

The defaults are safe for the demo: DEBUG off, a SQLite file inside the project, a secret key
generated on first run and kept in `.secret_key` (git ignores it).
"""
import os
import secrets
import tempfile
from datetime import timedelta
from pathlib import Path

import dj_database_url

from archive.caches import caches_from_url

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name, default=False):
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name, default):
    value = os.environ.get(name)
    if not value:
        return default
    return [part.strip() for part in value.split(",") if part.strip()]


def _secret_key():
    if os.environ.get("SECRET_KEY"):
        return os.environ["SECRET_KEY"]
    key_file = BASE_DIR / ".secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
"""Signs sessions, CSRF tokens and OAI resumption tokens. Set it in production; changing it
invalidates every resumption token in circulation."""

DEBUG = env_bool("DEBUG")
"""Off unless DEBUG=1: tracebacks are never shown to the public by default."""

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost", "[::1]", "testserver"])
"""Comma-separated host names this site answers to."""

# --- Production: HTTPS, the proxy in front, the content policy, sign-in throttling ---------------
# The HTTPS settings are off by default, because the demo (`make run`) is plain HTTP on 127.0.0.1;
# the README's deployment section lists the variables a public site sets, under which
# `manage.py check --deploy` is clean (tests/test_settings.py).

CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])
"""Comma-separated origins (https://other.example.org) allowed to post forms here besides the
site's own. The site's own origin needs no entry once ARKIV_BEHIND_PROXY tells Django the
request came over HTTPS. Default: none."""

ARKIV_BEHIND_PROXY = env_bool("ARKIV_BEHIND_PROXY")
"""Set to 1 only when a web server in front (nginx) sets X-Forwarded-Proto and appends the
client's address to X-Forwarded-For itself: Django then takes "https" from the first
(SECURE_PROXY_SSL_HEADER) and the sign-in throttle the address from the second. Never set it when
clients reach gunicorn directly, or they could claim either. Default: off."""

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https") if ARKIV_BEHIND_PROXY else None

SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT")
"""1: answer every plain-HTTP request with a redirect to HTTPS. Default: off."""

SESSION_COOKIE_SECURE = env_bool("SESSION_COOKIE_SECURE")
"""1: browsers send the sign-in cookie over HTTPS only. Default: off (the demo is plain HTTP)."""

CSRF_COOKIE_SECURE = env_bool("CSRF_COOKIE_SECURE")
"""1: browsers send the CSRF cookie over HTTPS only. Default: off."""

SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", "0"))
"""Strict-Transport-Security: for how many seconds browsers must use HTTPS only for this host
(31536000 is a year; try 3600 first, since browsers remember it). Default 0: no header."""

SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS")
"""1: the HSTS rule covers every subdomain too. Default: off."""

SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD")
"""1: the HSTS header consents to the browsers' preload lists (hstspreload.org); it takes the
host into them only when submitted there. Default: off."""

CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "form-action": ["'self'"],
        "frame-ancestors": ["'none'"],
    },
}
"""The Content-Security-Policy of every page (django-csp): scripts, styles, images and fonts come
from the site itself, never from markup inline, so markup smuggled into a page cannot run. The
admin adds inline styles (archive/csp.py: ADMIN_ALLOWANCES). Not an environment setting: the site
needs nothing from other origins. A response that sets its own policy (a digital file) keeps it."""

AUTHENTICATION_BACKENDS = [
    # First, so that a paused sign-in is refused before any password is checked.
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]

AXES_FAILURE_LIMIT = int(os.environ.get("ARKIV_LOGIN_FAILURE_LIMIT", "5"))
"""ARKIV_LOGIN_FAILURE_LIMIT: after this many wrong passwords in a row for one user from one
address, sign-in is paused for that user at that address, even with the right password
(django-axes). Default 5."""

AXES_COOLOFF_TIME = timedelta(minutes=int(os.environ.get("ARKIV_LOGIN_COOLOFF_MINUTES", "15")))
"""ARKIV_LOGIN_COOLOFF_MINUTES: how long such a pause lasts, in minutes, counted from the last
failure. Default 15. `manage.py axes_reset_username USER` lifts one at once."""

# One user at one address: colleagues behind the same office router can still sign in, and
# nobody elsewhere can lock an archivist out by guessing at their user name.
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_RESET_COOL_OFF_ON_FAILURE_DURING_LOCKOUT = False  # the pause ends when the message says
AXES_CLIENT_IP_CALLABLE = "catalog.admin.login.client_address"
AXES_LOCKOUT_CALLABLE = "catalog.admin.login.paused_response"

INSTALLED_APPS = [
    # Before the admin, so that its templates/admin/base_site.html (the language page in the user
    # tools) overrides the admin's own, as Django's "Overriding templates" describes.
    "catalog",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.postgres",
    "django_filters",
    "csp",
    "axes",
    "catalog.site",
    "catalog.facets",  # the derived facet index and the catalogue version (issue 15)
    "catalog.oai.cache",  # serialised OAI-PMH records, rebuilt from the description (issue 15)
    "reversion",  # history with revert (catalog/history/)
    "catalog.history",
    "catalog.materials",  # templates per kind of material (the admin's item editor)
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "archive.csp.SitePolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "archive.language.LanguageMiddleware",  # after auth: a signed-in archivist's preference counts
    "django.contrib.messages.middleware.MessageMiddleware",
    "catalog.history.middleware.AdminChangesMiddleware",  # each admin write request: one change set
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "catalog.busy.BusyDatabaseMiddleware",  # a view the database cannot serve now: 503, not 500
    "axes.middleware.AxesMiddleware",  # last, as django-axes requires: turns a paused sign-in into its page
]

ROOT_URLCONF = "archive.urls"

# An item's version holds its statements and files (catalog/history/serializer.py).
SERIALIZATION_MODULES = {"arkiv": "catalog.history.serializer"}

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "catalog.site.context_processors.repository",
            ],
        },
    },
]

WSGI_APPLICATION = "archive.wsgi.application"

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # A kept connection that the server dropped (PostgreSQL restarted) is replaced before a
        # request uses it, instead of failing that request.
        conn_health_checks=True,
    )
}
"""DATABASE_URL selects the database: sqlite:///path (default: db.sqlite3 in the project) or
postgres://user@host:5432/name for catalogues that outgrow one machine. CONN_MAX_AGE: seconds a
worker keeps its connection for the next requests (default 60; 0 opens one per request)."""

DATABASE_LOCK_TIMEOUT = int(os.environ.get("DATABASE_LOCK_TIMEOUT", "20"))
"""How long, in seconds, a request waits for a lock another transaction holds (on SQLite the
database's one write lock, which a CSV import holds while it writes; on PostgreSQL a row the
import changes) before it gives up and is answered 503 “busy, try again” (catalog/busy.py).
Default 20: longer than an import of 20,000 rows writes (benchmarks/import_lock.py), and short
enough that a waiting request does not keep one of gunicorn's few workers for long."""

if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL lets the public site read while an import writes; the busy timeout makes a writer
    # wait for the lock instead of failing at once.
    DATABASES["default"]["OPTIONS"] = {
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "timeout": DATABASE_LOCK_TIMEOUT,
        "transaction_mode": "IMMEDIATE",
    }
elif DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    # PostgreSQL waits for a locked row for ever by default, keeping the worker until gunicorn kills it.
    _options = DATABASES["default"].setdefault("OPTIONS", {})
    _options["options"] = f"{_options.get('options', '')} -c lock_timeout={DATABASE_LOCK_TIMEOUT}s".strip()

CACHES = caches_from_url(os.environ.get("CACHE_URL"), key_prefix=os.environ.get("CACHE_KEY_PREFIX", "arkiv"))
"""The browse's facet counts and result heads (catalog/site/caching.py) are cached where every
server process shares them (with a per-process cache each gunicorn worker paid seconds for the
same counts at 100,000 items). CACHE_URL unset: a table of the catalogue's own database, made by
`migrate` (migration 0006_perf_cache_table), which a test's rollback empties with the rest.
CACHE_URL=redis://host:6379/0: Redis, for several web servers (archive/caches.py; README,
Deployment). CACHE_KEY_PREFIX (default arkiv) keeps two sites on one Redis apart."""

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

FORMAT_MODULE_PATH = ["archive.formats"]
"""Date formats that differ from Django's for a language (archive/formats/<code>/formats.py):
English dates read "24 September 1945", as Norwegian ones read "24. september 1945"."""

LOCALE_PATHS = [BASE_DIR / "catalog" / "locale"]
"""Arkiv's translations: one folder a language, `catalog/locale/<code>/LC_MESSAGES/django.po`
(English is the source). The set-up compiles them (`make translations`)."""


def _languages():
    """English, and every language with a translation in LOCALE_PATHS: a translator adds a
    language (Northern Sami, `se`) with its one .po file and nothing else. Each is named in its
    own language, as a switcher names them."""
    import langcodes

    codes = sorted(
        path.name for path in LOCALE_PATHS[0].iterdir()
        if (path / "LC_MESSAGES" / "django.po").exists()
    ) if LOCALE_PATHS[0].is_dir() else []
    names = {"en": "English", "nb": "norsk bokmål"}
    return [("en", "English")] + [
        (code, names.get(code) or langcodes.Language.get(code).autonym()) for code in codes if code != "en"
    ]


LANGUAGES = _languages()
"""The languages of the interface, from the translations present (see _languages)."""

LANGUAGE_CODE = os.environ.get("LANGUAGE_CODE", "en")
"""The language of the interface for visitors whose browser asks for none Arkiv has (and for
the tests). A visitor's own choice (the switcher, remembered in a cookie), a signed-in
archivist's preference and the browser's Accept-Language come first: archive/language.py."""

LANGUAGE_FALLBACKS = {"no": "nb", "nn": "nb", "se": "nb", "smj": "nb", "sma": "nb"}
"""A language the interface lacks, read as a near one it has: Norwegian browsers often ask for
"no" (Norwegian) or "nn" (Nynorsk), and readers of Nynorsk and the Sami languages in Norway read
Bokmål; used only while the asked-for language has no translation of its own."""

LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"

STATIC_URL = "static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
"""Where `collectstatic` gathers files for a front web server; WhiteNoise serves from the apps'
own folders until then, but warns on every request if this folder does not exist."""
STATIC_ROOT.mkdir(parents=True, exist_ok=True)

MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
"""Where digital files and their derivatives are stored. Never served as it is: every file goes
out through catalog/delivery/, which asks the visibility rule first (ARKIV_FILE_SENDING)."""

STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedStaticFilesStorage"},
}

# WhiteNoise serves the app's static files straight from their finders, so the run command and
# the live-server tests need no collectstatic step.
WHITENOISE_USE_FINDERS = True
WHITENOISE_AUTOREFRESH = DEBUG

# Large uploads stream to a temporary file instead of memory; the size cap is ARKIV_MAX_UPLOAD_BYTES.
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_NUMBER_FIELDS = 5000

LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
"""Where signing in leads when the login has no `next`, or one Django refuses (another site, an
unsafe scheme): the admin, the only place to sign in to. Django's default, /accounts/profile/,
is no page of Arkiv's and answered 404."""

# --- Arkiv ----------------------------------------------------------------------------------

ARKIV_REPOSITORY_NAME = os.environ.get("ARKIV_REPOSITORY_NAME", "Arkiv demo catalogue")
"""The repository's name, shown on the public site and in OAI-PMH Identify."""

ARKIV_EDM_DATA_PROVIDER = os.environ.get("ARKIV_EDM_DATA_PROVIDER") or ARKIV_REPOSITORY_NAME
"""The institution whose records these are, as EDM records name it (edm:dataProvider; Europeana
shows it as the source of every object). Default: ARKIV_REPOSITORY_NAME."""

ARKIV_EDM_PROVIDER = os.environ.get("ARKIV_EDM_PROVIDER") or ARKIV_REPOSITORY_NAME
"""The organisation that delivers the records to Europeana (edm:provider): the archive itself
when Europeana harvests it directly, else the aggregator in between (a national or domain
aggregator such as Arkivportalen or Archives Portal Europe). Default: ARKIV_REPOSITORY_NAME."""

ARKIV_CATALOGUE_LANGUAGE = os.environ.get("ARKIV_CATALOGUE_LANGUAGE", "en")
"""The language (a BCP 47 tag, default en as in the demo) that the preferred labels of authority
records are written in. A reader in this language sees a record by its preferred label; a reader
in another sees the record's variant in their language where it has one (the Red Army is Den røde
armé in Norwegian), else the preferred label. English variants (Diakonov, Dyakonov) are other
spellings, then, not translations."""

ARKIV_REPOSITORY_ID = os.environ.get("ARKIV_REPOSITORY_ID", "arkiv.example.org")
"""The namespace of OAI identifiers, oai:<ARKIV_REPOSITORY_ID>:<item identifier>: a domain name
the repository controls. Never change it once harvested: every identifier would change."""

ARKIV_COUNTRY_CODE = os.environ.get("ARKIV_COUNTRY_CODE", "NO")
"""ISO 3166-1 alpha-2 code of the repository's country: the first part of every reference code
(ISAD(G) 3.1.1) and EAD's @countrycode."""

ARKIV_REPOSITORY_CODE = os.environ.get("ARKIV_REPOSITORY_CODE", "ARKIV")
"""The repository's code (its ISIL without the country prefix, where it has one): the second
part of every reference code; EAD's @repositorycode and apeEAD's agency code are
<country>-<this>."""

ARKIV_MOVE_INLINE_UNITS = int(os.environ.get("ARKIV_MOVE_INLINE_UNITS", "1000"))
"""A move, reorder or status change in the arrangement touching more units than this runs outside
the admin request, with progress shown; smaller ones are done before the page answers."""

ARKIV_ADMIN_EMAIL = os.environ.get("ARKIV_ADMIN_EMAIL", "archivist@example.org")
"""Contact address given to harvesters in OAI-PMH Identify."""

ARKIV_BASE_URL = os.environ.get("ARKIV_BASE_URL", "")
"""Absolute URL of the site (e.g. https://arkiv.example.org) for permalinks and the OAI
baseURL when requests arrive through a proxy; empty means: taken from the request."""

ARKIV_MAX_UPLOAD_BYTES = int(os.environ.get("ARKIV_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
"""Largest digital file accepted, in bytes (default 200 MiB)."""

ARKIV_MAX_IMAGE_PIXELS = int(os.environ.get("ARKIV_MAX_IMAGE_PIXELS", str(180_000_000)))
"""Largest image accepted, in pixels (width x height; default 180 megapixels). Larger images
are refused as possible decompression bombs before they are decoded."""

ARKIV_MAX_ZIP_BYTES = int(os.environ.get("ARKIV_MAX_ZIP_BYTES", str(4 * 1024 * 1024 * 1024)))
"""A zip of scans uploaded to “Ingest files” may unpack to at most this many bytes in all
(default 4 GiB), counted as it unpacks, whatever its directory claims: a zip bomb is refused."""

ARKIV_MAX_ZIP_FILES = int(os.environ.get("ARKIV_MAX_ZIP_FILES", "10000"))
"""…and hold at most this many files (default 10,000)."""

ARKIV_THUMBNAIL_SIZE = int(os.environ.get("ARKIV_THUMBNAIL_SIZE", "400"))
"""Longest side of a thumbnail, in pixels."""

ARKIV_DISPLAY_SIZE = int(os.environ.get("ARKIV_DISPLAY_SIZE", "1600"))
"""Longest side of the display derivative shown on item pages, in pixels."""

ARKIV_OAI_PAGE_SIZE = int(os.environ.get("ARKIV_OAI_PAGE_SIZE", "500"))
"""Records or headers per OAI-PMH list response before a resumption token is issued."""

ARKIV_OAI_TOKEN_LIFETIME = int(os.environ.get("ARKIV_OAI_TOKEN_LIFETIME", str(7 * 24 * 3600)))
"""How long a resumption token stays valid, in seconds (default 7 days, for slow harvesters)."""

ARKIV_IIIF_COLLECTION_PAGE_SIZE = int(os.environ.get("ARKIV_IIIF_COLLECTION_PAGE_SIZE", "500"))
"""Members per IIIF Collection document; a larger collection or unit is listed as Collections of
pages (catalog/iiif/presentation/collections.py)."""

ARKIV_IIIF_MAX_WIDTH = int(os.environ.get("ARKIV_IIIF_MAX_WIDTH", "10000"))
ARKIV_IIIF_MAX_HEIGHT = int(os.environ.get("ARKIV_IIIF_MAX_HEIGHT", str(ARKIV_IIIF_MAX_WIDTH)))
ARKIV_IIIF_MAX_AREA = int(os.environ.get("ARKIV_IIIF_MAX_AREA", str(25_000_000)))
"""The largest image the IIIF Image API makes for one request (pixels wide, high, and in all),
advertised in info.json as maxWidth, maxHeight and maxArea: `max` is scaled down to fit, and a
larger explicit size is refused with 400. Each is bounded so one request cannot take a worker's
memory (25 megapixels are some 75 MB decoded)."""

ARKIV_IIIF_CACHE_DIR = os.environ.get("ARKIV_IIIF_CACHE_DIR", "")
"""Where the IIIF Image API keeps the tiles and sizes it has made (empty: MEDIA_ROOT/iiif-cache).
Behind nginx (ARKIV_FILE_SENDING=x-accel-redirect) it must lie inside MEDIA_ROOT, which the
internal location maps."""

ARKIV_IIIF_CACHE_BYTES = int(os.environ.get("ARKIV_IIIF_CACHE_BYTES", str(2 * 1024 ** 3)))
"""The IIIF cache's size limit in bytes (default 2 GiB): past it the least recently used images
are removed."""

ARKIV_IIIF_MAX_AGE = int(os.environ.get("ARKIV_IIIF_MAX_AGE", str(24 * 3600)))
"""Seconds browsers and shared caches may keep a tile or size of a published image cut from its
pyramid (default a day); info.json and staff previews are kept as briefly as other files."""

ARKIV_BROWSE_PAGE_SIZE = int(os.environ.get("ARKIV_BROWSE_PAGE_SIZE", "20"))
"""Items per page of the public browse, and units per page of a unit's contents (each level of
its tree)."""

ARKIV_SEARCH_CANDIDATES = int(os.environ.get("ARKIV_SEARCH_CANDIDATES", "2000"))
"""Matches of a search scored for "best match" at most (catalog/search/topk.py): a result this
long or shorter is ranked exactly; a longer one shows the best of its first this many matches
(in catalogue order) first. At least the 500 ids a result head keeps (catalog/site/results.py)."""

ARKIV_SEARCH_WORK_MEM = os.environ.get("ARKIV_SEARCH_WORK_MEM", "64MB")
"""PostgreSQL: the work_mem of the transaction that reads every match of a search (for its
counts), enough for an exact bitmap of a broad word's rows (catalog/search/matching.py,
all_matches_read); 64 MB is enough for about ten million items."""

ARKIV_PRINTABLE_UNITS = int(os.environ.get("ARKIV_PRINTABLE_UNITS", "5000"))
"""The printable finding aid (/items/<identifier>/finding-aid/) lays out at most this many units,
then says that the rest is in the EAD finding aid: 5,000 units print as some hundreds of pages,
and a browser holds them. The page is streamed, so the server's memory does not grow with it."""

ARKIV_FILE_SENDING = os.environ.get("ARKIV_FILE_SENDING", "django")
"""Who sends the bytes of a digital file once Django has checked that the visitor may have it
(MEDIA_ROOT itself is never served): `django` (default; fine for the demo and small archives),
`x-accel-redirect` (nginx sends it from the internal location ARKIV_FILE_SENDING_PREFIX) or
`x-sendfile` (Apache's mod_xsendfile or lighttpd send it from its path). See the README's
deployment section."""

ARKIV_FILE_SENDING_PREFIX = os.environ.get("ARKIV_FILE_SENDING_PREFIX", "/protected-media/")
"""With x-accel-redirect: the internal nginx location that maps to MEDIA_ROOT."""

ARKIV_IMPORT_DIR = Path(os.environ.get("ARKIV_IMPORT_DIR", Path(tempfile.gettempdir()) / "arkiv-imports"))
"""Where admin CSV imports keep an uploaded file, its files and its plan between preview and
confirmation (one folder per import, removed after a week). Never inside MEDIA_ROOT: uploads
are not public."""

ARKIV_IMPORT_BACKGROUND_BYTES = int(os.environ.get("ARKIV_IMPORT_BACKGROUND_BYTES", str(1024 * 1024)))
"""CSV files larger than this (in bytes; default 1 MiB) are planned and applied in the
background while the admin shows a progress bar; smaller ones within the request."""

# Background work (catalog/tasks.py) runs as tasks of Django's Tasks API (the django-tasks
# backport), never in a thread of a web worker: a task is stored before the request ends, so it
# outlives a restart of the web server, and a worker process runs it (`make run` starts one).
ARKIV_TASKS = os.environ.get("ARKIV_TASKS", "database")
"""Where tasks wait for a worker: `database` (default) in a table of the catalogue's own database
(SQLite or PostgreSQL), run by `manage.py db_worker`; `rq` in Redis at REDIS_URL, run by
`manage.py rqworker --job-class django_tasks_rq.Job default` on any number of machines."""

REDIS_URL = os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0")
"""The Redis of ARKIV_TASKS=rq."""

ARKIV_TASK_TIMEOUT = int(os.environ.get("ARKIV_TASK_TIMEOUT", str(24 * 3600)))
"""Seconds RQ lets one task run before it stops it (default a day: a million-row import)."""

INSTALLED_APPS += ["django_tasks", "django_tasks_db"]  # the table stays, whichever backend runs
if ARKIV_TASKS == "rq":
    INSTALLED_APPS += ["django_rq"]
    TASKS = {"default": {"BACKEND": "django_tasks_rq.RQBackend", "QUEUES": ["default"]}}
    RQ_QUEUES = {"default": {"URL": REDIS_URL, "DEFAULT_TIMEOUT": ARKIV_TASK_TIMEOUT}}
elif ARKIV_TASKS == "database":
    TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
else:
    raise ValueError(f"ARKIV_TASKS is {ARKIV_TASKS!r}: it must be database or rq.")

ARKIV_TASK_STALLED_SECONDS = int(os.environ.get("ARKIV_TASK_STALLED_SECONDS", "60"))
"""A running task beats every few seconds; one silent this long has died with its worker (killed,
or the machine restarted), and its job is offered again (default 60)."""

ARKIV_REINDEX_INLINE_ITEMS = int(os.environ.get("ARKIV_REINDEX_INLINE_ITEMS", "500"))
"""An authority renamed or merged with more linked items than this has their search rows rebuilt
by a task, not in the request (default 500)."""

# Caps on what one request or file may ask for. Each refusal names its cap and changes nothing.

ARKIV_MAX_CSV_COLUMNS = int(os.environ.get("ARKIV_MAX_CSV_COLUMNS", "1000"))
"""Columns (cells of any row) a CSV import reads (default 1,000). An export writes 6 columns
and one per term and language its items use, a few dozen in practice; without a cap, a row of
empty cells (",,,,") could hold millions of them in memory."""

ARKIV_MAX_EAD_BYTES = int(os.environ.get("ARKIV_MAX_EAD_BYTES", str(50 * 1024 * 1024)))
"""Bytes of an EAD file an import reads (default 50 MB; catalog/imports/ead/safe.py): the file's
tree is held in memory while its units are read (reading an 8 MB finding aid of 20,000 units
peaked at ~200 MB, the whole process counted), and 50 MB is several times the largest finding aids
archives publish."""

ARKIV_MAX_STATEMENTS_PER_ITEM = int(os.environ.get("ARKIV_MAX_STATEMENTS_PER_ITEM", "1000"))
"""Statements one item may have, however they are written: admin form, CSV import (default
1,000). A richly described photograph has 20 to 50, a letter indexed name by name a few
hundred, so 1,000 leaves room for any description worth a form; the admin draws 8 KB of form a
statement (8 MB at the cap), and an item of 20,000 made its admin page take 700 MB and the CSV
export 408 MB. A longer list (an index of names, a table of contents) belongs in the full text
or in items of its own."""

# The admin's item form sends up to 8 fields a statement: let it send as many as an item may
# have, with room for the item's own fields and its files.
DATA_UPLOAD_MAX_NUMBER_FIELDS = max(DATA_UPLOAD_MAX_NUMBER_FIELDS, 10 * ARKIV_MAX_STATEMENTS_PER_ITEM + 1000)

ARKIV_MAX_FACET_VALUES = int(os.environ.get("ARKIV_MAX_FACET_VALUES", "20"))
"""Values of one facet a browse (or its CSV download) combines, such as 20 languages (default
20; a facet lists 30). More are left out with a notice: every link of a browse page repeats the
chosen values, so 1,000 of them made a page of 36 MB."""

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}
