"""Pillow compositions that show what the description says: subject shape, palette, style, time of day."""

from __future__ import annotations

import io
import random

from PIL import Image, ImageDraw

from generators.content.attributes import PALETTES, TIMES, USES, ImageAttributes

RGB = tuple[int, int, int]


def _shade(colour: RGB, factor: float) -> RGB:
    return tuple(max(0, min(255, int(c * factor))) for c in colour)  # type: ignore[return-value]


def _sky(draw: ImageDraw.ImageDraw, w: int, h: int, top: RGB, bottom: RGB) -> None:
    for y in range(h):
        t = y / max(1, h - 1)
        draw.line([(0, y), (w, y)], fill=tuple(int(a + (b - a) * t) for a, b in zip(top, bottom)))


def _subject(draw: ImageDraw.ImageDraw, subject: str, w: int, h: int, fill: RGB, accent: RGB,
             outline: RGB | None, width: int, rng: random.Random) -> None:
    s = min(w, h)
    cx, base = w // 2, int(h * 0.85)
    kw = {"outline": outline, "width": width}
    if subject == "mountain":
        for i, x in enumerate((0.3, 0.6, 0.8)):
            peak = (int(w * x), int(h * (0.25 + 0.1 * i)))
            draw.polygon([(peak[0] - s // 3, base), peak, (peak[0] + s // 3, base)], fill=fill, **kw)
            draw.polygon([(peak[0] - s // 14, peak[1] + s // 10), peak, (peak[0] + s // 14, peak[1] + s // 10)],
                         fill=(250, 250, 250))
    elif subject == "beach":
        for i in range(4):
            y = int(h * (0.55 + 0.08 * i))
            draw.arc([(-w // 4, y - s // 10), (w + w // 4, y + s // 10)], 200, 340, fill=accent, width=max(3, width))
        draw.rectangle([(0, int(h * 0.82)), (w, h)], fill=fill, **kw)
    elif subject == "city":
        x = 0
        while x < w:
            bw = rng.randint(s // 12, s // 6)
            top = int(h * rng.uniform(0.25, 0.6))
            draw.rectangle([(x, top), (x + bw, base)], fill=fill, **kw)
            for wy in range(top + 8, base - 8, 18):
                draw.rectangle([(x + 4, wy), (x + 8, wy + 6)], fill=accent)
            x += bw + 4
    elif subject == "coffee":
        draw.rectangle([(cx - s // 5, int(h * 0.45)), (cx + s // 5, base)], fill=fill, **kw)
        draw.arc([(cx + s // 8, int(h * 0.5)), (cx + s // 3, int(h * 0.7))], 270, 90, fill=fill, width=max(6, width))
        for i in (-1, 0, 1):
            draw.arc([(cx + i * s // 12 - 8, int(h * 0.25)), (cx + i * s // 12 + 8, int(h * 0.42))], 90, 270,
                     fill=accent, width=3)
    elif subject == "forest":
        for i in range(7):
            x = int(w * (0.08 + 0.14 * i))
            top = int(h * rng.uniform(0.3, 0.5))
            draw.polygon([(x - s // 12, base), (x, top), (x + s // 12, base)], fill=fill, **kw)
            draw.rectangle([(x - 3, base), (x + 3, base + 10)], fill=accent)
    elif subject == "flower":
        cy = int(h * 0.45)
        draw.line([(cx, cy), (cx, base)], fill=accent, width=6)
        for i in range(6):
            ox = int(s * 0.1 * [1, 0.5, -0.5, -1, -0.5, 0.5][i])
            oy = int(s * 0.1 * [0, 0.87, 0.87, 0, -0.87, -0.87][i])
            draw.ellipse([(cx + ox - s // 10, cy + oy - s // 10), (cx + ox + s // 10, cy + oy + s // 10)], fill=fill, **kw)
        draw.ellipse([(cx - s // 16, cy - s // 16), (cx + s // 16, cy + s // 16)], fill=accent)
    elif subject == "bottle":
        draw.rectangle([(cx - s // 4, base - s // 20), (cx + s // 4, base)], fill=accent, **kw)
        draw.rounded_rectangle([(cx - s // 9, int(h * 0.35)), (cx + s // 9, base - s // 20)], radius=s // 20,
                               fill=fill, **kw)
        draw.rectangle([(cx - s // 30, int(h * 0.25)), (cx + s // 30, int(h * 0.35))], fill=fill, **kw)
    elif subject == "sneaker":
        draw.chord([(cx - s // 3, int(h * 0.45)), (cx + s // 3, base + s // 6)], 180, 360, fill=fill, **kw)
        draw.rectangle([(cx - s // 3, base - s // 40), (cx + s // 3, base + s // 40)], fill=accent, **kw)
    elif subject == "gift":
        top = int(h * 0.4)
        draw.rectangle([(cx - s // 4, top), (cx + s // 4, base)], fill=fill, **kw)
        draw.rectangle([(cx - s // 40, top), (cx + s // 40, base)], fill=accent)
        draw.rectangle([(cx - s // 4, (top + base) // 2 - s // 40), (cx + s // 4, (top + base) // 2 + s // 40)], fill=accent)
        draw.ellipse([(cx - s // 8, top - s // 10), (cx, top)], outline=accent, width=5)
        draw.ellipse([(cx, top - s // 10), (cx + s // 8, top)], outline=accent, width=5)
    elif subject == "bicycle":
        r = s // 7
        for x in (cx - s // 4, cx + s // 4):
            draw.ellipse([(x - r, base - 2 * r), (x + r, base)], outline=fill, width=max(5, width))
        hub = (cx, base - r)
        draw.line([(cx - s // 4, base - r), hub, (cx + s // 4, base - r), (cx + s // 12, base - 2 * r),
                   (cx - s // 12, base - 2 * r), (cx - s // 4, base - r)], fill=accent, width=5)


def render(attrs: ImageAttributes, seed: int) -> Image.Image:
    """The master picture at the size of its intended use."""
    w, h = USES[attrs.use][1]
    colours = [rgb for _, rgb in PALETTES[attrs.palette][1]]
    brightness = TIMES[attrs.time][1]
    rng = random.Random(seed)
    image = Image.new("RGB", (w, h))
    draw = ImageDraw.Draw(image)
    if attrs.style == "outline":
        draw.rectangle([(0, 0), (w, h)], fill=_shade((250, 250, 245), 0.6 + 0.4 * brightness))
    elif attrs.style == "gradient":
        _sky(draw, w, h, _shade(colours[2], brightness), _shade(colours[0], 0.5 + brightness / 2))
    else:
        _sky(draw, w, h, _shade(colours[1], brightness), _shade(colours[2], 0.4 + brightness / 2))
    if attrs.time == "night":
        for _ in range(40):
            x, y = rng.randrange(w), rng.randrange(h // 2)
            draw.point((x, y), fill=(255, 255, 230))
        draw.ellipse([(w - 90, 30), (w - 50, 70)], fill=(240, 240, 210))
    else:
        sun = _shade(colours[1], 1.2)
        draw.ellipse([(w - 110, int(h * (0.5 - 0.35 * brightness))), (w - 40, int(h * (0.5 - 0.35 * brightness)) + 70)],
                     fill=sun)
    fill, accent = colours[0], colours[1]
    outline, width = None, 1
    if attrs.style == "outline":
        fill, outline, width = None, colours[0], 3  # type: ignore[assignment]
    elif attrs.style == "popart":
        outline, width = (0, 0, 0), 6
    _subject(draw, attrs.subject, w, h, fill, accent, outline, width, rng)
    if attrs.style == "halftone":
        for y in range(0, h, 10):
            for x in range(0 if (y // 10) % 2 else 5, w, 10):
                draw.ellipse([(x, y), (x + 3, y + 3)], fill=_shade(image.getpixel((x, y)), 0.6))
    elif attrs.style == "mosaic":
        image = image.resize((max(1, w // 16), max(1, h // 16)), Image.Resampling.BILINEAR).resize(
            (w, h), Image.Resampling.NEAREST)
    return image


def png_bytes(image: Image.Image) -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format="PNG", optimize=False)
    return buffer.getvalue()


def thumbnail(image: Image.Image, size: int = 160) -> Image.Image:
    copy = image.copy()
    copy.thumbnail((size, size))
    return copy
