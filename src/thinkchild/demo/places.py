"""Addresses with valid UK postcodes, the local authorities and the schools.

Postcodes use real-looking outward codes of the north-west (PR, BB, FY, LA) with invented inward
codes, so they pass the GOV.UK postcode pattern; street and town names come from Faker en_GB.
"""

from dataclasses import dataclass, field

from thinkchild.demo.context import Generation
from thinkchild.demo.org import AREAS

OUTWARD_CODES = {
    "northern": [f"LA{n}" for n in range(1, 7)] + [f"FY{n}" for n in range(1, 9)],
    "central": [f"PR{n}" for n in range(1, 10)],
    "southern": [f"BB{n}" for n in range(1, 13)],
}
# Letters used in the inward code (the last two characters never use C, I, K, M, O or V).
INWARD_LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
LOCAL_AUTHORITIES = {
    "northern": "North Lancastria Council",
    "central": "Lancastria City Council",
    "southern": "South Lancastria Borough Council",
}


@dataclass
class _District:
    outward: str
    town: str
    used: set[str] = field(default_factory=set)
    street: str = ""
    postcode: str = ""
    next_number: int = 1
    left_in_unit: int = 0


@dataclass
class Places:
    """Hands out new addresses area by area and remembers the non-residential ones."""

    gen: Generation
    districts: dict[str, list[_District]] = field(default_factory=dict)
    count: int = 0
    public: dict[str, list[int]] = field(default_factory=dict)  # area -> places, not homes
    area_of: list[str] = field(default_factory=list)  # location number -> area code

    def __post_init__(self):
        for area, codes in OUTWARD_CODES.items():
            self.districts[area] = [_District(code, self.gen.fake.city()) for code in codes]
            self.public[area] = []

    def new_address(self, area: str, *, flat_chance: float = 0.12) -> int:
        """Write one new location in `area` and return its number (its source id is L<number>)."""
        rng = self.gen.rng
        district = rng.choice(self.districts[area])
        if district.left_in_unit <= 0:
            self._new_unit(district)
        district.left_in_unit -= 1
        number = district.next_number
        district.next_number += rng.choice((1, 1, 2, 2, 2))
        line1 = f"{number} {district.street}"
        if rng.random() < flat_chance:
            line1 = f"Flat {rng.randint(1, 12)}, {line1}"
        self.count += 1
        fields = {"line1": line1, "town": district.town, "postcode": district.postcode}
        if rng.random() < 0.85:
            fields["uprn"] = 10_090_000_000 + self.count
        fields["area"] = area
        self.gen.writers["locations"].write("location", location_id(self.count), fields)
        self.area_of.append(area)
        return self.count

    def _new_unit(self, district: _District) -> None:
        rng = self.gen.rng
        while True:
            inward = f"{rng.randint(0, 9)}{rng.choice(INWARD_LETTERS)}{rng.choice(INWARD_LETTERS)}"
            if inward not in district.used:
                break
        district.used.add(inward)
        district.postcode = f"{district.outward} {inward}"
        district.street = self.gen.fake.street_name()
        district.next_number = rng.randint(1, 40)
        district.left_in_unit = rng.randint(8, 30)

    def add_public_places(self, per_area: int) -> None:
        """Shops, pubs, parks, car parks: where incidents happen away from anyone's home."""
        for area, _ in AREAS:
            for _ in range(per_area):
                self.public[area].append(self.new_address(area, flat_chance=0))


def location_id(number: int) -> str:
    return f"L{number:07d}"


@dataclass
class Schools:
    primary: dict[str, list[str]]  # area -> school source ids
    secondary: dict[str, list[str]]


def write_organisations(gen: Generation, places: Places) -> Schools:
    out, rng, fake = gen.writers["organisations"], gen.rng, gen.fake
    urns = iter(rng.sample(range(100_000, 150_000), 5 * gen.scale.schools_per_area))
    schools = Schools({}, {})
    n = 0
    for area, _ in AREAS:
        la = f"la-{area}"
        out.write("organisation", la, {"kind": "local_authority", "name": LOCAL_AUTHORITIES[area]})
        schools.primary[area], schools.secondary[area] = [], []
        secondary_count = max(1, gen.scale.schools_per_area // 4)
        for i in range(gen.scale.schools_per_area):
            n += 1
            secondary = i < secondary_count
            name = _school_name(fake, rng, secondary)
            sid = f"school-{n:04d}"
            location = places.new_address(area, flat_chance=0)
            fields = {
                "kind": "school",
                "name": name,
                "urn": next(urns),
                "local_authority": la,
                "location": location_id(location),
            }
            out.write("organisation", sid, fields)
            (schools.secondary if secondary else schools.primary)[area].append(sid)
    return schools


def _school_name(fake, rng, secondary: bool) -> str:
    if secondary:
        return rng.choice(
            (
                f"{fake.last_name()} High School",
                f"{fake.city()} Academy",
                f"St {fake.first_name()}'s Catholic High School",
            )
        )
    return rng.choice(
        (
            f"{fake.last_name()} Primary School",
            f"St {fake.first_name()}'s C of E Primary School",
            f"{fake.street_name()} Community Primary School",
        )
    )
