"""Field-level change history (django-simple-history), indexed only for how it is read.

History rows are read by the record they copy (its id) and, on erasure, by the person they name
(docs/decisions/0006). The library indexes every copied foreign key and unique field as well, so
an incident's history row carried thirteen indexes; each one is written for every change and every
imported record, and none was ever read (docs/decisions/0008).
"""

from simple_history.models import HistoricalRecords


class ChangeHistory(HistoricalRecords):
    """HistoricalRecords that indexes the copied record's id and the fields named in `indexed`."""

    def __init__(self, *, indexed: tuple[str, ...] = (), **kwargs):
        self.indexed = frozenset(indexed)
        super().__init__(**kwargs)

    def copy_fields(self, model):
        fields = super().copy_fields(model)
        for name, field in fields.items():
            if name != model._meta.pk.name and name not in self.indexed:
                field.db_index = False
        return fields
