"""The project's only settings module: local defaults, production by environment variables.

Every variable is listed, with its meaning, in `.env.example`.
"""

import os
from pathlib import Path

import dj_database_url
from django.core.exceptions import ImproperlyConfigured
from django.templatetags.static import static as static_url
from django.utils.csp import CSP
from django.utils.functional import lazy

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None or value.strip() == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


DEBUG = env_bool("DEBUG", default=False)
TESTING = env_bool("TESTING", default=False)

SECRET_KEY = os.environ.get("SECRET_KEY", "")
if not SECRET_KEY:
    if not (DEBUG or TESTING):
        raise ImproperlyConfigured("Set SECRET_KEY (it is required when DEBUG is off).")
    SECRET_KEY = "insecure-local-development-key-never-use-in-production"

ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]" if DEBUG or TESTING else "")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS")

# The public address of the site, for absolute links in mail and feeds built outside a request.
# Unset, it is where `make run` serves: 127.0.0.1 on PORT (the Makefile passes PORT through).
PORT = int(os.environ.get("PORT") or 8000)
SITE_URL = (os.environ.get("SITE_URL") or f"http://127.0.0.1:{PORT}").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.redirects",
    "django.contrib.humanize",
    "django.contrib.sitemaps",
    "taggit",
    "reversion",
    "django_prose_editor",
    # Before django_tasks_db: its `db_worker` command replaces the stock one.
    "background",
    "django_tasks_db",
    "edge",
    "logins",
    "articles",
    "newsletter",
    "donations",
    "wordpress",
    # Benchmark tooling (seed_bench, make_wxr, bench_search, bench_newsletter): commands only.
    "bench",
    "pagecache",
]

# Order matters: the request log times everything; security headers wrap every response (cached
# ones too); the page cache sits inside CSP (replayed pages get a fresh policy) and before sessions,
# CSRF, auth and messages, so a cache hit skips them.
MIDDLEWARE = [
    "edge.observability.RequestLogMiddleware",
    "edge.guard.RequestGuardMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "edge.security.PermissionsPolicyMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "edge.health.DatabaseOutageMiddleware",
    "pagecache.middleware.PageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.contrib.redirects.middleware.RedirectFallbackMiddleware",
    # Old WordPress addresses (/?p=123, imported permalinks, /…/feed/) → 301 (issue 7).
    "wordpress.redirects.LegacyRedirectMiddleware",
    # DEBUG only: the site's 404 page instead of Django's technical one (`make run`).
    "edge.not_found.SiteNotFoundPageMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"
SITE_ID = 1

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "pagecache.context_processors.parts",
            ],
        },
    },
]

# --- Database: PostgreSQL in production, an SQLite file when DATABASE_URL is unset.
DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=int(os.environ.get("CONN_MAX_AGE", "60")),
        # Off: a check is a round trip before every request's first query. Without it, the first
        # request of each worker after a database restart gets the 503 page (edge/health.py) and
        # the dead connection is dropped; the next one reconnects.
        conn_health_checks=env_bool("CONN_HEALTH_CHECKS", default=False),
    )
}
USING_POSTGRES = DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql"
if USING_POSTGRES:
    INSTALLED_APPS.append("django.contrib.postgres")
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = 5
else:
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {"timeout": 20, "transaction_mode": "IMMEDIATE", "init_command": "PRAGMA journal_mode=WAL;"}
    )
    # SQLite makes the covering index of articles' Article.Meta a plain one, and would say so.
    SILENCED_SYSTEM_CHECKS = ["models.W040"]

DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Cache: Redis when REDIS_URL is set (shared by every app server), local memory otherwise.
REDIS_URL = os.environ.get("REDIS_URL", "")
# "template_fragments" is where Django's {% cache %} tag keeps parts of pages; "sitewide" keeps the
# values every page reads (the menu, settings rows, the sidebar's rows), even with FRAGMENT_CACHE
# off. Both keys carry the page cache's generation (pagecache/generation.py), so any change that
# drops pages drops them too.
_key_prefix = os.environ.get("CACHE_KEY_PREFIX", "newsroom")
if REDIS_URL:
    _cache = {"LOCATION": REDIS_URL, "KEY_PREFIX": _key_prefix}
    CACHES = {
        "default": {"BACKEND": "pagecache.backends.RedisCacheBackend", **_cache},
        "template_fragments": {"BACKEND": "pagecache.backends.PartsRedisCache", **_cache},
        "sitewide": {
            "BACKEND": "pagecache.backends.SitewideRedisCache",
            **_cache,
            "KEY_PREFIX": f"{_key_prefix}:sitewide",
        },
    }
else:
    CACHES = {
        "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
        "template_fragments": {
            "BACKEND": "pagecache.backends.PartsLocMemCache",
            "LOCATION": "template_fragments",
        },
        "sitewide": {
            "BACKEND": "pagecache.backends.SitewideLocMemCache",
            "LOCATION": "sitewide",
        },
    }
for _alias in ("template_fragments", "sitewide"):
    CACHES[_alias]["KEY_FUNCTION"] = "pagecache.generation.versioned_key"

# --- Background tasks: a real database-backed queue, run by `manage.py db_worker`.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# Workers (background/) say they are alive, fail the tasks of killed workers and fire the
# scheduled jobs this often; a worker silent for WORKER_LOST_AFTER_SECONDS is taken for dead.
WORKER_HEARTBEAT_SECONDS = float(os.environ.get("WORKER_HEARTBEAT_SECONDS", "5"))
WORKER_LOST_AFTER_SECONDS = float(os.environ.get("WORKER_LOST_AFTER_SECONDS", "60"))
# While the database is away a worker retries with doubling pauses up to this.
WORKER_DATABASE_MAX_PAUSE_SECONDS = 10

# --- The newsletter (README, "The newsletter"). Signup protection (newsletter/abuse.py): the
# fewest seconds a person takes to fill the form, how long the form's stamp (fetched by the signup
# script when the reader first touches the form) stays good, and rate limits as (attempts, window
# in seconds) per IP, per IP in a burst, and per address. (The client's address: edge/client.py.)
NEWSLETTER_MIN_FILL_SECONDS = 3
NEWSLETTER_FORM_MAX_AGE_SECONDS = int(os.environ.get("NEWSLETTER_FORM_MAX_AGE_SECONDS", "3600"))
NEWSLETTER_RATE_LIMITS = {"ip": (20, 3600), "ip_burst": (5, 60), "email": (5, 3600)}
# How long a confirmation link stays valid (personal unsubscribe links never expire).
NEWSLETTER_CONFIRM_MAX_AGE = 7 * 24 * 3600
# Sending (newsletter/sending.py): copies per claimed batch, the wait after the mail server was
# unreachable, and how many send tasks an issue queues so that several workers share it.
NEWSLETTER_BATCH_SIZE = 200
NEWSLETTER_RETRY_DELAY_SECONDS = 60
NEWSLETTER_PARALLEL_SENDS = 2
# A claim on a batch of copies lapses this long after its worker last renewed it (so another
# worker takes the batch over); live workers renew every NEWSLETTER_HEARTBEAT_SECONDS.
NEWSLETTER_CLAIM_LEASE_SECONDS = float(os.environ.get("NEWSLETTER_CLAIM_LEASE_SECONDS", "30"))
NEWSLETTER_HEARTBEAT_SECONDS = float(os.environ.get("NEWSLETTER_HEARTBEAT_SECONDS", "5"))
# How often the workers look for sends nobody works on (a killed worker's) and due retries.
NEWSLETTER_RESUME_EVERY_SECONDS = float(os.environ.get("NEWSLETTER_RESUME_EVERY_SECONDS", "15"))
# A copy refused temporarily (4xx: greylisting, a full mailbox) is retried after pauses doubling
# from the first to the longest, for up to NEWSLETTER_RETRY_FOR_SECONDS; then it is given up.
NEWSLETTER_RETRY_FIRST_PAUSE_SECONDS = 60
NEWSLETTER_RETRY_MAX_PAUSE_SECONDS = 3600
NEWSLETTER_RETRY_FOR_SECONDS = float(os.environ.get("NEWSLETTER_RETRY_FOR_SECONDS", 24 * 3600))
# How long a send waits inside its task for a lost database before giving the task up.
NEWSLETTER_DATABASE_WAIT_SECONDS = 300

