"""The component includes take simple context (lists of dicts) and give GOV.UK / MOJ markup."""

import datetime as dt

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.utils.html import format_html


def render(name: str, **context) -> str:
    return render_to_string(f"components/{name}.html", context)


def test_summary_list_marks_rows_without_actions_when_others_have_them():
    html = render(
        "govuk/summary_list",
        rows=[
            {"key": "Name", "value": "Ada Lovelace", "actions": [{"href": "/e", "text": "Change"}]},
            {"key": "Date of birth", "value": ""},
        ],
    )

    assert (
        '<a class="govuk-link" href="/e">Change<span class="govuk-visually-hidden"> name</span></a>'
        in html
    )
    assert "govuk-summary-list__row--no-actions" in html
    assert "Not recorded" in html


def test_summary_list_without_actions_has_no_empty_action_column():
    html = render("govuk/summary_list", rows=[{"key": "Name", "value": "Ada"}])

    assert "--no-actions" not in html and "govuk-summary-list__actions" not in html


def test_table_escapes_text_and_keeps_html_built_by_the_view():
    html = render(
        "govuk/table",
        caption="Incidents",
        head=[{"text": "Reference"}, {"text": "Children", "numeric": True}],
        rows=[
            [{"text": "<b>INC-1</b>", "href": "/incidents/1/"}, {"text": "2", "numeric": True}],
            [{"html": format_html("<strong>{}</strong>", "INC-2")}, {"text": "0", "numeric": True}],
        ],
    )

    assert '<caption class="govuk-table__caption">Incidents</caption>' in html
    assert '<a class="govuk-link" href="/incidents/1/">&lt;b&gt;INC-1&lt;/b&gt;</a>' in html
    assert "<strong>INC-2</strong>" in html
    assert 'class="govuk-table__header govuk-table__header--numeric"' in html


def test_table_says_so_when_empty():
    html = render("govuk/table", head=[{"text": "A"}, {"text": "B"}], rows=[], empty="None found")

    assert '<td class="govuk-table__cell" colspan="2">None found</td>' in html


@pytest.mark.parametrize(
    ("name", "context", "expected"),
    [
        (
            "govuk/tag",
            {"text": "Child", "colour": "red"},
            '<strong class="govuk-tag govuk-tag--red">Child</strong>',
        ),
        ("govuk/inset_text", {"text": "Note"}, '<div class="govuk-inset-text">Note</div>'),
        (
            "govuk/warning_text",
            {"text": "Restricted"},
            '<span class="govuk-visually-hidden">Warning</span> Restricted',
        ),
        ("govuk/back_link", {"href": "/p/"}, '<a href="/p/" class="govuk-back-link">Back</a>'),
        (
            "govuk/details",
            {"summary": "Help", "text": "More"},
            '<span class="govuk-details__summary-text">Help</span>',
        ),
        ("govuk/button", {"text": "Save"}, 'class="govuk-button" data-module="govuk-button"'),
        (
            "govuk/button",
            {"text": "New", "href": "/n/", "secondary": True},
            '<a href="/n/" role="button" draggable="false" '
            'class="govuk-button govuk-button--secondary"',
        ),
        (
            "moj/badge",
            {"text": "Urgent", "colour": "red"},
            '<strong class="moj-badge moj-badge--red">Urgent</strong>',
        ),
    ],
)
def test_small_components(name, context, expected):
    assert expected in render(name, **context)


def test_breadcrumbs_mark_the_current_page():
    html = render("govuk/breadcrumbs", items=[{"text": "Home", "href": "/"}, {"text": "Ada"}])

    assert '<a class="govuk-breadcrumbs__link" href="/">Home</a>' in html
    assert '<li class="govuk-breadcrumbs__list-item" aria-current="page">Ada</li>' in html


def test_notification_banner_success_is_announced():
    html = render("govuk/notification_banner", success=True, heading="Person recorded")

    assert 'govuk-notification-banner--success" role="alert"' in html
    assert ">Success</h2>" in html
    assert '<p class="govuk-notification-banner__heading">Person recorded</p>' in html


def test_messages_become_banners_with_distinct_title_ids():
    class Message:
        def __init__(self, text, level_tag):
            self.message, self.level_tag = text, level_tag

    html = render(
        "govuk/messages", messages=[Message("Saved", "success"), Message("Check it", "info")]
    )

    assert 'id="message-title-1"' in html and 'id="message-title-2"' in html
    assert html.count("govuk-notification-banner--success") == 1


def test_pagination_for_a_django_page_keeps_the_other_query_parameters():
    page = Paginator(list(range(100)), 10).page(5)
    request = RequestFactory().get("/people/", {"name": "smith", "page": "5"})

    html = Template("{% load govuk %}{% govuk_pagination page %}").render(
        Context({"page": page, "request": request})
    )

    assert 'href="?name=smith&amp;page=4" rel="prev"' in html
    assert 'href="?name=smith&amp;page=6" rel="next"' in html
    assert 'aria-label="Page 5" aria-current="page"' in html
    assert "govuk-pagination__item--ellipsis" in html


def test_pagination_is_left_out_for_a_single_page():
    page = Paginator([1, 2], 10).page(1)

    html = Template("{% load govuk %}{% govuk_pagination page %}").render(Context({"page": page}))

    assert "govuk-pagination" not in html


def test_timeline_shows_london_time_and_a_machine_readable_date():
    when = dt.datetime(2026, 7, 1, 9, 30, tzinfo=dt.UTC)

    html = render(
        "moj/timeline",
        items=[{"label": "Incident INC-1", "href": "/i/1/", "datetime": when, "text": "Shouting"}],
    )

    assert '<time datetime="2026-07-01T10:30:00+01:00">1 July 2026 at 10:30</time>' in html
    assert '<a class="govuk-link" href="/i/1/">Incident INC-1</a>' in html


def test_timeline_says_so_when_empty():
    assert "Nothing recorded yet." in render("moj/timeline", items=[])


def test_sub_navigation_marks_the_current_page():
    html = render(
        "moj/sub_navigation",
        items=[
            {"text": "Summary", "href": "/s/", "active": True},
            {"text": "Chronology", "href": "/c/"},
        ],
    )

    assert 'aria-current="page" href="/s/"' in html
    assert html.count("aria-current") == 1


def test_identity_bar_names_the_person_with_badges_and_actions():
    html = render(
        "moj/identity_bar",
        title="Ada Lovelace",
        details="born 10 December 2015",
        badges=[{"text": "Child", "colour": "purple"}],
        actions=[{"text": "Chronology", "href": "/c/"}],
    )

    assert "<strong>Ada Lovelace</strong> born 10 December 2015" in html
    assert "moj-badge--purple" in html
    assert 'href="/c/"' in html


def test_filter_layout_wraps_the_filters_in_a_get_form_beside_the_results():
    html = render(
        "moj/filter_layout",
        filter_template="components/govuk/inset_text.html",
        results_template="components/govuk/tag.html",
        text="Filter fields",
        selected=[{"heading": "Kind", "items": [{"text": "Incidents", "href": "?"}]}],
        clear_href="/c/",
    )

    assert 'data-module="moj-filter"' in html
    assert '<form method="get" action="" novalidate>' in html
    assert "Filter fields" in html
    assert "moj-action-bar__filter" in html  # where the phone's Show filter button goes
    assert '<span class="govuk-visually-hidden">Remove this filter</span> Incidents' in html
