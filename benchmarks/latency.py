"""Person search and chronology latency through the selectors, beside the raw SQL for the same rows.

The selectors do more than the raw query (scope, the access list, counts for the pager, the s.62
consultation log entry): the gap is the price of those guarantees.
"""

import random
import statistics
import time
import uuid

from django.db import connection

from thinkchild.people.names import name_key

PAGE = 25


def _db(value):
    """A value as the database stores it (Django keeps UUIDs as 32 hex characters in SQLite)."""
    if isinstance(value, uuid.UUID) and connection.vendor == "sqlite":
        return value.hex
    return value


def percentiles(samples: list[float]) -> dict:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return {
        "n": len(ordered),
        "p50_ms": statistics.median(ordered) * 1000,
        "p95_ms": p95 * 1000,
        "max_ms": ordered[-1] * 1000,
    }


def _timed(fn):
    started = time.perf_counter()
    result = fn()
    return time.perf_counter() - started, result


def search_queries(*, count: int, seed: int) -> list[str]:
    """Name prefixes drawn from real names in the data: a family name's start, or a given name
    and the start of a family name, as someone at a keyboard types them."""
    from thinkchild.people.models import Person

    names = list(Person.objects.order_by("id").values_list("given_name", "family_name"))
    rng = random.Random(seed)
    queries = []
    for given, family in rng.sample(names, min(count, len(names))):
        if rng.random() < 0.5:
            queries.append(family[: rng.randint(3, max(3, len(family)))])
        else:
            queries.append(f"{given} {family[: rng.randint(2, max(2, len(family)))]}")
    return queries


def _upper(prefix: str) -> str | None:
    """The least key above every key starting with `prefix` (keys are lower-case a-z and 0-9)."""
    chars = list(prefix)
    while chars:
        last = chars.pop()
        if last == "z":
            continue
        return "".join(chars) + ("a" if last == "9" else chr(ord(last) + 1))
    return None


def _prefix_sql(column: str, prefix: str) -> tuple[str, list]:
    upper = _upper(prefix)
    if upper:
        return f"({column} >= %s AND {column} < %s)", [prefix, upper]
    return f"({column} >= %s)", [prefix]


def _name_sql(tokens: list[str], table: str) -> tuple[str, list]:
    """One word is a family name's start; more are a given name's then a family name's (the
    rule people.selectors.search applies)."""
    if len(tokens) == 1:
        return _prefix_sql(f"{table}.family_name_key", tokens[0])
    given, p1 = _prefix_sql(f"{table}.given_name_key", tokens[0])
    family, p2 = _prefix_sql(f"{table}.family_name_key", tokens[-1])
    return f"({given} AND {family})", p1 + p2


def raw_alias_sql(text: str) -> tuple[str, list]:
    tokens = [k for k in (name_key(t) for t in text.split()) if k]
    alias_sql, params = _name_sql(tokens, "a")
    return f"SELECT a.person_id FROM people_alias a WHERE {alias_sql} LIMIT 1000", params


def raw_search_sql(user, text: str, alias_ids: list) -> tuple[str, list]:
    """The page of people, given the people whose aliases match (looked up first, as the
    selector does). Name matches and alias-only matches are two index-ordered branches, each
    limited to a page, merged: an OR of the two keeps both databases off the name index."""
    tokens = [k for k in (name_key(t) for t in text.split()) if k]
    name_sql, name_params = _name_sql(tokens, "p")
    scope_sql, scope_params = "", []
    if user.role == "officer":
        # The officer's scope: their area, or in an incident held by their area, team or them.
        scope_sql = (
            " AND (p.area_id = %s OR EXISTS (SELECT 1 FROM incidents_involvement v"
            " WHERE v.person_id = p.id AND v.holder_id IN (%s, %s, %s)))"
        )
        area = user.team.area_id
        scope_params = [_db(area), _db(user.pk), _db(user.team_id), _db(area)]
    columns = "p.id, p.given_name, p.family_name, p.date_of_birth, p.area_id"
    order = "ORDER BY family_name_key, given_name_key, id"
    base = f"FROM people_person p WHERE p.force_id = %s AND NOT p.is_restricted{scope_sql}"
    base_params = [_db(user.force_id), *scope_params]
    keys = ", p.family_name_key, p.given_name_key"
    branches = [f"SELECT {columns}{keys} {base} AND {name_sql} {order} LIMIT {PAGE}"]
    params = [*base_params, *name_params]
    if alias_ids:
        ids = ", ".join(["%s"] * len(alias_ids))
        branches.append(
            f"SELECT {columns}{keys} {base} AND p.id IN ({ids}) AND NOT {name_sql}"
            f" {order} LIMIT {PAGE}"
        )
        params += [*base_params, *(_db(i) for i in alias_ids), *name_params]
    union = " UNION ALL ".join(f"SELECT * FROM ({b}) AS b{i}" for i, b in enumerate(branches))
    sql = (
        "SELECT id, given_name, family_name, date_of_birth, area_id"
        f" FROM ({union}) AS page {order} LIMIT {PAGE}"
    )
    return sql, params


