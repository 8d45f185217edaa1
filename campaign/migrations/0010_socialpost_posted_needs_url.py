from django.db import migrations, models


# Its own migration: on PostgreSQL a table cannot be altered in the transaction that just
# updated its rows (pending deferred foreign-key checks), and 0009 fixes the rows first.
class Migration(migrations.Migration):
    dependencies = [
        ("campaign", "0009_socialpost_fill_weekly_plan"),
    ]

    operations = [
        migrations.AddConstraint(
            model_name="socialpost",
            constraint=models.CheckConstraint(
                condition=models.Q(
                    models.Q(("status", "posted"), _negated=True),
                    models.Q(("posted_url", ""), _negated=True),
                    _connector="OR",
                ),
                name="socialpost_posted_has_url",
                violation_error_message="Geef de link naar het geplaatste bericht als het geplaatst is.",
            ),
        ),
    ]
