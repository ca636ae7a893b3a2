"""`thinkchild user ...`: create, list, lock out and unlock users; issue and revoke API tokens."""

import getpass
import sys

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from thinkchild.org import selectors, services
from thinkchild.org.models import Role, Team, User


class Command(BaseCommand):
    help = "Manage the people and system accounts who use Think Child."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True, metavar="ACTION")

        create = sub.add_parser("create", help="create a user")
        create.add_argument("username")
        create.add_argument("--role", required=True, help=f"one of: {', '.join(Role.values)}")
        create.add_argument("--team", help="team code (force-wide roles may have none)")
        create.add_argument("--collar", default="", help="collar number")
        create.add_argument("--first-name", default="")
        create.add_argument("--last-name", default="")
        create.add_argument("--email", default="")
        create.add_argument("--rank", default="")
        create.add_argument(
            "--password-stdin", action="store_true", help="read the password from standard input"
        )

        listing = sub.add_parser("list", help="list users")
        listing.add_argument("--active", action="store_true", help="active users only")

        password = sub.add_parser("set-password", help="set a user's password")
        password.add_argument("username")
        password.add_argument("--password-stdin", action="store_true")

        sub.add_parser("deactivate", help="stop a user signing in").add_argument("username")
        sub.add_parser("unlock", help="clear failed sign-in attempts").add_argument("username")
        sub.add_parser(
            "reset-2fa", help="remove a user's authenticator so they enrol again"
        ).add_argument("username")

        token = sub.add_parser("token", help="issue an API token to a system account")
        token.add_argument("username")
        token.add_argument("--name", required=True, help="what the token is for")

        revoke = sub.add_parser("revoke-token", help="revoke a system account's API tokens")
        revoke.add_argument("username")
        group = revoke.add_mutually_exclusive_group(required=True)
        group.add_argument("--name", help="revoke the tokens with this name")
        group.add_argument(
            "--all", action="store_true", dest="revoke_all", help="revoke every token"
        )

    def handle(self, *args, action: str, **options):
        handler = getattr(self, "_" + action.replace("-", "_"))
        try:
            handler(**options)
        except (User.DoesNotExist, Team.DoesNotExist, Team.MultipleObjectsReturned) as error:
            raise CommandError(str(error)) from None
        except ValidationError as error:
            raise CommandError(" ".join(error.messages)) from None
        except ValueError as error:
            raise CommandError(str(error)) from None

    def _read_password(self, from_stdin: bool) -> str:
        if from_stdin:
            return sys.stdin.readline().rstrip("\n")
        first = getpass.getpass("New password: ")
        if first != getpass.getpass("New password (again): "):
            raise CommandError("The two passwords do not match.")
        return first

    def _user(self, username: str) -> User:
        return selectors.user_get_by_username(username=username)

    def _create(self, *, username, role, team, collar, password_stdin, **options):
        if role not in Role.values:
            raise CommandError(f"Unknown role {role!r}. Choose one of: {', '.join(Role.values)}.")
        team_obj = selectors.team_get_by_code(code=team) if team else None
        password = self._read_password(True) if password_stdin else None
        user = services.user_create(
            username=username,
            role=role,
            team=team_obj,
            collar_number=collar,
            first_name=options["first_name"],
            last_name=options["last_name"],
            email=options["email"],
            rank=options["rank"],
            password=password,
        )
        if role == Role.SYSTEM_ACCOUNT:
            note = f" Issue it a token with `thinkchild user token {user.username} --name NAME`."
        elif password is None:
            note = " It cannot sign in until you run `thinkchild user set-password`."
        else:
            note = ""
        self.stdout.write(f"Created {user.username} ({user.get_role_display()}).{note}")

    def _list(self, *, active, **options):
        for user in selectors.user_list(include_inactive=not active):
            team = user.team.code if user.team else "-"
            state = "active" if user.is_active else "deactivated"
            self.stdout.write(
                f"{user.username:<20} {user.role:<20} {team:<20} "
                f"{user.collar_number or '-':<8} {state}{' demo' if user.is_demo else ''}"
            )

    def _set_password(self, *, username, password_stdin, **options):
        user = self._user(username)
        services.user_set_password(user=user, password=self._read_password(password_stdin))
        self.stdout.write(f"Password set for {user.username}.")

    def _deactivate(self, *, username, **options):
        user = services.user_deactivate(user=self._user(username))
        self.stdout.write(f"Deactivated {user.username}; its API tokens are revoked.")

    def _unlock(self, *, username, **options):
        user = self._user(username)
        count = services.user_unlock(user=user)
        self.stdout.write(f"Unlocked {user.username} ({count} failed attempt records cleared).")

    def _reset_2fa(self, *, username, **options):
        user = self._user(username)
        services.totp_device_reset(user=user)
        self.stdout.write(f"{user.username} will set up an authenticator at the next sign-in.")

    def _token(self, *, username, name, **options):
        token = services.api_token_issue(user=self._user(username), name=name)
        self.stderr.write("This token is shown once. Store it in the calling system's secrets.")
        self.stdout.write(token)

    def _revoke_token(self, *, username, name, revoke_all, **options):
        count = services.api_token_revoke(
            user=self._user(username), name=None if revoke_all else name
        )
        self.stdout.write(f"Revoked {count} token{'s' if count != 1 else ''}.")
