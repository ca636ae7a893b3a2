"""Missing children: a year of episodes (five at the bench and force scales), each with its
risk gradings, enquiries, return, prevention interview and return home interview (issue #4).

The episodes show what the inspection found and the standards watch for: a few children who go
missing again and again (three or more times in 90 days, some many more), children missing from
foster and residential care (most with a Philomena profile held in advance), children missing from
another force and believed to be here, legacy "absent" and "no apparent risk" gradings in the
oldest part of the history, first gradings reviewed by a supervisor (some late), a few children
graded low with a supervisor's override, prevention interviews held late, by telephone or not at
all, return home interview findings that arrive after five working days, and a handful of children
still missing on the last day.

Children in care are new people placed in new children's homes and foster homes (written to the
persons, locations, person addresses and relationships files, which load before this one); the
others are the household children the incidents already know. Every time is a whole minute, and
before midnight at the start of `as_of` (next review times too): nothing lies in the future.
Within the file each record follows the records it refers to: the Philomena profiles first, then
episode by episode in the order reported, the episode, its gradings, enquiries, return, prevention
interview and return home interview.
"""

from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta

from thinkchild.demo.context import Generation
from thinkchild.demo.households import AREA_CODES, AREA_WEIGHTS, Household, Population
from thinkchild.demo.org import (
    AREA_TEAM_KINDS,
    AREAS,
    DEMO_LOGINS,
    FORCE_TEAM_KINDS,
    TEAM_STAFF,
    Staff,
    team_id,
)
from thinkchild.demo.people import YEAR, iso, person_id
from thinkchild.demo.places import LOCAL_AUTHORITIES, Places, location_id

DAY = 1440  # minutes; every time here is a whole number of minutes since 0001-01-01 00:00 UTC
HOUR = 60

# The force's policy defaults (missing/policy.py and missing/standards.py), which the episodes
# keep or, now and then, break: hours to the next review of the risk, and to a supervisor's
# review of the first grading.
REVIEW_HOURS = {"high": 2, "medium": 6, "low": 12}
FIRST_REVIEW_HOURS = {"high": 1, "medium": 4, "low": 12}
LEVEL_WORDS = {"high": "High", "medium": "Medium", "low": "Low"}
MOST_GRADINGS = 8  # a long episode stops being reviewed in the file after this many
LEGACY_BEFORE_DAYS = 300  # legacy categories appear only in episodes older than this

# The share of each feature among the episodes that can show it (at least one wherever any can).
LEGACY_SHARE = 0.05
LOW_SHARE = 0.06  # graded low, below the force's minimum, with a supervisor's override
LATE_SUPERVISION_SHARE = 0.1  # of the episodes long enough for a late review to show
NOT_DONE_SHARE = 0.05
LATE_INTERVIEW_SHARE = 0.07
TELEPHONE_SHARE = 0.04
LATE_FINDINGS_SHARE = 0.15
PROFILE_SHARE = 0.85

# Reports by hour of the day: most in the evening, when a child has not come home.
REPORT_HOURS = (
    2, 1.5, 1, 0.7, 0.5, 0.5, 0.7, 1, 1.5, 1.5, 1.5, 1.5,
    1.5, 2, 2.5, 3.5, 4.5, 5, 5.5, 6, 6.5, 6, 5, 3.5,
)  # fmt: skip

