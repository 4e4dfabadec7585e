"""Settings for the OIH self-check site.

Everything that differs between a laptop and production comes from the environment, with
safe defaults: DEBUG is off unless asked for, and without ``DATABASE_URL`` the site runs on
a SQLite file in the repository folder. ``.env.example`` documents every variable.
"""

import datetime
import ipaddress
import os
import zoneinfo
from pathlib import Path

import dj_database_url
import xstatic.pkg.bootstrap
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import FileSystemStorage
from django.utils.csp import CSP
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent


def env_bool(name: str, default: bool = False) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str = "") -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


def env_networks(name: str) -> tuple[ipaddress.IPv4Network | ipaddress.IPv6Network, ...]:
    """Comma-separated addresses or networks (``10.0.0.5``, ``10.0.0.0/24``, ``::1``)."""
    try:
        return tuple(ipaddress.ip_network(item, strict=False) for item in env_list(name))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name}: {error}") from error


# --- Core ----------------------------------------------------------------------------------

DEBUG = env_bool("DJANGO_DEBUG")

# Without DJANGO_SECRET_KEY a fixed development key is used; its "django-insecure-" prefix
# makes `check --deploy` fail, so it cannot slip into production unnoticed.
SECRET_KEY = os.environ.get("DJANGO_SECRET_KEY") or "django-insecure-local-development-only"
# Earlier keys, comma-separated, still accepted for what they signed (sessions, and so
# checks in progress and staff sign-ins) while new things are signed with SECRET_KEY: a
# rotation that clears nobody (docs/deploy.md, "Changing the secret key").
SECRET_KEY_FALLBACKS = env_list("DJANGO_SECRET_KEY_FALLBACKS")

ALLOWED_HOSTS = env_list("DJANGO_ALLOWED_HOSTS", "localhost,127.0.0.1,[::1]")

INSTALLED_APPS = [
    "staff.apps.StaffAdminConfig",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    # Full-text search of the articles on PostgreSQL (education/models.py).
    "django.contrib.postgres",
    "crispy_forms",
    "crispy_bootstrap5",
    "simple_history",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_otp.plugins.otp_static",
    "axes",
    "education",
    "screening",
]

# The security middlewares sit above WhiteNoise so static files get the same headers. Every
# page goes through the whole stack: nothing below WhiteNoise answers a request before the
# session, CSRF and authentication layers have run (tests/oih_site/test_middleware.py).
MIDDLEWARE = [
    "screening.middleware.BrowserPolicyMiddleware",
    "django.middleware.security.SecurityMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "screening.middleware.RequestSizeMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "screening.middleware.AddressLanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "screening.middleware.StaffActivityMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "simple_history.middleware.HistoryRequestMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "axes.middleware.AxesMiddleware",
]

ROOT_URLCONF = "oih_site.urls"
WSGI_APPLICATION = "oih_site.wsgi.application"

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
                "screening.context_processors.country_help",
            ],
        },
    },
]

# --- Security headers ----------------------------------------------------------------------
# A strict Content Security Policy on every response: nothing loads from another host, and
# no inline script or style runs. Bootstrap's CSS draws form controls with data: images.