# --- Mail: SMTP when EMAIL_HOST is set, printed to the console otherwise.
# (Django 6.1's MAILERS replaces the EMAIL_* settings; the environment variables keep their names.)
_email_host = os.environ.get("EMAIL_HOST", "")
# The address only: mail to readers carries the publication's title as its name
# (Publication.mail_sender); a name written here is kept for the server's own mail.
DEFAULT_FROM_EMAIL = os.environ.get("DEFAULT_FROM_EMAIL", "newsroom@localhost")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
if _email_host:
    MAILERS = {
        "default": {
            "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
            "OPTIONS": {
                "host": _email_host,
                "port": int(os.environ.get("EMAIL_PORT", "25")),
                "username": os.environ.get("EMAIL_HOST_USER", ""),
                "password": os.environ.get("EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("EMAIL_USE_TLS"),
                "timeout": int(os.environ.get("EMAIL_TIMEOUT", "30")),
            },
        }
    }
else:
    MAILERS = {"default": {"BACKEND": "django.core.mail.backends.console.EmailBackend"}}

# --- Internationalisation
LANGUAGE_CODE = "en-us"
# `import_wordpress --fetch-media` (wordpress/fetch.py): parallel downloads, seconds per socket
# operation, retries after a timeout or 5xx (waiting BACKOFF, then twice that, …), largest file.
WORDPRESS_FETCH_WORKERS = 4
WORDPRESS_FETCH_TIMEOUT = 20.0
WORDPRESS_FETCH_RETRIES = 3
WORDPRESS_FETCH_BACKOFF = 1.0
WORDPRESS_FETCH_MAX_BYTES = 50 * 1024 * 1024

TIME_ZONE = os.environ.get("TIME_ZONE", "UTC")
USE_I18N = True
USE_TZ = True

# --- Static and media files
STATIC_URL = "/static/"
STATIC_ROOT = Path(os.environ.get("STATIC_ROOT", BASE_DIR / "staticfiles"))
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(os.environ.get("MEDIA_ROOT", BASE_DIR / "media"))
# Uploads go to S3 (or any S3-compatible store) when a bucket is named, so every app server sees
# them; otherwise to MEDIA_ROOT, served by the web server in production (see README, "Production").
AWS_STORAGE_BUCKET_NAME = os.environ.get("AWS_STORAGE_BUCKET_NAME", "")
STORAGES = {
    "default": (
        {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": AWS_STORAGE_BUCKET_NAME,
                "endpoint_url": os.environ.get("AWS_S3_ENDPOINT_URL") or None,
                "region_name": os.environ.get("AWS_S3_REGION_NAME") or None,
                "custom_domain": os.environ.get("AWS_S3_CUSTOM_DOMAIN") or None,
                "default_acl": None,
                "querystring_auth": env_bool("AWS_QUERYSTRING_AUTH", default=False),
                "file_overwrite": False,
                "object_parameters": {"CacheControl": "public, max-age=31536000, immutable"},
            },
        }
        if AWS_STORAGE_BUCKET_NAME
        else {"BACKEND": "django.core.files.storage.FileSystemStorage"}
    ),
    "staticfiles": {
        "BACKEND": (
            "django.contrib.staticfiles.storage.StaticFilesStorage"
            if DEBUG or TESTING
            else "whitenoise.storage.CompressedManifestStaticFilesStorage"
        )
    },
}
# Locally and in tests, whitenoise serves straight from the app folders (no collectstatic needed).
WHITENOISE_USE_FINDERS = WHITENOISE_AUTOREFRESH = DEBUG or TESTING
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 25 * 1024 * 1024

