from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0001_initial"),
    ]

    operations = [
        migrations.AlterField(
            model_name="obligationevent",
            name="kind",
            field=models.CharField(
                choices=[
                    ("opened", "Opened"),
                    ("acknowledged", "Acknowledged"),
                    ("extended", "Extended"),
                    ("redirected", "Redirected"),
                    ("restarted", "Start moved"),
                    ("answered", "Answered"),
                    ("withdrawn", "Withdrawn"),
                ],
                max_length=16,
                verbose_name="event",
            ),
        ),
    ]
