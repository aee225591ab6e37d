"""Run axe-core (vendored: static/vendor/axe-core) in a Playwright page.

axe is evaluated through the DevTools protocol, so the pages' strict
Content-Security-Policy (no inline scripts) does not stop it, and no page
ever ships it."""

from __future__ import annotations

from django.conf import settings

AXE_PATH = settings.BASE_DIR / "static" / "vendor" / "axe-core" / "axe.min.js"

# WCAG 2.0 and 2.1, levels A and AA, plus axe's best practices for the
# structure a screen reader relies on: landmarks, one main, headings in order.
WCAG_TAGS = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
STRUCTURE_RULES = [
    "region",
    "landmark-one-main",
    "landmark-unique",
    "landmark-no-duplicate-banner",
    "landmark-no-duplicate-contentinfo",
    "landmark-no-duplicate-main",
    "landmark-banner-is-top-level",
    "landmark-contentinfo-is-top-level",
    "landmark-main-is-top-level",
    "page-has-heading-one",
    "heading-order",
    "empty-heading",
    "skip-link",
]

_RUN = """async ([tags, extra]) => {
  const wcag = axe.getRules(tags)
    .filter(r => !r.tags.includes("experimental") && !r.tags.includes("deprecated"))
    .map(r => r.ruleId);
  const results = await axe.run(document, {
    runOnly: {type: "rule", values: [...new Set([...wcag, ...extra])]},
    resultTypes: ["violations"],
  });
  return results.violations.map(v => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.map(n => ({target: n.target.join(" "), summary: n.failureSummary})),
  }));
}"""

_source: str | None = None


def axe_violations(page) -> list[dict]:
    """The WCAG 2.1 A/AA violations (and the structure rules above) on the
    page as it is now."""
    global _source
    if not page.evaluate("() => typeof window.axe === 'object'"):
        if _source is None:
            _source = AXE_PATH.read_text()
        page.evaluate(_source)
    return page.evaluate(_RUN, [WCAG_TAGS, STRUCTURE_RULES])


def describe(violations: list[dict]) -> str:
    """One line per failing element: rule, impact, element, what to do."""
    lines = []
    for v in violations:
        for node in v["nodes"]:
            summary = " ".join(node["summary"].split())
            lines.append(
                f"- {v['id']} ({v['impact']}) at {node['target']}: {v['help']}. "
                f"{summary}"
            )
    return "\n".join(lines)
