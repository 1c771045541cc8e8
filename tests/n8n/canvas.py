"""The n8n editor's canvas geometry (2.41.1, read from its bundle, editor-ui's workflows store and canvas edge
code), to check that a committed workflow reads: node boxes, where edges run, what lies behind them.

- A node is drawn at its position, 96 x 96, 32 px taller for each main input or output beyond two (a Switch
  with four outputs is 160 high); a sticky note has its own width and height.
- An edge leaves an output handle on the node's right side (outputs spread evenly down it) and enters the
  input handle in the middle of the left side. Forwards it is a bezier whose control points lie half the
  horizontal distance out from each end; backwards (the target more than 20 px left of the source) it
  runs 130 px down from the source, across, and up into the target.
"""

from __future__ import annotations

from dataclasses import dataclass

NODE_SIZE = 96
PORT_STEP = 32
GRID = 16
BACKWARD_DROP = 130
BACKWARD_OFFSET = 40


@dataclass(frozen=True)
class Box:
    name: str
    x: float
    y: float
    width: float
    height: float

    def intersects(self, other: Box) -> bool:
        return (
            self.x < other.x + other.width
            and other.x < self.x + self.width
            and self.y < other.y + other.height
            and other.y < self.y + self.height
        )

    def contains(self, other: Box) -> bool:
        return (
            self.x <= other.x
            and other.x + other.width <= self.x + self.width
            and self.y <= other.y
            and other.y + other.height <= self.y + self.height
        )

    def holds_point(self, px: float, py: float, margin: float = 0) -> bool:
        return (
            self.x + margin < px < self.x + self.width - margin
            and self.y + margin < py < self.y + self.height - margin
        )


def is_sticky(node: dict) -> bool:
    return node["type"] == "n8n-nodes-base.stickyNote"


def outputs(workflow: dict, name: str) -> int:
    """How many main outputs a node has: as many as its connections use, and what its type says."""
    node = next(n for n in workflow["nodes"] if n["name"] == name)
    used = len(workflow["connections"].get(name, {}).get("main", []))
    kind, parameters = node["type"], node.get("parameters", {})
    if kind == "n8n-nodes-base.if":
        return 2
    if kind == "n8n-nodes-base.switch":
        rules = parameters.get("rules", {}).get("values", [])
        extra = parameters.get("options", {}).get("fallbackOutput") == "extra"
        return max(used, len(rules) + extra, int(parameters.get("numberOutputs", 0)))
    if node.get("onError") == "continueErrorOutput":
        return max(used, 2)
    return max(used, 1)


def inputs(workflow: dict, name: str) -> int:
    return 1


def box(workflow: dict, node: dict) -> Box:
    x, y = node["position"]
    if is_sticky(node):
        parameters = node.get("parameters", {})
        return Box(node["name"], x, y, parameters.get("width", 240), parameters.get("height", 160))
    ports = max(inputs(workflow, node["name"]), outputs(workflow, node["name"]), 1)
    return Box(node["name"], x, y, NODE_SIZE, NODE_SIZE + max(0, ports - 2) * PORT_STEP)


def edges(workflow: dict) -> list[tuple[str, int, str]]:
    return [
        (source, output, link["node"])
        for source, kinds in workflow["connections"].items()
        for output, links in enumerate(kinds.get("main", []))
        for link in links
    ]


def edge_points(
    workflow: dict, boxes: dict[str, Box], source: str, output: int, target: str, samples: int = 60
) -> list[tuple[float, float]]:
    """Points along the edge as the editor draws it."""
    s, t = boxes[source], boxes[target]
    count = outputs(workflow, source)
    sx, sy = s.x + s.width, s.y + s.height * (output + 1) / (count + 1)
    tx, ty = t.x, t.y + t.height / 2
    if sx - 20 > tx:  # backwards: down, across, up
        low = sy + BACKWARD_DROP
        points = [(sx + BACKWARD_OFFSET * i / 10, sy + (low - sy) * i / 10) for i in range(11)]
        points += [
            (sx + BACKWARD_OFFSET + (tx - BACKWARD_OFFSET - sx - BACKWARD_OFFSET) * i / samples, low)
            for i in range(samples + 1)
        ]
        points += [
            (tx - BACKWARD_OFFSET + BACKWARD_OFFSET * i / 10, low + (ty - low) * i / 10) for i in range(11)
        ]
        return points
    offset = 0.5 * (tx - sx) if tx >= sx else 0.25 * 25 * (sx - tx) ** 0.5
    c1, c2 = (sx + offset, sy), (tx - offset, ty)
    points = []
    for i in range(samples + 1):
        u = i / samples
        a, b, c, d = (1 - u) ** 3, 3 * u * (1 - u) ** 2, 3 * u**2 * (1 - u), u**3
        points.append((a * sx + b * c1[0] + c * c2[0] + d * tx, a * sy + b * c1[1] + c * c2[1] + d * ty))
    return points


def problems(workflow: dict) -> list[str]:
    """What keeps a canvas from reading: one line each ([] when it reads)."""
    nodes = workflow["nodes"]
    boxes = {n["name"]: box(workflow, n) for n in nodes}
    working = [boxes[n["name"]] for n in nodes if not is_sticky(n)]
    notes = [boxes[n["name"]] for n in nodes if is_sticky(n)]
    found = []
    for node in nodes:
        if any(value % GRID for value in node["position"]):
            found.append(
                f"{node['name']!r} is off the editor's {GRID} px grid at {node['position']} (it would move)"
            )
    for i, a in enumerate(working):
        for b in working[i + 1 :]:
            if a.intersects(b):
                found.append(f"{a.name!r} and {b.name!r} overlap")
    for i, a in enumerate(notes):
        for b in notes[i + 1 :]:
            if a.intersects(b):
                found.append(f"sticky notes {a.name!r} and {b.name!r} overlap")
        for b in working:
            if a.intersects(b) and not a.contains(b):
                found.append(f"sticky note {a.name!r} covers part of {b.name!r}")
    for source, output, target in edges(workflow):
        for px, py in edge_points(workflow, boxes, source, output, target):
            behind = next(
                (b for b in working if b.name not in (source, target) and b.holds_point(px, py, 4)), None
            )
            if behind is not None:
                found.append(f"the edge {source!r} -> {target!r} runs behind {behind.name!r}")
                break
    return found