SECURE_CSP = {
    "default-src": [CSP.NONE],
    "script-src": [CSP.SELF],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "font-src": [CSP.SELF],
    "connect-src": [CSP.SELF],
    "manifest-src": [CSP.SELF],
    "form-action": [CSP.SELF],
    "base-uri": [CSP.NONE],
    "frame-ancestors": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"

# DJANGO_HTTPS=1 in production, behind a TLS proxy that sets X-Forwarded-Proto: redirect
# to HTTPS, mark cookies Secure, and ask browsers to remember HTTPS for a year (HSTS).
HTTPS = env_bool("DJANGO_HTTPS")
if HTTPS:
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = True
    SECURE_HSTS_SECONDS = 60 * 60 * 24 * 365
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
# The proxies whose X-Forwarded-For header is believed: addresses or networks, such as
# the nginx of deploy/nginx.conf. A request from any other peer is from that peer, whatever
# it says (screening/ratelimit.py, client_address). Empty: no proxy is trusted.
OIH_TRUSTED_PROXIES = env_networks("OIH_TRUSTED_PROXIES")
# Health checks come from the proxy over plain HTTP on the private network.
SECURE_REDIRECT_EXEMPT = [r"^healthz$"]
# A refused form still shows the emergency page for an emergency answer: it changes nothing.
CSRF_FAILURE_VIEW = "screening.views.csrf_failure"
# No page takes a file. The largest form is an article in the editor: 100,000 characters
# of text at most, under 1 MB however many of them are written as %XX. A larger body is
# refused whole (screening.middleware.RequestSizeMiddleware), as the proxy refuses it first
# (deploy/nginx/http.conf, client_max_body_size).
DATA_UPLOAD_MAX_MEMORY_SIZE = 1024 * 1024

# --- Database ------------------------------------------------------------------------------
# No DATABASE_URL: a SQLite file beside manage.py. postgres://...: PostgreSQL through
# psycopg 3. Each worker keeps its connection for up to 10 minutes (CONN_MAX_AGE) and
# Django checks it before a request reuses it (CONN_HEALTH_CHECKS), so a database restart
# needs no app restart. Values are bound on the server, so the server's log of a failed
# statement shows $1, $2 where the values were (the DETAIL line of some errors can still
# show a row: docs/deploy.md, "Logs"); ?server_side_binding=false in DATABASE_URL turns
# that off for a pooler that cannot do it.

DATABASES = {
    "default": dj_database_url.config(
        default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}",
        conn_max_age=600,
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.postgresql":
    DATABASES["default"].setdefault("OPTIONS", {}).setdefault("server_side_binding", True)
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Caches --------------------------------------------------------------------------------
# "default": each process's own memory. It holds the site header and footer
# (templates/base.html) and each question's form as it is before any answer
# (templates/screening/question.html): never an answer, nothing from a session.
# "pages": a table in the database, shared by every app server. It holds the rendered home
# page, article list and articles (education/views.py), the same for every visitor, and is
# cleared when an editor saves, so a change shows at once everywhere. `make migrate` (and
# the test database) create the table with `manage.py createcachetable`. A page is kept
# for five minutes at most: an article scheduled for later appears within that time.
# Question and result pages are never cached.

CACHES = {
    "default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"},
    "pages": {
        "BACKEND": "django.core.cache.backends.db.DatabaseCache",
        "LOCATION": "oih_page_cache",
        "TIMEOUT": 5 * 60,
    },
}

# --- Sessions ------------------------------------------------------------------------------
# Answers in progress live only in the server-side session, never in a URL or a cookie.

# A session ends after 30 minutes without activity, for patients and staff alike: every
# step of the check saves the session, and staff activity refreshes it (see
# screening.middleware.StaffActivityMiddleware), which moves the expiry forward.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = 30 * 60
# Admin messages name reference codes ("The screening ... was changed"): kept in the
# server-side session, not in a cookie in the staff member's browser.
MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"

# --- Authentication ------------------------------------------------------------------------
# Staff sign in through the admin; there is no other login page. Two steps: the password,
# then a code from an authenticator app (django-otp, TOTP); a code works once. Staff
# without an app set one up right after their first password sign-in (staff/sites.py), and
# get ten recovery codes (django-otp's static tokens), each good for one sign-in without
# the app; each use is in the audit trail.
LOGIN_URL = "admin:login"
LOGIN_REDIRECT_URL = "admin:index"
OTP_TOTP_ISSUER = "OIH self-check"
OTP_ADMIN_HIDE_SENSITIVE_DATA = True

# Five failed sign-ins (a wrong password or a wrong code) for one account from one address
# pause sign-in for that pair for 30 minutes (django-axes). Twenty from one address, over
# any accounts, pause sign-in from that address for everyone (staff/lockout.py), so that
# trying a few passwords on each of many accounts stops too. The address is the client's
# (screening.ratelimit.client_address), as for the patients' submission limit. Log lines
# name the account but no address or browser.
AUTHENTICATION_BACKENDS = [
    "axes.backends.AxesStandaloneBackend",
    "django.contrib.auth.backends.ModelBackend",
]
AXES_HANDLER = "staff.lockout.FailureRecords"
AXES_FAILURE_LIMIT = 5
AXES_COOLOFF_TIME = datetime.timedelta(minutes=30)
AXES_LOCKOUT_PARAMETERS = [["username", "ip_address"]]
AXES_CLIENT_IP_CALLABLE = "screening.ratelimit.client_address"
AXES_LOCKOUT_CALLABLE = "staff.lockout.lockout_response"
AXES_RESET_ON_SUCCESS = True
AXES_SENSITIVE_PARAMETERS = ["password", "otp_token"]
AXES_CLIENT_STR_CALLABLE = "staff.lockout.client_description"
STAFF_SIGN_IN_FAILURES_PER_ADDRESS = 20


AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]

# --- Language and country ------------------------------------------------------------------

# The clinic's language: English at the addresses without a prefix, and what staff read
# (the admin shows a screening's questions and answers in it, whatever the patient used).
# Spanish pages live under /es/ (oih_site/urls.py, docs/decisions/0010-languages-in-the-address.md).
# The address alone decides: screening.middleware.AddressLanguageMiddleware reads neither
# Accept-Language nor a cookie, so no page varies on them.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
USE_I18N = True
# The clinic's time zone (an IANA name such as America/New_York): the admin and the
# patient's printout show times, and the admin counts "today" and "past 7 days", in it.
# Times are stored in UTC. Formats name the zone, so a time is never ambiguous. Unset,
# development uses UTC and check --deploy warns (screening/checks.py).
TIME_ZONE = os.environ.get("DJANGO_TIME_ZONE", "").strip() or "UTC"
TIME_ZONE_CHOSEN = bool(os.environ.get("DJANGO_TIME_ZONE", "").strip())
try:
    zoneinfo.ZoneInfo(TIME_ZONE)
