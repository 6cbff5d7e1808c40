"""Filters for the HTML report by verdict, outlet and article, in CSS alone.

The page's Content-Security-Policy forbids scripts (a quote is untrusted text), so
the filters are radio buttons: each group's checked radio hides, through a sibling
selector, every item that lacks its class. They work with scripts off, in any browser
of the last decade, and from the keyboard (the radios stay focusable). Outlets and
articles become numbered classes (``fo-2``, ``fa-1``): their names are untrusted and
never enter a selector.
"""

from __future__ import annotations

from collections import Counter
from html import escape
from typing import Any

from crawler.reporting.findings import RANK, primary
from crawler.reporting.rows import ReportRow

GROUPS = (("fv", "Verdict"), ("fo", "Outlet"), ("fa", "Article"))

FILTER_CSS = """
.flt{position:absolute;opacity:0;width:1px;height:1px;margin:0;pointer-events:none}
.filters{display:flex;flex-wrap:wrap;gap:6px 18px;margin:18px 0 0;
  font:14px/1.4 'Helvetica Neue',Arial,'DejaVu Sans',sans-serif}
.filters fieldset{border:0;margin:0;padding:0;display:flex;flex-wrap:wrap;gap:6px;
  align-items:center;min-width:0}
.filters legend{float:left;font-weight:700;color:#57606a;margin-right:4px}
.filters label{cursor:pointer;border:1px solid #d0d7de;border-radius:999px;padding:2px 10px;
  background:#fff;max-width:100%;overflow:hidden;text-overflow:ellipsis;white-space:nowrap}
"""


def _esc(value: Any) -> str:
    return escape("" if value is None else str(value), quote=True)


class Filters:
    """The filter values of one report and the classes each item carries."""

    def __init__(self, rows: list[ReportRow]) -> None:
        verdicts = Counter(primary(row).code for row in rows)
        outlets = Counter(row.outlet or "none" for row in rows)
        articles = Counter(row.article.url for row in rows)
        titles = {row.article.url: row.article.title for row in rows}
        self.outlet_id = {name: f"{i}" for i, name in enumerate(sorted(outlets), 1)}
        self.article_id = {url: f"{i}" for i, url in enumerate(articles, 1)}
        code_of = {primary(row).code: primary(row) for row in rows}
        self.options: dict[str, list[tuple[str, str, int]]] = {
            "fv": [
                (code, code_of[code].label, n)
                for code, n in sorted(verdicts.items(), key=lambda kv: RANK.get(kv[0], 99))
            ],
            "fo": [(self.outlet_id[o], o, outlets[o]) for o in sorted(outlets)],
            "fa": [(self.article_id[u], titles[u] or u, articles[u]) for u in articles],
        }

    def classes(self, row: ReportRow) -> str:
        return (
            f"item fv-{primary(row).code} fo-{self.outlet_id[row.outlet or 'none']} "
            f"fa-{self.article_id[row.article.url]}"
        )

    def _shown(self) -> list[tuple[str, str, list[tuple[str, str, int]]]]:
        # A group with one value filters nothing: it is not shown.
        return [(g, name, self.options[g]) for g, name in GROUPS if len(self.options[g]) > 1]

    def inputs(self) -> str:
        """The radios: siblings before the bar and <main>, so that ``~`` reaches both."""
        out = []
        for group, _name, values in self._shown():
            out.append(f'<input type="radio" class="flt" name="{group}" id="{group}-all" checked>')
            out += [
                f'<input type="radio" class="flt" name="{group}" id="{group}-{value}">'
                for value, _label, _n in values
            ]
        return "".join(out)

    def bar(self) -> str:
        groups = []
        for group, name, values in self._shown():
            total = sum(n for _v, _l, n in values)
            labels = [f'<label for="{group}-all">All ({total})</label>'] + [
                f'<label for="{group}-{value}" title="{_esc(label)}">{_esc(label)} ({n})</label>'
                for value, label, n in values
            ]
            groups.append(f"<fieldset><legend>{name}</legend>{''.join(labels)}</fieldset>")
        if not groups:
            return ""
        return f'<nav class="filters" aria-label="Filter the quotes">{"".join(groups)}</nav>'

    def css(self) -> str:
        rules = [FILTER_CSS]
        for group, _name, values in self._shown():
            for value in ["all", *(v for v, _l, _n in values)]:
                radio = f"#{group}-{value}"
                rules.append(
                    f"{radio}:checked~.bar label[for={group}-{value}]"
                    "{background:#1f2328;color:#fff;border-color:#1f2328}"
                    f"{radio}:focus-visible~.bar label[for={group}-{value}]"
                    "{outline:3px solid #0969da;outline-offset:1px}"
                )
                if value == "all":
                    continue
                rules.append(f"{radio}:checked~main .item:not(.{group}-{value}){{display:none}}")
                if group == "fv":  # the other findings' sections go as a whole
                    rules.append(f"{radio}:checked~main .group:not(.g-{value}){{display:none}}")
        return "\n".join(rules)
