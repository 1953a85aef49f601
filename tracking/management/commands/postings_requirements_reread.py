"""`manage.py postings_requirements_reread`: every tenant's postings whose must-have and nice-to-have lists were
stored by an older requirements reader (tracking.requirements.READER_VERSION) read again from their descriptions.
Pages already show the current reading of such a posting (JobPosting.requirements_current); this stores it, so the
reading is not repeated on every view. Safe to run again and beside live traffic."""

from __future__ import annotations

from django.core.management.base import BaseCommand


class Command(BaseCommand):
    help = "Read again the requirement lists of postings stored by an older requirements reader."

    def handle(self, *args: object, **options: object) -> None:
        from tenants.context import dangerously_for_each_tenant
        from tracking.services import postings_requirements_reread

        total = 0
        for schema, rewritten in dangerously_for_each_tenant(lambda _schema: postings_requirements_reread()):
            if rewritten:
                self.stdout.write(f"{schema}: {rewritten} postings read again")
            total += rewritten
        self.stdout.write(self.style.SUCCESS(f"{total} postings read again"))
