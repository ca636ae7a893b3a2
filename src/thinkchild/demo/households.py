"""Households: who lives together, where, how they are related, and which school each child attends.

Two-parent, single-parent and extended families, couples, people living alone and sharers. Some
households move during the period; a few are the ones the police attend again and again.
"""

from dataclasses import dataclass, field
from datetime import date

from thinkchild.demo.context import Generation
from thinkchild.demo.people import People, iso, person_id
from thinkchild.demo.places import Places, Schools, location_id

KINDS = ("two_parent", "single_parent", "extended", "couple", "single", "sharers")
KIND_WEIGHTS = (30, 18, 7, 18, 20, 7)
AREA_CODES = ("northern", "central", "southern")
AREA_WEIGHTS = (30, 40, 30)


class Household:
    __slots__ = (
        "adults",
        "area",
        "children",
        "frequent",
        "homes",
        "move",
        "suspect",
        "teen",
        "victim",
        "weight",
    )

    def __init__(self, area: str):
        self.area = area
        self.homes: tuple[int, int] = (0, 0)  # first home, and the second after a move (or 0)
        self.move = 0  # the day (ordinal) of the move
        self.adults: list[int] = []
        self.children: list[int] = []
        self.victim = 0  # a domestic abuse victim and the suspect (partner or ex-partner)
        self.suspect = 0
        self.teen = 0  # a teenager who goes missing again and again (frequent households)
        self.frequent = ""  # "", "domestic_abuse" or "missing_person"
        self.weight = 1.0

    def home_on(self, day: int) -> int:
        return self.homes[1] if self.move and day >= self.move else self.homes[0]


@dataclass
class Population:
    people: People
    households: list[Household] = field(default_factory=list)
    # The three child-marker cases, guaranteed at every scale: reason -> (household, person).
    showcase: dict[str, tuple[int, int]] = field(default_factory=dict)


