"""Sensitive fields sealed with the key of their record (SECURITY goal 2; erasure, goal 11).

A sealed field stores ``bm1.<record key id>.<base64url>`` text (:mod:`bordermonitor.core.sealing`): the value
encrypted with the record's own key (``storage.keys``), with associated data naming the field (its *label*,
``"report.narrative_text"``). A database dump shows tokens, never the values. Code keeps reading and writing
plain values:

- **Reading** an instance's attribute opens the value (``report.narrative_text`` is text). Values are opened
  on first use, and the record keys of every row a query returned are read in one query then
  (:class:`SealedQuerySet`), so a list of 50 reports costs one query for keys, not 50. ``values()`` and
  ``values_list()`` return opened values too. A value whose record key was destroyed (erased) reads as None.
- **Where it was sealed is checked.** Each read selects the row's own record key id next to the value (see
  :class:`SealedCol`): a value copied into another row, or another field, raises :class:`SealError` instead of
  showing another record's data.
- **Writing** seals: ``save()`` (the record key is made in the record's organisation on first need),
  ``QuerySet.update()``, ``bulk_update()`` and ``bulk_create()``. A plain value that reaches the database any
  other way is refused (:class:`SealedWriteError`). The bulk import seals in Python before its own inserts
  (``storage.repositories.sealing``).
- **Empty is NULL**: None (and ``[]``/``{}`` for JSON fields) is stored as NULL and needs no key; an empty
  string is sealed like any text. The only lookup a sealed field takes is emptiness (``__isnull``, or ``=
  []``/``None``): the database cannot compare what it cannot read.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable, Iterator, Sequence
from itertools import islice
from typing import TYPE_CHECKING, Any, ClassVar, TypeVar

from django.core.serializers.json import DjangoJSONEncoder
from django.db import DataError, models, transaction
from django.db.models.expressions import Col
from django.db.models.lookups import Exact
from django.db.models.query import (
    FlatValuesListIterable,
    ModelIterable,
    NamedValuesListIterable,
    ValuesIterable,
    ValuesListIterable,
)
from django.db.models.query_utils import DeferredAttribute

from bordermonitor.core.sealing import SealError, is_sealed_text, key_id_of, open_text, seal_text

if TYPE_CHECKING:
    from django.db.backends.base.base import BaseDatabaseWrapper
    from django.db.models.sql.compiler import SQLCompiler

__all__ = [
    "RecordErased",
    "Sealed",
    "SealedCol",
    "SealedField",
    "SealedJSONField",
    "SealedLookupError",
    "SealedManager",
    "SealedModel",
    "SealedQuerySet",
    "SealedTextField",
    "SealedWriteError",
    "open_fetched",
    "open_raw",
    "preload_for",
    "sealed_fields",
]

M = TypeVar("M", bound=models.Model)
_SEP = "~"  # between a token and its row's key id as read by SealedCol; never part of a token
_NO_KEY = 0  # the row has no record key (record key ids start at 1)
_CHUNK = 2000


class RecordErased(SealError):
    """The record's key was destroyed: its sensitive values are gone and none can be written."""


class SealedWriteError(TypeError):
    """A plain value was about to be written to a sealed column without being sealed."""


class SealedLookupError(TypeError):
    """A sealed field was compared in the database, which only holds tokens."""


# --- opening ---------------------------------------------------------------------------------------------


class _Batch:
    """The sealed values one query returned: the first one opened reads the record keys of all."""

    __slots__ = ("loaded", "values")

    def __init__(self) -> None:
        self.values: list[Sealed] = []
        self.loaded = False

    def load(self) -> None:
        if self.loaded:
            return
        self.loaded = True
        from bordermonitor.storage.keys import preload_record_keys  # storage.keys imports the models

        preload_record_keys({kid for value in self.values if (kid := value.key_id) is not None})
        self.values = []


