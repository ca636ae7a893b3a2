"""The force, its areas and teams, and its users in the canonical format (docs/interchange.md).

Org records are found by their natural key as well (force code, area and team code, username), so
a force set up by hand and then imported is adopted, not duplicated. Passwords never travel: an
imported user cannot sign in until a password is set (docs/decisions/0004).
"""

from thinkchild.access.log import Subject
from thinkchild.interchange.records import Item, Outcome
from thinkchild.interchange.registry import RecordType, register_record_type
from thinkchild.interchange.writing import UpsertContext, rows_existing, rows_save
from thinkchild.org.models import Area, Force, Team, User


def _force_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    rows = rows_existing(Force, items)
    by_code = {f.code: f for f in Force.objects.filter(code__in=[i.record["code"] for i in items])}
    new, changed, outcomes = [], [], []
    for item in items:
        r = item.record
        force = rows.get(item.existing_id) or by_code.get(r["code"])
        created = force is None
        if created:
            force = Force(code=r["code"], name=r["name"])
            by_code[force.code] = force
            new.append(force)
        else:
            force.code, force.name = r["code"], r["name"]
            changed.append(force)
        outcomes.append(Outcome(item, force.pk, created))
    rows_save(Force, new=new, changed=changed, fields=["code", "name"], ctx=ctx)
    return outcomes


def _force_export(ctx):
    for force in Force.objects.order_by("code"):
        yield force.pk, {"code": force.code, "name": force.name}


def _coded_upsert(model, fields, items: list[Item], ctx: UpsertContext, build) -> list[Outcome]:
    """Areas and teams: unique code within the force; `build(item)` gives the field values."""
    rows = rows_existing(model, items)
    values = [(item, build(item)) for item in items]
    by_code = {
        (row.force_id, row.code): row
        for row in model.objects.filter(code__in=[v["code"] for _, v in values])
    }
    new, changed, outcomes = [], [], []
    for item, v in values:
        row = rows.get(item.existing_id) or by_code.get((v["force_id"], v["code"]))
        created = row is None
        if created:
            row = model(**v)
            by_code[row.force_id, row.code] = row
            new.append(row)
        else:
            for name, value in v.items():
                setattr(row, name, value)
            changed.append(row)
        outcomes.append(Outcome(item, row.pk, created))
    rows_save(model, new=new, changed=changed, fields=fields, ctx=ctx)
    return outcomes


def _area_upsert(items, ctx):
    def build(item):
        r = item.record
        return {
            "force_id": item.ref_id("force", "force") or ctx.force.pk,
            "code": r["code"],
            "name": r["name"],
        }

    return _coded_upsert(Area, ["force", "code", "name"], items, ctx, build)


def _team_upsert(items, ctx):
    def build(item):
        r = item.record
        return {
            "force_id": item.ref_id("force", "force") or ctx.force.pk,
            "area_id": item.ref_id("area", "area"),
            "code": r["code"],
            "name": r["name"],
            "kind": r["kind"],
        }

    return _coded_upsert(Team, ["force", "area", "code", "name", "kind"], items, ctx, build)


def _area_export(ctx):
    for area in Area.objects.order_by("code"):
        yield (
            area.pk,
            {"force": ctx.ref("force", area.force_id), "code": area.code, "name": area.name},
        )


def _team_export(ctx):
    for team in Team.objects.order_by("code"):
        yield (
            team.pk,
            {
                "force": ctx.ref("force", team.force_id),
                "area": ctx.ref("area", team.area_id),
                "code": team.code,
                "name": team.name,
                "kind": team.kind,
            },
        )


USER_FIELDS = [
    "username",
    "first_name",
    "last_name",
    "email",
    "role",
    "rank",
    "collar_number",
    "team",
    "force",
    "is_active",
]


def _user_upsert(items: list[Item], ctx: UpsertContext) -> list[Outcome]:
    rows = rows_existing(User, items)
    by_name = {
        u.username: u
        for u in User.objects.filter(username__in=[i.record["username"] for i in items])
    }
    team_forces = dict(
        Team.objects.filter(
            pk__in=[tid for i in items if (tid := i.ref_id("team", "team"))]
        ).values_list("pk", "force_id")
    )
    new, changed, outcomes = [], [], []
    for item in items:
        r = item.record
        team_id = item.ref_id("team", "team")
        user = rows.get(item.existing_id) or by_name.get(r["username"])
        created = user is None
        if created:
            user = User()
            user.set_unusable_password()
            by_name[r["username"]] = user
            new.append(user)
        else:
            changed.append(user)
        user.username = r["username"]
        user.first_name = r["given_name"]
        user.last_name = r["family_name"]
        user.email = r.get("email") or ""
        user.role = r["role"]
        user.rank = r.get("rank") or ""
        user.collar_number = r.get("collar_number") or ""
        user.team_id = team_id
        user.force_id = team_forces.get(team_id) or (ctx.force.pk if ctx.force else None)
        user.is_active = r.get("active") is not False
        subject = Subject(type="user", id=user.pk, label=user.username)
        outcomes.append(Outcome(item, user.pk, created, subjects=[subject]))
    rows_save(User, new=new, changed=changed, fields=USER_FIELDS, ctx=ctx)
    return outcomes


def _user_export(ctx):
    for user in User.objects.order_by("username"):
        yield (
            user.pk,
            {
                "username": user.username,
                "given_name": user.first_name or user.username,
                "family_name": user.last_name or user.username,
                "email": user.email or None,
                "role": user.role,
                "rank": user.rank or None,
                "collar_number": user.collar_number or None,
                "team": ctx.ref("team", user.team_id),
                "active": user.is_active,
            },
        )


register_record_type(
    RecordType(
        name="force",
        version=1,
        upsert_batch=_force_upsert,
        export_rows=_force_export,
        needs_force=False,
    )
)
register_record_type(
    RecordType(name="area", version=1, upsert_batch=_area_upsert, export_rows=_area_export)
)
register_record_type(
    RecordType(name="team", version=1, upsert_batch=_team_upsert, export_rows=_team_export)
)
register_record_type(
    RecordType(
        name="user",
        version=1,
        upsert_batch=_user_upsert,
        export_rows=_user_export,
        needs_force=False,
    )
)
