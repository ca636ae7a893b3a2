"""The service navigation: each app registers its entries; each user sees those of their role.

Apps call `register_nav_item` from their AppConfig.ready(), so the web layer never imports the
domains (architecture §5: the arrows point down).
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.urls import NoReverseMatch, reverse


@dataclass(frozen=True)
class NavItem:
    key: str
    label: str
    url_name: str
    roles: frozenset[str] | None  # None: every signed-in user
    order: int

    def is_for(self, role: str) -> bool:
        return self.roles is None or role in self.roles


@dataclass(frozen=True)
class NavLink:
    key: str
    label: str
    href: str


_registry: dict[str, NavItem] = {}


def register_nav_item(
    key: str,
    label: str,
    url_name: str,
    roles: Iterable[str] | None = None,
    order: int = 100,
) -> NavItem:
    """Add (or replace, by key) an entry. `roles` are org.Role values; None means everyone."""
    item = NavItem(
        key=key,
        label=label,
        url_name=url_name,
        roles=None if roles is None else frozenset(str(role) for role in roles),
        order=order,
    )
    _registry[key] = item
    return item


def unregister_nav_item(key: str) -> None:
    _registry.pop(key, None)


def nav_items_for(user) -> list[NavLink]:
    """The entries this user may follow, in order. An entry whose URL is not wired yet is left
    out rather than breaking every page."""
    if user is None or not user.is_authenticated:
        return []
    role = str(getattr(user, "role", ""))
    links = []
    for item in sorted(_registry.values(), key=lambda item: (item.order, item.label)):
        if not item.is_for(role):
            continue
        try:
            href = reverse(item.url_name)
        except NoReverseMatch:
            continue
        links.append(NavLink(key=item.key, label=item.label, href=href))
    return links


def current_key(links: list[NavLink], path: str) -> str | None:
    """The entry the page belongs to: the longest href that prefixes the path ("/" only exactly)."""
    best = None
    for link in links:
        matches = path == link.href if link.href == "/" else path.startswith(link.href)
        if matches and (best is None or len(link.href) > len(best.href)):
            best = link
    return best.key if best else None
