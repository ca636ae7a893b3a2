import pytest


@pytest.fixture(autouse=True)
def govuk_form_renderer(settings):
    """The renderer the project sets in settings.FORM_RENDERER (ADR 0003), set here explicitly so
    these tests describe it whatever the settings say."""
    settings.FORM_RENDERER = "thinkchild.web.forms.GovUKFormRenderer"
