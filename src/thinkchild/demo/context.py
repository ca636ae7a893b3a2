"""What every part of the generator shares: the seeded randomness, the dates and the open files."""

import random
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

from faker import Faker

from thinkchild.demo.jsonl import RecordWriter
from thinkchild.demo.scales import Scale

# Dependency order: a file refers only to records in itself or in the files before it.
FILES = (
    "force",
    "org",
    "locations",
    "organisations",
    "persons",
    "person_addresses",
    "relationships",
    "enrolments",
    "incidents",
    # Missing children: Philomena profiles, then each episode with its gradings, enquiries,
    # return and interviews (the children in care are in persons, placed in locations).
    "missing",
)


@dataclass
class Generation:
    scale: Scale
    seed: int
    as_of: date
    out: Path
    rng: random.Random = field(init=False)
    fake: Faker = field(init=False)
    writers: dict[str, RecordWriter] = field(init=False)

    def __post_init__(self):
        self.rng = random.Random(self.seed)
        # Synthetic names only: Faker's en_GB provider, seeded so the files repeat byte for byte.
        self.fake = Faker("en_GB")
        self.fake.seed_instance(self.seed)
        self.out.mkdir(parents=True, exist_ok=True)
        self.writers = {name: RecordWriter(self.out / f"{name}.jsonl") for name in FILES}

    @property
    def last_day(self) -> int:
        """The last day with events (the day before `as_of`, so nothing lies in the future)."""
        return self.as_of.toordinal() - 1

    @property
    def first_day(self) -> int:
        return self.as_of.toordinal() - 365 * self.scale.years

    def paths(self) -> list[Path]:
        return [self.writers[name].path for name in FILES]

    def close(self) -> None:
        for writer in self.writers.values():
            writer.close()
