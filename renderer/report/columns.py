"""Tables declared once: each column's name, heading, kind, value and cell.

A table of jobs or workers is a tuple of `Column`s (the specs are in
renderer.report.tables). From that one declaration come the table's heading, its rows
in every page that shows it, and the compact data the in-page list draws from, which
names its columns so that the script reads them by name. A column's *kind* says how a
value is shown, sorted and sent to the script: the same kinds exist in
static/js/tables.js.

Every value reaches the markup through `esc`. Values many rows share (a state's badge,
a worker's link, a time of day) are made once.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Generic, TypeVar

from markupsafe import Markup

from renderer.report import times
from renderer.report.links import Links
from renderer.report.markup import badge, esc, join
from renderer.snapshot import states
from renderer.snapshot.failures import FailureGroup

Row = TypeVar("Row")


class Cells:
    """What the values and cells of one page's tables are made from."""

    def __init__(
        self,
        links: Links,
        page: str,
        captured_at_ms: int | None,
        log_lines: Mapping[str, int] | None = None,
        in_list: bool = False,
        dense: bool = False,
        groups: Mapping[str, FailureGroup] | None = None,
    ) -> None:
        self.links = links
        self.page = page  # links are relative to it
        self.captured_at_ms = captured_at_ms
        self.log_lines = log_lines or {}  # lines of log each job's page shows
        self.in_list = in_list  # the job list: a job without a detail page is marked
        self.dense = dense  # a table of thousands of rows: times without title and relative
        self.groups = groups or {}  # each failed job's failure group


@dataclass(frozen=True)
class Kind:
    """How a column's values are shown, sorted and sent to the script.

    `cell(value, cells, opening)` writes the whole cell; `opening` is `<td` with the
    cell's classes (the kind's `css` and the column's), made once per column.
    `numeric` kinds sort by number (their cells carry `data-sort`); `shared` kinds send
    each distinct value once, in a list of the data, and refer to it by index.
    """

    name: str
    cell: Callable[[Any, Cells, str], str]
    css: str = ""
    numeric: bool = False
    shared: bool = False


def _text(value: str | None, cells: Cells, td: str) -> str:
    return f"{td}>{esc(value) if value else '-'}</td>"


def _number(value: int | None, cells: Cells, td: str) -> str:
    if value is None:
        return f'{td} data-sort="">-</td>'
    return f'{td} data-sort="{esc(value)}">{esc(f"{value:,}")}</td>'


def _time(value: int | None, cells: Cells, td: str) -> str:
    """The time of day (dated when it is another day than the capture's), and in roomy
    tables the full time as a title and how long before the capture it was."""
    if value is None:
        return f'{td} data-sort="">-</td>'
    shown = esc(times.time_in_day_of(value, cells.captured_at_ms))
    if len(shown) > 8:
        shown = _dated(shown)
        if cells.dense:  # shortened, so the whole time goes in the title here too
            return f'{td} data-sort="{esc(value)}" title="{esc(times.utc(value))}">{shown}</td>'
    if cells.dense:
        return f'{td} data-sort="{esc(value)}">{shown}</td>'
    full = esc(times.utc(value))
    relative = esc(times.relative(value, cells.captured_at_ms))
    return (
        f'{td} data-sort="{esc(value)}" title="{full}">'
        f'{shown}<span class="rel">{relative}</span></td>'
    )


def _dated(shown: str) -> str:
    """'Nov 28 22:44' with its date in a span of its own: where the column is too narrow,
    the stylesheet cuts the date rather than the time (job_list.js draws the same)."""
    day, _, clock = shown.rpartition(" ") if ":" in shown else (shown, "", "")
    if not clock:
        return f'<span class="when"><span class="day">{day}</span></span>'
    return f'<span class="when"><span class="day">{day}</span> <span>{clock}</span></span>'


def _duration(value: int | None, cells: Cells, td: str) -> str:
    key = "" if value is None else esc(value)
    return f'{td} data-sort="{key}">{esc(times.duration(value))}</td>'


_STATE_CELLS: dict[tuple[int, str], str] = {}


def _state(value: int, cells: Cells, td: str) -> str:
    made = _STATE_CELLS.get((value, td))
    if made is None:
        rank = esc(states.display_rank(value))
        made = _STATE_CELLS[(value, td)] = f'{td} data-sort="{rank}">{badge(value)[1]}</td>'
    return made


def _measure(value: tuple[int | None, str], cells: Cells, td: str) -> str:
    number, text = value
    return f'{td} data-sort="{"" if number is None else esc(number)}">{esc(text)}</td>'