HOME_FORCES = (
    ("Cumbria Constabulary", "CU", 4),
    ("Merseyside Police", "MP", 2),
    ("Greater Manchester Police", "GMP", 2),
    ("Cheshire Constabulary", "CH", 1),
    ("North Yorkshire Police", "NY", 1),
    ("West Yorkshire Police", "WY", 1),
)
KNOWN_RISKS = (
    "criminal_exploitation",
    "sexual_exploitation",
    "self_harm",
    "medical",
    "drugs_alcohol",
    "associates",
    "places",
)
HOME_REPORTERS = (
    ("Mother", "Mother", 10),
    ("Father", "Father", 4),
    ("Stepfather", "Stepfather", 1),
    ("Grandmother", "Grandmother", 2),
    ("Older sister", "Sister", 1),
)
LAST_SEEN = (
    "at home, going up to bed",
    "leaving school at the end of the day",
    "in {town} town centre with friends",
    "walking out of the front door after an argument",
    "at the bus station in {town}",
    "in the park near the home address",
    "getting into a car outside the address",
    "at a friend's address in {town}",
)
CIRCUMSTANCES = {
    "home": (
        "Did not come home after school; phone switched off since the afternoon.",
        "Left the house after an argument about being grounded; took a coat and phone.",
        "Went out to meet friends and did not return at the agreed time.",
        "Not in bed this morning; a window was left open. No note left.",
        "Stormed out after a row with a sibling; has stayed out overnight before.",
    ),
    "care": (
        "Did not return to the placement by the agreed time; phone goes to voicemail.",
        "Left the placement after being refused money; said they were going to see friends.",
        "Absconded from staff while out in {town}; ran towards the station.",
        "Missed the curfew agreed in the placement plan; last contact by text at tea time.",
        "Climbed out of a bedroom window during the night; bed found empty at the check.",
    ),
    "cross_border": (
        "Missing from home in the {force} area; believed to have travelled to {town} to "
        "see an older boyfriend.",
        "Reported missing to {force}; phone last used near {town} railway station.",
        "Missing from a placement in the {force} area; friends say they are staying in {town}.",
    ),
}
ASSOCIATE = (
    "Believed to be with an adult male known as '{name}', aged about {age}, who has a car.",
    "Thought to be with {name}, aged about {age}, known to give children lifts and cannabis.",
    "May be with an older female, {name}, aged about {age}, at a flat in {town}.",
)
RISK_FACTORS = {
    "criminal_exploitation": "intelligence that the child carries drugs for older males",
    "sexual_exploitation": "concerns of sexual exploitation by older adults",
    "self_harm": "recent self-harm and statements of not wanting to live",
    "medical": "needs daily medication that the child does not have",
    "drugs_alcohol": "known to drink and take cannabis when missing",
    "associates": "known to associate with adults of concern",
    "places": "known to go to addresses where adults of concern live",
}
SOURCES = {
    "home": (
        ("Reporting parent", "Child left without money or a charger; not done this before."),
        ("Reporting parent", "Friends contacted by the family have not seen the child."),
        ("School", "Attended school today; no concerns raised by staff."),
        ("Force intelligence system", "Previous missing episodes and known associates checked."),
        ("Children's social care", "Known to the family support team; no open plan."),
        ("Friend of the child", "Last spoke to the child on social media this evening."),
    ),
    "care": (
        ("Placement staff", "Left with a bag of clothes; said they would not be coming back."),
        ("Social worker", "Child subject to a care order; history of missing from placements."),
        ("Philomena profile", "Associates, places and phone numbers from the profile."),
        ("Force intelligence system", "Linked to addresses of concern in the town centre."),
        ("Emergency duty team", "No change in the care plan; the placement is stable."),
    ),
    "cross_border": (
        ("Home force", "Graded medium by the home force; believed to be in this area."),
        ("Home force", "Phone last connected to a mast in this force area."),
        ("Force intelligence system", "No local trace of the child or the named associate."),
        ("Transport police", "Seen on station CCTV arriving in the area this afternoon."),
    ),
}
CONTACTS = ("07700 900{n:03d}", "Duty desk", "By email", "In person at the address")
POWERS = (
    "APP missing persons; Children Act 1989 s.46 (police protection) if found at risk; Child "
    "Abduction Act 1984 considered.",
    "Missing persons APP and the force's children's policy; police protection available on "
    "finding; Philomena Protocol for a looked-after child.",
    "APP missing persons; information sharing with children's social care under the Children "
    "Act 2004 s.11; CAWN considered if the associate is traced.",
)
OPTIONS = (
    "Search of the home address; calls to friends and family; checks of known places; CCTV; "
    "escalate if not traced by the review.",
    "Broadcast to patrols; hospitals checked; social media checked; associates' addresses visited "
    "if no contact by the review.",
    "Address checks and calls now; consider a press appeal and a search adviser if the risk rises.",
)
ASSESSMENT = {
    "high": (
        "Serious harm assessed as very likely: {factor}. High risk; immediate deployment.",
        "The child is vulnerable and {factor}: risk of serious harm very likely. Graded high.",
    ),
    "medium": (
        "Harm assessed as likely but not serious: {factor}. Medium risk.",
        "The child is likely to come to harm if not found: {factor}. Graded medium.",
    ),
    "low": (
        "Harm possible but minimal: {factor}; the child is in contact and returns each time. "
        "Low, below the minimum: supervisor's override.",
    ),
}
REVIEW_ASSESSMENT = (
    "Risk reviewed: no new information; grading unchanged.",
    "Risk reviewed after further enquiries; nothing found that changes the grading.",
    "Still not traced; the time missing raises the concern. Reviewed.",
)
RAISED_ASSESSMENT = "Missing for over a day with no contact: risk raised."
OVERRIDE_RATIONALE = (
    "The child is in regular phone contact with the carer, is at a named friend's address and "
    "has come back from each previous episode within hours; no signs of exploitation. Low agreed "
    "with hourly contact.",
    "Whereabouts are believed known (a relative's address) and the child has spoken to an "
    "officer by phone; no exploitation indicators. Low with contact every two hours.",
)
ENQUIRIES = {
    "address_check": (
        "Search of the home address and garden, outbuildings and loft.",
        ("Not at the address.", "Search complete; child not there; phone charger missing."),
    ),
    "call": (
        "Calls to the child's phone and to friends and relatives named by the reporter.",
        ("Phone off; friends have not seen them.", "One friend saw the child at tea time."),
    ),
    "broadcast": (
        "Description circulated to patrols and neighbouring areas.",
        ("Circulated.", "Circulated; a possible sighting in the town centre passed to patrols."),
    ),
    "social_media": (
        "Child's social media accounts checked with the carer's help.",
        ("No posts since the report.", "Posted from a friend's house an hour ago."),
    ),
    "cctv": (
        "Town centre and bus station CCTV reviewed.",
        ("Nothing of note.", "Seen walking towards the station with two older males."),
    ),
    "hospitals": (
        "Local hospitals and the ambulance service checked.",
        ("No trace.", "No admission under the child's name."),
    ),
    "associates": (
        "Addresses of known associates visited.",
        ("Not present; occupants deny seeing the child.", "Associate not in; neighbour saw the "
         "child earlier today."),
    ),
    "philomena": (
        "Philomena profile obtained from the carer and sent to the enquiry team.",
        ("Profile received; photograph and phone numbers circulated.",),
    ),
    "direction": (
        "Supervisor's direction: prioritise the associates' addresses and town centre CCTV; "
        "review the risk at the set time.",
        ("Directions given to the allocated officer.",),
    ),
    "other": (
        "Bank and travel card activity requested through the social worker.",
        ("Awaiting response.", "Travel card used on a bus into town this afternoon."),
    ),
}  # fmt: skip
ENQUIRY_KINDS = (
    ("call", 6),
    ("broadcast", 4),
    ("social_media", 3),
    ("cctv", 2),
    ("hospitals", 2),
    ("associates", 3),
    ("other", 1),
)
FOUND_WHERE = (
    "a friend's address in {town}",
    "{town} town centre",
    "the bus station in {town}",
    "a park in {town}",
    "an associate's flat in {town}",
    "walking back towards the home address",
    "a relative's address in {town}",
)
FOUND_WITH = (
    "Friends of a similar age",
    "Alone",
    "An adult male aged about 20, a known associate",
    "A group of older youths",
)
FOUND_BY = {
    "home": ("Returned of their own accord", "Officers on patrol", "Mother", "Found by a relative"),
    "care": ("Returned of their own accord", "Officers on patrol", "Placement staff"),
    "cross_border": ("Officers on patrol", "Returned of their own accord", "Home force officers"),
}
CHILD_ACCOUNTS = (
    "Says they stayed at a friend's house and did not think anyone would worry.",
    "Says they left after an argument and walked around town until late; no harm reported.",
    "Would not say where they had been; says they were with friends and were safe.",
    "Says an older male picked them up and they stayed at his flat; denies anything happened.",
    "Went to see their mother, which is not allowed in the care plan; says they miss home.",
)
RISKS_FOUND = (
    "Possible exploitation: new phone and cash not explained. Referred to the exploitation team.",
    "Had been drinking; no injuries. Concern shared with children's social care.",
    "Associating with older males; intelligence submitted.",
)
NOT_DONE_REASONS = (
    "The child refused to speak to officers on three visits; the carer will encourage them.",
    "The child went missing again before the interview could be held.",
    "Admitted to hospital on return and discharged to a new placement out of the area.",
)
TELEPHONE_REASONS = (
    "The child was moved to a placement out of the area the day after returning.",
    "The child would only speak by phone; two visits were refused at the door.",
)
FINDINGS = (
    "The child describes arguments at home and being pressured by older friends to stay out.",
    "Child says they go missing to see a boyfriend who is 19; exploitation concerns shared.",
    "Unhappy in the placement and wants to live nearer family; social worker to review the plan.",
    "No new concerns; the child says they lost track of time.",
)
POLICE_ACTIONS = (
    "Associate's details added to the child's protective plan; CAWN considered.",
    "Intelligence submitted on the address named; patrols briefed.",
    "Referral to the exploitation panel; the plan now includes a curfew check.",
)
DESCRIPTIONS = (
    "{build} {sex}, about {height}, {hair}; usually wears {clothes}.",
    "{sex_cap} of {build} build, about {height}, with {hair}; often in {clothes}.",
)
BUILDS = ("slim", "medium", "stocky", "tall and slim")
HAIR = (
    "long dark hair usually tied back",
    "short brown hair",
    "shoulder-length blonde hair",
    "curly black hair",
    "red hair in a ponytail",
)
CLOTHES = (
    "a black puffer jacket and grey joggers",
    "a grey hooded top and white trainers",
    "a school blazer and black trousers",
    "a dark green parka",
)
MEDICAL = (
    "None known.",
    "Asthma: carries an inhaler.",
    "ADHD; takes medication each morning.",
    "Type 1 diabetes: needs insulin daily.",
)


