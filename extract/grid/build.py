"""Ruling lines → table grids with merged cells. Shared by the vector and the image path.

Stages, each a pure function:
``snap_segments`` (cluster nearly collinear lines) → ``merge_segments`` (join pieces of
one line) → ``group_tables`` (connected lines form one table) → ``build_grid`` (the
table's row/column boundaries; neighbouring elementary cells whose shared border is not
drawn are merged into one cell with row/column spans).
"""

from __future__ import annotations

from ..model import BBox, Cell, GridSettings, Segment, Table


def _cluster(values: list[float], tolerance: float) -> list[float]:
    """Sorted cluster centres of 1-D values, clusters chained within ``tolerance``."""
    if not values:
        return []
    values = sorted(values)
    clusters: list[list[float]] = [[values[0]]]
    for v in values[1:]:
        if v - clusters[-1][-1] <= tolerance:
            clusters[-1].append(v)
        else:
            clusters.append([v])
    return [sum(c) / len(c) for c in clusters]


def _nearest(centres: list[float], value: float) -> float:
    return min(centres, key=lambda c: abs(c - value))


def snap_segments(segments: list[Segment], settings: GridSettings) -> list[Segment]:
    """Make horizontal lines exactly horizontal and vertical ones vertical, on shared positions."""
    horizontal = [s for s in segments if s.horizontal]
    vertical = [s for s in segments if not s.horizontal]
    ys = _cluster([(s.top + s.bottom) / 2 for s in horizontal], settings.snap_tolerance)
    xs = _cluster([(s.x0 + s.x1) / 2 for s in vertical], settings.snap_tolerance)
    snapped: list[Segment] = []
    for s in horizontal:
        y = _nearest(ys, (s.top + s.bottom) / 2)
        snapped.append(Segment(min(s.x0, s.x1), y, max(s.x0, s.x1), y))
    for s in vertical:
        x = _nearest(xs, (s.x0 + s.x1) / 2)
        snapped.append(Segment(x, min(s.top, s.bottom), x, max(s.top, s.bottom)))
    return snapped


def merge_segments(segments: list[Segment], settings: GridSettings) -> list[Segment]:
    """Join collinear pieces that overlap or nearly touch; drop strokes too short to be lines."""
    merged: list[Segment] = []
    by_line: dict[tuple[bool, float], list[tuple[float, float]]] = {}
    for s in segments:
        if s.horizontal:
            by_line.setdefault((True, s.top), []).append((s.x0, s.x1))
        else:
            by_line.setdefault((False, s.x0), []).append((s.top, s.bottom))
    for (horizontal, pos), spans in by_line.items():
        spans.sort()
        start, end = spans[0]
        joined: list[tuple[float, float]] = []
        for a, b in spans[1:]:
            if a <= end + settings.join_tolerance:
                end = max(end, b)
            else:
                joined.append((start, end))
                start, end = a, b
        joined.append((start, end))
        for a, b in joined:
            if b - a < settings.min_segment_length:
                continue
            merged.append(Segment(a, pos, b, pos) if horizontal else Segment(pos, a, pos, b))
    return merged


def _touches(h: Segment, v: Segment, tol: float) -> bool:
    return h.x0 - tol <= v.x0 <= h.x1 + tol and v.top - tol <= h.top <= v.bottom + tol


def _root(parent: list[int], i: int) -> int:
    """Union-find: the root of ``i``, halving the path on the way."""
    while parent[i] != i:
        parent[i] = parent[parent[i]]
        i = parent[i]
    return i


def group_tables(segments: list[Segment], settings: GridSettings) -> list[list[Segment]]:
    """Connected groups of lines (a horizontal and a vertical touching are connected)."""
    horizontal = [s for s in segments if s.horizontal]
    vertical = [s for s in segments if not s.horizontal]
    parent = list(range(len(horizontal) + len(vertical)))

    def find(i: int) -> int:
        return _root(parent, i)

    tol = settings.intersection_tolerance
    for i, h in enumerate(horizontal):
        for j, v in enumerate(vertical):
            if _touches(h, v, tol):
                parent[find(i)] = find(len(horizontal) + j)
    groups: dict[int, list[Segment]] = {}
    for i, s in enumerate(horizontal + vertical):
        groups.setdefault(find(i), []).append(s)
    tables = []
    for group in groups.values():
        n_h = sum(1 for s in group if s.horizontal)
        if n_h >= settings.min_table_lines and len(group) - n_h >= settings.min_table_lines:
            tables.append(group)
    return sorted(tables, key=lambda g: (min(s.top for s in g), min(s.x0 for s in g)))


def _coverage(spans: list[tuple[float, float]], a: float, b: float) -> float:
    """Share of the interval [a, b] covered by the (possibly overlapping) spans."""
    if b <= a:
        return 1.0
    covered = 0.0
    cursor = a
    for s, e in sorted(spans):
        s, e = max(s, cursor), min(e, b)
        if e > s:
            covered += e - s
            cursor = e
    return covered / (b - a)


