"""How big a synthetic force to generate. `force` is the benchmark scale (architecture §2.7)."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Scale:
    name: str
    years: int
    # Roughly how many people live in the force's households (the generator stops at this).
    people: int
    incidents_per_year: int
    schools_per_area: int
    staff_per_team: int
    # Households that the police attend again and again: repeat domestic abuse, a teenager who
    # goes missing most weeks. They give the chronology its long pages (about 300 events at force
    # scale, the benchmark's case).
    frequent_households: int
    frequent_incidents_per_year: int
    # Places that are nobody's home (shops, pubs, parks, car parks), in each area.
    public_places_per_area: int
    # Investigations with supervision histories in each response, child protection and CSE team
    # (made through the services after the import; none at the benchmark scales).
    investigations_per_team: int = 0
    # Missing children: episodes reported a year (issue #4), about half of them by children who
    # go missing again and again.
    missing_episodes_per_year: int = 0

    @property
    def incidents(self) -> int:
        return self.years * self.incidents_per_year


SCALES = {
    "tiny": Scale(
        "tiny",
        1,
        260,
        220,
        2,
        2,
        2,
        12,
        10,
        investigations_per_team=2,
        missing_episodes_per_year=30,
    ),
    "demo": Scale(
        "demo",
        1,
        7_000,
        4_000,
        13,
        6,
        8,
        40,
        300,
        investigations_per_team=8,
        missing_episodes_per_year=600,
    ),
    # Five years of one town-sized slice: 300-event chronologies that load in minutes, for
    # benchmarking while the force scale takes too long to import.
    "bench": Scale(
        "bench", 5, 20_000, 10_000, 20, 8, 24, 60, 1_500, missing_episodes_per_year=1_500
    ),
    "force": Scale(
        "force", 5, 400_000, 210_000, 130, 30, 200, 60, 30_000, missing_episodes_per_year=12_000
    ),
}
