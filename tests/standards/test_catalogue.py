"""docs/standards.md is the registry, rendered: it cannot drift from the code."""

from django.conf import settings

from thinkchild.standards.catalogue import standards_catalogue_markdown


def test_docs_standards_md_is_the_registry_rendered(db):
    written = (settings.BASE_DIR / "docs" / "standards.md").read_text()
    assert written == standards_catalogue_markdown(), "run: thinkchild standards_catalogue"
