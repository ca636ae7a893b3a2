"""Person search by address (part of a street name, or a postcode) at force scale, per user.

    python -m benchmarks.import_profile --db postgres --files DIR --no-reimport   # loads tc_perf
    python -m benchmarks.address_profile --db postgres

Reads the database `benchmarks.import_profile` left loaded (PostgreSQL `tc_perf`, or its SQLite
file), draws addresses with a fixed seed, and times `person_search` with the street name less its
last two letters (the contains search) and with the postcode, as the demo `officer` (area scope)
and `control` (force-wide): p50 and p95, and the mean rows on the page. Not yet part of the
benchmark of record (`python -m benchmarks`), which has no raw-SQL lower bound for it yet.
"""

import argparse
import random
import re
import sys

from benchmarks.import_profile import scratch_environment

# A house number (or a flat's "12A") before the street name.
_NUMBER = re.compile(r"^[0-9A-Za-z]*[0-9][0-9A-Za-z]*\s+")


def address_queries(*, count: int, seed: int) -> tuple[list[str], list[str]]:
    """(street-name fragments, postcodes) of `count` addresses drawn with `seed`."""
    from thinkchild.people.models import Location

    rng = random.Random(seed)
    total = Location.objects.count()
    ordered = Location.objects.values_list("line1", "postcode").order_by("id")
    drawn = [ordered[rng.randrange(total)] for _ in range(count)]
    streets = []
    for line1, _ in drawn:
        street = _NUMBER.sub("", line1)
        streets.append(street[: max(5, len(street) - 2)])
    return streets, [postcode for _, postcode in drawn]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.address_profile")
    parser.add_argument("--db", choices=("sqlite", "postgres"), required=True)
    parser.add_argument("--queries", type=int, default=60)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    scratch_environment(args.db)
    import django

    django.setup()
    from benchmarks.latency import _timed, percentiles
    from thinkchild.org.models import User
    from thinkchild.people.selectors import PersonQuery, person_search

    streets, postcodes = address_queries(count=args.queries, seed=args.seed)
    print(f"examples: {streets[:3]} {postcodes[:3]}")
    for username in ("officer", "control"):
        user = User.objects.select_related("team").get(username=username)

        def page(text, user=user):
            query = PersonQuery(address=text)
            return [p.pk for p in person_search(user=user, query=query).object_list]

        for label, texts in (("street", streets), ("postcode", postcodes)):
            for text in texts[:3]:  # warm the caches and the connection
                page(text)
            seconds, rows = [], 0
            for text in texts:
                took, ids = _timed(lambda t=text: page(t))
                seconds.append(took)
                rows += len(ids)
            found = percentiles(seconds)
            print(
                f"[{args.db}] {username:<8} {label:<8} p50 {found['p50_ms']:6.1f} ms, "
                f"p95 {found['p95_ms']:6.1f} ms, mean rows {rows / len(texts):.1f}",
                flush=True,
            )
    return 0


if __name__ == "__main__":
    sys.exit(main())
