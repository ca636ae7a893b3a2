"""What a record type's upsert_batch needs: the batch's context and one way to save rows in bulk."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache
from types import SimpleNamespace

from thinkchild.interchange.bulk import history_copy, rows_insert, rows_update
from thinkchild.interchange.models import ImportRun
from thinkchild.interchange.records import Item, Outcome, Reason

NO_FORCE = Reason("", "no force: import a force record first")


@dataclass
class UpsertContext:
    run: ImportRun
    actor: object | None
    now: datetime
    force: object | None

    @property
    def change_reason(self) -> str:
        return f"import run {self.run.short_id}"


def _has_history(model) -> bool:
    return bool(getattr(model._meta, "simple_history_manager_attribute", None))


def rows_save(model, *, new: list, changed: list, fields: list[str], ctx: UpsertContext) -> None:
    """Insert `new` and update `fields` of `changed`, with their history rows, in a few queries."""
    rows_insert(model, new)
    rows_update(model, changed, fields)
    if _has_history(model):
        history = {
            "user_id": getattr(ctx.actor, "pk", None),
            "date": ctx.now,
            "reason": ctx.change_reason,
        }
        history_copy(model, [r.id for r in new], history_type="+", **history)
        history_copy(model, [r.id for r in changed], history_type="~", **history)


def rows_replace(model, *, parent_field: str, parent_ids: list, rows: list, ctx: UpsertContext):
    """Replace the child rows (aliases, pregnancies) of updated parents with the ones just read."""
    if parent_ids:
        model.objects.filter(**{f"{parent_field}__in": parent_ids}).delete()
    rows_save(model, new=rows, changed=[], fields=[], ctx=ctx)


class Row(SimpleNamespace):
    """A row on its way to the database: the model's column attributes (attnames) and nothing of a
    model instance, whose __init__ cost more than writing the row. bulk.rows_insert, rows_update
    read it as they would an instance."""

    @property
    def pk(self):
        return self.id


@cache
def _defaults(model) -> tuple[dict, dict]:
    """What a new instance of `model` would hold in each field: (constants, factories)."""
    constants, factories = {}, {}
    for f in model._meta.concrete_fields:
        if f.has_default() and callable(f.default):
            factories[f.attname] = f.default
        else:
            constants[f.attname] = f.get_default()
    return constants, factories


def row_new(model, values: dict) -> Row:
    """A new row of `model`: its defaults (a fresh record id), then `values` (by attname)."""
    constants, factories = _defaults(model)
    row = Row(**constants)
    for name, factory in factories.items():
        setattr(row, name, factory())
    row.__dict__.update(values)
    return row


def rows_existing(model, items: list[Item]) -> dict:
    """The rows that the batch's already-known records became, by id, in one query."""
    ids = [i.existing_id for i in items if i.existing_id]
    if not ids:
        return {}
    names = [f.attname for f in model._meta.concrete_fields]
    return {v["id"]: Row(**v) for v in model.objects.filter(pk__any_of=ids).values(*names)}


def rows_upsert(model, items, ctx, fields, build, subjects=lambda row: []) -> list[Outcome]:
    """The common shape of an upsert: find or make each row, set the fields `build(item)` gives
    (by attname), save them all in bulk. `subjects(row)` names whom the processing-log entry is
    about."""
    rows = rows_existing(model, items)
    new, changed, outcomes = [], [], []
    for item in items:
        row = rows.get(item.existing_id)
        created = row is None
        if created:
            row = row_new(model, build(item))
            new.append(row)
        else:
            row.__dict__.update(build(item))
            changed.append(row)
        outcomes.append(Outcome(item, row.id, created, subjects=subjects(row)))
    rows_save(model, new=new, changed=changed, fields=fields, ctx=ctx)
    return outcomes
