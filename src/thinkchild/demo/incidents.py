"""Incidents over the period, day by day: 60% involve a household with children.

Households are drawn with long-tailed weights (most never call, a few call often), so some
addresses come back again and again; frequent households give repeat domestic abuse victims and
teenagers who go missing. Each incident goes to a team of the right kind in its area, and most to
an officer in that team.
"""

from bisect import bisect
from datetime import date
from itertools import accumulate

from thinkchild.demo.context import Generation
from thinkchild.demo.households import AREA_CODES, AREA_WEIGHTS, Household, Population
from thinkchild.demo.org import Staff, team_id
from thinkchild.demo.people import YEAR, person_id
from thinkchild.demo.places import Places, location_id
from thinkchild.demo.summaries import SUMMARIES

CHILD_SHARE = 0.60
ADULT_HOME_SHARE = 0.18  # the rest happen in public places
# Incident types at a home with children, and the youngest child each needs (else a concern).
CHILD_TYPES = (
    ("domestic_abuse", 30, 0),
    ("concern_for_child", 18, 0),
    ("missing_person", 10, 12),
    ("neglect", 7, 0),
    ("physical_abuse", 5, 0),
    ("cse", 4, 12),
    ("online_abuse", 5, 9),
    ("criminal_exploitation", 3, 12),
    ("antisocial_behaviour", 9, 10),
    ("assault", 4, 0),
    ("mental_health", 3, 0),
    ("sexual_offence", 2, 5),
)
ADULT_HOME_TYPES = (("domestic_abuse", 45), ("mental_health", 20), ("assault", 10), ("theft", 15))
PUBLIC_TYPES = (
    ("theft", 30),
    ("antisocial_behaviour", 25),
    ("public_order", 20),
    ("assault", 20),
    ("mental_health", 5),
)
# Which kind of team takes each type: (team kind, weight).
TEAMS_FOR = {
    "cse": (("cse", 1),),
    "online_abuse": (("online", 1),),
    "sexual_offence": (("child_protection", 7), ("safeguarding_unit", 3)),
    "physical_abuse": (("child_protection", 7), ("safeguarding_unit", 3)),
    "neglect": (("child_protection", 7), ("safeguarding_unit", 3)),
    "criminal_exploitation": (("cse", 1), ("child_protection", 1)),
    "domestic_abuse": (("response", 3), ("safeguarding_unit", 1)),
    "missing_person": (("response", 1), ("neighbourhood", 1)),
    "concern_for_child": (("response", 2), ("neighbourhood", 2), ("child_protection", 1)),
}
OTHER_TEAMS = (("response", 7), ("neighbourhood", 3))
HOUR_WEIGHTS = (
    3,
    2,
    2,
    1.5,
    1,
    1,
    1.5,
    2.5,
    3.5,
    4,
    4.5,
    5,
    5,
    5,
    5.5,
    6.5,
    7.5,
    8,
    8,
    8,
    7.5,
    6.5,
    5,
    4,
)


class _Picker:
    """Weighted choice by bisection over cumulative weights (fast for a million draws)."""

    def __init__(self, items, weights):
        self.items = list(items)
        self.cum = list(accumulate(weights))
        self.total = self.cum[-1] if self.cum else 0.0

    def pick(self, rng):
        return self.items[bisect(self.cum, rng.random() * self.total)]


