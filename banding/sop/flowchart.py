"""The flowchart of the SOP as shapes: the five Permenpan-RB 35/2012 symbols and the flow lines
between them, computed from the steps' actors and outcomes.

Every table row gets its own SVG that spans the six swimlane columns, in millimetres. A flow
line between two rows is cut at the row borders and each row draws its own part, at the same
x, so the pieces meet whatever height a row ends up with (a single overlay per table would
need row heights known to the browser and to WeasyPrint alike). Where the table breaks across
pages the line ends in an off-page connector (pentagon) and starts again from one.

Only the signed SOP's flow is drawn: an outcome SiBanding adds (`Outcome.signed` False, the
return at step 10) is listed apart (banding/sop/additions.py), and a step is a decision only
when the signed SOP gives it two or more outcomes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass, field

from banding.sop.definition import END, Actor, Outcome, Step

LANES = len(Actor)  # one swimlane column per actor, in the order of Actor
LANE_WIDTH = 16.0  # mm, one swimlane column
LABEL_CHARS = 12  # a branch label's line, to stay within about one lane
LABEL_LINE = 2.4  # mm between label lines (font-size 2 in the template)
ENTRY_Y = 2.5  # where a line from the row above turns towards its target
ARROW = 1.6  # arrowhead length
CONNECTOR = 5.0  # off-page connector height (and width)
GAP = 2.0  # between a symbol and the gutter a side line runs in
# Half width, half height of each symbol.
SIZES = {"terminator": (5.5, 3.0), "process": (5.0, 3.3), "decision": (6.5, 4.4)}


@dataclass
class Shape:
    kind: str  # line | arrowhead | terminator | process | decision | connector | label
    points: str = ""  # "x,y x,y ..." for line, arrowhead, decision, connector
    x: float = 0.0  # rect origin or text anchor
    y: float = 0.0
    width: float = 0.0
    height: float = 0.0
    text: str = ""
    anchor: str = "start"

    @property
    def radius(self) -> float:
        """A terminator is a capsule: its ends are half circles."""
        return self.height / 2 if self.kind == "terminator" else 0.0


@dataclass
class Row:
    step: Step
    lane: int  # 0-based swimlane column
    symbol: str  # terminator | process | decision
    height: float = 0.0  # mm, set by the document from its text
    shapes: list[Shape] = field(default_factory=list)
    connectors: int = 0  # off-page connectors this row holds (they need room)

    @property
    def cx(self) -> float:
        return self.lane * LANE_WIDTH + LANE_WIDTH / 2

    @property
    def cy(self) -> float:
        return self.height / 2

    @property
    def label(self) -> str:
        """What the row's drawing says to a screen reader: the step, its actor and, for a
        decision, the signed SOP's labels of its branches."""
        text = f"Langkah {self.step.number}: {self.step.actor_label}"
        if self.symbol == "decision":
            text += ", keputusan: " + " / ".join(o.label for o in signed(self.step))
        return text

    @property
    def half(self) -> tuple[float, float]:
        return SIZES[self.symbol]

    @property
    def top(self) -> float:
        return self.cy - self.half[1]

    @property
    def bottom(self) -> float:
        return self.cy + self.half[1]


def signed(step: Step) -> tuple[Outcome, ...]:
    """The outcomes the signed SOP draws for this step."""
    return tuple(o for o in step.outcomes if o.signed)


def symbol_of(step: Step, *, first: bool) -> str:
    outcomes = signed(step)
    if first or (outcomes and all(o.next_step == END for o in outcomes)):
        return "terminator"
    # Step.is_decision says the step asks a question in SiBanding; the SOP draws a diamond
    # only where it branches.
    return "decision" if len(outcomes) >= 2 else "process"


def min_height(row: Row) -> float:
    """Room for the symbol, its labels and any off-page connector above or below it."""
    reserve = 8.5 if row.connectors else 5.0
    return 2 * (row.half[1] + reserve)


def _pts(*points: tuple[float, float]) -> str:
    return " ".join(f"{x:.2f},{y:.2f}" for x, y in points)


def _line(row: Row, *points: tuple[float, float], arrow: str = "") -> None:
    row.shapes.append(Shape("line", _pts(*points)))
    if arrow:
        x, y = points[-1]
        a, w = ARROW, ARROW / 2
        tips = {
            "down": ((x, y), (x - w, y - a), (x + w, y - a)),
            "left": ((x, y), (x + a, y - w), (x + a, y + w)),
            "right": ((x, y), (x - a, y - w), (x - a, y + w)),
        }[arrow]
        row.shapes.append(Shape("arrowhead", _pts(*tips)))


def _connector(row: Row, x: float, y: float, letter: str) -> None:
    """The off-page connector: a pentagon pointing down, its top edge at y."""
    w, h = CONNECTOR / 2, CONNECTOR
    pts = _pts((x - w, y), (x + w, y), (x + w, y + h * 0.6), (x, y + h), (x - w, y + h * 0.6))
    row.shapes.append(Shape("connector", pts))
    row.shapes.append(Shape("label", x=x, y=y + h * 0.5 + 0.9, text=letter, anchor="middle"))


def _label(
    row: Row, x: float, y: float, text: str, anchor: str = "start", upward: bool = False
) -> None:
    """A branch label, wrapped to fit beside its line in a lane; `upward` stacks the lines
    above y (a label over a line), else below it."""
    lines = textwrap.wrap(text, LABEL_CHARS, break_long_words=False) or [""]
    for k, line in enumerate(lines):
        offset = (k - len(lines) + 1) if upward else k
        row.shapes.append(Shape("label", x=x, y=y + offset * LABEL_LINE, text=line, anchor=anchor))


