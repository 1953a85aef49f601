import os

from django.core.wsgi import get_wsgi_application
from django.urls import get_resolver

from cvplus.runtime import startup_objects_freeze

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvplus.settings.local")
application = get_wsgi_application()
get_resolver().url_patterns  # noqa: B018 - imports every URL module and view now, before the freeze
startup_objects_freeze()  # see its docstring
