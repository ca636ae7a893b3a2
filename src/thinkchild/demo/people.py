"""Persons: names from Faker en_GB, dates of birth or estimated ages, markers, pregnancies, aliases.

Only compact facts (number, date of birth) stay in memory for the incident generator; each person's
record is written the moment it is made.
"""

from array import array
from dataclasses import dataclass, field
from datetime import date

from thinkchild.demo.context import Generation

YEAR = 365.2425
# A current pregnancy has been known this many days before the last day of the period.
CURRENT_PREGNANCY_DAYS = 90


def person_id(number: int) -> str:
    return f"P{number:07d}"


def iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


@dataclass
class People:
    gen: Generation
    # dob[n] is person n's date of birth as an ordinal (an estimate where only an age is known).
    dob: array = field(default_factory=lambda: array("i", [0]))
    female: bytearray = field(default_factory=lambda: bytearray(1))
    adults: array = field(default_factory=lambda: array("i"))

    @property
    def count(self) -> int:
        return len(self.dob) - 1

    def birth_for_age(self, age: int) -> int:
        """A date of birth that makes someone `age` on the generation day (never in the future)."""
        return self.gen.as_of.toordinal() - int(age * YEAR) - self.gen.rng.randint(1, 364)

    def add(
        self,
        *,
        age: int,
        family_name: str,
        female: bool,
        estimated_age: bool = False,
        appears_under_18: bool = False,
        pregnant: bool | str = False,  # "current": pregnant on the last day of the period
        alias: bool = False,
        restricted: bool = False,
    ) -> int:
        gen, rng, fake = self.gen, self.gen.rng, self.gen.fake
        born = self.birth_for_age(age)
        number = len(self.dob)
        self.dob.append(born)
        self.female.append(1 if female else 0)
        if age >= 18:
            self.adults.append(number)
        given = self._given(female)
        fields: dict = {"given_name": given, "family_name": family_name}
        if alias:
            fields["aliases"] = [
                {"given_name": given, "family_name": fake.last_name()}
                if rng.random() < 0.6
                else {"given_name": self._given(female), "family_name": family_name}
            ]
        if estimated_age:
            # Known only from an officer's estimate, recorded on some day in the period.
            on = rng.randint(max(born + 1, gen.first_day), gen.last_day)
            estimate = int((on - born) / YEAR)
            fields["estimated_age"] = estimate
            fields["estimated_age_on"] = iso(on)
            # The latest birth the estimate allows: incidents before it would look impossible.
            self.dob[number] = on - int(estimate * YEAR)
        else:
            fields["date_of_birth"] = iso(born)
        if appears_under_18:
            fields["appears_under_18"] = True
        roll = rng.random()
        fields["gender"] = (
            "other"
            if roll < 0.004
            else "unknown"
            if roll < 0.006
            else "female"
            if female
            else "male"
        )
        if pregnant:
            fields["pregnancies"] = [self._pregnancy(current=pregnant == "current")]
        if restricted:
            fields["restricted"] = True
        gen.writers["persons"].write("person", person_id(number), fields)
        return number

    def _given(self, female: bool) -> str:
        fake = self.gen.fake
        return fake.first_name_female() if female else fake.first_name_male()

    def _pregnancy(self, *, current: bool) -> dict:
        gen, rng = self.gen, self.gen.rng
        if current:
            known = gen.last_day - CURRENT_PREGNANCY_DAYS
            return {"known_from": iso(known), "due_date": iso(known + 200)}
        known = rng.randint(gen.first_day, gen.last_day - 1)
        due = known + rng.randint(120, 230)
        pregnancy = {"known_from": iso(known), "due_date": iso(due)}
        ended = due + rng.randint(-14, 10)
        if ended <= gen.last_day:
            pregnancy["ended_on"] = iso(ended)
        return pregnancy
