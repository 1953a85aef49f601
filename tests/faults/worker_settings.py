"""Test settings for the worker-killed fault test's workers: e-mail goes to the test's SMTP sink."""

import os

from cvplus.settings.test import *  # noqa: F403

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = "127.0.0.1"
EMAIL_PORT = int(os.environ["FAULT_SMTP_PORT"])
EMAIL_TIMEOUT = 30
