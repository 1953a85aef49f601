"""The Celery app. Tasks carry the schema they were sent from (tenant-schemas-celery) and switch to it before running.

Queues: ``default`` for everything, ``training`` for model training (its own worker, so a long training job never
delays a reminder). Periodic work is one beat entry per job that calls ``tenants.tasks.tenants_dispatch``, which
sends the job once per ready tenant.
"""

import os

from tenant_schemas_celery.app import CeleryApp

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "cvplus.settings.local")

app = CeleryApp("cvplus")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