class Sealed:
    """A sealed value as read from (or about to be written to) the database, not opened.

    ``row_key`` is the record key id of the row it was read from: the value opens only if it was sealed with
    that key (0: the row has no key; None: unknown, read without it)."""

    __slots__ = ("batch", "field", "row_key", "token")

    def __init__(
        self, token: str, row_key: int | None, field: SealedField, batch: _Batch | None = None
    ) -> None:
        self.token, self.row_key, self.field, self.batch = token, row_key, field, batch

    def __repr__(self) -> str:
        return f"<sealed {self.field.label}>"

    __str__ = __repr__

    @property
    def key_id(self) -> int | None:
        return key_id_of(self.token) if is_sealed_text(self.token) else None

    def open(self) -> Any:
        """The value; None when its record key was destroyed. :class:`SealError` when it was not sealed, or
        was sealed for another record or field (moved in the database)."""
        label = self.field.label
        key_id = self.key_id
        if key_id is None:
            raise SealError(
                f"{label}: the stored value is not sealed (it was written around the application)"
            )
        if self.row_key is not None and self.row_key != key_id:
            raise SealError(
                f"{label}: the stored value was sealed for another record (key {key_id}, this row's key is "
                f"{self.row_key or 'none'}); it was moved in the database and is not opened"
            )
        if self.batch is not None:
            self.batch.load()
        from bordermonitor.storage.keys import record_key

        key = record_key(key_id)
        if key is None:
            return None
        return self.field.decode(open_text(key, self.token, label))


def open_raw(field: SealedField, raw: str | None, row_key: int | None) -> Any:
    """A sealed column's value as plain SQL returns it (``raw``), checked against its row's ``record_key_id``
    (call :func:`preload_for` on the rows first)."""
    if raw is None:
        return field.empty_value()
    return Sealed(raw, row_key or _NO_KEY, field).open()


def open_fetched(
    fields: Sequence[SealedField | None], rows: Iterable[Sequence[Any]]
) -> list[tuple[Any, ...]]:
    """Rows a queryset's SQL returned through the cursor (``storage.rawsql.fetch``), with the columns whose
    ``fields`` entry is a sealed field opened: the SQL selected each with its row's key (:class:`SealedCol`), so
    every value is checked against its row; one query reads the keys of all rows."""
    wanted = [(index, field) for index, field in enumerate(fields) if field is not None]
    lists: list[list[Any]] = [list(row) for row in rows]
    if not wanted:
        return [tuple(row) for row in lists]
    batch = _Batch()
    for row in lists:
        for index, field in wanted:
            value = field.from_db_value(row[index], None, None)
            if isinstance(value, Sealed):
                value.batch = batch
                batch.values.append(value)
            row[index] = value
    for row in lists:
        for index, _field in wanted:
            if isinstance(row[index], Sealed):
                row[index] = row[index].open()
    return [tuple(row) for row in lists]


def preload_for(raws: Iterable[str | None]) -> None:
    """Read the record keys of many sealed values (as plain SQL returns them) in one query per 5,000."""
    from bordermonitor.storage.keys import preload_record_keys

    preload_record_keys({key_id_of(raw) for raw in raws if raw is not None and is_sealed_text(raw)})


# --- fields ----------------------------------------------------------------------------------------------


class SealedCol(Col):
    """A sealed column as selected: ``<token>~<row's record key id>``, so every read can check that the value
    belongs to the row it is read from (NULL stays NULL)."""

    def as_sql(self, compiler: SQLCompiler, connection: BaseDatabaseWrapper) -> tuple[str, list[Any]]:
        sql, params = super().as_sql(compiler, connection)
        key = compiler.quote_name_unless_alias(self.target.model._meta.get_field("record_key").column)
        if self.alias:
            key = f"{compiler.quote_name_unless_alias(self.alias)}.{key}"
        return f"({sql} || '{_SEP}' || COALESCE(CAST({key} AS TEXT), ''))", list(params)


class _EmptyOnly(Exact):
    """``field=None`` / ``field=[]``: emptiness, answered as ``IS NULL``; any other value is refused."""

    prepare_rhs = False

    def get_prep_lookup(self) -> Any:
        field = self.lhs.output_field
        if isinstance(field, SealedField) and field.is_empty(self.rhs):
            return None  # the query builder turns "= None" into IS NULL (negation included)
        raise SealedLookupError(
            f"{getattr(field, 'label', field)} is sealed: the database cannot compare its values (only "
            "whether it is empty: __isnull)"
        )


class _SealedAttribute(DeferredAttribute):
    """Opens the value on first read and keeps it opened on the instance. A data descriptor (it has
    ``__set__``), so it is asked for the value even when the instance holds it."""

    def __set__(self, instance: Any, value: Any) -> None:
        instance.__dict__[self.field.attname] = value

    def __get__(self, instance: Any, cls: Any = None) -> Any:
        if instance is None:
            return self
        value = super().__get__(instance, cls)
        if isinstance(value, Sealed):
            opened = value.open()
            if opened is None:
                return None  # erased: the token stays, written back as it is
            instance.__dict__[self.field.attname] = opened
            return opened
        return value