def build_grid(lines: list[Segment], page: int, settings: GridSettings) -> Table | None:
    """One table's lines → a Table of cells with spans (cells carry no text yet)."""
    horizontal = [s for s in lines if s.horizontal]
    vertical = [s for s in lines if not s.horizontal]
    row_edges = _cluster([s.top for s in horizontal], settings.min_cell_size)
    col_edges = _cluster([s.x0 for s in vertical], settings.min_cell_size)
    if len(row_edges) < 2 or len(col_edges) < 2:
        return None
    n_rows, n_cols = len(row_edges) - 1, len(col_edges) - 1
    h_spans: dict[int, list[tuple[float, float]]] = {i: [] for i in range(len(row_edges))}
    v_spans: dict[int, list[tuple[float, float]]] = {i: [] for i in range(len(col_edges))}
    for s in horizontal:
        h_spans[row_edges.index(_nearest(row_edges, s.top))].append((s.x0, s.x1))
    for s in vertical:
        v_spans[col_edges.index(_nearest(col_edges, s.x0))].append((s.top, s.bottom))

    def has_vertical_border(r: int, c: int) -> bool:  # border left of column c in row r
        return _coverage(v_spans[c], row_edges[r], row_edges[r + 1]) >= settings.border_coverage

    def has_horizontal_border(r: int, c: int) -> bool:  # border above row r in column c
        return _coverage(h_spans[r], col_edges[c], col_edges[c + 1]) >= settings.border_coverage

    forced_v: set[tuple[int, int]] = set()  # (row, column edge) treated as drawn
    forced_h: set[tuple[int, int]] = set()  # (row edge, column) treated as drawn

    def merge_regions() -> dict[int, list[tuple[int, int]]]:
        parent = list(range(n_rows * n_cols))

        def find(i: int) -> int:
            return _root(parent, i)

        for r in range(n_rows):
            for c in range(n_cols):
                if c + 1 < n_cols and (r, c + 1) not in forced_v and not has_vertical_border(r, c + 1):
                    parent[find(r * n_cols + c)] = find(r * n_cols + c + 1)
                if r + 1 < n_rows and (r + 1, c) not in forced_h and not has_horizontal_border(r + 1, c):
                    parent[find(r * n_cols + c)] = find((r + 1) * n_cols + c)
        found: dict[int, list[tuple[int, int]]] = {}
        for r in range(n_rows):
            for c in range(n_cols):
                found.setdefault(find(r * n_cols + c), []).append((r, c))
        return found

    regions = merge_regions()
    # A merged cell has no border inside it. When a region still has one drawn somewhere
    # inside (a scan lost a stretch of a column's line in one row, and the region leaked
    # through that gap), that border is a line of the grid: keep it over the region's span.
    for members in list(regions.values()):
        r0, r1 = min(r for r, _ in members), max(r for r, _ in members)
        c0, c1 = min(c for _, c in members), max(c for _, c in members)
        for e in range(c0 + 1, c1 + 1):
            if any(has_vertical_border(r, e) for r in range(r0, r1 + 1)):
                forced_v.update((r, e) for r in range(r0, r1 + 1))
        for e in range(r0 + 1, r1 + 1):
            if any(has_horizontal_border(e, c) for c in range(c0, c1 + 1)):
                forced_h.update((e, c) for c in range(c0, c1 + 1))
    if forced_v or forced_h:
        regions = merge_regions()
    cells = []
    for members in regions.values():
        r0 = min(r for r, _ in members)
        r1 = max(r for r, _ in members)
        c0 = min(c for _, c in members)
        c1 = max(c for _, c in members)
        bbox = BBox(col_edges[c0], row_edges[r0], col_edges[c1 + 1], row_edges[r1 + 1])
        cells.append(Cell(r0, c0, r1 - r0 + 1, c1 - c0 + 1, bbox))
    cells.sort(key=lambda cell: (cell.row, cell.col))
    return Table(
        page=page,
        bbox=BBox(col_edges[0], row_edges[0], col_edges[-1], row_edges[-1]),
        n_rows=n_rows,
        n_cols=n_cols,
        cells=tuple(cells),
        col_edges=tuple(col_edges),
        row_edges=tuple(row_edges),
    )


def segments_to_tables(
    segments: list[Segment], page: int, settings: GridSettings | None = None
) -> list[Table]:
    """The whole stage: raw ruling lines of one page → its tables, top to bottom."""
    settings = settings or GridSettings()
    lines = merge_segments(snap_segments(segments, settings), settings)
    tables = []
    for group in group_tables(lines, settings):
        table = build_grid(group, page, settings)
        if table is not None and len(table.cells) > 1:
            tables.append(table)
    return tables
