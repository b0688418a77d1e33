"""Settings shared by every environment; everything that differs comes from the environment.

The embedded defaults (SQLite, in-memory channel layer and cache, database search,
immediate tasks, console email) let `make run` work with no other service.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
environ.Env.read_env(BASE_DIR / ".env", overwrite=False)

SECRET_KEY = env("SECRET_KEY", default="dev-only-insecure-key-change-me")
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost", "[::1]"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    # daphne first: its runserver serves HTTP and websockets together in development.
    "daphne",
    # The project package: base templates, template tags, static files, allauth overrides.
    "ashyq",
    "accounts",
    "notifications",
    "tracking",
    "tracking.watchlists",
    "search",
    "moderation",
    "dialogue",
    # Feature modules after cms: their demo data goes under the pages cms seeds.
    "cms",
    "blogs",
    "legal_drafts",
    "petitions",
    # Open Dialogue's parts beyond the conversation layer (`dialogue`).
    "dialogue.threads",
    "dialogue.conferences",
    "dialogue.polls",
    "wagtail.contrib.forms",
    "wagtail.contrib.redirects",
    "wagtail.contrib.routable_page",
    "wagtail.contrib.settings",
    "wagtail.contrib.simple_translation",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail.locales",
    "wagtail",
    "modelcluster",
    "taggit",
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.sitemaps",
    "django.contrib.sites",  # required by django-contrib-comments
    "django_comments_xtd",
    "django_comments",
    "allauth",
    "allauth.account",
    "allauth.socialaccount",
    "allauth.socialaccount.providers.openid_connect",
    "rules.apps.AutodiscoverRulesConfig",
    "rest_framework",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "channels",
    "django_tasks",
    "django_tasks_db",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "ashyq.middleware.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "wagtail.contrib.redirects.middleware.RedirectMiddleware",
]

ROOT_URLCONF = "ashyq.urls"
WSGI_APPLICATION = "ashyq.wsgi.application"
ASGI_APPLICATION = "ashyq.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.debug",
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "cms.context_processors.site_chrome",
                "notifications.context_processors.unread",
                "blogs.workspace.workspace_nav",
                "legal_drafts.context_processors.workspace_nav",
                "petitions.context_processors.workspace_nav",
                "dialogue.threads.context_processors.agency_nav",
                "dialogue.polls.context_processors.workspace_nav",
                "dialogue.conferences.context_processors.workspace_nav",
            ],
        },
    },
]

# --- Database -------------------------------------------------------------------------
DATABASES = {
    "default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}"),
}
DATABASES["default"]["ATOMIC_REQUESTS"] = False
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # WAL and a busy timeout let the websocket server and the web server share the file.
    DATABASES["default"].setdefault("OPTIONS", {}).update(
        {
            "timeout": 20,
            "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
            "transaction_mode": "IMMEDIATE",
        }
    )
else:
    DATABASES["default"].setdefault("CONN_MAX_AGE", env.int("CONN_MAX_AGE", default=60))
    DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

# --- Redis: channel layer and cache when configured -----------------------------------
REDIS_URL = env("REDIS_URL", default="")
if REDIS_URL:
    CHANNEL_LAYERS = {
        "default": {
            "BACKEND": "channels_redis.core.RedisChannelLayer",
            "CONFIG": {"hosts": [REDIS_URL], "prefix": env("REDIS_PREFIX", default="ashyq")},
        }
    }
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": env("REDIS_PREFIX", default="ashyq"),
        }
    }
else:
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Search (the search module reads this; unset means database search) --------------
ELASTICSEARCH_URL = env("ELASTICSEARCH_URL", default="")
ELASTICSEARCH_INDEX = env("ELASTICSEARCH_INDEX", default="ashyq-search")  # the alias
ELASTICSEARCH_TIMEOUT = env.float("ELASTICSEARCH_TIMEOUT", default=2.0)  # then the database answers
ELASTICSEARCH_RETRY_SECONDS = env.int("ELASTICSEARCH_RETRY_SECONDS", default=30)
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# --- Email ------------------------------------------------------------------------------
EMAIL_CONFIG = env.email_url("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Ashyq <noreply@ashyq.kz>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- Background tasks -------------------------------------------------------------------
TASKS = {
    "default": {
        "BACKEND": env("TASKS_BACKEND", default="django_tasks.backends.immediate.ImmediateBackend"),
    }
}

# --- Authentication -------------------------------------------------------------------
AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "rules.permissions.ObjectPermissionBackend",
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:profile"

ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
SOCIALACCOUNT_ADAPTER = "accounts.adapters.SocialAccountAdapter"
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_SIGNUP_FORM_CLASS = "accounts.forms.ProfileSignupForm"
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_CONFIRM_EMAIL_ON_GET = False  # mail scanners must not consume the link
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_CHANGE_EMAIL = True
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "Ashyq: "
ACCOUNT_DEFAULT_HTTP_PROTOCOL = env("ACCOUNT_DEFAULT_HTTP_PROTOCOL", default="http")
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "5/5m/ip,5/5m/key",
    "signup": "20/h/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    "change_email": "1/m/user",
}
SOCIALACCOUNT_EMAIL_AUTHENTICATION = False
SOCIALACCOUNT_ONLY = False

# National-ID login (eGov / any OpenID Connect provider), enabled when configured.
OIDC_SERVER_URL = env("OIDC_SERVER_URL", default="")
SOCIALACCOUNT_PROVIDERS = {}
if OIDC_SERVER_URL:
    SOCIALACCOUNT_PROVIDERS["openid_connect"] = {
        "OAUTH_PKCE_ENABLED": True,
        "APPS": [
            {
                "provider_id": env("OIDC_PROVIDER_ID", default="national-id"),
                "name": env("OIDC_PROVIDER_NAME", default="eGov ID"),
                "client_id": env("OIDC_CLIENT_ID"),
                "secret": env("OIDC_CLIENT_SECRET"),
                "settings": {"server_url": OIDC_SERVER_URL},
            }
        ],
    }

# --- Languages --------------------------------------------------------------------------
LANGUAGE_CODE = "kk"
LANGUAGES = [
    ("kk", "Қазақша"),
    ("ru", "Русский"),
    ("en", "English"),
]
LOCALE_PATHS = [BASE_DIR / "locale", BASE_DIR / "locale_vendor"]
LANGUAGE_COOKIE_AGE = 365 * 24 * 3600
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = "Asia/Almaty"
USE_I18N = True
USE_TZ = True
FORMAT_MODULE_PATH = ["ashyq.formats"]

WAGTAIL_I18N_ENABLED = True
WAGTAIL_CONTENT_LANGUAGES = LANGUAGES
WAGTAIL_SITE_NAME = "Ashyq"
WAGTAILADMIN_BASE_URL = env("SITE_URL", default="http://127.0.0.1:8000")
WAGTAILADMIN_LOGIN_URL = "account_login"
WAGTAIL_FRONTEND_LOGIN_URL = "account_login"
WAGTAILDOCS_EXTENSIONS = ["pdf", "docx", "doc", "odt", "xlsx", "csv", "txt"]
WAGTAIL_ENABLE_UPDATE_CHECK = False

# --- Static and media -----------------------------------------------------------------
STATIC_URL = "/static/"
STATIC_ROOT = env("STATIC_ROOT", default=str(BASE_DIR / "staticfiles"))
MEDIA_URL = "/media/"
MEDIA_ROOT = env("MEDIA_ROOT", default=str(BASE_DIR / "media"))
# Files citizens and officials attach to their questions and answers are not under
# MEDIA_URL: a question awaiting moderation or hidden by a moderator must not be reachable
# by guessing a file name, so they are served by a view that checks who asks.
PRIVATE_MEDIA_ROOT = env("PRIVATE_MEDIA_ROOT", default=str(BASE_DIR / "private_media"))
PRIVATE_STORAGE = {
    "BACKEND": "django.core.files.storage.FileSystemStorage",
    "OPTIONS": {"location": PRIVATE_MEDIA_ROOT, "base_url": None},
}
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    "private": PRIVATE_STORAGE,
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 10 * 1024 * 1024
# Attachments to questions, answers and other contributions (ashyq.uploads).
ASHYQ_ATTACHMENT_MAX_BYTES = env.int("ASHYQ_ATTACHMENT_MAX_BYTES", default=10 * 1024 * 1024)
ASHYQ_ATTACHMENT_MAX_FILES = env.int("ASHYQ_ATTACHMENT_MAX_FILES", default=5)
# Working days an agency's moderators have to publish or reject a blog question.
BLOGS_MODERATION_WORKING_DAYS = env.int("BLOGS_MODERATION_WORKING_DAYS", default=3)
# Legal drafts: the drafting agency answers each top-level comment within this many
# working days after the discussion closes (docs/legal_drafts.md).
LEGAL_DRAFTS_RESPONSE_WORKING_DAYS = env.int("LEGAL_DRAFTS_RESPONSE_WORKING_DAYS", default=10)
# ... and publishes the discussion report within this many working days after it closes.
LEGAL_DRAFTS_REPORT_WORKING_DAYS = env.int("LEGAL_DRAFTS_REPORT_WORKING_DAYS", default=10)

# --- Petitions (docs/petitions.md) ------------------------------------------------------
# Signatures a petition addressed to a central body (the government, a ministry) needs.
PETITIONS_CENTRAL_THRESHOLD = env.int("PETITIONS_CENTRAL_THRESHOLD", default=50_000)
# For a local body without its own rule (share of its population, or a fixed number).
PETITIONS_LOCAL_DEFAULT_THRESHOLD = env.int("PETITIONS_LOCAL_DEFAULT_THRESHOLD", default=1_000)
# Supporters needed within 10 working days of publication to become public.
PETITIONS_SUPPORT_MINIMUM = env.int("PETITIONS_SUPPORT_MINIMUM", default=50)
PETITIONS_COLLECTION_MONTHS = env.int("PETITIONS_COLLECTION_MONTHS", default=6)
PETITIONS_SIGNATURE_RATE = {
    "ip_per_hour": env.int("PETITIONS_SIGNATURES_PER_IP_HOUR", default=30),
    "user_per_hour": env.int("PETITIONS_SIGNATURES_PER_USER_HOUR", default=20),
}
# Only identity-verified accounts (national-ID login) may sign.
PETITIONS_REQUIRE_IDENTITY = env.bool("PETITIONS_REQUIRE_IDENTITY", default=False)
# The agency that owes the moderation of petitions (the platform operator).
PETITIONS_OPERATOR_AGENCY = env("PETITIONS_OPERATOR_AGENCY", default="platform-operator")

# --- Open Dialogue: discussion threads ---------------------------------------------------
# Supporters a thread addressed to an agency needs before that agency owes an official reply.
THREADS_SUPPORT_LEVEL = env.int("THREADS_SUPPORT_LEVEL", default=100)
FORMS_URLFIELD_ASSUME_HTTPS = True  # Django 6 default, adopted now

# --- Civic tracking: scorecards (docs/tracking.md, "Scorecards") -------------------------
# Below this many cases a rate or a percentile says "too few to judge" instead of a number.
TRACKING_MIN_SAMPLE = env.int("TRACKING_MIN_SAMPLE", default=10)

# --- API --------------------------------------------------------------------------------
REST_FRAMEWORK = {
    "DEFAULT_AUTHENTICATION_CLASSES": ["rest_framework.authentication.SessionAuthentication"],
    "DEFAULT_PERMISSION_CLASSES": ["rest_framework.permissions.AllowAny"],
    "DEFAULT_RENDERER_CLASSES": [
        "rest_framework.renderers.JSONRenderer",
        "rest_framework.renderers.BrowsableAPIRenderer",
    ],
    "DEFAULT_PAGINATION_CLASS": "ashyq.api.Pagination",
    "PAGE_SIZE": 50,
    "DEFAULT_THROTTLE_CLASSES": [
        "rest_framework.throttling.AnonRateThrottle",
        "rest_framework.throttling.UserRateThrottle",
    ],
    "DEFAULT_THROTTLE_RATES": {
        "anon": env("API_ANON_RATE", default="120/min"),
        "user": env("API_USER_RATE", default="600/min"),
    },
    "DEFAULT_SCHEMA_CLASS": "drf_spectacular.openapi.AutoSchema",
    "DEFAULT_FILTER_BACKENDS": [],
}
SPECTACULAR_SETTINGS = {
    "TITLE": "Ashyq open data API",
    "DESCRIPTION": (
        "Read-only, paginated open data of the Ashyq e-participation platform. "
        "No personal data (emails, contacts of citizens) is ever returned."
    ),
    "VERSION": "1",
    "SERVE_INCLUDE_SCHEMA": False,
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    "SCHEMA_PATH_PREFIX": r"/api/v1",
    "PREPROCESSING_HOOKS": ["ashyq.api.public_endpoints_only"],
    # Several modules have a "status": name each set of choices after its module.
    "ENUM_NAME_OVERRIDES": {
        "DraftStatusEnum": "legal_drafts.models.DraftStatus",
        "ObligationStatusEnum": "tracking.models.Obligation.Status",
    },
}

# --- Logging ----------------------------------------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s: %(message)s"}},
    "handlers": {"console": {"class": "logging.StreamHandler", "formatter": "plain"}},
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        "django.db.backends": {"level": "WARNING"},
        "daphne": {"level": "WARNING"},
        "django_tasks": {"level": env("TASKS_LOG_LEVEL", default="WARNING")},
    },
}

ASHYQ_SITE_NAME = _("Ashyq")

# --- Conversation layer (django-comments-xtd with the project's comment model) ---------
SITE_ID = 1
COMMENTS_APP = "django_comments_xtd"
COMMENTS_XTD_MODEL = "dialogue.models.Comment"
COMMENTS_XTD_MAX_THREAD_LEVEL = 2
COMMENTS_XTD_CONFIRM_EMAIL = False  # only signed-in, email-verified users comment
COMMENTS_XTD_LIST_ORDER = ("thread_id", "order")
COMMENTS_HIDE_REMOVED = False
COMMENTS_PER_PAGE = 20
COMMENTS_REPLIES_PER_PAGE = 20
COMMENTS_EDIT_WINDOW_MINUTES = 15
COMMENT_MAX_LENGTH = 3000
# dialogue's ready() must run after django_comments_xtd's: the library connects a pre_save
# handler that cascades `is_public` to every reply on each save (one query per reply) and
# drifts `nested_count`; our states never use `is_public`, so dialogue disconnects it.
INSTALLED_APPS.remove("dialogue")
INSTALLED_APPS.insert(INSTALLED_APPS.index("django_comments") + 1, "dialogue")
# Pages list their live groups on <body data-live-groups>; the comments of a Wagtail page
# add theirs to request.live_groups in a before_serve_page hook, this exposes them.
TEMPLATES[0]["OPTIONS"]["context_processors"].append("dialogue.context_processors.live_groups")
