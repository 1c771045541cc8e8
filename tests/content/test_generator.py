"""The generator on its own: deterministic, distinct, coherent descriptions and hashtags in English and
Spanish, real PNG files that show their palette, subjects drawn so that each is told from every other, and
the contact sheet in docs/ up to date."""

from __future__ import annotations

import io
import re

import numpy as np
import pytest
from PIL import Image
from promptsales.generators.content import build_documents, describe
from promptsales.generators.content.attributes import PALETTES, SUBJECTS, USES, draw_attributes
from promptsales.generators.content.contact_sheet import DEFAULT_OUT, contact_sheet
from promptsales.generators.content.render import subject_mask
from promptsales.generators.options import SeedOptions
from promptsales.settings import PROJECT_ROOT

# English words of the descriptions' own sentences; none may appear in a Spanish description.
ENGLISH_FRAME = {
    "the",
    "and",
    "showing",
    "palette",
    "mood",
    "designed",
    "suited",
    "campaigns",
    "that",
    "want",
    "with",
    "for",
    "frame",
    "dominate",
    "scene",
    "headline",
    "clear",
    "space",
}


def test_same_seed_same_images_and_descriptions() -> None:
    first, second = (
        build_documents(SeedOptions(seed=7, images=12)),
        build_documents(SeedOptions(seed=7, images=12)),
    )
    assert [d for d, _, _ in first] == [d for d, _, _ in second]
    assert [m for _, m, _ in first] == [m for _, m, _ in second]
    other = build_documents(SeedOptions(seed=8, images=12))
    assert [d["description"] for d, _, _ in other] != [d["description"] for d, _, _ in first]


def test_attribute_combinations_and_descriptions_are_distinct() -> None:
    attrs = draw_attributes(400, 42)
    assert len(set(attrs)) == 400
    for language in describe.LANGUAGES:
        texts = [describe.description(a, i, language) for i, a in enumerate(attrs, start=1)]
        assert len(set(texts)) == 400
        assert all(len(t.split(". ")) >= 4 for t in texts)  # several sentences


def test_descriptions_and_hashtags_come_from_the_same_attributes_in_both_languages() -> None:
    for doc, master, thumb in build_documents(SeedOptions(seed=3, images=20)):
        a, spanish = doc["attributes"], doc["translations"]["es"]
        subject, palette = SUBJECTS[a["subject"]], PALETTES[a["palette"]]
        for language, texts in (("en", doc), ("es", spanish)):
            assert subject.phrase[language] in texts["description"]
            assert all(name[language] in texts["description"] for name, _ in palette.colours)
            assert subject.noun[language] in texts["subject"]
            assert len(texts["hashtags"]) >= 6 and all(
                re.fullmatch(r"#[a-z0-9áéíóúüñ]+", t) for t in texts["hashtags"]
            )
        assert len(doc["hashtags"]) == len(spanish["hashtags"])  # one Spanish hashtag per English one
        assert "#sneakers" not in spanish["hashtags"] and "#beach" not in spanish["hashtags"]
        words = set(re.findall(r"[a-záéíóúüñ]+", spanish["description"].lower()))
        assert not words & ENGLISH_FRAME, (doc["code"], words & ENGLISH_FRAME)
        picture = Image.open(io.BytesIO(master))
        assert picture.format == "PNG" and picture.size == USES[a["use"]].size
        assert Image.open(io.BytesIO(thumb)).size[0] <= 160


@pytest.mark.parametrize(
    ("items", "joined"),
    [
        (["coral", "ámbar", "magenta"], "coral, ámbar y magenta"),
        (["TikTok", "Instagram"], "TikTok e Instagram"),  # "e" before an /i/ sound
        (["música", "hielo"], "música y hielo"),  # but "y" before "hie"
        (["Email"], "Email"),
    ],
)
def test_spanish_lists_use_y_or_e(items: list[str], joined: str) -> None:
    assert describe._join_es(items) == joined


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
        palette = [rgb for _, rgb in PALETTES[doc["attributes"]["palette"]].colours]
        pixels = [p for p in (picture.getpixel((x, y)) for x in range(48) for y in range(48)) if sum(p) > 60]
        near = sum(1 for p in pixels if max(_cosine(p, c) for c in palette) > 0.95)
        assert near / len(pixels) > 0.5, (doc["code"], doc["attributes"], near / len(pixels))


def _shape(subject: str, use: str) -> np.ndarray:
    """The subject alone, cropped to its bounding box and scaled to 32x32 grey levels (0..1)."""
    mask = subject_mask(subject, use)
    return np.asarray(mask.crop(mask.getbbox()).resize((32, 32)), dtype=float) / 255


def _similarity(a: np.ndarray, b: np.ndarray) -> float:
    return 1 - float(np.abs(a - b).mean())


def test_every_subject_is_drawn_unlike_every_other_in_every_format() -> None:
    """Each subject's drawing (shapes, accents and parts, without palette or style), at every format's
    proportions, stays close to its own square drawing and far from every other subject's: a nearest
    match tells every subject apart, with a margin."""
    square = {subject: _shape(subject, "instagram") for subject in SUBJECTS}
    for use in USES:
        for subject in SUBJECTS:
            shape = _shape(subject, use)
            own = _similarity(shape, square[subject])
            closest_other, other = max((_similarity(shape, square[s]), s) for s in SUBJECTS if s != subject)
            assert own >= 0.95, (subject, use, own)
            assert closest_other <= 0.85, (subject, use, other, closest_other)
            assert own - closest_other >= 0.15, (subject, use, other)


def test_the_contact_sheet_in_docs_shows_what_the_generator_draws() -> None:
    committed = Image.open(PROJECT_ROOT / DEFAULT_OUT).convert("RGB")
    drawn = contact_sheet(SeedOptions(seed=42, images=100)).convert("RGB")
    assert committed.size == drawn.size
    difference = np.abs(np.asarray(committed, dtype=int) - np.asarray(drawn, dtype=int))
    assert difference.mean() < 1.0, "regenerate it: python -m promptsales.generators.content.contact_sheet"