class SealedField(models.TextField):
    """Base of the sealed fields: a text column of tokens, labelled ``<model>.<field>``."""

    descriptor_class = _SealedAttribute
    label: str

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        kwargs.setdefault("null", True)
        kwargs.setdefault("blank", True)
        super().__init__(*args, **kwargs)

    def contribute_to_class(self, cls: type[models.Model], name: str, private_only: bool = False) -> None:
        super().contribute_to_class(cls, name, private_only)
        self.label = f"{cls._meta.model_name}.{name}"

    # values
    def is_empty(self, value: Any) -> bool:
        return value is None

    def empty_value(self) -> Any:
        return None

    def encode(self, value: Any) -> str:
        if not isinstance(value, str):
            raise TypeError(f"{self.label} holds text, not {type(value).__name__}")
        return value

    def decode(self, text: str) -> Any:
        return text

    def seal(self, key_id: int, key: bytes, value: Any) -> Sealed:
        return Sealed(seal_text(key, key_id, self.encode(value), self.label), key_id, self)

    # database
    def get_col(self, alias: str, output_field: Any = None) -> Col:
        if output_field is None or output_field is self:
            return SealedCol(alias, self, output_field)
        return super().get_col(alias, output_field)

    @property
    def cached_col(self) -> Col:
        return SealedCol(self.model._meta.db_table, self)

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None:
            return self.empty_value()
        token, sep, row = str(value).rpartition(_SEP)
        if not sep:
            return Sealed(str(value), None, self)
        return Sealed(token, int(row) if row else _NO_KEY, self)

    def to_python(self, value: Any) -> Any:
        return value

    def get_prep_value(self, value: Any) -> Any:
        return value

    def get_db_prep_value(self, value: Any, connection: Any, prepared: bool = False) -> Any:
        if isinstance(value, Sealed):
            return value.token
        if self.is_empty(value):
            return None
        raise SealedWriteError(
            f"{self.label}: a plain value was about to be written unsealed; save the model (or use QuerySet "
            "update/bulk_update/bulk_create, or storage.repositories.sealing for bulk inserts)"
        )

    def pre_save(self, model_instance: models.Model, add: bool) -> Any:
        value = model_instance.__dict__.get(self.attname)
        if isinstance(value, Sealed) or self.is_empty(value):
            return value
        if not isinstance(model_instance, SealedModel):
            raise SealedWriteError(f"{self.label}: only a SealedModel knows the key to seal with")
        key_id, key = model_instance.sealing_key()
        return self.seal(key_id, key, value)

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name == "isnull":
            return super().get_lookup(lookup_name)
        if lookup_name == "exact":
            return _EmptyOnly
        return None

    def get_transform(self, lookup_name: str) -> Any:
        return None


class SealedTextField(SealedField):
    """Sealed text; None is NULL, an empty string is sealed like any text."""


class SealedJSONField(SealedField):
    """A sealed JSON value (``empty="list"`` or ``"dict"``: the value that stands for NULL, and the default)."""

    _EMPTIES: ClassVar[dict[str, Callable[[], Any]]] = {"list": list, "dict": dict}

    def __init__(self, *args: Any, empty: str = "dict", **kwargs: Any) -> None:
        if empty not in self._EMPTIES:
            raise ValueError("empty is 'list' or 'dict'")
        self.empty = empty
        kwargs.setdefault("default", self._EMPTIES[empty])
        super().__init__(*args, **kwargs)

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()
        kwargs["empty"] = self.empty
        return name, path, args, kwargs

    def is_empty(self, value: Any) -> bool:
        return value is None or (isinstance(value, list | dict) and not value)

    def empty_value(self) -> Any:
        return self._EMPTIES[self.empty]()

    def encode(self, value: Any) -> str:
        try:
            return json.dumps(
                value, ensure_ascii=False, separators=(",", ":"), allow_nan=False, cls=DjangoJSONEncoder
            )
        except ValueError as error:  # NaN or infinity: not JSON, refused as a JSON column refuses it
            raise DataError(f"{self.label}: not valid JSON ({error})") from None

    def decode(self, text: str) -> Any:
        return json.loads(text)