class _Incidents:
    def __init__(self, gen: Generation, pop: Population, places: Places, staff: Staff):
        self.gen, self.pop, self.places, self.staff = gen, pop, places, staff
        self.rng, self.dob, self.adults = gen.rng, pop.people.dob, pop.people.adults
        hhs = pop.households
        with_children = [h for h in hhs if h.children]
        adults_only = [h for h in hhs if not h.children]
        self.child_homes = _Picker(with_children, [h.weight for h in with_children])
        self.adult_homes = _Picker(adults_only, [h.weight for h in adults_only])
        self.frequent = [h for h in hhs if h.frequent]
        self.frequent_share = (
            len(self.frequent)
            * gen.scale.frequent_incidents_per_year
            / gen.scale.incidents_per_year
        )
        self.areas = _Picker(AREA_CODES, AREA_WEIGHTS)
        self.public = {
            area: _Picker(spots, [min(self.rng.paretovariate(1.1), 80.0) for _ in spots])
            for area, spots in places.public.items()
        }
        self.child_types = _Picker([t[:3:2] for t in CHILD_TYPES], [t[1] for t in CHILD_TYPES])
        self.adult_types = _Picker(*zip(*ADULT_HOME_TYPES, strict=True))
        self.public_types = _Picker(*zip(*PUBLIC_TYPES, strict=True))
        self.teams = {t: _Picker(*zip(*w, strict=True)) for t, w in TEAMS_FOR.items()}
        self.other_teams = _Picker(*zip(*OTHER_TEAMS, strict=True))
        self.hours = _Picker(range(24), HOUR_WEIGHTS)
        self.seq = 0

    def age(self, person: int, day: int) -> float:
        return (day - self.dob[person]) / YEAR

    def run(self) -> None:
        gen, rng = self.gen, self.rng
        days = range(gen.first_day, gen.last_day + 1)
        weights = [_day_weight(date.fromordinal(d)) for d in days]
        total, target, done = sum(weights), gen.scale.incidents, 0
        showcase = {gen.last_day - 30: list(self.pop.showcase.items())}
        running = 0.0
        for day, weight in zip(days, weights, strict=True):
            running += weight
            count = round(running * target / total) - done
            done += count
            times = sorted(self.hours.pick(rng) * 3600 + rng.randrange(3600) for _ in range(count))
            for seconds in times:
                self.incident(day, seconds)
            for reason, (index, person) in showcase.get(day, ()):
                self.showcase(day, reason, self.pop.households[index], person)

    def incident(self, day: int, seconds: int) -> None:
        rng = self.rng
        roll = rng.random()
        if roll < self.frequent_share and self.frequent:
            hh = rng.choice(self.frequent)
            self.at_home_with_children(day, seconds, hh, hh.frequent)
        elif roll < CHILD_SHARE:
            self.at_home_with_children(day, seconds, self.child_homes.pick(rng), "")
        elif roll < CHILD_SHARE + ADULT_HOME_SHARE:
            self.at_home(day, seconds, self.adult_homes.pick(rng))
        else:
            self.in_public(day, seconds)

    def at_home_with_children(self, day: int, seconds: int, hh: Household, kind: str) -> None:
        rng = self.rng
        children = [c for c in hh.children if self.dob[c] <= day]
        if not children:
            return self.at_home(day, seconds, hh)
        oldest = max(children, key=lambda c: -self.dob[c])
        if not kind:
            kind, youngest_age = self.child_types.pick(rng)
            if self.age(oldest, day) < youngest_age:
                kind = "concern_for_child"
        if kind == "domestic_abuse" and not hh.victim:
            kind = "concern_for_child"
        teen = hh.teen if kind == "missing_person" and hh.teen else oldest
        if kind == "missing_person" and self.age(teen, day) < 10:
            kind = "concern_for_child"
        people: list[tuple[int, str]] = []
        parent = hh.adults[0]
        if kind == "domestic_abuse":
            people += [(hh.victim, "victim"), (hh.suspect, "suspect")]
            for child in children:
                people.append(
                    (child, "child_present" if rng.random() < 0.6 else "child_normally_resident")
                )
            if rng.random() < 0.5:
                people.append((hh.victim, "caller"))
        elif kind in ("missing_person",):
            people += [(teen, "other"), (parent, "caller")]
        elif kind in ("cse", "criminal_exploitation", "online_abuse", "sexual_offence"):
            people += [(teen, "victim"), (parent, "caller")]
            if rng.random() < 0.7:
                people.append((self.stranger(), "suspect"))
        elif kind == "antisocial_behaviour":
            people += [(oldest, "suspect"), (self.stranger(), "caller")]
        elif kind in ("assault", "mental_health"):
            people.append((rng.choice(hh.adults), "victim" if kind == "assault" else "other"))
            if kind == "assault":
                people.append((self.stranger(), "suspect"))
            people += [(c, "child_present") for c in children]
        else:  # concern for a child, neglect, physical abuse
            victim = rng.choice(children)
            people.append((victim, "victim"))
            people += [(c, "child_normally_resident") for c in children if c != victim]
            if kind in ("neglect", "physical_abuse") and rng.random() < 0.6:
                people.append((rng.choice(hh.adults), "suspect"))
            if rng.random() < 0.6:
                people.append((self.stranger(), "caller"))
        self.write(day, seconds, kind, hh.home_on(day), people)

    def at_home(self, day: int, seconds: int, hh: Household) -> None:
        rng = self.rng
        kind = self.adult_types.pick(rng)
        if kind == "domestic_abuse" and not hh.victim:
            kind = "mental_health"
        if kind == "domestic_abuse":
            people = [(hh.victim, "victim"), (hh.suspect, "suspect")]
        elif kind == "mental_health":
            people = [(rng.choice(hh.adults), "other")]
        elif kind == "assault":
            people = [(rng.choice(hh.adults), "victim"), (self.stranger(), "suspect")]
        else:
            people = [(rng.choice(hh.adults), "victim")]
        if rng.random() < 0.3:
            people.append((self.stranger(), "caller"))
        self.write(day, seconds, kind, hh.home_on(day), people)

    def in_public(self, day: int, seconds: int) -> None:
        rng = self.rng
        area = self.areas.pick(rng)
        kind = self.public_types.pick(rng)
        people = [(self.stranger(), "victim" if kind != "mental_health" else "other")]
        if kind != "mental_health":
            people += [(self.stranger(), "suspect") for _ in range(rng.randint(0, 2))]
            people += [(self.stranger(), "witness") for _ in range(rng.randint(0, 2))]
        self.write(day, seconds, kind, self.public[area].pick(rng), people)

    def showcase(self, day: int, reason: str, hh: Household, person: int) -> None:
        """An incident that carries each child-marker reason, for the demo and its tests."""
        kind = {"under_18": "concern_for_child", "unborn_child": "domestic_abuse"}.get(
            reason, "antisocial_behaviour"
        )
        people = [(person, "victim" if reason != "appears_under_18" else "suspect")]
        if reason == "unborn_child":
            people.append((hh.suspect, "suspect"))
        self.write(day, 12 * 3600, kind, hh.home_on(day), people)

    def stranger(self) -> int:
        """Someone from elsewhere in the force: a neighbour who calls, a suspect, a witness."""
        return self.adults[self.rng.randrange(len(self.adults))]

    def write(self, day: int, seconds: int, kind: str, location: int, people) -> None:
        rng = self.rng
        self.seq += 1
        area = self.places.area_of[location - 1]
        # A few incidents are worked by a team from a neighbouring area (cross-border support).
        team_area = area if rng.random() >= 0.03 else self.areas.pick(rng)
        picker = self.teams.get(kind, self.other_teams)
        team = team_id(team_area, picker.pick(rng))
        when = date.fromordinal(day)
        fields = {
            "reference": f"LC-{when.year}-{self.seq:07d}",
            "occurred_at": (
                f"{when.isoformat()}T{seconds // 3600:02d}:{seconds // 60 % 60:02d}:"
                f"{seconds % 60:02d}+00:00"
            ),
            "incident_type": kind,
            "area": area,
            "team": team,
        }
        officers = self.staff.by_team.get(team)
        if officers and rng.random() < 0.85:
            fields["allocated_to"] = rng.choice(officers)
        fields["location"] = location_id(location)
        fields["summary"] = rng.choice(SUMMARIES[kind])
        if rng.random() < 0.002:
            fields["restricted"] = True
        seen, participants = set(), []
        for person, role in people:
            if person and (person, role) not in seen:
                seen.add((person, role))
                participants.append({"person": person_id(person), "role": role})
        fields["participants"] = participants
        self.gen.writers["incidents"].write("incident", f"I{self.seq:07d}", fields)


def _day_weight(day: date) -> float:
    weekday = (1.0, 1.0, 1.0, 1.02, 1.1, 1.2, 1.1)[day.weekday()]
    season = 1.1 if day.month in (6, 7, 8) else 1.08 if day.month == 12 else 1.0
    return weekday * season


def write_incidents(gen: Generation, pop: Population, places: Places, staff: Staff) -> None:
    _Incidents(gen, pop, places, staff).run()