@dataclass
class _Builder:
    gen: Generation
    places: Places
    schools: Schools
    pop: Population
    counters: dict[str, int] = field(default_factory=lambda: {"PA": 0, "R": 0, "E": 0})

    @property
    def people(self) -> People:
        return self.pop.people

    def next_id(self, prefix: str) -> str:
        self.counters[prefix] += 1
        return f"{prefix}{self.counters[prefix]:07d}"

    def relate(self, person: int, other: int, kind: str) -> None:
        self.gen.writers["relationships"].write(
            "relationship",
            self.next_id("R"),
            {"person": person_id(person), "other": person_id(other), "kind": kind},
        )

    def adult(self, age: int, family: str, *, female: bool, **flags) -> int:
        rng = self.gen.rng
        young = age <= 20
        return self.people.add(
            age=age,
            family_name=family,
            female=female,
            alias=flags.pop("alias", rng.random() < 0.04),
            pregnant=flags.pop("pregnant", female and age <= 42 and rng.random() < 0.05),
            appears_under_18=flags.pop("appears_under_18", young and rng.random() < 0.3),
            estimated_age=flags.pop("estimated_age", rng.random() < 0.01),
            restricted=rng.random() < 0.001,
        )

    def child(self, age: int, family: str, *, estimated: bool | None = None) -> int:
        rng = self.gen.rng
        if estimated is None:
            estimated = age >= 1 and rng.random() < 0.02
        return self.people.add(
            age=age,
            family_name=family,
            female=rng.random() < 0.5,
            estimated_age=estimated,
            restricted=rng.random() < 0.001,
        )

    def children_ages(self, most: int) -> list[int]:
        rng = self.gen.rng
        count = min(most, rng.choices((1, 2, 3, 4), (35, 40, 18, 7))[0])
        first = rng.randint(0, 17)
        return sorted(
            {max(0, min(17, first + rng.randint(-8, 8))) for _ in range(count - 1)} | {first}
        )

    # --- household kinds ---------------------------------------------------------------------

    def family(self, hh: Household, kind: str, ages: list[int] | None = None) -> None:
        rng, fake = self.gen.rng, self.gen.fake
        surname = fake.last_name()
        ages = ages if ages is not None else self.children_ages(3 if kind == "single_parent" else 4)
        mother_age = min(62, ages[-1] + rng.randint(19, 38))
        mother = self.adult(mother_age, surname, female=True)
        hh.adults.append(mother)
        partner = 0
        if kind == "two_parent":
            partner = self.adult(
                max(19, mother_age + rng.randint(-3, 8)), surname, female=rng.random() < 0.03
            )
            hh.adults.append(partner)
            self.relate(mother, partner, "partner")
        elif kind == "extended":
            grand = self.adult(min(95, mother_age + rng.randint(19, 30)), surname, female=True)
            hh.adults.append(grand)
            self.relate(grand, mother, "parent")
            if rng.random() < 0.4:
                aunt = self.adult(rng.randint(18, 21), surname, female=rng.random() < 0.5)
                hh.adults.append(aunt)
                self.relate(grand, aunt, "parent")
        # A single mother's children often carry their father's surname.
        other_name = fake.last_name() if kind == "single_parent" and rng.random() < 0.3 else ""
        for age in ages:
            hh.children.append(self.child(age, other_name or surname))
        step = kind == "two_parent" and rng.random() < 0.2
        for child in hh.children:
            self.relate(mother, child, "parent")
            if partner:
                self.relate(partner, child, "carer" if step else "parent")
            if kind == "extended":
                self.relate(hh.adults[1], child, "carer" if rng.random() < 0.3 else "lives_with")
        for i, child in enumerate(hh.children):
            for sibling in hh.children[i + 1 :]:
                self.relate(child, sibling, "sibling")
        if partner:
            hh.victim, hh.suspect = mother, partner
        elif kind == "single_parent" and rng.random() < 0.4:
            hh.victim, hh.suspect = mother, self.ex_partner(hh, mother_age, other_name)

    def ex_partner(self, hh: Household, age: int, surname: str) -> int:
        """The children's father, living alone elsewhere in the area."""
        ex_home = Household(hh.area)
        ex = self.adult(
            max(19, age + self.gen.rng.randint(-2, 8)),
            surname or self.gen.fake.last_name(),
            female=False,
        )
        ex_home.adults.append(ex)
        for child in hh.children:
            self.relate(ex, child, "parent")
        self.settle(ex_home)
        return ex

    def adults_only(self, hh: Household, kind: str) -> None:
        rng, fake = self.gen.rng, self.gen.fake
        if kind == "couple":
            surname = fake.last_name()
            first = self.adult(rng.randint(19, 85), surname, female=True)
            second = self.adult(rng.randint(19, 85), surname, female=rng.random() < 0.04)
            hh.adults += [first, second]
            self.relate(first, second, "partner")
            hh.victim, hh.suspect = first, second
        elif kind == "single":
            hh.adults.append(
                self.adult(rng.randint(18, 90), fake.last_name(), female=rng.random() < 0.5)
            )
        else:
            for _ in range(rng.randint(2, 3)):
                hh.adults.append(
                    self.adult(rng.randint(18, 40), fake.last_name(), female=rng.random() < 0.5)
                )
            for i, person in enumerate(hh.adults):
                for other in hh.adults[i + 1 :]:
                    self.relate(person, other, "lives_with")

    # --- where they live, and school ---------------------------------------------------------

    def settle(self, hh: Household) -> int:
        """Give the household its homes (some move during the period); return its number."""
        gen, rng = self.gen, self.gen.rng
        first = self.places.new_address(hh.area)
        moved_in = gen.last_day - rng.randint(30, 365 * 12)
        second = 0
        # About one household in eight moves in a year.
        if rng.random() < 1 - 0.88**gen.scale.years:
            move = rng.randint(gen.first_day + 30, gen.last_day - 30)
            if move > moved_in + 1:
                hh.move = move
                area = hh.area if rng.random() < 0.85 else rng.choice(AREA_CODES)
                second = self.places.new_address(area)
        hh.homes = (first, second)
        for person in hh.adults + hh.children:
            born = self.people.dob[person]
            if not hh.move or born < hh.move - 1:
                self.address(person, first, max(moved_in, born), hh.move - 1 if hh.move else 0)
            if hh.move:
                self.address(person, second, max(hh.move, born), 0)
        for child in hh.children:
            self.enrol(child, hh.area)
        self.pop.households.append(hh)
        return len(self.pop.households) - 1

    def address(self, person: int, location: int, start: int, end: int) -> None:
        fields = {
            "person": person_id(person),
            "location": location_id(location),
            "valid_from": iso(start),
        }
        if end:
            fields["valid_to"] = iso(end)
        self.gen.writers["person_addresses"].write("person_address", self.next_id("PA"), fields)

    def enrol(self, child: int, area: str) -> None:
        """Reception in the September after the fourth birthday; secondary school seven years on."""
        born = date.fromordinal(self.people.dob[child])
        start_year = born.year + (5 if born.month >= 9 else 4)
        last = self.gen.last_day
        primary_start = date(start_year, 9, 1).toordinal()
        if primary_start > last:
            return
        rng = self.gen.rng
        secondary_start = date(start_year + 7, 9, 1).toordinal()
        primary_end = date(start_year + 7, 7, 22).toordinal() if secondary_start <= last else 0
        self.school(child, rng.choice(self.schools.primary[area]), primary_start, primary_end)
        if primary_end:
            self.school(child, rng.choice(self.schools.secondary[area]), secondary_start, 0)

    def school(self, child: int, school: str, start: int, end: int) -> None:
        fields = {"person": person_id(child), "school": school, "start_date": iso(start)}
        if end:
            fields["end_date"] = iso(end)
        self.gen.writers["enrolments"].write("enrolment", self.next_id("E"), fields)


