"""One settings module for every deployment, driven by environment variables.

The defaults run the embedded demo (SQLite, database task queue, local outbox) on a
laptop; production sets TANDEM_ENV=production and the variables listed in README.md.
"""

import os
import secrets
from pathlib import Path

import dj_database_url
from django.utils.csp import CSP

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(os.environ.get("TANDEM_VAR_DIR", BASE_DIR / "var"))


def env_bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None or value == "":
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


def env_list(name: str, default: str) -> list[str]:
    return [item.strip() for item in os.environ.get(name, default).split(",") if item.strip()]


PRODUCTION = os.environ.get("TANDEM_ENV", "demo") == "production"
DEBUG = env_bool("TANDEM_DEBUG", False)


def _secret_key() -> str:
    """Production must set TANDEM_SECRET_KEY; the demo keeps a generated key in var/."""
    if key := os.environ.get("TANDEM_SECRET_KEY"):
        return key
    if PRODUCTION:
        from django.core.exceptions import ImproperlyConfigured

        raise ImproperlyConfigured("TANDEM_SECRET_KEY must be set when TANDEM_ENV=production")
    key_file = VAR_DIR / "secret_key"
    try:
        return key_file.read_text().strip()
    except FileNotFoundError:
        VAR_DIR.mkdir(parents=True, exist_ok=True)
        key = secrets.token_urlsafe(50)
        key_file.write_text(key)
        key_file.chmod(0o600)
        return key


SECRET_KEY = _secret_key()
ALLOWED_HOSTS = env_list("TANDEM_ALLOWED_HOSTS", "127.0.0.1,localhost,[::1]")
CSRF_TRUSTED_ORIGINS = env_list("TANDEM_CSRF_TRUSTED_ORIGINS", "")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django_otp",
    "django_otp.plugins.otp_totp",
    "django_tasks_db",
    "django_htmx",
    "anymail",
    "tandem.accounts",
    "tandem.audit",
    "tandem.directory",
    "tandem.rosters",
    "tandem.messaging",
    "tandem.outbox",
    "tandem.smsgateway",
    "tandem.translation",
    "tandem.listening",
    "tandem.programs",
    "tandem.web",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.middleware.csp.ContentSecurityPolicyMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "tandem.web.middleware.LanguageMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django_otp.middleware.OTPMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
]

ROOT_URLCONF = "tandem.urls"
WSGI_APPLICATION = "tandem.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.template.context_processors.csp",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "tandem.web.context_processors.navigation",
            ],
        },
    },
]

DATABASES = {
    "default": dj_database_url.parse(
        os.environ.get("DATABASE_URL") or f"sqlite:///{VAR_DIR / 'tandem.sqlite3'}",
        conn_max_age=int(os.environ.get("TANDEM_DB_CONN_MAX_AGE", "60")),
        conn_health_checks=True,
    )
}
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    VAR_DIR.mkdir(parents=True, exist_ok=True)
    # The web server and the worker write to one file: WAL lets readers go on while one
    # writes, IMMEDIATE transactions queue writers instead of failing mid-transaction.
    DATABASES["default"]["CONN_MAX_AGE"] = 0
    DATABASES["default"]["OPTIONS"] = {
        "transaction_mode": "IMMEDIATE",
        "timeout": 30,
        "init_command": (
            "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
        ),
    }
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
AUTH_USER_MODEL = "accounts.User"

AUTHENTICATION_BACKENDS = ["django.contrib.auth.backends.ModelBackend"]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "accounts:sign-in"
LOGIN_REDIRECT_URL = "web:home"
LOGOUT_REDIRECT_URL = "web:home"