def _job(value: str, cells: Cells, td: str) -> str:
    return f"{td}>{cells.links.job_markup(cells.page, value, in_list=cells.in_list)}</td>"


def _worker(value: str | None, cells: Cells, td: str) -> str:
    return f"{td}>{cells.links.worker_markup(cells.page, value)}</td>"


_NOT_CAPTURED = (
    '<span class="tag" title="This worker&#39;s own snapshot is not in the report">'
    "not captured</span>"
)


def _worker_page(value: str, cells: Cells, td: str) -> str:
    link = cells.links.worker_markup(cells.page, value)
    if value in cells.links.captured:
        return f"{td}>{link}</td>"
    return f"{td}>{link} {_NOT_CAPTURED}</td>"


_HEALTH = {
    True: ' data-sort="2"><span class="health ok">Yes</span></td>',
    False: ' data-sort="0"><span class="health bad">No</span></td>',
    None: ' data-sort="1"><span class="muted" title="not in the snapshot">not sent</span></td>',
}


def _health(value: bool | None, cells: Cells, td: str) -> str:
    return td + _HEALTH[value]


TEXT = Kind("text", _text)
SHARED_TEXT = Kind("text", _text, shared=True)
NUMBER = Kind("number", _number, "num", numeric=True)
TIME = Kind("time", _time, "nowrap", numeric=True)
DURATION = Kind("duration", _duration, "nowrap", numeric=True)
STATE = Kind("state", _state, numeric=True, shared=True)
MEASURE = Kind("measure", _measure, "nowrap", numeric=True)  # (number to sort by, text shown)
JOB = Kind("job", _job, "id")
WORKER = Kind("worker", _worker, "mono", shared=True)
WORKER_PAGE = Kind("worker", _worker_page, "mono")  # a worker's own row: says when not captured
HEALTH = Kind("health", _health, numeric=True)


def _group(value: FailureGroup | None, cells: Cells, td: str) -> str:
    return f"{td}>{esc(value.signature) if value is not None else '-'}</td>"


# A job's failure group: sent to the script as [key, signature], shared by its jobs.
GROUP = Kind("group", _group, shared=True)


@dataclass(frozen=True)
class Column(Generic[Row]):
    """One column of a table: declared once, shown the same wherever the table is."""

    name: str  # in the URL (#sort=duration), in data-column, in the script's data
    heading: str
    kind: Kind
    value: Callable[[Row, Cells], Any]  # what the cell shows, in its kind's terms
    note: Callable[[Row], str] | None = None  # a muted second line (a job's retries)
    css: str = ""  # extra class of the cell
    search: bool = False  # part of what the list's search box matches
    hidden: bool = False  # not drawn: only searched, filtered by, or sent to the script


def shown(columns: Sequence[Column[Row]]) -> list[Column[Row]]:
    """The columns a table draws: all but the hidden ones."""
    return [column for column in columns if not column.hidden]


def heading(columns: Sequence[Column[Any]]) -> str:
    """The table's <thead>: each column named, numeric ones marked for the script."""
    cells = []
    for column in shown(columns):
        numeric = ' data-type="number"' if column.kind.numeric else ""
        cells.append(
            f'<th scope="col" data-column="{esc(column.name)}"{numeric}>{esc(column.heading)}</th>'
        )
    return f"<thead><tr>{''.join(cells)}</tr></thead>\n"


def _writer(column: Column[Row], cells: Cells) -> Callable[[Row], str]:
    """The function that writes this column's <td> for a row, with its note."""
    value, kind_cell, note = column.value, column.kind.cell, column.note
    css = " ".join(part for part in (column.kind.css, column.css) if part)
    td = f'<td class="{esc(css)}"' if css else "<td"
    if note is None:
        return lambda row: kind_cell(value(row, cells), cells, td)

    def write(row: Row) -> str:
        written = kind_cell(value(row, cells), cells, td)
        more = note(row)
        return f'{written[:-5]}<span class="sub">{esc(more)}</span></td>' if more else written

    return write


def rows(
    columns: Sequence[Column[Row]],
    items: Iterable[Row],
    cells: Cells,
    attributes: Callable[[Row], str],
) -> Markup:
    """The <tr> of each item: `attributes(item)` gives the row's own attributes."""
    writers = [_writer(column, cells) for column in shown(columns)]
    parts = []
    for item in items:
        # A list, not a generator, for join: a tenth of a row's time at a million rows.
        parts.append(f"<tr{attributes(item)}>{''.join([w(item) for w in writers])}</tr>\n")
    return join(parts)


