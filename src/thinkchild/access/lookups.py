"""`field__any_of=values`: a membership test for lists of thousands (an import batch's ids).

On PostgreSQL it is `field = ANY(%s)` with the values as one array parameter. Django's `__in`
writes one placeholder per value and prepares each value through the SQL compiler; for 10,000 ids
the building, and psycopg's parsing of the query text, cost more than the index lookups themselves.
Elsewhere (SQLite) it is `__in`. Registered on every field by AccessConfig.ready().
"""

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
        return f"{lhs} = ANY(%s::{field.db_type(connection)}[])", (
            *lhs_params,
            array_text(values),
        )