# Background work: Django's Tasks framework; the database backend is the embedded default.
# Background work. The embedded default keeps tasks in the database (`tandem db_worker`);
# large districts set TANDEM_TASKS=celery and run Celery workers on Redis or RabbitMQ
# (`celery -A tandem.celery worker`): the same task functions, chosen here.
TANDEM_TASKS = os.environ.get("TANDEM_TASKS", "database")
if TANDEM_TASKS == "celery":
    TASKS = {
        "default": {
            "BACKEND": "django_tasks_celery.CeleryBackend",
            "QUEUES": ["default"],
            "OPTIONS": {"CELERY_APP": "tandem.celery.app"},
        }
    }
else:
    TASKS = {
        "default": {
            "BACKEND": os.environ.get("TANDEM_TASKS_BACKEND", "django_tasks_db.DatabaseBackend"),
            "QUEUES": ["default"],
        }
    }
CELERY_BROKER_URL = os.environ.get("TANDEM_CELERY_BROKER_URL", "redis://127.0.0.1:6379/0")
CELERY_RESULT_BACKEND = os.environ.get("TANDEM_CELERY_RESULT_BACKEND", CELERY_BROKER_URL)
CELERY_RESULT_EXTENDED = True
CELERY_RESULT_EXPIRES = 24 * 3600
# A task is acknowledged when it finishes, and given back if its worker dies: sending is
# idempotent (tandem.messaging.delivery), so running it again is safe.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# Internationalization. English and Spanish ship complete; Arabic ships the family pages
# and lays pages out right to left.
LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("es", "Español"), ("ar", "العربية")]
LANGUAGES_BIDI = ["ar"]
LANGUAGE_COOKIE_NAME = "tandem_language"
LANGUAGE_COOKIE_SECURE = PRODUCTION
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "UTC"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
STATIC_ROOT = VAR_DIR / "static"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": (
            "whitenoise.storage.CompressedManifestStaticFilesStorage"
            if PRODUCTION
            else "django.contrib.staticfiles.storage.StaticFilesStorage"
        )
    },
}
WHITENOISE_USE_FINDERS = not PRODUCTION
if not PRODUCTION:
    # Outside production WhiteNoise serves from the apps (finders) and warns on every
    # start when the collected-files folder is missing, which it always is there.
    STATIC_ROOT.mkdir(parents=True, exist_ok=True)
MEDIA_ROOT = VAR_DIR / "media"

# Uploads: roster files are streamed to disk; anything larger is refused with a message.
TANDEM_MAX_UPLOAD_BYTES = int(os.environ.get("TANDEM_MAX_UPLOAD_BYTES", str(200 * 1024 * 1024)))
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024
FILE_UPLOAD_TEMP_DIR = None

# Sign-in codes for families and the limits that keep them from being guessed or abused.
TANDEM_SIGN_IN_CODE_TTL_SECONDS = int(os.environ.get("TANDEM_SIGN_IN_CODE_TTL_SECONDS", "600"))
TANDEM_SIGN_IN_CODE_MAX_ATTEMPTS = 5
TANDEM_SIGN_IN_CODES_PER_DESTINATION_PER_HOUR = 5
TANDEM_SIGN_IN_CODES_PER_ADDRESS_PER_HOUR = 20
TANDEM_STAFF_SIGN_IN_FAILURES_PER_HOUR = 10
OTP_TOTP_ISSUER = "Tandem"
# How many reverse proxies in front of Tandem append to X-Forwarded-For (0: none, use
# the connection's address). Rate limits count per client address.
TANDEM_TRUSTED_PROXY_COUNT = int(os.environ.get("TANDEM_TRUSTED_PROXY_COUNT", "0"))

