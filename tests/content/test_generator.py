"""The generator on its own: deterministic, distinct, coherent descriptions and hashtags, real PNG files."""

from __future__ import annotations

import io

from PIL import Image

from generators.content import build_documents, describe
from generators.content.attributes import PALETTES, SUBJECTS, USES, draw_attributes
from generators.options import SeedOptions


def test_same_seed_same_images_and_descriptions() -> None:
    first, second = build_documents(SeedOptions(seed=7, images=12)), build_documents(SeedOptions(seed=7, images=12))
    assert [d for d, _, _ in first] == [d for d, _, _ in second]
    assert [m for _, m, _ in first] == [m for _, m, _ in second]
    other = build_documents(SeedOptions(seed=8, images=12))
    assert [d["description"] for d, _, _ in other] != [d["description"] for d, _, _ in first]


def test_attribute_combinations_and_descriptions_are_distinct() -> None:
    attrs = draw_attributes(400, 42)
    assert len(set(attrs)) == 400
    texts = [describe.description(a, i) for i, a in enumerate(attrs, start=1)]
    assert len(set(texts)) == 400
    assert all(len(t.split(". ")) >= 4 for t in texts)  # several sentences


def test_description_and_hashtags_come_from_the_same_attributes() -> None:
    for doc, master, thumb in build_documents(SeedOptions(seed=3, images=20)):
        a = doc["attributes"]
        text = doc["description"]
        assert SUBJECTS[a["subject"]][0] in text
        assert PALETTES[a["palette"]][0] in text
        assert all(name in text for name, _ in PALETTES[a["palette"]][1])
        assert set(SUBJECTS[a["subject"]][2]) <= set(doc["hashtags"])
        assert PALETTES[a["palette"]][2] in doc["hashtags"]
        picture = Image.open(io.BytesIO(master))
        assert picture.format == "PNG" and picture.size == USES[a["use"]][1]
        assert Image.open(io.BytesIO(thumb)).size[0] <= 160


def _cosine(a: tuple[int, ...], b: tuple[int, ...]) -> float:
    dot = sum(x * y for x, y in zip(a, b))
    return dot / ((sum(x * x for x in a) ** 0.5) * (sum(y * y for y in b) ** 0.5) or 1)


def test_the_picture_carries_its_palette() -> None:
    # Most pixels have the hue of one palette colour (brightness varies with the time of day):
    # the file shows what its description says.
    for doc, master, _ in build_documents(SeedOptions(seed=5, images=12)):
        if doc["attributes"]["style"] == "outline":
            continue  # line drawings on paper: the palette is only in the thin outlines
        picture = Image.open(io.BytesIO(master)).convert("RGB").resize((48, 48))
        palette = [rgb for _, rgb in PALETTES[doc["attributes"]["palette"]][1]]
        pixels = [p for p in (picture.getpixel((x, y)) for x in range(48) for y in range(48)) if sum(p) > 60]
        near = sum(1 for p in pixels if max(_cosine(p, c) for c in palette) > 0.95)
        assert near / len(pixels) > 0.5, (doc["code"], doc["attributes"], near / len(pixels))
