"""The fictional force: its areas, teams of every kind, and users of every role.

Lancastria Constabulary is invented. The demo logins (officer, control, supervisor, ...) sit in
the first area so a visitor sees one area's work; `officer.south` shows another area's view.
"""

from dataclasses import dataclass

from thinkchild.demo.context import Generation

FORCE_CODE = "lancastria"
FORCE_NAME = "Lancastria Constabulary"
EMAIL_DOMAIN = "lancastria-police.example"

# (source id, name); the first is the demo logins' area.
AREAS = (("northern", "Northern"), ("central", "Central"), ("southern", "Southern"))
AREA_TEAM_KINDS = (
    ("response", "Response"),
    ("neighbourhood", "Neighbourhood"),
    ("child_protection", "Child Protection"),
    ("cse", "Child Sexual Exploitation"),
    ("online", "Online Child Abuse"),
    ("safeguarding_unit", "Safeguarding Unit"),
    ("custody", "Custody"),
)
FORCE_TEAM_KINDS = (
    ("control_room", "Force Control Room"),
    ("mash", "Multi-Agency Safeguarding Hub"),
    ("public_protection", "Public Protection Unit"),
)

# Who works in each kind of team, the role they hold and their rank, and how many of the team's
# staff they are (a share of Scale.staff_per_team, at least one).
TEAM_STAFF = {
    "response": (("officer", "Police Constable", 1.0), ("supervisor", "Sergeant", 0.2)),
    "neighbourhood": (("officer", "Police Constable", 0.7), ("supervisor", "Sergeant", 0.15)),
    "child_protection": (
        ("specialist", "Detective Constable", 0.6),
        ("supervisor", "Detective Sergeant", 0.15),
        ("detective_inspector", "Detective Inspector", 0.05),
    ),
    "cse": (("specialist", "Detective Constable", 0.4), ("supervisor", "Detective Sergeant", 0.1)),
    "online": (("specialist", "Detective Constable", 0.3),),
    "safeguarding_unit": (
        ("specialist", "Detective Constable", 0.4),
        ("detective_inspector", "Detective Inspector", 0.05),
        ("auditor", "Chief Inspector", 0.05),
    ),
    "custody": (("custody", "Custody Sergeant", 0.4), ("custody", "Detention Officer", 0.3)),
    "control_room": (("control_room", "Call Handler", 1.5), ("supervisor", "Team Leader", 0.2)),
    "mash": (("mash", "MASH Practitioner", 0.6), ("supervisor", "Detective Sergeant", 0.1)),
    "public_protection": (
        ("ppu_lead", "Detective Superintendent", 0.03),
        ("analyst", "Intelligence Analyst", 0.2),
        ("auditor", "Chief Inspector", 0.05),
        ("system_admin", "Systems Administrator", 0.05),
    ),
}

# The demo logins: (username, role, team source id, rank). One per role in the first area.
DEMO_LOGINS = (
    ("officer", "officer", "northern-response", "Police Constable"),
    ("control", "control_room", "control-room", "Call Handler"),
    ("supervisor", "supervisor", "northern-response", "Sergeant"),
    ("specialist", "specialist", "northern-child-protection", "Detective Constable"),
    ("mash", "mash", "mash", "MASH Practitioner"),
    ("custody", "custody", "northern-custody", "Custody Sergeant"),
    ("di", "detective_inspector", "northern-child-protection", "Detective Inspector"),
    ("auditor", "auditor", "northern-safeguarding-unit", "Chief Inspector"),
    ("analyst", "analyst", "public-protection", "Intelligence Analyst"),
    ("ppulead", "ppu_lead", "public-protection", "Detective Superintendent"),
    ("sysadmin", "system_admin", "public-protection", "Systems Administrator"),
    ("officer.south", "officer", "southern-response", "Police Constable"),
)


@dataclass(frozen=True)
class DemoLogin:
    username: str
    role: str
    area: str  # the area's name, or "Force-wide"
    team: str


@dataclass
class Staff:
    """Who can be allocated an incident, by team source id."""

    by_team: dict[str, list[str]]  # team source id -> user source ids (officers, specialists)
    logins: list[DemoLogin]


def team_id(area: str | None, kind: str) -> str:
    return f"{area}-{kind.replace('_', '-')}" if area else kind.replace("_", "-")


def write_force(gen: Generation) -> None:
    gen.writers["force"].write("force", FORCE_CODE, {"code": FORCE_CODE, "name": FORCE_NAME})


def write_org(gen: Generation) -> Staff:
    out = gen.writers["org"]
    teams: list[tuple[str, str, str | None]] = []  # (source id, kind, area name)
    for code, name in AREAS:
        out.write("area", code, {"force": FORCE_CODE, "code": code, "name": name})
    for code, area_name in AREAS:
        for kind, label in AREA_TEAM_KINDS:
            tid = team_id(code, kind)
            out.write(
                "team",
                tid,
                {
                    "force": FORCE_CODE,
                    "area": code,
                    "code": tid,
                    "name": f"{area_name} {label}",
                    "kind": kind,
                },
            )
            teams.append((tid, kind, area_name))
    for kind, label in FORCE_TEAM_KINDS:
        tid = team_id(None, kind)
        out.write("team", tid, {"force": FORCE_CODE, "code": tid, "name": label, "kind": kind})
        teams.append((tid, kind, None))
    return _write_users(gen, teams)


def _write_users(gen: Generation, teams: list[tuple[str, str, str | None]]) -> Staff:
    out, rng, fake = gen.writers["org"], gen.rng, gen.fake
    area_of = {tid: area for tid, _, area in teams}
    collars = iter(rng.sample(range(1000, 99999), 20_000))
    taken: set[str] = set()
    by_team: dict[str, list[str]] = {tid: [] for tid, _, _ in teams}
    logins = []

    def user(source_id, username, role, rank, tid):
        female = rng.random() < 0.5
        given = fake.first_name_female() if female else fake.first_name_male()
        family = fake.last_name()
        if not username:
            username = f"{given}.{family}".lower().replace(" ", "").replace("'", "")
            base, n = username, 1
            while username in taken:
                n += 1
                username = f"{base}{n}"
        taken.add(username)
        out.write(
            "user",
            source_id,
            {
                "username": username,
                "given_name": given,
                "family_name": family,
                "email": f"{username}@{EMAIL_DOMAIN}",
                "role": role,
                "rank": rank,
                "collar_number": str(next(collars)),
                "team": tid,
                "active": True,
            },
        )
        if role in ("officer", "specialist"):
            by_team[tid].append(source_id)

    for username, role, tid, rank in DEMO_LOGINS:
        user(f"user-{username}", username, role, rank, tid)
        logins.append(DemoLogin(username, role, area_of[tid] or "Force-wide", tid))
    n = 0
    for tid, kind, _ in teams:
        for role, rank, share in TEAM_STAFF[kind]:
            for _ in range(max(1, round(gen.scale.staff_per_team * share))):
                n += 1
                user(f"user-{n:05d}", "", role, rank, tid)
    return Staff(by_team=by_team, logins=logins)
