"""The API's request counters moved to ratelimit.Counter, shared with the log-in throttle.

Counts are not carried over: they are worth a minute or two (a crash empties them anyway).
"""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("api", "0001_request_count"),
        ("ratelimit", "0001_initial"),
    ]

    operations = [
        migrations.DeleteModel(name="RequestCount"),
    ]