# Where SMS go: "outbox" keeps them in the database for the local outbox page.
TANDEM_SMS_BACKEND = os.environ.get("TANDEM_SMS_BACKEND", "outbox")
# The local outbox page shows what would have been sent; never on in production.
TANDEM_LOCAL_OUTBOX = env_bool("TANDEM_LOCAL_OUTBOX", not PRODUCTION)
# An email provider by its Anymail name ("postmark", "mailgun", "sendgrid", "amazon_ses",
# "brevo", "sparkpost", …): mail goes out through its API, and its webhooks bring
# families' replies and bounces back. Empty: SMTP (or the local outbox outside production).
TANDEM_EMAIL_PROVIDER = os.environ.get("TANDEM_EMAIL_PROVIDER", "")
_EMAIL_BACKEND = os.environ.get(
    "TANDEM_EMAIL_BACKEND",
    f"anymail.backends.{TANDEM_EMAIL_PROVIDER}.EmailBackend"
    if TANDEM_EMAIL_PROVIDER
    else "django.core.mail.backends.smtp.EmailBackend"
    if PRODUCTION
    else "tandem.outbox.email.OutboxEmailBackend",
)
MAILERS = {
    "default": {
        "BACKEND": _EMAIL_BACKEND,
        "OPTIONS": (
            {
                "host": os.environ.get("TANDEM_EMAIL_HOST", "localhost"),
                "port": int(os.environ.get("TANDEM_EMAIL_PORT", "25")),
                "username": os.environ.get("TANDEM_EMAIL_HOST_USER", ""),
                "password": os.environ.get("TANDEM_EMAIL_HOST_PASSWORD", ""),
                "use_tls": env_bool("TANDEM_EMAIL_USE_TLS", False),
            }
            if _EMAIL_BACKEND.endswith("smtp.EmailBackend")
            else {}
        ),
    }
}
DEFAULT_FROM_EMAIL = os.environ.get("TANDEM_FROM_EMAIL", "Tandem <no-reply@tandem.localhost>")
# Where families' email replies go (the provider's inbound address). Each email's
# Reply-To adds a tag naming its delivery (replies+d12-…@…), so a reply finds its
# household whatever address it comes from. Empty: replies go to the From address.
TANDEM_REPLY_EMAIL = os.environ.get("TANDEM_REPLY_EMAIL", "")
# Anymail's settings: the provider's keys as TANDEM_ANYMAIL_<NAME> (for example
# TANDEM_ANYMAIL_POSTMARK_SERVER_TOKEN), and the webhooks' basic-auth "user:password"
# as TANDEM_EMAIL_WEBHOOK_SECRET; without it the email webhooks refuse every call.
ANYMAIL = {
    name.removeprefix("TANDEM_ANYMAIL_"): value
    for name, value in os.environ.items()
    if name.startswith("TANDEM_ANYMAIL_")
} | {
    "WEBHOOK_SECRET": os.environ.get("TANDEM_EMAIL_WEBHOOK_SECRET", ""),
    # Metadata naming the delivery is a help, not a need: a provider without it still
    # reports bounces by message id.
    "IGNORE_UNSUPPORTED_FEATURES": env_bool("TANDEM_ANYMAIL_IGNORE_UNSUPPORTED_FEATURES", True),
}

# Twilio, or outside production by default the local SMS gateway that speaks its API
# (`tandem sms-gateway`, which `tandem demo` starts on port 8025).
_LOCAL_GATEWAY = (
    {}
    if PRODUCTION
    else {
        "API_BASE": "http://127.0.0.1:8025",
        "ACCOUNT_SID": "AC" + "0" * 32,
        "AUTH_TOKEN": "local-gateway-token",
        "FROM": "+15550001000",
    }
)
TANDEM_TWILIO_API_BASE = os.environ.get(
    "TANDEM_TWILIO_API_BASE", _LOCAL_GATEWAY.get("API_BASE", "https://api.twilio.com")
)
TANDEM_TWILIO_ACCOUNT_SID = os.environ.get(
    "TANDEM_TWILIO_ACCOUNT_SID", _LOCAL_GATEWAY.get("ACCOUNT_SID", "")
)
TANDEM_TWILIO_AUTH_TOKEN = os.environ.get(
    "TANDEM_TWILIO_AUTH_TOKEN", _LOCAL_GATEWAY.get("AUTH_TOKEN", "")
)
# A number or a MG… messaging service sid.
TANDEM_TWILIO_FROM = os.environ.get("TANDEM_TWILIO_FROM", _LOCAL_GATEWAY.get("FROM", ""))
TANDEM_TWILIO_TIMEOUT = float(os.environ.get("TANDEM_TWILIO_TIMEOUT", "10"))
# Where Twilio reaches Tandem (status callbacks, inbound texts): https://tandem.example.org
TANDEM_PUBLIC_URL = os.environ.get("TANDEM_PUBLIC_URL", "http://127.0.0.1:8000")

