"""Gongzhi settings: one module, configured from the environment.

Every value has a safe default for a developer's machine; production sets
``DEBUG=false``, ``ALLOWED_HOSTS``, ``DATABASE_URL`` and ``SECRET_KEY`` (see README).
"""

import os
import secrets
import sys
from pathlib import Path

import dj_database_url
from django.utils.translation import gettext_lazy as _
from whitenoise.compress import Compressor as WhiteNoiseCompressor

BASE_DIR = Path(__file__).resolve().parent
PROJECT_DIR = BASE_DIR.parent.parent
VAR_DIR = Path(os.environ.get("GONGZHI_VAR_DIR", PROJECT_DIR / "var"))
VAR_DIR.mkdir(parents=True, exist_ok=True)


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def _secret_key() -> str:
    """The key from the environment, else one generated once and kept under var/."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    key_file = VAR_DIR / "secret_key"
    if not key_file.exists():
        key_file.write_text(secrets.token_urlsafe(50))
        key_file.chmod(0o600)
    return key_file.read_text().strip()


SECRET_KEY = _secret_key()
TESTING = "pytest" in sys.modules

#: The keys sealing personal data (core.crypto): JSON, ``index:<b64>,1:<b64>``, or a key file's path. In
#: production set it (``check --deploy`` fails otherwise) and back the keys up apart from the database; a
#: development machine gets a key generated once under var/, the test suite a fixed test key.
TEST_DATA_KEYS = ("index:aW5kZXgta2V5LWZvci10aGUtdGVzdC1zdWl0ZS0wMDA=,"  # the fixed test key: never in production
                  "1:ZGF0YS1rZXktMS1mb3ItdGhlLXRlc3Qtc3VpdGUtMDA=")


def _data_keys() -> str:
    if keys := os.environ.get("GONGZHI_DATA_KEYS", "").strip():
        return keys
    if TESTING:
        return TEST_DATA_KEYS
    key_file = VAR_DIR / "data_keys.json"
    if not key_file.exists():
        from gongzhi.core.crypto import generate_keys

        key_file.touch(mode=0o600)
        key_file.write_text(generate_keys())
    return str(key_file)


GONGZHI_DATA_KEYS = _data_keys()
GONGZHI_DATA_KEYS_FROM_ENV = bool(os.environ.get("GONGZHI_DATA_KEYS", "").strip())
GONGZHI_CIPHER = os.environ.get("GONGZHI_CIPHER", "aes").strip().lower()
# Set to the old cipher while `gongzhi keys rotate` carries a change of GONGZHI_CIPHER through: searches then
# look for the blind indexes of both (docs/deployment.md, "The data keys").
GONGZHI_CIPHER_PREVIOUS = os.environ.get("GONGZHI_CIPHER_PREVIOUS", "").strip().lower()
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", "127.0.0.1,localhost,testserver")
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", "")
# Demo mode lists the demo accounts on the login page; never on in production.
GONGZHI_DEMO = env_bool("GONGZHI_DEMO", DEBUG)

GONGZHI_APPS = [
    "gongzhi.core",
    "gongzhi.accounts",
    "gongzhi.orgs",
    "gongzhi.members",
    "gongzhi.points",
    "gongzhi.service",
    "gongzhi.meetings",
    "gongzhi.learning",
    "gongzhi.voice",
    "gongzhi.care",
    "gongzhi.publicity",
    "gongzhi.democracy",
    "gongzhi.recruitment",
    "gongzhi.supervision",
    "gongzhi.money",
    "gongzhi.recognition",
    "gongzhi.dashboards",
    "gongzhi.privacy",
    "gongzhi.reports",  # after every app whose demo adds records: its demo freezes the year's figures
]

INSTALLED_APPS = [
    *GONGZHI_APPS,
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "ninja",  # serves the API docs' Swagger UI from local static files, not from a CDN
    "template_partials",
    "django_tasks",
    "django_tasks_db",
    "axes",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "gongzhi.core.middleware.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "gongzhi.core.replica.ReplicaMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "gongzhi.core.middleware.HtmxMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "gongzhi.core.middleware.RefuseNulMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "gongzhi.accounts.middleware.SessionLimitsMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "gongzhi.urls"
WSGI_APPLICATION = "gongzhi.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "django.template.context_processors.i18n",
                "gongzhi.core.context_processors.gongzhi",
            ],
            "builtins": ["gongzhi.core.templatetags.gongzhi", "template_partials.templatetags.partials"],
        },
    }
]

# Database: SQLite under var/ by default (WAL, IMMEDIATE transactions so that
# concurrent writers wait rather than fail); PostgreSQL through DATABASE_URL.
DATABASE_URL = os.environ.get("DATABASE_URL", f"sqlite:///{VAR_DIR / 'gongzhi.sqlite3'}")
DATABASES = {"default": dj_database_url.parse(DATABASE_URL)}
DATABASES["default"]["CONN_MAX_AGE"] = 0
# PostgreSQL: parameters travel apart from the SQL (server-side binding), so that psycopg can prepare a statement and
# PostgreSQL no longer plans it on every run: planning was about half of the database server's CPU for a QR check-in.
# By default (GONGZHI_DB_PREPARE_THRESHOLD=hot) only the statements of a QR check-in are prepared (``core.statements``,
# ``hot=True``: the account with its roles, rows by their key, a lock, the inserts), at their first run on a connection;
# their plans do not depend on their values. A number N prepares every statement at a connection's Nth run of it: after
# five runs PostgreSQL may keep a generic plan blind to a parameter's selectivity (the page bench: a community's member
# statistics 1.17 → 1.99× the SQL, the street's care registry 1.11 → 1.89× with a threshold of 2). `off` prepares
# nothing (behind a PgBouncer in transaction mode older than 1.21); docs/deployment.md, "Connections".
_PREPARE_THRESHOLD = os.environ.get("GONGZHI_DB_PREPARE_THRESHOLD", "hot").strip().lower()
GONGZHI_DB_PREPARE_HOT = _PREPARE_THRESHOLD not in ("off", "")
_PG_STATEMENTS = {"server_side_binding": True, "prepare_threshold": None if _PREPARE_THRESHOLD in ("off", "", "hot")
                  else max(0, int(_PREPARE_THRESHOLD))}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 20,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;",
    }
else:
    # Each server process (the threaded `gongzhi serve`, each gunicorn worker) holds at most
    # GONGZHI_DB_POOL_SIZE connections, whatever the load: a request beyond waits for a free one up
    # to GONGZHI_DB_POOL_TIMEOUT seconds, then gets 503. Without the pool, every thread of the
    # threaded server kept its own connection and a burst took PostgreSQL away from everyone.
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
    DATABASES["default"].setdefault("OPTIONS", {})["pool"] = {
        "min_size": 1,
        "max_size": max(1, int(os.environ.get("GONGZHI_DB_POOL_SIZE", "8"))),
        "timeout": float(os.environ.get("GONGZHI_DB_POOL_TIMEOUT", "20")),
        "max_idle": 300,
    }
    DATABASES["default"]["OPTIONS"].update(_PG_STATEMENTS)
# Optional streaming replica for reads (core.replica): safe requests and read-only background work
# read from it while it is caught up; everything else, and a client's reads after its own write, use
# the primary. A replica that is down or lags is skipped, never an error page.
DATABASE_REPLICA_URL = os.environ.get("DATABASE_REPLICA_URL", "")
DATABASE_ROUTERS: list[str] = []
if DATABASE_REPLICA_URL:
    DATABASES["replica"] = dj_database_url.parse(DATABASE_REPLICA_URL)
    DATABASES["replica"].update(CONN_MAX_AGE=0, CONN_HEALTH_CHECKS=True)
    DATABASES["replica"].setdefault("OPTIONS", {}).update(
        connect_timeout=2,
        pool={"min_size": 0, "max_size": max(1, int(os.environ.get("GONGZHI_DB_POOL_SIZE", "8"))),
              "timeout": 2, "max_idle": 300})
    if DATABASES["replica"]["ENGINE"] != "django.db.backends.sqlite3":
        DATABASES["replica"]["OPTIONS"].update(_PG_STATEMENTS)
    DATABASES["replica"]["TEST"] = {"MIRROR": "default"}
    DATABASE_ROUTERS = ["gongzhi.core.replica.ReplicaRouter"]
GONGZHI_REPLICA_MAX_LAG_SECONDS = float(os.environ.get("GONGZHI_REPLICA_MAX_LAG_SECONDS", "30"))
GONGZHI_REPLICA_RETRY_SECONDS = float(os.environ.get("GONGZHI_REPLICA_RETRY_SECONDS", "30"))
GONGZHI_REPLICA_STICKY_SECONDS = int(os.environ.get("GONGZHI_REPLICA_STICKY_SECONDS", "300"))
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "gongzhi.accounts.backends.UsernameOrMobileBackend",
]
# Argon2id with OWASP's minimum configuration (accounts.hashers; docs/security.md, "Password hashing").
PASSWORD_HASHERS = [
    "gongzhi.accounts.hashers.OwaspArgon2PasswordHasher",
    "django.contrib.auth.hashers.PBKDF2PasswordHasher",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": int(os.environ.get("GONGZHI_PASSWORD_MIN_LENGTH", "10"))},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:login"
LOGIN_REDIRECT_URL = "home"
LOGOUT_REDIRECT_URL = "accounts:login"

# Sessions: idle timeout (sliding) and an absolute limit, both in minutes.
SESSION_COOKIE_AGE = int(os.environ.get("GONGZHI_SESSION_IDLE_MINUTES", "30")) * 60
# The idle timeout slides, but the session row is written only when the session changes or once per
# refresh window (accounts.middleware), not on every request.
SESSION_SAVE_EVERY_REQUEST = False
GONGZHI_SESSION_REFRESH_SECONDS = min(60, SESSION_COOKIE_AGE // 10)
GONGZHI_SESSION_ABSOLUTE_MINUTES = int(os.environ.get("GONGZHI_SESSION_ABSOLUTE_MINUTES", "720"))
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# Lockout after repeated failures, without revealing whether an account exists.
AXES_FAILURE_LIMIT = int(os.environ.get("GONGZHI_LOGIN_FAILURE_LIMIT", "5"))
AXES_COOLOFF_TIME = 0.5  # hours
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_RESET_ON_SUCCESS = True
AXES_LOCKOUT_TEMPLATE = "accounts/locked_out.html"
AXES_ENABLED = env_bool("GONGZHI_AXES_ENABLED", True)
# The lockout counts per client address: the real one behind the trusted proxies below.
AXES_CLIENT_IP_CALLABLE = "gongzhi.core.clients.client_ip"

# Behind a reverse proxy every request comes from the proxy's address. GONGZHI_TRUSTED_PROXIES
# lists the proxies' addresses or networks (e.g. 127.0.0.1 for nginx on the same machine);
# X-Forwarded-For is read only when the request comes from one of them, from the right, and the
# first address that is not a trusted proxy is the client's. Empty: X-Forwarded-For is ignored.
GONGZHI_TRUSTED_PROXIES = env_list("GONGZHI_TRUSTED_PROXIES", "")

# Cache: Redis in production (shared by every worker: rate limits, lockout counters), else
# memory of one process (development and tests).
GONGZHI_REDIS_URL = os.environ.get("GONGZHI_REDIS_URL", "")
if GONGZHI_REDIS_URL:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": GONGZHI_REDIS_URL,
                          "KEY_PREFIX": "gongzhi", "TIMEOUT": 3600}}
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache", "LOCATION": "gongzhi"}}
# Sessions are read from the cache (written to it and to the database): no session query on a request. Only
# with a cache every process shares (Redis), or in one process (development, tests): with each worker's own
# memory, a session ended in one worker (logging out) would live on in another's.
if GONGZHI_REDIS_URL or DEBUG or TESTING:
    SESSION_ENGINE = "django.contrib.sessions.backends.cached_db"


def env_rate(name: str, default: str) -> tuple[int, int]:
    """A rate written ``N/period``: period in seconds, or ``Ns``, ``Nm``, ``Nh``, ``Nd``."""
    count, _sep, period = os.environ.get(name, default).partition("/")
    unit = {"s": 1, "m": 60, "h": 3600, "d": 86400}.get(period[-1:], 1)
    return max(1, int(count)), max(1, int(period.rstrip("smhd") or 1) * unit)


# Requests per client address (see GONGZHI_TRUSTED_PROXIES) and period, for what anyone may post
# without an account, and for login attempts.
GONGZHI_RATE_LIMITS = {
    "public_form": env_rate("GONGZHI_RATE_PUBLIC_FORM", "10/1h"),
    "public_lookup": env_rate("GONGZHI_RATE_PUBLIC_LOOKUP", "60/10m"),
    "login": env_rate("GONGZHI_RATE_LOGIN", "20/10m"),
    # Counted only once the form is valid and would be written (a corrected form is no flood).
    "complaint": env_rate("GONGZHI_RATE_COMPLAINT", "3/1h"),
    "complaint_track": env_rate("GONGZHI_RATE_COMPLAINT_TRACK", "20/1h"),
    "question": env_rate("GONGZHI_RATE_QUESTION", "5/1h"),
    # Activation codes typed on the public activation page (each account's code is also void after 5 misses).
    "activation": env_rate("GONGZHI_RATE_ACTIVATION", "10/10m"),
}

LANGUAGE_CODE = os.environ.get("GONGZHI_LANGUAGE", "zh-hans")
LANGUAGES = [("zh-hans", "简体中文"), ("en", "English")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = os.environ.get("TIME_ZONE", "Asia/Shanghai")
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATIC_ROOT.mkdir(exist_ok=True)
STATICFILES_DIRS = [BASE_DIR / "static"]
MEDIA_ROOT = Path(os.environ.get("GONGZHI_MEDIA_ROOT", VAR_DIR / "media"))
MEDIA_URL = "/media/"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        # WhiteNoise's and Django's storages, each working out a file's URL once (core.staticstorage).
        "BACKEND": "gongzhi.core.staticstorage.RememberingManifestStorage"
        if not DEBUG
        else "gongzhi.core.staticstorage.RememberingStaticFilesStorage"
    },
}
WHITENOISE_USE_FINDERS = DEBUG
# Source maps are fetched by a developer's tools only: compressing them (twice, gzip and Brotli) was most of
# collectstatic's time (the API docs' bundles' maps alone are 20 MB).
WHITENOISE_SKIP_COMPRESS_EXTENSIONS = (*WhiteNoiseCompressor.SKIP_COMPRESS_EXTENSIONS, "map")
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
DATA_UPLOAD_MAX_MEMORY_SIZE = 12 * 1024 * 1024
GONGZHI_MAX_UPLOAD_BYTES = 10 * 1024 * 1024

TASKS = {
    "default": {
        "BACKEND": os.environ.get("GONGZHI_TASK_BACKEND", "django_tasks_db.DatabaseBackend"),
        "ENQUEUE_ON_COMMIT": True,
    }
}

# Retention of personal data (docs/privacy.md): residents' requests are anonymised this many years after
# closing, residents who moved away this many years after moving.
GONGZHI_RETENTION_REQUEST_YEARS = int(os.environ.get("GONGZHI_RETENTION_REQUEST_YEARS", "3"))
GONGZHI_RETENTION_RESIDENT_YEARS = int(os.environ.get("GONGZHI_RETENTION_RESIDENT_YEARS", "2"))
# Audit rows stay in the live log at least this long: 180 days is the legal minimum (Cybersecurity
# Law); a shorter setting is an error at `check` (gongzhi.E002) and is never applied.
GONGZHI_AUDIT_RETENTION_DAYS = int(os.environ.get("GONGZHI_AUDIT_RETENTION_DAYS", "365"))

SECURE_CONTENT_TYPE_NOSNIFF = True
X_FRAME_OPTIONS = "DENY"
SECURE_REFERRER_POLICY = "same-origin"
# A strict Content-Security-Policy on every response: scripts, styles, fonts and images from the
# site itself only (Bootstrap's CSS draws some icons as data: images), no inline script or style
# attribute, no plugins, no framing; and no device features (a QR code is read by the phone's camera app).
GONGZHI_CONTENT_SECURITY_POLICY = "; ".join([
    "default-src 'self'", "script-src 'self'", "style-src 'self'", "img-src 'self' data:", "font-src 'self'",
    "connect-src 'self'", "object-src 'none'", "base-uri 'self'", "form-action 'self'", "frame-ancestors 'none'",
])
GONGZHI_PERMISSIONS_POLICY = ", ".join(f"{feature}=()" for feature in [
    "accelerometer", "camera", "display-capture", "geolocation", "gyroscope", "magnetometer", "microphone", "midi",
    "payment", "usb",
])
if not DEBUG and not TESTING:
    SESSION_COOKIE_SECURE = env_bool("GONGZHI_SECURE_COOKIES", True)
    CSRF_COOKIE_SECURE = SESSION_COOKIE_SECURE
    SECURE_SSL_REDIRECT = env_bool("GONGZHI_SSL_REDIRECT", True)
    SECURE_HSTS_SECONDS = int(os.environ.get("GONGZHI_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = env_bool("GONGZHI_HSTS_INCLUDE_SUBDOMAINS", True)
    # Preloading is a decision for each deployment's domain owner, not a default.
    SECURE_HSTS_PRELOAD = env_bool("GONGZHI_HSTS_PRELOAD", False)
    if not SECURE_HSTS_PRELOAD:
        SILENCED_SYSTEM_CHECKS = ["security.W021"]
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": os.environ.get("LOG_LEVEL", "WARNING")},
}

# Every list of the API: ?limit= (1–200, default 50) and ?offset= (0–2³¹), {"items": [...], "count": N}.
NINJA_PAGINATION_CLASS = "gongzhi.core.api_types.Paging"
NINJA_PAGINATION_PER_PAGE = 50
GONGZHI_SITE_NAME = _("Gongzhi")

# The test suite: fast hashing, plain static storage, N+1 queries fail (django-zeal).
if TESTING:
    PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    STORAGES["staticfiles"] = {"BACKEND": "gongzhi.core.staticstorage.RememberingStaticFilesStorage"}
    INSTALLED_APPS.append("zeal")
    MIDDLEWARE.insert(0, "zeal.middleware.zeal_middleware")
    ZEAL_RAISE = True
    ZEAL_NPLUSONE_THRESHOLD = 2
    TASKS = {"default": {"BACKEND": "django_tasks.backends.immediate.ImmediateBackend",
                         "ENQUEUE_ON_COMMIT": True}}
    MEDIA_ROOT = VAR_DIR / "test-media"
    AXES_ENABLED = env_bool("GONGZHI_AXES_ENABLED", False)
    # The suite asks for thousands of pages it must be refused (404, 403): their warnings are not written out
    # (with pytest's capture, about 8 % of a refused request's CPU). Errors (500s) still are.
    LOGGING["loggers"] = {"django.request": {"level": "ERROR"}, "django.security": {"level": "ERROR"}}
    if DATABASES["default"]["ENGINE"] != "django.db.backends.sqlite3":
        # A test database is thrown away: its commits need not wait for the disk (about 5 ms each here).
        DATABASES["default"]["OPTIONS"]["options"] = "-c synchronous_commit=off"
