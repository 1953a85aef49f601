# Host names are case-insensitive and requests are routed by the lower-cased host: store every domain lower-case.

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("tenants", "0001_clients_and_domains"),
    ]

    operations = [
        migrations.RunSQL(
            "UPDATE tenants_domain SET domain = rtrim(lower(domain), '.') WHERE domain <> rtrim(lower(domain), '.')",
            reverse_sql=migrations.RunSQL.noop,
        ),
    ]