@dataclass(frozen=True)
class Edge:
    source: int  # row index
    target: int
    label: str  # shown when the source is a decision
    down: bool  # the sequential flow: out of the bottom into the next row
    side: int = 1  # for other flows: +1 leaves on the right, -1 on the left


def edges(rows: list[Row]) -> list[Edge]:
    index = {row.step.number: i for i, row in enumerate(rows)}
    found: list[Edge] = []
    for i, row in enumerate(rows):
        used_down, used_sides = False, set()
        for outcome in signed(row.step):
            if outcome.next_step == END or outcome.next_step not in index:
                continue
            j = index[outcome.next_step]
            label = outcome.label if row.symbol == "decision" else ""
            if j == i + 1 and not used_down:
                used_down = True
                found.append(Edge(i, j, label, down=True))
                continue
            side = 1 if rows[j].lane >= row.lane else -1
            if side in used_sides:
                side = -side
            used_sides.add(side)
            found.append(Edge(i, j, label, down=False, side=side))
    return found


def count_connectors(rows: list[Row], page_of: list[int]) -> None:
    for row in rows:
        row.connectors = 0
    for edge in edges(rows):
        if page_of[edge.source] != page_of[edge.target]:
            rows[edge.source].connectors += 1
            rows[edge.target].connectors += 1


def draw(rows: list[Row], page_of: list[int]) -> None:
    """Fill every row's shapes: lane borders, symbols, then the flow lines."""
    for row in rows:
        row.shapes = [Shape("lane", x=k * LANE_WIDTH, height=row.height) for k in range(1, LANES)]
        hw, hh = row.half
        if row.symbol == "decision":
            diamond = _pts((row.cx, row.top), (row.cx + hw, row.cy), (row.cx, row.bottom))
            diamond += " " + _pts((row.cx - hw, row.cy))
            row.shapes.append(Shape("decision", diamond))
        else:
            row.shapes.append(
                Shape(row.symbol, x=row.cx - hw, y=row.top, width=2 * hw, height=2 * hh)
            )
    letters = iter("ABCDEFGHIJKLMNOPQRSTUVWXYZ")
    for edge in edges(rows):
        crossing = page_of[edge.source] != page_of[edge.target]
        letter = next(letters) if crossing else ""
        if edge.down:
            _draw_down(rows, edge, letter)
        else:
            _draw_side(rows, edge, letter)


def _draw_down(rows: list[Row], edge: Edge, letter: str) -> None:
    src, dst = rows[edge.source], rows[edge.target]
    if edge.label:
        _label(src, src.cx + 0.8, src.bottom + 2.6, edge.label)
    if letter:
        _line(src, (src.cx, src.bottom), (src.cx, src.height - CONNECTOR - 1.5))
        _connector(src, src.cx, src.height - CONNECTOR - 1.5, letter)
        _connector(dst, dst.cx, 1.0, letter)
        _line(dst, (dst.cx, 1.0 + CONNECTOR), (dst.cx, dst.top), arrow="down")
        return
    _line(src, (src.cx, src.bottom), (src.cx, src.height))
    if src.lane == dst.lane:
        _line(dst, (dst.cx, 0), (dst.cx, dst.top), arrow="down")
    else:
        _line(
            dst, (src.cx, 0), (src.cx, ENTRY_Y), (dst.cx, ENTRY_Y), (dst.cx, dst.top), arrow="down"
        )


def _draw_side(rows: list[Row], edge: Edge, letter: str) -> None:
    """A branch or a return: out of the symbol's side, along a vertical channel, into the
    target's top (when its lane is free on the way down) or into its side."""
    i, j, side = edge.source, edge.target, edge.side
    src, dst = rows[i], rows[j]
    exit_x = src.cx + side * src.half[0]
    forward = j > i
    between = rows[i + 1 : j] if forward else rows[j + 1 : i]
    lane_free = all(r.lane != dst.lane for r in between)
    into_top = forward and lane_free and side * (dst.cx - exit_x) > GAP
    # Else a channel beside the target, on the side the line leaves from.
    x = dst.cx if into_top else dst.cx + side * (dst.half[0] + GAP)
    if edge.label:
        anchor = "start" if side > 0 else "end"
        _label(src, exit_x + side * 0.8, src.cy - 0.9, edge.label, anchor, upward=True)
    if letter:
        _line(src, (exit_x, src.cy), (x, src.cy), (x, src.cy + 2.0))
        _connector(src, x, src.cy + 2.0, letter)
        start = dst.top - CONNECTOR - 3.0 if not into_top else 1.0
        _connector(dst, x, start, letter)
        _enter(dst, x, start + CONNECTOR, into_top)
        return
    _line(src, (exit_x, src.cy), (x, src.cy), (x, src.height if forward else 0))
    for row in between:
        _line(row, (x, 0), (x, row.height))
    _enter(dst, x, 0 if forward else dst.height, into_top)


def _enter(dst: Row, x: float, y: float, into_top: bool) -> None:
    if into_top:
        _line(dst, (x, y), (x, dst.top), arrow="down")
        return
    edge_x = dst.cx + (dst.half[0] if x > dst.cx else -dst.half[0])
    _line(dst, (x, y), (x, dst.cy), (edge_x, dst.cy), arrow="left" if x > dst.cx else "right")