except (ValueError, zoneinfo.ZoneInfoNotFoundError) as error:
    raise ImproperlyConfigured(f"DJANGO_TIME_ZONE={TIME_ZONE!r} is not a time zone.") from error
USE_TZ = True
FORMAT_MODULE_PATH = ["oih_site.formats"]

# Which emergency and help-line numbers patients see (screening/crisis.py). The app refuses
# to start with a country it has no numbers for. Unset, development shows US numbers and
# check --deploy refuses (screening/checks.py).
OIH_COUNTRY = os.environ.get("OIH_COUNTRY", "US").strip().upper()
OIH_COUNTRY_CHOSEN = "OIH_COUNTRY" in os.environ

# The site's public address, such as https://oih.example.org: the FHIR Questionnaire's
# canonical URL, the same whatever host name a request used. Unset in development, where the
# request's own address stands in (check --deploy warns).
OIH_PUBLIC_URL = os.environ.get("OIH_PUBLIC_URL", "").strip().rstrip("/")

# How long saved screenings are kept before `manage.py purge_screenings` deletes them.
OIH_RETENTION_DAYS = int(os.environ.get("OIH_RETENTION_DAYS", "90"))
# Who runs the site, for the About, Privacy and Contact pages. The contact address is where
# patients write about their data; it is shown on those pages.
OIH_ORGANISATION_NAME = os.environ.get("OIH_ORGANISATION_NAME", "").strip() or "Pain Check"
OIH_CONTACT_EMAIL = os.environ.get("OIH_CONTACT_EMAIL", "").strip()
OIH_CONTACT_POSTAL = os.environ.get("OIH_CONTACT_POSTAL", "").strip()
# Saved checks per hour (screening/ratelimit.py): per person (an address and a browser's
# session together) and per address, the ceiling for a clinic's shared Wi-Fi.
OIH_SUBMISSIONS_PER_HOUR = int(os.environ.get("OIH_SUBMISSIONS_PER_HOUR", "10"))
OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR = int(
    os.environ.get("OIH_SUBMISSIONS_PER_ADDRESS_PER_HOUR", "100")
)

# --- Static files --------------------------------------------------------------------------
# Bootstrap's CSS comes from the xstatic-bootstrap package, served by WhiteNoise under
# /static/bootstrap/ with hashed, compressed names: no CDN, nothing copied into the repo.

STATIC_URL = "static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
# The manifest of hashed names is written beside STATIC_ROOT, not in it: WhiteNoise serves
# everything in STATIC_ROOT, and the manifest is nothing a visitor needs.
STATIC_MANIFEST_ROOT = BASE_DIR / "staticfiles-manifest"
STATICFILES_DIRS = [
    BASE_DIR / "static",
    ("bootstrap", xstatic.pkg.bootstrap.BASE_DIR),
]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage",
        "OPTIONS": {"manifest_storage": FileSystemStorage(location=STATIC_MANIFEST_ROOT)},
    },
}

CRISPY_ALLOWED_TEMPLATE_PACKS = "bootstrap5"
CRISPY_TEMPLATE_PACK = "bootstrap5"

# Error reports (e-mails to ADMINS, debug pages) never show POST data or local variables.
DEFAULT_EXCEPTION_REPORTER_FILTER = "screening.reporting.NoAnswersExceptionReporterFilter"

# --- E-mail --------------------------------------------------------------------------------
# Server errors are e-mailed to DJANGO_ADMINS (none: no e-mail). The site sends no other mail.

ADMINS = env_list("DJANGO_ADMINS")
SERVER_EMAIL = os.environ.get("DJANGO_SERVER_EMAIL", "root@localhost")
MAILERS = {
    "default": {
        "BACKEND": "django.core.mail.backends.smtp.EmailBackend",
        "OPTIONS": {
            "host": os.environ.get("DJANGO_EMAIL_HOST", "localhost"),
            "port": int(os.environ.get("DJANGO_EMAIL_PORT", "25")),
            "username": os.environ.get("DJANGO_EMAIL_HOST_USER", ""),
            "password": os.environ.get("DJANGO_EMAIL_HOST_PASSWORD", ""),
            "use_tls": env_bool("DJANGO_EMAIL_USE_TLS"),
        },
    }
}

# --- Logging -------------------------------------------------------------------------------
# Request bodies are never logged. Django's request logger is kept at WARNING so failures
# are seen, and error reports filter POST data (see screening.views). No log line quotes a
# header a client chose (Origin, Referer, Host, X-Forwarded-For): screening/reporting.py.

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Refused Origin, Referer and Host headers are logged as "foreign", not quoted.
    "filters": {"foreign_headers": {"()": "screening.reporting.ForeignHeaderFilter"}},
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "loggers": {
        "django.security.csrf": {"filters": ["foreign_headers"]},
        "django.security.DisallowedHost": {"filters": ["foreign_headers"]},
    },
    "root": {"handlers": ["console"], "level": "WARNING"},
}
