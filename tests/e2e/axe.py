"""Run axe-core (npm, pinned in package-lock.json) in a page and fail on serious or critical
violations (stack-notes A4)."""

from pathlib import Path

AXE = Path(__file__).resolve().parents[2] / "node_modules" / "axe-core" / "axe.min.js"
TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa", "wcag22aa", "best-practice"]


def axe_violations(page, impacts=("serious", "critical")) -> list[dict]:
    # Evaluated through the DevTools protocol, which the page's CSP does not govern, so the
    # browser tests keep the real policy (no inline script) switched on.
    page.evaluate(AXE.read_text(encoding="utf-8"))
    result = page.evaluate(
        "async (tags) => await axe.run(document, {runOnly: {type: 'tag', values: tags}})", TAGS
    )
    return [
        {
            "id": v["id"],
            "impact": v["impact"],
            "help": v["help"],
            "targets": [n["target"] for n in v["nodes"]][:5],
        }
        for v in result["violations"]
        if v["impact"] in impacts
    ]


def assert_no_serious_violations(page) -> None:
    violations = axe_violations(page)
    assert violations == [], f"axe-core found serious violations on {page.url}: {violations}"