# --- Security. Production hardening (HTTPS, HSTS) is switched on by environment.
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "strict-origin-when-cross-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
# HTTPS: on by default in production (DEBUG off); HTTPS=0 for a plain-HTTP loopback run (bench).
HTTPS = env_bool("HTTPS", default=not (DEBUG or TESTING))
SECURE_SSL_REDIRECT = HTTPS
SESSION_COOKIE_SECURE = CSRF_COOKIE_SECURE = HTTPS
SECURE_HSTS_SECONDS = int(os.environ.get("SECURE_HSTS_SECONDS", 31_536_000 if HTTPS else 0))
SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("SECURE_HSTS_INCLUDE_SUBDOMAINS", default=True)
# The header only allows preloading; the site joins browser lists when submitted to hstspreload.org.
SECURE_HSTS_PRELOAD = env_bool("SECURE_HSTS_PRELOAD", default=True)
# Load balancers probe over plain HTTP.
SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$"]
# Behind a TLS-terminating proxy (nginx, a load balancer): trust its X-Forwarded-Proto and its
# X-Forwarded-For chain, and only then (edge/client.py). The client's address is the one the
# outermost of PROXY_COUNT proxies saw or, when TRUSTED_PROXIES lists the proxies' addresses or
# networks, the first address in the chain that is not one of them.
BEHIND_PROXY = env_bool("BEHIND_PROXY")
PROXY_COUNT = int(os.environ.get("PROXY_COUNT", "1"))
TRUSTED_PROXIES = env_list("TRUSTED_PROXIES")
if BEHIND_PROXY:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    USE_X_FORWARDED_HOST = env_bool("USE_X_FORWARDED_HOST")
# Browser features the site never uses are switched off; embedded players keep theirs.
_video_players = ["self", "https://www.youtube-nocookie.com", "https://player.vimeo.com"]
PERMISSIONS_POLICY = {
    "accelerometer": [],
    "autoplay": _video_players,
    "camera": [],
    "encrypted-media": _video_players,
    "fullscreen": _video_players,
    "geolocation": [],
    "gyroscope": [],
    "magnetometer": [],
    "microphone": [],
    "payment": [],
    "picture-in-picture": _video_players,
    "usb": [],
    "browsing-topics": [],
}

# --- Full-page cache for anonymous readers (pagecache/middleware.py). On in production, off in
# development (templates change) and in tests unless a test switches it on.
PAGE_CACHE_ENABLED = env_bool("PAGE_CACHE", default=not (DEBUG or TESTING))
PAGE_CACHE_SECONDS = int(os.environ.get("PAGE_CACHE_SECONDS", "600"))
PAGE_CACHE_SHORT_SECONDS = 60  # 301s and 404s
# What a CDN in front may keep (s-maxage) and serve while it refetches (stale-while-revalidate).
PAGE_CACHE_CDN_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_SECONDS", "60"))
PAGE_CACHE_CDN_STALE_SECONDS = int(os.environ.get("PAGE_CACHE_CDN_STALE_SECONDS", "30"))
PAGE_CACHE_EXCLUDED_PATHS = ["/admin/", "/healthz", "/readyz", "/preview/", "/media/", "/bench/"]
# Each worker also keeps hot pages in memory and trusts the generation it read for this long: a
# publish on another server shows within that time (0 turns the per-process copies off, as in tests).
PAGE_CACHE_LOCAL_SECONDS = float(os.environ.get("PAGE_CACHE_LOCAL_SECONDS", 0 if TESTING else 1))
PAGE_CACHE_LOCAL_ENTRIES = int(os.environ.get("PAGE_CACHE_LOCAL_ENTRIES", "1000"))
# Parts of pages ({% cache %} in the templates; listing counts) are kept until the next change too,
# so a page the page cache does not answer is assembled from parts. Off in development and tests
# by default.
FRAGMENT_CACHE = env_bool("FRAGMENT_CACHE", default=not (DEBUG or TESTING))
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:", "https:"],
    # Imported audio and video may still play from the old site until their files are copied.
    "media-src": [CSP.SELF, "https:"],
    "frame-src": ["https://www.youtube-nocookie.com", "https://player.vimeo.com"],
    "form-action": [CSP.SELF, "https://www.paypal.com", "https://www.sandbox.paypal.com"],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.SELF],
    "object-src": [CSP.NONE],
}

