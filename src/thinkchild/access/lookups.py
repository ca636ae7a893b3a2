"""Query helpers for every app's selectors and services.

`field__any_of=values`: a membership test for lists of thousands (an import batch's ids).

On PostgreSQL it is `field = ANY(%s)` with the values as one array parameter. Django's `__in`
writes one placeholder per value and prepares each value through the SQL compiler; for 10,000 ids
the building, and psycopg's parsing of the query text, cost more than the index lookups themselves.
Elsewhere (SQLite) it is `__in`. Registered on every field by AccessConfig.ready().
"""

from django.db.models import Q
from django.db.models.lookups import In

from thinkchild.access.fastwrite import array_text


class AnyOf(In):
    lookup_name = "any_of"

    def as_postgresql(self, compiler, connection):
        if not self.rhs_is_direct_value():
            return super().as_sql(compiler, connection)
        lhs, lhs_params = self.process_lhs(compiler, connection)
        field = self.lhs.output_field
        prepare = field.get_db_prep_value
        values = [prepare(v, connection, prepared=True) for v in self.rhs]
        # The base type ("varchar", not "varchar(40)"): a cast to a length cuts longer values
        # short, silently, and a cut value could match another row.
        base = field.db_type(connection).split("(", 1)[0]
        return f"{lhs} = ANY(%s::{base}[])", (
            *lhs_params,
            array_text(values),
        )


# The next character up, where every collation agrees on the order: digits, then letters.
_NEXT_CHAR = {
    c: chr(ord(c) + 1) for c in "012345678abcdefghijklmnopqrstuvwxyABCDEFGHIJKLMNOPQRSTUVWXY"
}
_NEXT_CHAR["9"] = "a"


def upper_bound(prefix: str) -> str | None:
    """The least string above every string that starts with `prefix` (for an index range scan).

    A range lets the (family_name_key, given_name_key) index serve a prefix search on both SQLite
    and PostgreSQL, whatever the collation; LIKE 'smi%' uses neither database's default index.
    """
    chars = list(prefix)
    while chars:
        last = chars.pop()
        if last in "zZ":
            continue  # carry: "smz" is followed by "sn"
        if last not in _NEXT_CHAR:
            return None  # a letter outside a-z: no safe bound, the prefix filter alone decides
        return "".join(chars) + _NEXT_CHAR[last]
    return None


def prefix_q(field_name: str, prefix: str) -> Q:
    """Values of `field_name` that start with `prefix`, as an index range (see upper_bound)."""
    q = Q(**{f"{field_name}__gte": prefix, f"{field_name}__startswith": prefix})
    upper = upper_bound(prefix)
    return q & Q(**{f"{field_name}__lt": upper}) if upper else q
