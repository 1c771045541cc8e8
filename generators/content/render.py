"""Pillow compositions that show what the description says: the subject where the description places it,
drawn in the palette and style, under a sky lit for the time of day.

Each subject is drawn in a box of its own proportions (a sneaker is wide, a bottle tall) with shapes that
name it: a sole, laces and a heel; two spoked wheels and a diamond frame; a cup, its handle, saucer and
steam. `subject_mask` draws a subject alone, so tests can compare subjects' shapes with each other.
"""

from __future__ import annotations

import io
import math
import random
from dataclasses import dataclass

from PIL import Image, ImageDraw
from promptsales.generators.content.attributes import PALETTES, TIMES, USES, ImageAttributes

RGB = tuple[int, int, int]
WHITE: RGB = (250, 250, 250)
# Subjects drawn as a scene across the frame; the others are objects placed in it.
SCENERY = {"mountain", "beach", "city", "forest"}
# Width / height of the box each object is drawn in.
ASPECT = {
    "coffee": 1.25,
    "flower": 0.62,
    "bottle": 0.48,
    "sneaker": 2.2,
    "gift": 1.0,
    "bicycle": 1.7,
    "mountain": 1.7,
    "city": 1.7,
    "forest": 1.7,
    "beach": 1.7,
}


def _shade(colour: RGB, factor: float) -> RGB:
    return tuple(max(0, min(255, int(c * factor))) for c in colour)  # type: ignore[return-value]