def write_households(gen: Generation, places: Places, schools: Schools) -> Population:
    pop = Population(people=People(gen))
    builder = _Builder(gen, places, schools, pop)
    rng = gen.rng
    _showcase(builder)
    cum_kinds = _cumulative(KIND_WEIGHTS)
    cum_areas = _cumulative(AREA_WEIGHTS)
    while pop.people.count < gen.scale.people:
        kind = rng.choices(KINDS, cum_weights=cum_kinds)[0]
        hh = Household(rng.choices(AREA_CODES, cum_weights=cum_areas)[0])
        if kind in ("two_parent", "single_parent", "extended"):
            builder.family(hh, kind)
        else:
            builder.adults_only(hh, kind)
        # A long tail: most households never call the police, a few call them often.
        hh.weight = min(rng.paretovariate(1.05), 60.0) * (
            3 if hh.victim and rng.random() < 0.15 else 1
        )
        builder.settle(hh)
    _choose_frequent(gen, pop)
    return pop


def _showcase(builder: _Builder) -> None:
    """One household for each reason the child marker gives, whatever the scale."""
    pop, fake = builder.pop, builder.gen.fake
    hh = Household("northern")
    builder.family(hh, "two_parent", ages=[6])
    # A foster child whose date of birth nobody knows yet.
    estimated = builder.child(9, fake.last_name(), estimated=True)
    for parent in hh.adults:
        builder.relate(parent, estimated, "carer")
    hh.children.append(estimated)
    pop.showcase["under_18"] = (builder.settle(hh), hh.children[0])

    hh = Household("northern")
    surname = fake.last_name()
    mother = builder.adult(27, surname, female=True, pregnant="current", estimated_age=False)
    father = builder.adult(30, surname, female=False, estimated_age=False)
    hh.adults += [mother, father]
    builder.relate(mother, father, "partner")
    hh.victim, hh.suspect = mother, father
    pop.showcase["unborn_child"] = (builder.settle(hh), mother)

    hh = Household("northern")
    young = builder.adult(
        19,
        fake.last_name(),
        female=True,
        appears_under_18=True,
        pregnant=False,
        estimated_age=False,
    )
    hh.adults.append(young)
    pop.showcase["appears_under_18"] = (builder.settle(hh), young)


def _choose_frequent(gen: Generation, pop: Population) -> None:
    rng, dob = gen.rng, pop.people.dob
    as_of = gen.as_of.toordinal()
    teens, abused = [], []
    for i, hh in enumerate(pop.households):
        if not hh.children or i < len(pop.showcase):
            continue
        teen = next((c for c in hh.children if 14 <= (as_of - dob[c]) / 365.2425 < 18), 0)
        if teen:
            teens.append((i, teen))
        elif hh.victim:
            abused.append(i)
    half = gen.scale.frequent_households // 2
    for i, teen in rng.sample(teens, min(half, len(teens))):
        pop.households[i].frequent, pop.households[i].teen = "missing_person", teen
    for i in rng.sample(abused, min(gen.scale.frequent_households - half, len(abused))):
        pop.households[i].frequent = "domestic_abuse"


def _cumulative(weights) -> list[float]:
    total, out = 0.0, []
    for w in weights:
        total += w
        out.append(total)
    return out