_FIELDS: dict[type[models.Model], dict[str, SealedField]] = {}


def sealed_fields(model: type[models.Model]) -> dict[str, SealedField]:
    """The sealed fields of ``model`` by attribute name."""
    found = _FIELDS.get(model)
    if found is None:
        found = {f.attname: f for f in model._meta.concrete_fields if isinstance(f, SealedField)}
        _FIELDS[model] = found
    return found


# --- querysets -------------------------------------------------------------------------------------------


def _markers(obj: models.Model, depth: int = 0) -> Iterator[Sealed]:
    for value in obj.__dict__.values():
        if isinstance(value, Sealed):
            yield value
    if depth < 3:
        for related in getattr(obj._state, "fields_cache", {}).values():
            if isinstance(related, models.Model):
                yield from _markers(related, depth + 1)


def _open_all(values: Sequence[Any], batch: _Batch) -> list[Any]:
    out = []
    for value in values:
        if isinstance(value, Sealed):
            value.batch = batch
            out.append(value.open())
        else:
            out.append(value)
    return out


def _settle(rows: list[Any], iterable: type) -> list[Any]:
    """Tie the sealed values of one query's rows to one batch of keys; values() rows are opened at once."""
    batch = _Batch()
    if issubclass(iterable, ModelIterable):
        for obj in rows:
            for marker in _markers(obj):
                marker.batch = batch
                batch.values.append(marker)
        return rows
    if issubclass(iterable, ValuesIterable):
        batch.values = [v for row in rows for v in row.values() if isinstance(v, Sealed)]
        if batch.values:
            for row in rows:
                for name, value in row.items():
                    if isinstance(value, Sealed):
                        value.batch = batch
                        row[name] = value.open()
        return rows
    if issubclass(iterable, FlatValuesListIterable):
        batch.values = [v for v in rows if isinstance(v, Sealed)]
        return _open_all(rows, batch) if batch.values else rows
    if issubclass(iterable, ValuesListIterable | NamedValuesListIterable):
        batch.values = [v for row in rows for v in row if isinstance(v, Sealed)]
        if not batch.values:
            return rows
        if issubclass(iterable, NamedValuesListIterable):
            return [row._make(_open_all(row, batch)) for row in rows]
        return [tuple(_open_all(row, batch)) for row in rows]
    return rows


class SealedQuerySet(models.QuerySet[M]):
    """Reads sealed values with one query for the keys of all rows, and seals what it writes."""

    def _fetch_all(self) -> None:
        fresh = self._result_cache is None
        super()._fetch_all()
        if fresh and self._result_cache:
            self._result_cache = _settle(self._result_cache, self._iterable_class)

    def iterator(self, chunk_size: int | None = None) -> Iterator[M]:
        rows = super().iterator(chunk_size) if chunk_size else super().iterator()
        while part := list(islice(rows, chunk_size or _CHUNK)):
            yield from _settle(part, self._iterable_class)

    def update(self, **kwargs: Any) -> int:
        fields = sealed_fields(self.model)
        plain = {
            name: value
            for name, value in kwargs.items()
            if name in fields
            and not isinstance(value, Sealed)
            and not fields[name].is_empty(value)
            and not hasattr(value, "resolve_expression")
        }
        if not plain:
            return super().update(**kwargs)
        with transaction.atomic(using=self.db, savepoint=False):
            pks = list(self.values_list("pk", flat=True))
            rest = {name: value for name, value in kwargs.items() if name not in plain}
            if rest:
                super().update(**rest)  # the rows were chosen first: this update may change what matches
            base = self.model._base_manager.using(self.db)
            for start in range(0, len(pks), _CHUNK):
                objs = list(base.filter(pk__in=pks[start : start + _CHUNK]))
                made = _assign_keys(self.model, objs, every=True)
                for obj in objs:
                    key_id, key = obj.sealing_key()
                    values = {name: fields[name].seal(key_id, key, value) for name, value in plain.items()}
                    if obj.pk in made:
                        values["record_key_id"] = key_id
                    base.filter(pk=obj.pk).update(**values)
        return len(pks)

    def bulk_update(self, objs: Iterable[M], fields: Sequence[str], batch_size: int | None = None) -> int:
        objs = list(objs)
        sealed = sealed_fields(self.model)
        names = [sealed[f] for f in fields if f in sealed]
        if not names:
            return super().bulk_update(objs, fields, batch_size=batch_size)
        with transaction.atomic(using=self.db, savepoint=False):
            if _assign_keys(self.model, objs):
                fields = [*fields, "record_key"] if "record_key" not in fields else list(fields)
            # Each value is handed to Django's bulk_update as its token, already an SQL value (a value never
            # read is written back as it is); the instances get their own values back afterwards.
            saved: list[tuple[models.Model, str, Any]] = []
            try:
                for obj in objs:
                    for field in names:
                        value = obj.__dict__.get(field.attname)
                        if field.is_empty(value):
                            continue
                        if isinstance(value, Sealed):
                            token = value.token
                        else:
                            key_id, key = obj.sealing_key()
                            token = field.seal(key_id, key, value).token
                        saved.append((obj, field.attname, value))
                        obj.__dict__[field.attname] = models.Value(token, output_field=models.TextField())
                return super().bulk_update(objs, fields, batch_size=batch_size)
            finally:
                for obj, attname, value in saved:
                    obj.__dict__[attname] = value

    def bulk_create(self, objs: Iterable[M], *args: Any, **kwargs: Any) -> list[M]:
        objs = list(objs)
        if sealed_fields(self.model):
            with transaction.atomic(using=self.db, savepoint=False):
                _assign_keys(self.model, objs)
                return super().bulk_create(objs, *args, **kwargs)
        return super().bulk_create(objs, *args, **kwargs)


