from django.db import migrations

# The id of the transaction that wrote each domain event (PostgreSQL's xid8, filled by the column's default, so no
# code writes it). The analytics rollups (analytics/rollups.py) count the events of transactions below the oldest one
# still running: a transaction that commits late can never be skipped, which a cursor on the event's id cannot promise
# (ids are taken when the row is inserted, not when its transaction commits). Unknown to the model on purpose.
FORWARD = [
    "ALTER TABLE tracking_domainevent ADD COLUMN txid xid8 NOT NULL DEFAULT pg_current_xact_id()",
    "CREATE INDEX tracking_event_txid_idx ON tracking_domainevent (txid)",
]
BACKWARD = [
    "DROP INDEX IF EXISTS tracking_event_txid_idx",
    "ALTER TABLE tracking_domainevent DROP COLUMN IF EXISTS txid",
]


class Migration(migrations.Migration):
    dependencies = [("tracking", "0010_drop_event_progress_index")]

    operations = [migrations.RunSQL(FORWARD, BACKWARD)]
