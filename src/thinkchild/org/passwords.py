"""A password validator that refuses the published demo password for any real account."""

from django.core.exceptions import ValidationError

from thinkchild.org.demo import DEMO_PASSWORD


class NotDemoPasswordValidator:
    """The demo password is printed on every demo start, so it can never protect a real account."""

    def validate(self, password, user=None):
        if password.strip().lower() == DEMO_PASSWORD:
            raise ValidationError(
                "This is the published demo password. Choose a different password.",
                code="password_is_demo",
            )

    def get_help_text(self):
        return "Your password cannot be the published demo password."
