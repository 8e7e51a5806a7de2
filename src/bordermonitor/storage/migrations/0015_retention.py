"""Migration: retention schedule and erasure.

``RetentionRule``: each organisation's schedule (status × days since the last change → erasure rule); none at
first, so nothing is erased until an organisation decides. ``Erasure``: one row per report erased, with the rule,
the reason or the schedule line, and counts of what was destroyed (docs/retention.md).
"""

import django.db.models.deletion
import django.utils.timezone
from django.db import migrations, models

STATUSES = [
    ("draft", "draft"),
    ("submitted", "submitted"),
    ("in_review", "in review"),
    ("changes_requested", "changes requested"),
    ("verified", "verified"),
    ("approved_for_publication", "approved for publication"),
    ("rejected", "rejected"),
]
RULES = [("evidence", "evidence"), ("testimony", "testimony"), ("record", "record")]
ACTOR = "'user:<id>', 'cli' or 'system', as in the audit log."


class Migration(migrations.Migration):
    dependencies = [("storage", "0014_account_security")]

    operations: list[migrations.operations.base.Operation] = [
        migrations.CreateModel(
            name="RetentionRule",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("status", models.CharField(choices=STATUSES, max_length=30)),
                (
                    "after_days",
                    models.PositiveIntegerField(
                        help_text="Days since the report last changed (its updated_at) before the rule applies."
                    ),
                ),
                ("rule", models.CharField(choices=RULES, max_length=20)),
                ("set_by", models.CharField(help_text=ACTOR, max_length=100)),
                ("created_at", models.DateTimeField(default=django.utils.timezone.now)),
                ("updated_at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="storage.organisation",
                    ),
                ),
            ],
            options={"ordering": ("organisation_id", "status", "after_days")},
        ),
        migrations.AddConstraint(
            model_name="retentionrule",
            constraint=models.UniqueConstraint(
                fields=("organisation", "status", "rule"), name="retention_rule_unique"
            ),
        ),
        migrations.CreateModel(
            name="Erasure",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("rule", models.CharField(choices=RULES, max_length=20)),
                (
                    "reason",
                    models.TextField(
                        blank=True,
                        help_text="Why it was asked for, as typed by staff (keep names out of it); null for "
                        "the schedule.",
                        null=True,
                    ),
                ),
                (
                    "status_before",
                    models.CharField(help_text="The report's status when it was erased.", max_length=30),
                ),
                (
                    "counts",
                    models.JSONField(blank=True, default=dict, help_text="What was destroyed, counted."),
                ),
                ("actor", models.CharField(help_text=ACTOR, max_length=100)),
                ("at", models.DateTimeField(default=django.utils.timezone.now)),
                (
                    "organisation",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="+",
                        to="storage.organisation",
                    ),
                ),
                (
                    "report",
                    models.ForeignKey(
                        on_delete=django.db.models.deletion.PROTECT,
                        related_name="erasures",
                        to="storage.report",
                    ),
                ),
                (
                    "schedule",
                    models.ForeignKey(
                        blank=True,
                        help_text="The schedule line that applied it; null: asked for (see reason).",
                        null=True,
                        on_delete=django.db.models.deletion.SET_NULL,
                        related_name="+",
                        to="storage.retentionrule",
                    ),
                ),
            ],
            options={"ordering": ("at", "id")},
        ),
    ]
