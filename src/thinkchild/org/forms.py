from django import forms


class SignInForm(forms.Form):
    username = forms.CharField(
        label="Username",
        max_length=150,
        widget=forms.TextInput(
            attrs={"autocomplete": "username", "spellcheck": "false", "autocapitalize": "none"}
        ),
        error_messages={"required": "Enter your username"},
    )
    password = forms.CharField(
        label="Password",
        strip=False,
        widget=forms.PasswordInput(attrs={"autocomplete": "current-password"}),
        error_messages={"required": "Enter your password"},
    )


class TotpCodeForm(forms.Form):
    code = forms.RegexField(
        label="Enter the 6-digit code",
        help_text="The code from your authenticator app. It changes every 30 seconds.",
        regex=r"^\s*\d{3}\s?\d{3}\s*$",
        widget=forms.TextInput(
            attrs={
                "autocomplete": "one-time-code",
                "inputmode": "numeric",
                "spellcheck": "false",
                "class": "govuk-input--width-5",
            }
        ),
        error_messages={
            "required": "Enter the 6-digit code from your authenticator app",
            "invalid": "The code must be 6 digits",
        },
    )