LOGIN_URL = "admin:login"
# Admin logins (logins app): this many failures within LOGIN_LOCKOUT_SECONDS lock the account, or
# the address, for that long. Password-reset requests: (requests, seconds) per address and email.
LOGIN_FAILURES_PER_ACCOUNT = int(os.environ.get("LOGIN_FAILURES_PER_ACCOUNT", "5"))
LOGIN_FAILURES_PER_ADDRESS = int(os.environ.get("LOGIN_FAILURES_PER_ADDRESS", "20"))
LOGIN_LOCKOUT_SECONDS = int(os.environ.get("LOGIN_LOCKOUT_SECONDS", "900"))
PASSWORD_RESET_LIMIT_PER_ADDRESS = (5, 3600)
PASSWORD_RESET_LIMIT_PER_EMAIL = (3, 3600)

# JSON lines in production (one per request from edge.observability, with its request id);
# readable text in development. LOG_FORMAT=json|text overrides.
LOG_FORMAT = os.environ.get("LOG_FORMAT", "text" if DEBUG else "json")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        "request_id": {"()": "edge.observability.RequestIdFilter"},
        "suspicious_request": {"()": "edge.observability.SuspiciousRequestFilter"},
    },
    "formatters": {
        "json": {"()": "edge.observability.JsonFormatter"},
        "text": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": LOG_FORMAT,
            "filters": ["request_id"],
        }
    },
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "INFO")},
    "loggers": {
        # Django's own console handler (DEBUG only) printed every line a second time, unformatted
        # (`make run`'s worker: each task twice): Django's logs go through the handler above.
        "django": {"handlers": [], "propagate": True},
        # The request log above replaces Django's own per-request warning lines.
        "django.request": {"level": "ERROR"},
        "django.server": {"level": "WARNING", "propagate": True},
        # Hostile requests Django refuses itself (a 400): one WARNING line each, no traceback.
        # Logger filters do not reach child loggers, so each of Django's is named.
        **{
            f"django.security.{name}": {"filters": ["suspicious_request"]}
            for name in [
                "SuspiciousOperation",
                "DisallowedRedirect",
                "DisallowedModelAdminLookup",
                "DisallowedModelAdminToField",
                "RequestDataTooBig",
                "TooManyFieldsSent",
                "TooManyFilesSent",
                "SuspiciousMultipartForm",
                "SuspiciousFileOperation",
                "SuspiciousSession",
                "InvalidSessionKey",
            ]
        },
        # edge.guard refuses bad Host headers with one WARNING line of its own.
        "django.security.DisallowedHost": {"handlers": [], "propagate": False},
    },
}

# --- The publication
PAYPAL_IPN_VERIFY_URL = os.environ.get(
    "PAYPAL_IPN_VERIFY_URL", "https://ipnpb.paypal.com/cgi-bin/webscr"
)
# PayPal notifications per sender address: (attempts, window in seconds), and how many may wait
# for verification at once (PayPal sends a handful; a flood of forgeries stops there).
PAYPAL_IPN_RATE_LIMIT = (
    int(os.environ.get("PAYPAL_IPN_RATE_LIMIT", "120")),
    60,
)
PAYPAL_IPN_MAX_PENDING_PER_ADDRESS = int(os.environ.get("PAYPAL_IPN_MAX_PENDING_PER_ADDRESS", "50"))
TAGGIT_CASE_INSENSITIVE = True

# --- The writing desk (the article form in the admin)
# What is typed in an open article form is kept this often (articles.autosave; tests shorten it).
ARTICLE_AUTOSAVE_SECONDS = 30
# The body editor's picture button (upload, drag and drop, paste, the library, alignment) is our
# own editor extension, loaded by django-prose-editor as a JavaScript module.
DJANGO_PROSE_EDITOR_EXTENSIONS = [
    {
        "js": [lazy(static_url, str)("js/admin-body-pictures.js")],
        "extensions": {"BodyPicture": "articles.body_pictures.sanitizer_rules"},
    }
]
