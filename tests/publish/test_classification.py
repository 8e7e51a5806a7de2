"""Every stored field is classified public or protected; a new field fails here until someone decides."""

from __future__ import annotations

from django.apps import apps

from bordermonitor.publish.classification import CLASSIFICATION, REPORT_DECIDES, REPORT_READ
from bordermonitor.publish.schema import RESOURCES


def _fields(model: type) -> set[str]:
    return {f.name for f in model._meta.get_fields() if f.concrete or (f.many_to_many and not f.auto_created)}


def test_every_field_of_every_model_is_classified_once() -> None:
    unclassified = []
    for model in apps.get_app_config("storage").get_models():
        public, protected = CLASSIFICATION.get(model.__name__, (frozenset(), frozenset()))
        assert not public & protected, f"{model.__name__}: classified both ways: {sorted(public & protected)}"
        fields = _fields(model)
        unclassified += [f"{model.__name__}.{name}" for name in sorted(fields - public - protected)]
        stale = (public | protected) - fields
        assert not stale, f"{model.__name__}: classified fields that do not exist: {sorted(stale)}"
    assert not unclassified, (
        f"classify these fields as public or protected in publish/classification.py: {unclassified}"
    )


def test_the_protected_fields_the_publisher_reads_are_only_the_ones_it_decides_with() -> None:
    from bordermonitor.storage.models import Report

    public, protected = CLASSIFICATION["Report"]
    assert REPORT_DECIDES <= protected, "a field the publisher decides with must be protected, not published"
    assert set(REPORT_READ) <= _fields(Report)
    assert set(REPORT_READ) - public == REPORT_DECIDES


def test_no_release_column_is_named_after_a_protected_report_field() -> None:
    _, protected = CLASSIFICATION["Report"]
    published = {column.name for item in RESOURCES for column in item.columns}
    # the same name only where the value is the public counterpart
    assert published & protected <= {"title", "id"}  # public_title; the incident's public_id
