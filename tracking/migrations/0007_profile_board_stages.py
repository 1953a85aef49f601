from django.db import migrations, models


class Migration(migrations.Migration):
    """The stages a seeker's board shows (set by an organisation's board template); empty keeps every stage."""

    dependencies = [
        ("tracking", "0006_domainevent_member_joined"),
    ]

    operations = [
        migrations.AddField(
            model_name="candidateprofile",
            name="board_stages",
            field=models.JSONField(blank=True, default=list, verbose_name="stages shown on the board"),
        ),
    ]