def search_text(columns: Sequence[Column[Row]], item: Row, cells: Cells) -> str:
    """What the search box matches for an item: its searchable columns' texts."""
    return " ".join(
        _plain(column, column.value(item, cells)) for column in columns if column.search
    )


def _plain(column: Column[Any], value: Any) -> str:
    if value is None:
        return ""
    if column.kind is STATE:
        return states.state(value).label
    if column.kind is GROUP:
        return str(value.signature)
    return str(value)


def table(
    columns: Sequence[Column[Row]],
    items: Iterable[Row],
    cells: Cells,
    table_id: str,
    attributes: Callable[[Row], str],
    caption: str = "",
) -> Markup:
    """A whole sortable table in its scrolling frame."""
    caption_html = f'<caption class="visually-hidden">{esc(caption)}</caption>\n' if caption else ""
    return join(
        [
            '<div class="table-wrap">\n',
            f'<table class="data" id="{esc(table_id)}" data-sortable>\n',
            caption_html,
            heading(columns),
            "<tbody>\n",
            rows(columns, items, cells, attributes),
            "</tbody>\n</table>\n</div>",
        ]
    )


def data(
    columns: Sequence[Column[Row]],
    items: Iterable[Row],
    cells: Cells,
    shared: Callable[[Column[Row], Any], Any],
) -> dict[str, Any]:
    """The items as compact rows for the script, with the columns they hold named.

    Values of a shared kind are listed once per column and referred to by index;
    `shared(column, value)` gives the form a value takes in that list.
    """
    items = items if isinstance(items, list) else list(items)
    lists: dict[str, list[Any]] = {}
    # Column by column, each a loop of one function over every item, then the rows
    # from them: row by row, column by column, took twice as long at a million jobs.
    made = []
    for column in columns:
        value, note = column.value, column.note
        values = [value(item, cells) for item in items]
        if column.kind.shared:
            seen: dict[Any, int] = {}
            values = [seen.setdefault(v, len(seen)) for v in values]
            lists[column.name] = [shared(column, v) for v in seen]
        if note is not None:
            values = [
                [v, extra] if (extra := note(item)) else v
                for v, item in zip(values, items, strict=True)
            ]
        made.append(values)
    out = [list(row) for row in zip(*made, strict=True)] if made else [[] for _ in items]
    return {
        "columns": [
            {
                "name": c.name,
                "heading": c.heading,
                "kind": c.kind.name,
                "css": c.css,
                "search": c.search,
                "hidden": c.hidden,
            }
            for c in columns
        ],
        "shared": lists,
        "rows": out,
    }


def add_sort_ranks(columns: Sequence[Column[Row]], made: dict[str, Any]) -> None:
    """Give each drawn column of text in `made` (as `data` made it, links filled in)
    its sort ranks, so the lists' scripts sort every column as numbers.

    A rank is dense: equal texts (lower-case) share one, and ranks go in text order.
    A column of shared values gets a rank per shared value ("ranks", in its column);
    any other, one per row, appended to each row ("rank" says where). Sorting a
    million strings took Chromium over a second; a million ranks, some milliseconds.
    """
    rows = made["rows"]
    at = len(columns)
    for i, (column, named) in enumerate(zip(columns, made["columns"], strict=True)):
        kind = column.kind
        if kind.numeric or column.hidden:
            continue
        if kind.shared:
            values = made["shared"][column.name]
            named["ranks"] = _dense_ranks(_sort_texts(kind, values))
            continue
        ranks = _dense_ranks(_sort_texts(kind, [row[i] for row in rows]))
        for row, rank in zip(rows, ranks, strict=True):
            row.append(rank)
        named["rank"] = at
        at += 1


def _sort_texts(kind: Kind, values: Sequence[Any]) -> list[str]:
    """Values of the script's data as their cells read, lower-case: what a sort orders.

    One loop for a column, not a call a value: a million rows have four such columns.
    """
    if kind is GROUP:  # [key, signature]
        return ["" if v is None or v[1] is None else str(v[1]).lower() for v in values]
    texts = []
    for value in values:
        if type(value) is list:
            value = value[0]  # an id: [shown, ...]; a worker: [text, link]; [value, note]
        texts.append("" if value is None else str(value).lower())
    return texts


def _dense_ranks(texts: Sequence[str]) -> list[int]:
    rank = {text: n for n, text in enumerate(sorted(set(texts)))}
    return [rank[text] for text in texts]
