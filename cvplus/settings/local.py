"""Development: everything works with nothing set."""

from .base import *  # noqa: F403

DEBUG = env.bool("DEBUG", True)
SITE_SCHEME = env.str("CVPLUS_SITE_SCHEME", "http", choices=("http", "https"))
# The development server's port (make run passes PORT) goes into links in e-mails.
SITE_PORT = env.int("CVPLUS_SITE_PORT", env.int("PORT", 8000, minimum=1), minimum=0) or ""
# The portal's webhooks may post to this machine (the demo's inbox at /portal/webhooks/inbox/), over plain HTTP.
PORTAL_WEBHOOKS_ALLOW_PRIVATE = env.bool("PORTAL_WEBHOOKS_ALLOW_PRIVATE", True)
PORTAL_WEBHOOKS_REQUIRE_HTTPS = env.bool("PORTAL_WEBHOOKS_REQUIRE_HTTPS", False)
PORTAL_WEBHOOKS_INBOX = DEBUG