@dataclass
class Pen:
    """Draws in a box in unit coordinates (u to the right, v down, both 0..1), in the style's manner:
    `fill` None draws outlines only (the line-drawing style), `outline` rings every shape (pop art)."""

    draw: ImageDraw.ImageDraw
    box: tuple[float, float, float, float]
    fill: RGB | None
    accent: RGB
    third: RGB
    outline: RGB | None
    width: int

    def p(self, u: float, v: float) -> tuple[float, float]:
        x0, y0, x1, y1 = self.box
        return (x0 + u * (x1 - x0), y0 + v * (y1 - y0))

    @property
    def bw(self) -> float:
        return self.box[2] - self.box[0]

    @property
    def bh(self) -> float:
        return self.box[3] - self.box[1]

    def _paint(self, colour: RGB | None) -> tuple[RGB | None, RGB | None, int]:
        if self.fill is None:  # line drawing: every shape is an outline in its own colour
            return None, colour or self.accent, max(2, self.width)
        return colour, self.outline, self.width

    def poly(self, points: list[tuple[float, float]], colour: RGB | None = None) -> None:
        fill, outline, width = self._paint(colour or self.fill)
        self.draw.polygon([self.p(u, v) for u, v in points], fill=fill, outline=outline, width=width)

    def rect(
        self, u0: float, v0: float, u1: float, v1: float, colour: RGB | None = None, radius: float = 0
    ) -> None:
        fill, outline, width = self._paint(colour or self.fill)
        (x0, y0), (x1, y1) = self.p(u0, v0), self.p(u1, v1)
        self.draw.rounded_rectangle(
            [(x0, y0), (x1, y1)], radius=radius * self.bh, fill=fill, outline=outline, width=width
        )

    def ellipse(self, u0: float, v0: float, u1: float, v1: float, colour: RGB | None = None) -> None:
        fill, outline, width = self._paint(colour or self.fill)
        self.draw.ellipse([self.p(u0, v0), self.p(u1, v1)], fill=fill, outline=outline, width=width)

    def circle(self, u: float, v: float, r: float, colour: RGB | None = None, ring: float = 0) -> None:
        """A circle of radius r (in box heights); ring > 0 draws only a ring that thick (in box heights)."""
        x, y = self.p(u, v)
        radius = r * self.bh
        if ring:
            line = max(2, int(ring * self.bh))
            self.draw.ellipse(
                [(x - radius, y - radius), (x + radius, y + radius)],
                outline=colour or self.fill or self.accent,
                width=line,
            )
            if self.outline:
                self.draw.ellipse(
                    [(x - radius, y - radius), (x + radius, y + radius)],
                    outline=self.outline,
                    width=max(1, self.width // 2),
                )
        else:
            fill, outline, width = self._paint(colour or self.fill)
            self.draw.ellipse(
                [(x - radius, y - radius), (x + radius, y + radius)], fill=fill, outline=outline, width=width
            )

    def line(self, points: list[tuple[float, float]], thickness: float, colour: RGB | None = None) -> None:
        """A stroke `thickness` box heights wide (at least 2 px)."""
        width = max(2, int(thickness * self.bh))
        colour = colour or self.fill or self.accent
        if self.outline:
            self.draw.line(
                [self.p(u, v) for u, v in points], fill=self.outline, width=width + self.width, joint="curve"
            )
        self.draw.line([self.p(u, v) for u, v in points], fill=colour, width=width, joint="curve")


def _mountain(pen: Pen, rng: random.Random) -> None:
    for left, peak_u, peak_v, right in (
        (0.0, 0.3, 0.12, 0.62),
        (0.38, 0.66, 0.3, 0.95),
        (0.6, 0.86, 0.48, 1.0),
    ):
        pen.poly([(left, 1.0), (peak_u, peak_v), (right, 1.0)])
        # A snow cap with a jagged lower edge, following the slopes.
        depth = 0.22 * (1.0 - peak_v)
        lu, ru = (peak_u - left) * 0.22, (right - peak_u) * 0.22
        pen.poly(
            [
                (peak_u - lu, peak_v + depth),
                (peak_u, peak_v),
                (peak_u + ru, peak_v + depth),
                (peak_u + ru / 2, peak_v + depth * 0.7),
                (peak_u, peak_v + depth * 1.05),
                (peak_u - lu / 2, peak_v + depth * 0.7),
            ],
            colour=WHITE,
        )


def _beach(pen: Pen, rng: random.Random) -> None:
    pen.rect(0.0, 0.35, 1.0, 0.72, colour=pen.accent)  # the sea, up to the horizon
    for i, v in enumerate((0.45, 0.55, 0.64)):
        crest = [(u / 20, v + 0.025 * math.sin(u / 20 * math.pi * 6 + i)) for u in range(21)]
        pen.line(crest, 0.018, colour=WHITE)
    shore = [(u / 10, 0.72 + 0.03 * math.sin(u / 10 * math.pi * 2)) for u in range(11)]
    pen.poly([(0.0, 1.0), *shore, (1.0, 1.0)])  # the sand
    pole_u = 0.78
    pen.line([(pole_u, 0.95), (pole_u, 0.3)], 0.02, colour=(90, 60, 40))
    canopy = [
        (pole_u + 0.16 * math.cos(a), 0.33 - 0.2 * math.sin(a)) for a in (math.pi * k / 12 for k in range(13))
    ]
    pen.poly(canopy, colour=pen.third)
    for k in range(1, 12, 3):  # stripes of the parasol
        a0, a1 = math.pi * k / 12, math.pi * (k + 1.5) / 12
        pen.poly(
            [
                (pole_u, 0.33),
                (pole_u + 0.16 * math.cos(a0), 0.33 - 0.2 * math.sin(a0)),
                (pole_u + 0.16 * math.cos(a1), 0.33 - 0.2 * math.sin(a1)),
            ],
            colour=WHITE,
        )


def _city(pen: Pen, rng: random.Random) -> None:
    u = 0.0
    tallest = None
    while u < 1.0:
        width = rng.uniform(0.07, 0.14)
        top = rng.uniform(0.15, 0.6)
        pen.rect(u, top, min(1.0, u + width), 1.0)
        if tallest is None or top < tallest[1]:
            tallest = (u + width / 2, top)
        for wv in [top + 0.05 + 0.07 * k for k in range(int((0.95 - top) / 0.07))]:
            for wu in (u + width * 0.25, u + width * 0.6):
                if wu + width * 0.15 < min(1.0, u + width):
                    pen.rect(wu, wv, wu + width * 0.15, wv + 0.035, colour=pen.accent)
        u += width + 0.015
    if tallest:
        pen.line([(tallest[0], tallest[1]), (tallest[0], tallest[1] - 0.1)], 0.012)  # antenna


def _coffee(pen: Pen, rng: random.Random) -> None:
    pen.ellipse(0.02, 0.86, 0.98, 1.0, colour=pen.accent)  # saucer
    pen.circle(0.78, 0.56, 0.14, ring=0.05)  # handle
    pen.poly([(0.18, 0.34), (0.72, 0.34), (0.64, 0.92), (0.26, 0.92)])  # cup
    pen.ellipse(0.18, 0.29, 0.72, 0.39, colour=(70, 40, 20))  # the coffee in it
    for i, u in enumerate((0.32, 0.45, 0.58)):  # steam
        pen.line(
            [(u + 0.03 * math.sin(k / 3 + i), 0.25 - k * 0.025) for k in range(9)], 0.025, colour=pen.third
        )


def _pine(pen: Pen, u: float, top: float, half: float) -> None:
    trunk = 0.12 * half
    pen.rect(u - trunk, 0.88, u + trunk, 1.0, colour=(110, 70, 40))
    height = 0.88 - top
    for tier in range(3):
        v_top = top + tier * height * 0.25
        v_base = top + height * (0.45 + tier * 0.275)
        spread = half * (0.55 + 0.22 * tier)
        pen.poly([(u - spread, v_base), (u, v_top), (u + spread, v_base)])


def _forest(pen: Pen, rng: random.Random) -> None:
    for i in range(6):
        _pine(pen, 0.08 + 0.168 * i + rng.uniform(-0.02, 0.02), rng.uniform(0.05, 0.3), 0.09)


def _flower(pen: Pen, rng: random.Random) -> None:
    pen.line([(0.5, 0.4), (0.5, 1.0)], 0.025, colour=(40, 140, 60))
    pen.poly([(0.5, 0.75), (0.2, 0.6), (0.08, 0.66), (0.3, 0.78)], colour=(40, 140, 60))  # leaves
    pen.poly([(0.5, 0.68), (0.8, 0.52), (0.92, 0.58), (0.7, 0.71)], colour=(40, 140, 60))
    cu, cv, r = 0.5, 0.3, 0.11  # r in box heights; the box is 0.62 wide, so petals reach its sides
    for k in range(8):
        a = 2 * math.pi * k / 8
        pu, pv = cu + math.cos(a) * 1.1 * r / 0.62, cv + math.sin(a) * 1.1 * r
        pen.circle(pu, pv, r * 0.7)
    pen.circle(cu, cv, r * 0.75, colour=pen.accent)


def _bottle(pen: Pen, rng: random.Random) -> None:
    pen.rect(0.0, 0.92, 1.0, 1.0, colour=pen.accent)  # pedestal
    pen.poly([(0.12, 0.42), (0.36, 0.24), (0.64, 0.24), (0.88, 0.42), (0.88, 0.92), (0.12, 0.92)])
    pen.rect(0.38, 0.09, 0.62, 0.26)  # neck
    pen.rect(0.34, 0.02, 0.66, 0.1, colour=pen.accent)  # cap
    pen.rect(0.12, 0.55, 0.88, 0.75, colour=pen.third)  # label
    pen.line([(0.25, 0.65), (0.75, 0.65)], 0.012, colour=pen.accent)


def _sneaker(pen: Pen, rng: random.Random) -> None:
    # Heel on the left, toe on the right: heel counter, ankle collar, tongue, laced instep, rounded toe.
    pen.poly(
        [
            (0.03, 0.8),
            (0.02, 0.42),
            (0.06, 0.22),
            (0.16, 0.2),
            (0.26, 0.3),
            (0.34, 0.17),
            (0.4, 0.1),
            (0.45, 0.17),
            (0.62, 0.36),
            (0.8, 0.48),
            (0.93, 0.54),
            (0.99, 0.64),
            (0.99, 0.8),
        ]
    )
    pen.poly(
        [(0.18, 0.66), (0.5, 0.5), (0.8, 0.58), (0.5, 0.58), (0.2, 0.72)], colour=pen.accent
    )  # side stripe
    pen.rect(0.0, 0.76, 1.0, 0.94, colour=pen.third, radius=0.09)  # sole
    pen.line([(0.03, 0.86), (0.97, 0.86)], 0.02, colour=pen.accent)  # midsole line
    for k in range(4):  # laces across the instep
        u, v = 0.46 + 0.05 * k, 0.2 + 0.05 * k
        pen.line([(u - 0.02, v + 0.05), (u + 0.03, v - 0.04)], 0.035, colour=WHITE)
    pen.rect(0.0, 0.3, 0.05, 0.5, colour=pen.accent)  # heel tab


def _gift(pen: Pen, rng: random.Random) -> None:
    pen.rect(0.1, 0.4, 0.9, 1.0)  # box
    pen.rect(0.04, 0.28, 0.96, 0.42)  # lid
    pen.rect(0.44, 0.28, 0.56, 1.0, colour=pen.accent)  # ribbon down
    pen.rect(0.1, 0.64, 0.9, 0.74, colour=pen.accent)  # ribbon across
    pen.poly([(0.5, 0.26), (0.2, 0.06), (0.18, 0.26)], colour=pen.accent)  # bow loops
    pen.poly([(0.5, 0.26), (0.8, 0.06), (0.82, 0.26)], colour=pen.accent)
    pen.circle(0.5, 0.24, 0.06, colour=pen.accent)  # knot


def _bicycle(pen: Pen, rng: random.Random) -> None:
    rear, front, crank = (0.2, 0.7), (0.8, 0.7), (0.46, 0.7)
    seat, head = (0.38, 0.26), (0.72, 0.28)
    radius = 0.29  # box heights
    for hub in (rear, front):
        pen.circle(*hub, radius, ring=0.045)
        for k in range(8):  # spokes
            a = math.pi * k / 4
            pen.line(
                [hub, (hub[0] + math.cos(a) * radius / ASPECT["bicycle"], hub[1] + math.sin(a) * radius)],
                0.008,
                colour=pen.third,
            )
    frame = pen.accent
    for a, b in ((rear, crank), (rear, seat), (seat, crank), (seat, head), (head, crank), (head, front)):
        pen.line([a, b], 0.04, colour=frame)
    pen.line([(0.3, 0.2), (0.44, 0.2)], 0.05, colour=frame)  # saddle
    pen.line([seat, (0.37, 0.2)], 0.03, colour=frame)
    pen.line([head, (0.7, 0.14), (0.82, 0.12)], 0.035, colour=frame)  # handlebar
    pen.circle(*crank, 0.05, colour=frame)


DRAWERS = {
    "mountain": _mountain,
    "beach": _beach,
    "city": _city,
    "coffee": _coffee,
    "forest": _forest,
    "flower": _flower,
    "bottle": _bottle,
    "sneaker": _sneaker,
    "gift": _gift,
    "bicycle": _bicycle,
}


def subject_box(subject: str, w: int, h: int, where: str) -> tuple[float, float, float, float]:
    """Where the subject is drawn: scenery spans the frame, objects sit where the description says."""
    ground = h * 0.94
    if subject in SCENERY:
        top = {"low": 0.55, "fill": 0.12}.get(where, 0.3) if subject != "beach" else 0.2
        return (0.0, h * top, float(w), ground if subject != "beach" else float(h))
    size = {"low": 0.4, "fill": 0.86}.get(where, 0.62)
    bh = min(h * size, w * min(0.92, size * 1.4) / ASPECT[subject])
    bw = bh * ASPECT[subject]
    cx = {
        "left": w / 6 if bw < w / 3 else bw / 2 + w * 0.03,
        "right": w * 5 / 6 if bw < w / 3 else w - bw / 2 - w * 0.03,
    }.get(where, w / 2)
    return (cx - bw / 2, ground - bh, cx + bw / 2, ground)


def _pen(draw: ImageDraw.ImageDraw, attrs: ImageAttributes, box, colours: list[RGB]) -> Pen:
    if attrs.style == "outline":  # thin lines in darkened palette colours, so pale palettes still show
        return Pen(draw, box, None, _shade(colours[0], 0.7), _shade(colours[1], 0.7), None, 3)
    outline, width = ((0, 0, 0), 5) if attrs.style == "popart" else (None, 1)
    return Pen(draw, box, colours[0], colours[1], colours[2], outline, width)


def render(attrs: ImageAttributes, seed: int, where: str = "centre") -> Image.Image:
    """The master picture at the size of its intended use; `where` is the description's placement."""
    w, h = USES[attrs.use].size
    colours = [rgb for _, rgb in PALETTES[attrs.palette].colours]
    brightness = TIMES[attrs.time].brightness
    rng = random.Random(seed)
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    if attrs.style == "outline":
        draw.rectangle([(0, 0), (w, h)], fill=_shade((250, 250, 245), 0.6 + 0.4 * brightness))
    else:
        top, bottom = (colours[2], colours[0]) if attrs.style == "gradient" else (colours[1], colours[2])
        for y in range(h):
            t = y / max(1, h - 1)
            a, b = _shade(top, brightness), _shade(bottom, 0.4 + brightness / 2)
            draw.line([(0, y), (w, y)], fill=tuple(int(x + (z - x) * t) for x, z in zip(a, b)))
    if attrs.time == "night":
        for _ in range(40):
            draw.point((rng.randrange(w), rng.randrange(h // 2)), fill=(255, 255, 230))
        draw.ellipse([(w - 90, 30), (w - 50, 70)], fill=(240, 240, 210))
    else:
        sun_y = int(h * (0.5 - 0.35 * brightness))
        draw.ellipse([(w - 110, sun_y), (w - 40, sun_y + 70)], fill=_shade(colours[1], 1.2))
    DRAWERS[attrs.subject](_pen(draw, attrs, subject_box(attrs.subject, w, h, where), colours), rng)
    if attrs.style == "halftone":
        for y in range(0, h, 10):
            for x in range(0 if (y // 10) % 2 else 5, w, 10):
                draw.ellipse([(x, y), (x + 3, y + 3)], fill=_shade(image.getpixel((x, y)), 0.6))
    elif attrs.style == "mosaic":
        image = image.resize((max(1, w // 12), max(1, h // 12)), Image.Resampling.BILINEAR).resize(
            (w, h), Image.Resampling.NEAREST
        )
    return image


def subject_mask(subject: str, use: str, seed: int = 1) -> Image.Image:
    """The subject alone on black, centred at the size of `use`, its main shapes, accents and third-colour
    parts in three grey levels: what it looks like without palette or style, for comparing subjects."""
    w, h = USES[use].size
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    DRAWERS[subject](
        Pen(
            draw,
            subject_box(subject, w, h, "centre"),
            (250, 250, 250),
            (150, 150, 150),
            (80, 80, 80),
            None,
            1,
        ),
        random.Random(seed),
    )
    return image.convert("L")


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def thumbnail(image: Image.Image, size: int = 160) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((size, size))
    return copy
