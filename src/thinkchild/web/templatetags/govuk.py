"""Small helpers for the GOV.UK component includes (components/govuk/*.html)."""

from django import template

register = template.Library()


@register.filter
def any_has(items, key: str) -> bool:
    """True when any dict in `items` has a truthy `key` (summary lists: rows with actions)."""
    return any(item.get(key) for item in items or ())


@register.inclusion_tag("components/govuk/pagination.html", takes_context=True)
def govuk_pagination(context, page, param: str = "page"):
    """GOV.UK pagination for a Django Page, keeping the other query parameters of the request."""
    request = context.get("request")
    query = request.GET.copy() if request is not None else None

    def href(number: int) -> str:
        if query is None:
            return f"?{param}={number}"
        query[param] = number
        return f"?{query.urlencode()}"

    paginator = getattr(page, "paginator", None)
    items = []
    if paginator is not None and paginator.num_pages > 1:
        ellipsis = paginator.ELLIPSIS
        for number in paginator.get_elided_page_range(page.number, on_each_side=1, on_ends=1):
            if number == ellipsis:
                items.append({"ellipsis": True})
            else:
                items.append(
                    {"number": number, "href": href(number), "current": number == page.number}
                )
    return {
        "previous_href": href(page.previous_page_number()) if page.has_previous() else "",
        "next_href": href(page.next_page_number()) if page.has_next() else "",
        "items": items,
    }