SealedManager = models.Manager.from_queryset(SealedQuerySet)


def _needs_key(obj: models.Model) -> bool:
    if obj.__dict__.get("record_key_id") is not None:
        return False
    return any(
        not isinstance(value, Sealed) and not field.is_empty(value)
        for field in sealed_fields(type(obj)).values()
        if (value := obj.__dict__.get(field.attname)) is not None
    )


def _assign_keys(model: type[models.Model], objs: Sequence[Any], *, every: bool = False) -> set[Any]:
    """Give a record key to each of ``objs`` that has none yet and holds a plain value (``every``: whatever
    it holds), in bulk; the pks of those that got one."""
    waiting = [
        obj for obj in objs if (obj.__dict__.get("record_key_id") is None and every) or _needs_key(obj)
    ]
    if waiting:
        model.assign_record_keys(waiting)
    return {obj.pk for obj in waiting}


# --- models ----------------------------------------------------------------------------------------------


class SealedModel(models.Model):
    """A model with sealed fields and the record key that opens them (``record_key``, null until needed)."""

    record_key = models.ForeignKey(
        "storage.RecordKey",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        help_text="The key of this record's sealed values; made when the first one is saved.",
    )

    class Meta:
        abstract = True

    def __getstate__(self) -> dict[str, Any]:
        state: dict[str, Any] = super().__getstate__()
        state.pop("_fresh_key", None)  # a pickled instance never carries a key
        return state

    def save(self, *args: Any, **kwargs: Any) -> None:
        update_fields = kwargs.get("update_fields")
        if self.record_key_id is None and _needs_key(self):
            type(self).assign_record_keys([self])
            if update_fields is not None:
                kwargs["update_fields"] = {*update_fields, "record_key"}
        super().save(*args, **kwargs)

    @classmethod
    def assign_record_keys(cls, objs: Sequence[Any]) -> None:
        """Set ``record_key_id`` on each of ``objs`` (saved by the caller with the values)."""
        raise NotImplementedError

    def use_new_key(self, key_id: int, key: bytes) -> None:
        """Take a record key just made (kept on the instance, so sealing does not read it back)."""
        self.record_key_id = key_id
        self.__dict__["_fresh_key"] = (key_id, key)

    def sealing_key(self) -> tuple[int, bytes]:
        """The id and key this record's values are sealed with, made on first need. :class:`RecordErased` once
        it was destroyed."""
        if self.record_key_id is None:
            type(self).assign_record_keys([self])
        key_id: int = self.record_key_id
        fresh = self.__dict__.get("_fresh_key")
        if fresh is not None and fresh[0] == key_id:
            return fresh
        from bordermonitor.storage.keys import record_key

        key = record_key(key_id)
        if key is None:
            raise RecordErased(
                f"{self._meta.model_name} {self.pk} was erased: no sensitive value can be saved in it"
            )
        return key_id, key
