"""Migration: keys (organisation keys, record keys)."""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("storage", "0009_crosscheck")]

    operations = [
        migrations.CreateModel(
            name="RecordKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                (
                    "key_version",
                    models.PositiveIntegerField(help_text="The organisation key version that wraps it."),
                ),
                ("wrapped", models.BinaryField(null=True)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("destroyed_at", models.DateTimeField(blank=True, null=True)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="storage.organisation",
                    ),
                ),
            ],
        ),
        migrations.CreateModel(
            name="OrganisationKey",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("version", models.PositiveIntegerField()),
                ("data_key", models.BinaryField(help_text="The data key, wrapped by the master key.")),
                (
                    "evidence_recipient",
                    models.CharField(help_text="Public half (age1…): originals go to it.", max_length=100),
                ),
                (
                    "evidence_identity",
                    models.BinaryField(
                        help_text="Private half wrapped by the master key; null: held offline by the organisation.",
                        null=True,
                    ),
                ),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "retired_at",
                    models.DateTimeField(
                        blank=True, help_text="Set when a newer version replaced it.", null=True
                    ),
                ),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="keys",
                        to="storage.organisation",
                    ),
                ),
            ],
            options={
                "constraints": [
                    models.UniqueConstraint(
                        fields=("organisation", "version"), name="organisation_key_version"
                    )
                ],
            },
        ),
        migrations.AlterField(
            model_name="auditevent",
            name="action",
            field=models.CharField(
                choices=[
                    (a, a)
                    for a in (
                        "create",
                        "update",
                        "delete",
                        "view",
                        "download",
                        "export",
                        "share",
                        "publish",
                        "erase",
                        "import",
                        "integrity",
                    )
                ],
                max_length=20,
            ),
        ),
    ]
