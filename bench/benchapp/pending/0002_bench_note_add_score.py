"""Copied into bench/benchapp/migrations/ by bench/tenants.py while it times applying one new migration per tenant.

Lives outside the migrations package so that the first state of the app has 0001 only.
"""

from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("benchapp", "0001_bench_note")]

    operations = [
        migrations.AddField(model_name="benchnote", name="score", field=models.IntegerField(null=True)),
    ]