def search_latency(*, user, queries: list[str]) -> dict:
    from thinkchild.people.selectors import PersonQuery, person_search

    def run(text):
        page = person_search(user=user, query=PersonQuery(name=text))
        return [p.pk for p in page.object_list]

    def raw(text):
        with connection.cursor() as cursor:
            cursor.execute(*raw_alias_sql(text))
            alias_ids = [row[0] for row in cursor.fetchall()]
            cursor.execute(*raw_search_sql(user, text, alias_ids))
            return [row[0] for row in cursor.fetchall()]

    for text in queries[:5]:  # warm the caches and the connection
        run(text), raw(text)
    selector, lower, same, hits = [], [], 0, 0
    for text in queries:
        seconds, ids = _timed(lambda t=text: run(t))
        selector.append(seconds)
        raw_seconds, raw_ids = _timed(lambda t=text: raw(t))
        lower.append(raw_seconds)
        same += {_db(i) for i in ids} == {_db(uuid.UUID(str(i))) for i in raw_ids}
        hits += len(ids)
    return {
        "selector": percentiles(selector),
        "raw": percentiles(lower),
        "same_rows": same,
        "mean_rows": hits / len(queries),
    }


CHRONOLOGY_SQL = (
    "SELECT i.id, i.occurred_at, i.reference, i.type_id, i.summary, x.role"
    " FROM incidents_participant x JOIN incidents_incident i ON i.id = x.incident_id"
    " WHERE x.person_id = %s",
    "SELECT a.id, a.valid_from, a.valid_to, l.line1, l.postcode FROM people_personaddress a"
    " JOIN people_location l ON l.id = a.location_id WHERE a.person_id = %s",
    "SELECT e.id, e.start_date, e.end_date, o.name FROM people_enrolment e"
    " JOIN people_organisation o ON o.id = e.school_id WHERE e.person_id = %s",
    "SELECT r.id, r.kind, r.valid_from, r.person_id, r.other_id FROM people_relationship r"
    " WHERE r.person_id = %s OR r.other_id = %s",
    "SELECT g.id, g.known_from, g.due_date, g.ended_on FROM people_pregnancy g"
    " WHERE g.person_id = %s",
)


def busiest_people(count: int) -> list:
    """The people with the most incidents: the long chronologies the target is about."""
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT person_id, COUNT(*) FROM incidents_participant GROUP BY person_id"
            " ORDER BY COUNT(*) DESC, person_id LIMIT %s",
            [count],
        )
        return [uuid.UUID(str(row[0])) for row in cursor.fetchall()]


def chronology_latency(*, user, person_ids: list, repeats: int) -> dict:
    from thinkchild.people.selectors import person_chronology

    def run(pid):
        return len(person_chronology(user=user, person_ids=[pid]).items)

    def raw(pid):
        rows = 0
        with connection.cursor() as cursor:
            for sql in CHRONOLOGY_SQL:
                cursor.execute(sql, [_db(pid)] * sql.count("%s"))
                rows += len(cursor.fetchall())
        return rows

    for pid in person_ids[:3]:
        run(pid), raw(pid)
    selector, lower, events, raw_rows = [], [], [], []
    for _ in range(repeats):
        for pid in person_ids:
            seconds, n = _timed(lambda p=pid: run(p))
            selector.append(seconds)
            events.append(n)
            seconds, n = _timed(lambda p=pid: raw(p))
            lower.append(seconds)
            raw_rows.append(n)
    return {
        "selector": percentiles(selector),
        "raw": percentiles(lower),
        "events_min": min(events),
        "events_median": statistics.median(events),
        "events_max": max(events),
        "raw_rows_median": statistics.median(raw_rows),
    }
