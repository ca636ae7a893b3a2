"""Write the synthetic force as canonical JSON Lines files, in dependency order."""

from dataclasses import dataclass
from datetime import date
from pathlib import Path

from thinkchild.demo.context import Generation
from thinkchild.demo.households import write_households
from thinkchild.demo.incidents import write_incidents
from thinkchild.demo.missing import write_missing
from thinkchild.demo.org import DemoLogin, write_force, write_org
from thinkchild.demo.places import Places, write_organisations
from thinkchild.demo.scales import Scale


@dataclass(frozen=True)
class GeneratedForce:
    paths: list[Path]  # in the order to import them
    counts: dict[str, int]  # file name -> records written
    logins: list[DemoLogin]


def demo_generate(*, scale: Scale, seed: int, out: Path, as_of: date) -> GeneratedForce:
    """Generate the force into `out`. The same scale, seed and day give byte-identical files."""
    gen = Generation(scale=scale, seed=seed, as_of=as_of, out=Path(out))
    try:
        write_force(gen)
        staff = write_org(gen)
        places = Places(gen)
        schools = write_organisations(gen, places)
        places.add_public_places(scale.public_places_per_area)
        population = write_households(gen, places, schools)
        write_incidents(gen, population, places, staff)
        write_missing(gen, population, places, staff)
    finally:
        gen.close()
    return GeneratedForce(
        paths=gen.paths(),
        counts={
            path.stem: writer.count
            for path, writer in zip(gen.paths(), gen.writers.values(), strict=True)
        },
        logins=staff.logins,
    )
