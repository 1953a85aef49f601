"""Demo content for the local demo's job seeker (make run). Labelled as demo data; created once, never overwritten."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from accounts.models import User
from tracking.cv.services import cv_paste
from tracking.models import Application, Stage
from tracking.services import application_create, application_move, contact_add, note_add, posting_create, task_add

DEMO_CV = """Sam Okafor
Data engineer · Toronto, Canada · sam.seeker@example.com

Summary
Data engineer with six years of experience building batch and streaming pipelines.

Experience
Senior Data Engineer, Northwind Analytics — 2021 – present
- Built Airflow and dbt pipelines on PostgreSQL and Amazon Redshift
- Moved nightly jobs to Apache Kafka streams; cut data latency from hours to minutes
Data Engineer, Contoso Retail — 2018 – 2021
- Python and SQL ETL for the sales warehouse; Tableau dashboards for finance

Education
BSc Computer Science, University of Toronto — 2018

Skills
Python, SQL, PostgreSQL, Apache Airflow, dbt, Apache Kafka, Docker, Git, Tableau

Languages
English (native), French (B2)
"""

DEMO_POSTINGS = (
    ("Senior Data Engineer", "Globex", "Toronto", "CA", "120000", "145000", "CAD", Stage.INTERVIEWING, 18),
    ("Analytics Engineer", "Initech", "Remote (US)", "US", "130000", "150000", "USD", Stage.APPLIED, 9),
    ("Data Platform Engineer", "Umbrella Health", "Montreal", "CA", "", "", "", Stage.SCREENING, 25),
    ("Staff Data Engineer", "Hooli", "Vancouver", "CA", "160000", "190000", "CAD", Stage.SAVED, 2),
    ("Data Engineer", "Vandelay Industries", "Toronto", "CA", "95000", "110000", "CAD", Stage.REJECTED, 40),
)
DESCRIPTION = (
    "(Demo posting.) We are looking for a data engineer to build reliable pipelines.\n\n"
    "Requirements:\n- 4+ years of Python and SQL\n- Experience with Apache Airflow or dbt\n- PostgreSQL\n\n"
    "Nice to have:\n- Apache Kafka\n- Terraform is a plus"
)


def demo_seeker_ensure(*, user: User) -> bool:
    """Gives the demo seeker a CV and a handful of applications at different stages. False when they already have
    applications (the demo keeps whatever the user did)."""
    if Application.objects.filter(owner=user).exists():
        return False
    cv = cv_paste(owner=user, text=DEMO_CV)
    now = timezone.now()
    for title, company, location, country, low, high, currency, stage, days_ago in DEMO_POSTINGS:
        posting = posting_create(
            owner=user,
            title=title,
            company=company,
            location=location,
            country=country,
            salary_min=low or None,
            salary_max=high or None,
            salary_currency=currency,
            description=DESCRIPTION,
        )
        start = now - timedelta(days=days_ago)
        if stage == Stage.SAVED:
            application_create(owner=user, posting=posting, cv=cv, at=start)
            continue
        application = application_create(owner=user, posting=posting, cv=cv, stage=Stage.APPLIED, at=start)
        path = {
            Stage.SCREENING: [Stage.SCREENING],
            Stage.INTERVIEWING: [Stage.SCREENING, Stage.INTERVIEWING],
            Stage.REJECTED: [Stage.REJECTED],
        }.get(stage, [])
        for step, next_stage in enumerate(path, start=1):
            application_move(application=application, to_stage=next_stage, by=user, at=start + timedelta(days=4 * step))
        if stage == Stage.INTERVIEWING:
            contact_add(application=application, name="Rita Recruiter", role="recruiter", email="rita@globex.example")
            note_add(application=application, body="(Demo note.) Ask about the on-call rotation.")
            task_add(application=application, title="Send the take-home exercise", due_at=now + timedelta(days=2))
    return True