# Machine translation drafts: "none" (people write every translation), "argos" (offline,
# when installed with its language packages) or "deepl" (DeepL API v2, by key).
TANDEM_TRANSLATION_PROVIDER = os.environ.get("TANDEM_TRANSLATION_PROVIDER", "none")
TANDEM_TRANSLATION_API_KEY = os.environ.get("TANDEM_TRANSLATION_API_KEY", "")
# Empty: DeepL's own endpoint (the free one for keys ending in ":fx").
TANDEM_TRANSLATION_API_URL = os.environ.get("TANDEM_TRANSLATION_API_URL", "")
TANDEM_TRANSLATION_TIMEOUT_SECONDS = float(
    os.environ.get("TANDEM_TRANSLATION_TIMEOUT_SECONDS", "10")
)

# Privacy: no report shows a group smaller than this (never below 3).
TANDEM_MIN_GROUP_SIZE = max(3, int(os.environ.get("TANDEM_MIN_GROUP_SIZE", "5")))
TANDEM_DEFAULT_PHONE_REGION = os.environ.get("TANDEM_DEFAULT_PHONE_REGION", "US")

# Delivery of messages (tandem.messaging.delivery).
TANDEM_QUIET_HOURS = os.environ.get("TANDEM_QUIET_HOURS", "21:00-08:00")  # recipient's time
TANDEM_SEND_WORKERS = int(os.environ.get("TANDEM_SEND_WORKERS", "2"))  # sender tasks per message
TANDEM_SEND_BATCH = int(os.environ.get("TANDEM_SEND_BATCH", "200"))  # deliveries claimed at once
# A worker that has not finished a claimed batch by then is presumed dead.
TANDEM_DELIVERY_LEASE_SECONDS = int(os.environ.get("TANDEM_DELIVERY_LEASE_SECONDS", "60"))
TANDEM_DELIVERY_MAX_ATTEMPTS = int(os.environ.get("TANDEM_DELIVERY_MAX_ATTEMPTS", "8"))
# Texts and emails per second for the whole installation (0: no pacing).
TANDEM_SMS_RATE_PER_SECOND = float(os.environ.get("TANDEM_SMS_RATE_PER_SECOND", "0"))
TANDEM_EMAIL_RATE_PER_SECOND = float(os.environ.get("TANDEM_EMAIL_RATE_PER_SECOND", "0"))

# Security headers. Pages use only our own scripts and styles (no inline script).
SECURE_CSP = {
    "default-src": [CSP.SELF],
    "script-src": [CSP.SELF, CSP.NONCE],
    "style-src": [CSP.SELF],
    "img-src": [CSP.SELF, "data:"],
    "form-action": [CSP.SELF],
    "frame-ancestors": [CSP.NONE],
    "base-uri": [CSP.NONE],
    "object-src": [CSP.NONE],
}
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
X_FRAME_OPTIONS = "DENY"
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_AGE = int(os.environ.get("TANDEM_SESSION_SECONDS", str(14 * 24 * 3600)))
if PRODUCTION:
    SECURE_SSL_REDIRECT = env_bool("TANDEM_SSL_REDIRECT", True)
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_HSTS_SECONDS = int(os.environ.get("TANDEM_HSTS_SECONDS", "31536000"))
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True

# Logs carry ids and counts, never personal data (see docs/dangerous-constructs.md).
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": os.environ.get("TANDEM_LOG_LEVEL", "INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        # The twilio library logs every request (numbers in URLs) at INFO.
        "twilio": {"level": "WARNING"},
    },
}