def _minute(ordinal_day: int, minutes: int = 0) -> int:
    return ordinal_day * DAY + minutes


def _ts(minutes: int) -> str:
    moment = datetime.fromordinal(minutes // DAY).replace(tzinfo=UTC)
    return (moment + timedelta(minutes=minutes % DAY)).isoformat()


def _years(born: int, on: int) -> int:
    """Whole years from one day (ordinal) to another, as a person's age is counted."""
    b, d = date.fromordinal(born), date.fromordinal(on)
    return d.year - b.year - ((d.month, d.day) < (b.month, b.day))


def supervisors_by_team(gen: Generation) -> dict[str, list[str]]:
    """The supervisors' user ids in each team, numbered as org.write_org numbers its users."""
    out: dict[str, list[str]] = {}
    for username, role, tid, _ in DEMO_LOGINS:
        if role == "supervisor":
            out.setdefault(tid, []).append(f"user-{username}")
    teams = [(team_id(code, kind), kind) for code, _ in AREAS for kind, _ in AREA_TEAM_KINDS]
    teams += [(team_id(None, kind), kind) for kind, _ in FORCE_TEAM_KINDS]
    n = 0
    for tid, kind in teams:
        for role, _, share in TEAM_STAFF[kind]:
            for _ in range(max(1, round(gen.scale.staff_per_team * share))):
                n += 1
                if role == "supervisor":
                    out.setdefault(tid, []).append(f"user-{n:05d}")
    return out


@dataclass(eq=False)
class _Child:
    person: int
    kind: str  # home, foster_care, residential_care or cross_border
    dob: int
    female: bool
    area: str = ""  # where the placement is (children in care)
    hh: Household | None = None  # a child living at home
    location: int = 0  # the placement (children in care)
    authority: str = ""  # the responsible local authority (children in care)
    carer: str = ""  # who reports the child missing from care
    carer_relationship: str = ""
    held_by: str = ""  # who holds the Philomena profile
    placed: int = 0  # the day the child was placed (ordinal)
    profile: bool = False
    risks: tuple[str, ...] = ()
    associate: str = ""
    home_force: tuple[str, str] = ("", "")
    episodes: list = field(default_factory=list)

    @property
    def in_care(self) -> bool:
        return self.kind in ("foster_care", "residential_care")

    @property
    def group(self) -> str:
        return "care" if self.in_care else self.kind


@dataclass(eq=False)
class _Episode:
    child: _Child
    reported: int
    found: int | None
    area: str = ""  # where a child from another force is believed to be
    number: int = 0
    legacy: bool = False
    low: bool = False
    supervision_late: bool = False
    interview: str = "on_time"  # on_time, late, telephone or not_done
    findings_late: bool = False


class _Missing:
    def __init__(self, gen: Generation, pop: Population, places: Places, staff: Staff):
        self.gen, self.pop, self.places, self.staff = gen, pop, places, staff
        self.rng, self.fake, self.people = gen.rng, gen.fake, pop.people
        self.out = gen.writers["missing"]
        self.end = _minute(gen.as_of.toordinal())  # nothing at or after this minute
        self.first_day = gen.first_day
        self.supervisors = supervisors_by_team(gen)
        self.children: list[_Child] = []
        self.episodes: list[_Episode] = []
        self.used: set[int] = set()
        self.homes: dict[str, list[list]] = {area: [] for area in AREA_CODES}
        self.counters = {"PA": 0, "R": 0, "G": 0, "Q": 0}
        self.frequent = [
            (hh, hh.teen) for hh in pop.households if hh.frequent == "missing_person" and hh.teen
        ]
        low = gen.first_day - int(18 * YEAR)
        high = gen.last_day - int(10 * YEAR)
        self.candidates = [
            (hh, child)
            for i, hh in enumerate(pop.households)
            if i >= len(pop.showcase)
            for child in hh.children
            if low < pop.people.dob[child] <= high
        ]

    # --- Who goes missing, and when ---------------------------------------------------------

    def plan(self) -> None:
        scale = self.gen.scale
        target = scale.years * scale.missing_episodes_per_year
        if not target:
            return
        most = max(3, target // 5)
        # Whatever the scale: a repeat child in residential care and one at home, a child from
        # another force, a child in foster care, and a few children still missing at the end.
        early = self.gen.last_day - 120
        self.career("repeat", "residential_care", most, start=early)
        self.career("repeat", "home", most, start=early)
        self.career("single", "cross_border", 1)
        self.career("single", "foster_care", 2)
        # An episode old enough to carry a legacy category.
        self.career("single", "home", 1, start=self.gen.last_day - LEGACY_BEFORE_DAYS - 5)
        for _ in range(max(1, scale.missing_episodes_per_year // 200)):
            self.career("open", "home", 1)
        rng = self.rng
        while len(self.episodes) < target:
            room = min(most, target - len(self.episodes))
            if rng.random() < 0.11:
                kind = rng.choices(("residential_care", "foster_care", "home"), (30, 25, 45))[0]
                self.career("repeat", kind, room)
            else:
                kind = rng.choices(
                    ("home", "foster_care", "residential_care", "cross_border"), (84, 5, 5, 6)
                )[0]
                self.career("single", kind, room)
        self.episodes.sort(key=lambda e: (e.reported, e.child.person))
        for n, episode in enumerate(self.episodes, 1):
            episode.number = n
        self.choose_features()

    def career(self, style: str, kind: str, room: int, *, start: int = 0) -> None:
        """One child's episodes: a single one or two, or a run of repeats (`start`: the first
        comes no later than this day)."""
        rng, gen = self.rng, self.gen
        if style == "open":
            start = gen.last_day - rng.randint(0, 1)
        elif style == "repeat":
            start = rng.randint(self.first_day, max(self.first_day, start or gen.last_day - 30))
        else:
            start = rng.randint(self.first_day, max(self.first_day, start or gen.last_day))
        child = (
            self.home_child(start, prefer_frequent=style == "repeat") if kind == "home" else None
        )
        if child is None:
            kind = kind if kind != "home" else "foster_care"
            child = self.new_child(kind, start, repeat=style == "repeat")
        if style == "repeat":
            count = 3 + int(min((rng.paretovariate(1.2) - 1) * 4, 40))
        else:
            count = 1 if style == "open" or rng.random() < 0.75 else 2
        count = max(1, min(count, room))
        reported = self.report_time(start)
        for _ in range(count):
            if reported >= self.end - 2 * HOUR or not self.age_ok(child, reported // DAY):
                break
            found = reported + self.duration(child)
            if style == "open":
                found = None
            elif found >= self.end:
                # Only a child reported in the last two days is still missing at the end.
                if reported >= self.end - 2 * DAY:
                    found = None
                else:
                    found = reported + int((self.end - reported) * rng.uniform(0.1, 0.9))
            episode = _Episode(child, reported, found)
            if child.kind == "cross_border":
                episode.area = rng.choices(AREA_CODES, AREA_WEIGHTS)[0]
            child.episodes.append(episode)
            self.episodes.append(episode)
            if found is None:
                break
            if style == "repeat":
                gap = int(min(rng.expovariate(1 / 9), 30) * DAY) + DAY // 2
            else:
                gap = rng.randint(20, 200) * DAY
            reported = max(self.report_time((found + gap) // DAY), found + 6 * HOUR)
        if child.episodes:
            self.children.append(child)

    def report_time(self, day: int) -> int:
        rng = self.rng
        hour = rng.choices(range(24), REPORT_HOURS)[0]
        reported = _minute(day, hour * HOUR + rng.randrange(HOUR))
        if day == self.gen.last_day:
            # Reported at least two hours before the end, so the first enquiries fit in.
            return min(reported, self.end - 2 * HOUR - 1 - rng.randrange(HOUR))
        return reported

    def duration(self, child: _Child) -> int:
        rng = self.rng
        roll = rng.random() + (0.05 if child.in_care else 0)
        if roll < 0.35:
            return rng.randint(HOUR, 6 * HOUR)
        if roll < 0.70:
            return rng.randint(6 * HOUR, DAY)
        if roll < 0.90:
            return rng.randint(DAY, 3 * DAY)
        if roll < 0.98:
            return rng.randint(3 * DAY, 7 * DAY)
        return rng.randint(7 * DAY, 21 * DAY)

    def age_ok(self, child: _Child, day: int) -> bool:
        """10 to 17 on the day. Three days' grace before the 18th birthday, for a child whose
        date of birth is only an estimate (persons.py keeps the latest birth it allows)."""
        return _years(child.dob, day) >= 10 and _years(child.dob - 3, day) < 18

    def home_child(self, day: int, *, prefer_frequent: bool) -> _Child | None:
        rng, dob = self.rng, self.people.dob
        if prefer_frequent:
            for hh, teen in self.frequent:
                if (
                    teen not in self.used
                    and _years(dob[teen], day) >= 13
                    and _years(dob[teen] - 3, day) < 17
                ):
                    return self.take(hh, teen)
        for _ in range(200):
            if not self.candidates:
                return None
            hh, child = rng.choice(self.candidates)
            if child in self.used:
                continue
            age = _years(dob[child], day)
            # Mostly teenagers; a few younger children.
            weight = 1.0 if age >= 13 else 0.3 if age >= 10 else 0.0
            if _years(dob[child] - 3, day) < 17 and rng.random() < weight:
                return self.take(hh, child)
        return None

    def take(self, hh: Household, person: int) -> _Child:
        self.used.add(person)
        child = _Child(person, "home", self.people.dob[person], bool(self.people.female[person]))
        child.hh, child.area = hh, hh.area
        self.risks(child)
        return child

    def new_child(self, kind: str, start: int, *, repeat: bool) -> _Child:
        """A child the households do not hold: placed in care here, or from another force."""
        rng, fake = self.rng, self.fake
        age_then = rng.randint(12, 16) if repeat else rng.choice((11, 13, 14, 14, 15, 15, 16, 16))
        age = age_then + int((self.gen.as_of.toordinal() - start) / YEAR)
        female = rng.random() < 0.55
        family = fake.last_name()
        number = self.people.add(age=age, family_name=family, female=female)
        child = _Child(number, kind, self.people.dob[number], female)
        self.used.add(number)
        if kind == "cross_border":
            forces = [(name, prefix) for name, prefix, _ in HOME_FORCES]
            child.home_force = rng.choices(forces, [w for _, _, w in HOME_FORCES])[0]
        else:
            self.place(child, start)
        self.risks(child)
        return child

    def place(self, child: _Child, start: int) -> None:
        rng = self.rng
        area = rng.choices(AREA_CODES, AREA_WEIGHTS)[0]
        # Most are looked after by the council where they are placed; some by a neighbour's.
        authority = area if rng.random() < 0.8 else rng.choice(AREA_CODES)
        child.area, child.authority = area, f"la-{authority}"
        child.placed = max(child.dob + 8 * 365, start - rng.randint(30, 700))
        if child.kind == "residential_care":
            home = self.residential_home(area)
            home[2] += 1
            child.location = home[0]
            child.carer = f"{home[1]} staff"
            child.carer_relationship = "Residential care worker"
            child.held_by = f"{home[1]} (children's home)"
        else:
            child.location, carers = self.foster_home(area, child.placed)
            child.carer = "Foster carer"
            child.carer_relationship = "Foster carer"
            child.held_by = f"{LOCAL_AUTHORITIES[authority]} fostering service"
            for carer in carers:
                self.relate(carer, child.person)
        self.address(child.person, child.location, child.placed)

    def residential_home(self, area: str) -> list:
        """A children's home in the area with room: [location, name, children placed so far]."""
        capacity = 6 * self.gen.scale.years
        open_homes = [home for home in self.homes[area] if home[2] < capacity]
        if open_homes and self.rng.random() < 0.85:
            return self.rng.choice(open_homes)
        location = self.places.new_address(area, flat_chance=0)
        name = f"{self.fake.street_name().split()[0]} House"
        home = [location, name, 0]
        self.homes[area].append(home)
        return home

    def foster_home(self, area: str, placed: int) -> tuple[int, list[int]]:
        rng, fake = self.rng, self.fake
        location = self.places.new_address(area)
        family = fake.last_name()
        carers = [self.people.add(age=rng.randint(35, 62), family_name=family, female=True)]
        if rng.random() < 0.6:
            carers.append(
                self.people.add(age=rng.randint(35, 65), family_name=family, female=False)
            )
        moved_in = placed - rng.randint(365, 15 * 365)
        for carer in carers:
            self.address(carer, location, moved_in)
        if len(carers) == 2:
            self.relate(carers[0], carers[1], kind="partner")
        return location, carers

    def address(self, person: int, location: int, start: int) -> None:
        self.counters["PA"] += 1
        self.gen.writers["person_addresses"].write(
            "person_address",
            f"PAM{self.counters['PA']:07d}",
            {
                "person": person_id(person),
                "location": location_id(location),
                "valid_from": iso(start),
            },
        )

    def relate(self, person: int, other: int, kind: str = "carer") -> None:
        self.counters["R"] += 1
        self.gen.writers["relationships"].write(
            "relationship",
            f"RM{self.counters['R']:07d}",
            {"person": person_id(person), "other": person_id(other), "kind": kind},
        )

    def risks(self, child: _Child) -> None:
        rng = self.rng
        chance = 0.6 if child.in_care else 0.3
        child.risks = tuple(r for r in KNOWN_RISKS if rng.random() < chance * 0.5)
        if ("associates" in child.risks or "sexual_exploitation" in child.risks) and (
            rng.random() < 0.6
        ):
            name = self.fake.first_name_male() if rng.random() < 0.8 else self.fake.first_name()
            child.associate = rng.choice(ASSOCIATE).format(
                name=name, age=rng.randint(19, 32), town=self.town(child.area or "central")
            )

    def town(self, area: str) -> str:
        return self.rng.choice(self.places.districts[area]).town

    # --- Which episodes show which feature --------------------------------------------------

    def choose_features(self) -> None:
        episodes, end = self.episodes, self.end
        for episode in self._share(
            [e for e in episodes if e.reported < end - LEGACY_BEFORE_DAYS * DAY], LEGACY_SHARE
        ):
            episode.legacy = True
        for episode in self._share([e for e in episodes if not e.legacy], LOW_SHARE):
            episode.low = True
        for episode in self._share(
            [e for e in episodes if not e.legacy and (e.found or end) - e.reported > 40 * HOUR],
            LATE_SUPERVISION_SHARE,
        ):
            episode.supervision_late = True
        found = [e for e in episodes if e.found is not None]
        for episode in self._share([e for e in found if e.found < end - DAY], NOT_DONE_SHARE):
            episode.interview = "not_done"
        for episode in self._share(
            [e for e in found if e.found < end - 9 * DAY and e.interview == "on_time"],
            LATE_INTERVIEW_SHARE,
        ):
            episode.interview = "late"
        for episode in self._share(
            [e for e in found if e.found < end - 3 * DAY and e.interview == "on_time"],
            TELEPHONE_SHARE,
        ):
            episode.interview = "telephone"
        for episode in self._share(
            [e for e in found if e.found < end - 21 * DAY], LATE_FINDINGS_SHARE
        ):
            episode.findings_late = True
        in_care = [c for c in self.children if c.in_care]
        # The first (the repeat child in residential care) has a profile; most others do too.
        for child in in_care[:1] + self._share(in_care[1:], PROFILE_SHARE):
            child.profile = True

    def _share(self, eligible: list, share: float) -> list:
        if not eligible:
            return []
        count = min(len(eligible), max(1, round(share * len(eligible))))
        return self.rng.sample(eligible, count)

    # --- Writing ----------------------------------------------------------------------------

    def write(self) -> None:
        for child in self.children:
            if child.profile:
                self.write_profile(child)
        per_day: dict[int, int] = {}
        for episode in self.episodes:
            day = episode.reported // DAY
            per_day[day] = per_day.get(day, 0) + 1
            self.write_episode(episode, per_day[day])

    def write_profile(self, child: _Child) -> None:
        rng, fake = self.rng, self.fake
        first = child.episodes[0].reported
        low = _minute(child.placed) + 7 * DAY
        updated = rng.randint(min(low, first - HOUR), first - HOUR)
        sex = "girl" if child.female else "boy"
        description = rng.choice(DESCRIPTIONS).format(
            build=rng.choice(BUILDS).capitalize(),
            sex=sex,
            sex_cap=sex.capitalize(),
            height=f"{rng.randint(150, 180)} cm",
            hair=rng.choice(HAIR),
            clothes=rng.choice(CLOTHES),
        )
        town = self.town(child.area)
        friends = ", ".join(fake.first_name() for _ in range(rng.randint(1, 3)))
        fields = {
            "child": person_id(child.person),
            "held_by": child.held_by,
            "description": description,
            "photo_reference": f"Held by {child.held_by}; taken {iso(updated // DAY)}",
            "associates": f"Friends: {friends}."
            + (f" {child.associate}" if child.associate else ""),
            "places": f"{town} town centre and bus station; the retail park; friends' homes "
            f"in {town}.",
            "phones": f"Mobile 07700 900{rng.randint(0, 999):03d}; Snapchat and TikTok accounts "
            "known to staff.",
            "medical": rng.choice(MEDICAL),
            "missing_history": rng.choice(
                (
                    "Went missing from the previous placement several times.",
                    "No episodes before this placement.",
                    "Goes missing to see family; usually found at the mother's address.",
                )
            ),
            "updated_at": _ts(updated),
        }
        if rng.random() < 0.5 and updated + DAY < self.end - HOUR:
            fields["reviewed_at"] = _ts(rng.randint(updated + DAY, self.end - HOUR))
        self.out.write("philomena_profile", f"PH{child.person:07d}", fields)

    def write_episode(self, ep: _Episode, day_number: int) -> None:
        rng, child = self.rng, ep.child
        day = ep.reported // DAY
        if child.kind == "home":
            location = child.hh.home_on(day)
            area = self.places.area_of[location - 1]
        elif child.in_care:
            location, area = child.location, child.area
        else:
            location, area = 0, ep.area
        team = team_id(area, "response" if rng.random() < 0.6 else "neighbourhood")
        officers = self.staff.by_team.get(team) or []
        officer = rng.choice(officers) if officers and rng.random() < 0.92 else ""
        supervisor = rng.choice(self.supervisors[team])
        town = self.town(area)
        if child.kind == "home":
            reporter, relationship = rng.choices(
                [r[:2] for r in HOME_REPORTERS], [r[2] for r in HOME_REPORTERS]
            )[0]
        elif child.in_care:
            reporter, relationship = child.carer, child.carer_relationship
        else:
            reporter, relationship = f"{child.home_force[0]}, for the child's mother", "Home force"
        seen = rng.choice(LAST_SEEN).format(town=town)
        stop = ep.found if ep.found is not None else self.end - 2
        said = f"Reported at {_ts(ep.reported)[11:16]} by {reporter}; last seen {seen}."
        gradings = self.gradings(ep, team, officer, supervisor, stop, said)
        enquiries = self.enquiries(ep, team, officer, supervisor, stop, gradings)
        found = self.found(ep, town) if ep.found is not None else None
        interview = self.interview(ep, team, officer) if ep.found is not None else None
        rhi = self.return_home(ep) if ep.found is not None else None

        when = date.fromordinal(day)
        fields = {
            "reference": f"MIS-{when:%y%m%d}-{day_number:04d}",
            "child": person_id(child.person),
        }
        fields["area"], fields["team"] = area, team
        if officer:
            fields["officer"] = officer
        fields["reported_at"] = _ts(ep.reported)
        fields["reported_by"] = reporter
        fields["reporter_relationship"] = relationship
        fields["missing_from"] = "home" if child.kind == "cross_border" else child.kind
        if location:
            fields["missing_from_location"] = location_id(location)
        if child.in_care:
            fields["responsible_authority"] = child.authority
        fields["looked_after"] = child.in_care
        fields["last_seen_at"] = _ts(ep.reported - rng.randint(30, 6 * HOUR))
        fields["last_seen_where"] = seen
        fields["circumstances"] = rng.choice(CIRCUMSTANCES[child.group]).format(
            town=town, force=child.home_force[0]
        )
        if child.risks:
            fields["known_risks"] = list(child.risks)
        if child.associate:
            fields["adult_associates"] = child.associate
        if child.kind == "cross_border":
            name, prefix = child.home_force
            fields["home_force"] = name
            fields["home_force_reference"] = f"{prefix}-{when.year}-{rng.randint(1, 99_999):06d}"
        closed = self.closed_at(ep, interview, rhi)
        if closed:
            fields["closed_at"] = _ts(closed)
        self.out.write("missing_episode", self.episode_id(ep), fields)
        for source_id, grading in gradings:
            self.out.write("risk_grading", source_id, grading)
        for source_id, enquiry in enquiries:
            self.out.write("enquiry_action", source_id, enquiry)
        if found:
            self.out.write("found_report", f"FR{ep.number:07d}", found)
        if interview:
            self.out.write("prevention_interview", f"PI{ep.number:07d}", interview[1])
        if rhi:
            self.out.write("return_home_interview", f"RH{ep.number:07d}", rhi[1])

    @staticmethod
    def episode_id(ep: _Episode) -> str:
        return f"ME{ep.number:07d}"

    # --- Risk -------------------------------------------------------------------------------

    def gradings(self, ep, team, officer, supervisor, stop, said) -> list[tuple[str, dict]]:
        """The officer's first grading, the supervisor's review (in most episodes, some late)
        and a review at each next review time until the child is found."""
        rng, child = self.rng, ep.child
        officers = self.staff.by_team.get(team) or [officer]
        grader = officer or rng.choice(officers)
        first_at = ep.reported + rng.randint(8, 45)
        if first_at >= stop:
            first_at = ep.reported + max(1, (stop - ep.reported) // 3)
        if ep.legacy:
            fields = {
                "episode": self.episode_id(ep),
                "level": "absent" if rng.random() < 0.6 else "no_apparent_risk",
                "graded_at": _ts(first_at),
                "graded_by": grader,
            }
            return [(self.grading_id(), fields)]
        roll = rng.random() - (0.1 if child.in_care or child.risks else 0)
        level = "low" if ep.low else "medium" if roll > 0.22 else "high"
        grading = self.grading(ep, first_at, level, grader, ep.reported, said, supervisor)
        out = [grading]
        supervised_at = None
        if ep.supervision_late or rng.random() < 0.88:
            late = ep.supervision_late
            factor = rng.uniform(1.2, 3.0) if late else rng.uniform(0.15, 0.95)
            supervised_at = first_at + max(5, int(FIRST_REVIEW_HOURS[level] * HOUR * factor))
            if supervised_at >= stop:
                room = stop - first_at
                supervised_at = None
                if room >= 10 and rng.random() < 0.6:
                    supervised_at = first_at + int(room * rng.uniform(0.3, 0.9))
        last_at, last_level, next_review = first_at, level, grading[2]
        while len(out) < MOST_GRADINGS:
            interval = REVIEW_HOURS[last_level] * HOUR
            if rng.random() < 0.08:  # the review is late
                review_at = next_review + rng.randint(15, 3 * HOUR)
            else:
                review_at = max(last_at + 5, next_review - int(interval * rng.uniform(0, 0.25)))
            by_supervisor = supervised_at is not None and supervised_at <= review_at
            when = supervised_at if by_supervisor else review_at
            if when >= stop:
                break
            new_level = last_level
            if by_supervisor:
                supervised_at = None
                if last_level == "medium" and rng.random() < 0.1:
                    new_level = "high"
                elif last_level == "low" and rng.random() < 0.3:
                    new_level = "medium"
                grading = self.grading(
                    ep, when, new_level, supervisor, last_at, said, supervisor, kind="supervisor"
                )
            else:
                if last_level == "medium" and when - ep.reported > DAY and rng.random() < 0.15:
                    new_level = "high"
                by = grader if rng.random() < 0.6 else rng.choice(officers)
                kind = "raised" if new_level != last_level else "review"
                grading = self.grading(
                    ep, when, new_level, by, last_at, said, supervisor, kind=kind
                )
            out.append(grading)
            last_at, last_level, next_review = when, new_level, grading[2]
        return [(source_id, fields) for source_id, fields, _ in out]

    def grading_id(self) -> str:
        self.counters["G"] += 1
        return f"RG{self.counters['G']:07d}"

    def grading(
        self, ep, when, level, by, since, said, supervisor, *, kind="first"
    ) -> tuple[str, dict, int]:
        """One grading on the continuum with its NDM rationale and the information it used;
        returns its id, its fields and its next review time. A low grading carries the
        override of the supervisor of the team holding the episode."""
        rng, child = self.rng, ep.child
        interval = REVIEW_HOURS[level] * HOUR
        next_review = min(when + max(15, int(interval * rng.uniform(0.6, 1.0))), self.end - 1)
        if child.risks:
            factor = RISK_FACTORS[rng.choice(child.risks)]
        else:
            factor = rng.choice(
                (
                    "no contact since the report and the phone is off",
                    "young and not known to have been missing before",
                    "out overnight with no money",
                )
            )
        earlier = sum(
            1 for e in child.episodes if ep.reported - 90 * DAY <= e.reported < ep.reported
        )
        assessment = rng.choice(ASSESSMENT[level]).format(factor=factor)
        if kind == "supervisor":
            assessment = f"Supervisor's review. {assessment}"
        elif kind == "raised":
            assessment = f"{RAISED_ASSESSMENT} {assessment}"
        elif kind == "review":
            assessment = rng.choice(REVIEW_ASSESSMENT)
        rationale = {
            "information": f"{said} Episodes in the 90 days before this one: {earlier}.",
            "assessment": assessment,
            "powers": rng.choice(POWERS),
            "options": rng.choice(OPTIONS),
            "action": f"{LEVEL_WORDS[level]} risk; enquiries continuing; next review by "
            f"{_ts(next_review)[11:16]}.",
        }
        sources = []
        for source, information in rng.sample(SOURCES[child.group], rng.randint(1, 3)):
            item = {"information": information, "source": source}
            if rng.random() < 0.6:
                item["contact"] = rng.choice(CONTACTS).format(n=rng.randint(0, 999))
            # Obtained since the last grading (or the report), and never after this one.
            item["obtained_at"] = _ts(rng.randint(min(since, when), when))
            sources.append(item)
        fields = {
            "episode": self.episode_id(ep),
            "level": level,
            "graded_at": _ts(when),
            "graded_by": by,
            "rationale_model": "ndm",
            "rationale": rationale,
            "sources": sources,
            "next_review_at": _ts(next_review),
        }
        if level == "low":
            fields["override_by"] = supervisor
            fields["override_rationale"] = OVERRIDE_RATIONALE[child.person % 2]
        return self.grading_id(), fields, next_review

    # --- Enquiries, the return and the interviews ------------------------------------------

    def enquiries(self, ep, team, officer, supervisor, stop, gradings) -> list[tuple[str, dict]]:
        rng, child = self.rng, ep.child
        officers = self.staff.by_team.get(team) or [officer]
        count = rng.randint(2, 6)
        span = max(1, stop - ep.reported - 1)
        times = sorted(ep.reported + 1 + rng.randrange(span) for _ in range(count))
        kinds = ["address_check" if child.kind != "cross_border" else "call"]
        if child.profile:
            kinds.append("philomena")
        supervised = any(g.get("graded_by") == supervisor for _, g in gradings)
        if supervised and rng.random() < 0.5:
            kinds.append("direction")
        names, weights = zip(*ENQUIRY_KINDS, strict=True)
        while len(kinds) < count:
            kinds.append(rng.choices(names, weights)[0])
        out = []
        for when, kind in zip(times, kinds[:count], strict=False):
            details, results = ENQUIRIES[kind]
            by = supervisor if kind == "direction" else officer or rng.choice(officers)
            self.counters["Q"] += 1
            out.append(
                (
                    f"EQ{self.counters['Q']:07d}",
                    {
                        "episode": self.episode_id(ep),
                        "kind": kind,
                        "done_at": _ts(when),
                        "done_by": by,
                        "details": details,
                        "result": rng.choice(results),
                    },
                )
            )
        return out

    def found(self, ep: _Episode, town: str) -> dict:
        rng, child = self.rng, ep.child
        fields = {
            "episode": self.episode_id(ep),
            "found_at": _ts(ep.found),
            "found_where": rng.choice(FOUND_WHERE).format(town=town),
        }
        if rng.random() < 0.6:
            fields["found_with"] = rng.choice(FOUND_WITH)
        by = rng.choice(FOUND_BY[child.group])
        fields["found_by"] = child.carer if by == "Placement staff" else by
        return fields

    def interview(self, ep: _Episode, team: str, officer: str) -> tuple[int | None, dict] | None:
        """The prevention interview: (when held, or None if not done; its fields), or None while
        it is still to be held."""
        rng = self.rng
        fields = {"found": f"FR{ep.number:07d}"}
        if ep.interview == "not_done":
            fields["done"] = False
            fields["not_done_reason"] = rng.choice(NOT_DONE_REASONS)
            return None, fields
        if ep.interview == "late":
            held = ep.found + rng.randint(73 * HOUR, 8 * DAY)
        elif rng.random() < 0.6 or ep.interview == "telephone":
            held = ep.found + rng.randint(HOUR, DAY)
        else:
            held = ep.found + rng.randint(DAY, 70 * HOUR)
        if held >= self.end:
            return None
        officers = self.staff.by_team.get(team) or [officer]
        fields["done"] = True
        fields["held_at"] = _ts(held)
        fields["held_by"] = officer if officer and rng.random() < 0.7 else rng.choice(officers)
        fields["method"] = "telephone" if ep.interview == "telephone" else "face_to_face"
        if ep.interview == "telephone":
            fields["method_reason"] = rng.choice(TELEPHONE_REASONS)
        fields["child_account"] = rng.choice(CHILD_ACCOUNTS)
        if ep.child.risks and rng.random() < 0.5:
            fields["risks_found"] = rng.choice(RISKS_FOUND)
        return held, fields

    def return_home(self, ep: _Episode) -> tuple[int, dict] | None:
        """What the police know of the local authority's return home interview: (when the
        authority was told, the fields), or None if it has not been told."""
        rng, end = self.rng, self.end
        roll = 1.0 if ep.findings_late else rng.random()
        if roll < 0.05:  # the local authority was never told
            return None
        if rng.random() < 0.04:  # told late
            notified = ep.found + rng.randint(25 * HOUR, 60 * HOUR)
        else:
            notified = ep.found + rng.randint(30, 20 * HOUR)
        if notified >= end:
            return None
        fields = {"found": f"FR{ep.number:07d}", "authority_notified_at": _ts(notified)}
        if roll < 0.13:  # told, but no interview offered yet
            return notified, fields
        offered = notified + rng.randint(2 * HOUR, 40 * HOUR)
        if offered >= end:
            return notified, fields
        fields["offered_at"] = _ts(offered)
        if roll < 0.23:
            fields["declined"] = True
            return notified, fields
        held = offered + rng.randint(HOUR, 30 * HOUR)
        if held >= end:
            return notified, fields
        fields["held_at"] = _ts(held)
        if ep.findings_late:  # well after five working days
            received = max(held + HOUR, ep.found + rng.randint(10 * DAY, 20 * DAY))
        else:
            received = held + rng.randint(4 * HOUR, DAY)
        if received >= end:
            return notified, fields
        fields["findings_received_at"] = _ts(received)
        fields["findings"] = rng.choice(FINDINGS)
        if rng.random() < 0.4:
            fields["police_actions"] = rng.choice(POLICE_ACTIONS)
            updated = received + rng.randint(HOUR, 3 * DAY)
            if updated < end:
                fields["protective_plan_updated_at"] = _ts(updated)
        return notified, fields

    def closed_at(self, ep: _Episode, interview, rhi) -> int | None:
        """Closed once found, the interview recorded or explained and the authority told."""
        if ep.found is None or interview is None or rhi is None:
            return None
        held = interview[0] if interview[0] is not None else ep.found + DAY
        closed = max(held, rhi[0]) + self.rng.randint(HOUR, 5 * DAY)
        old = ep.found < self.end - 14 * DAY
        if closed < self.end and self.rng.random() < (0.93 if old else 0.5):
            return closed
        return None


def write_missing(gen: Generation, pop: Population, places: Places, staff: Staff) -> None:
    missing = _Missing(gen, pop, places, staff)
    missing.plan()
    missing.write()
