"""The attribute catalogue images are drawn from: one source for the picture, its description and hashtags.

Each image is one distinct combination (subject, palette, style, mood, time of day, use), so no two
descriptions are the same, and the hashtags classify exactly the attributes the picture shows.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

# subject -> (phrase used in sentences, category, hashtags)
SUBJECTS: dict[str, tuple[str, str, tuple[str, ...]]] = {
    "mountain": ("a range of snow-capped mountains", "travel", ("#mountains", "#outdoors")),
    "beach": ("a quiet beach with rolling waves", "travel", ("#beach", "#ocean")),
    "city": ("a city skyline of tall buildings", "urban", ("#city", "#skyline")),
    "coffee": ("a steaming cup of coffee on a table", "food", ("#coffee", "#cafe")),
    "forest": ("a forest of pine trees", "nature", ("#forest", "#trees")),
    "flower": ("a single blooming flower", "nature", ("#flower", "#bloom")),
    "bottle": ("a product bottle on a pedestal", "product", ("#product", "#packaging")),
    "sneaker": ("a running sneaker in profile", "fashion", ("#sneakers", "#sportswear")),
    "gift": ("a wrapped gift box with a ribbon", "seasonal", ("#gift", "#holidays")),
    "bicycle": ("a city bicycle", "lifestyle", ("#bicycle", "#cycling")),
}

# palette -> (name in sentences, [(colour name, RGB)], hashtag)
PALETTES: dict[str, tuple[str, list[tuple[str, tuple[int, int, int]]], str]] = {
    "sunset": ("warm sunset", [("coral", (255, 111, 97)), ("amber", (255, 191, 0)), ("magenta", (176, 38, 112))],
               "#warmtones"),
    "ocean": ("cool ocean", [("teal", (0, 128, 128)), ("navy", (20, 40, 110)), ("aqua", (110, 220, 230))],
              "#cooltones"),
    "pastel": ("soft pastel", [("blush pink", (244, 194, 194)), ("mint", (189, 236, 182)),
                               ("lavender", (200, 180, 230))], "#pastel"),
    "monochrome": ("black-and-white monochrome", [("charcoal", (40, 40, 40)), ("silver", (190, 190, 190)),
                                                   ("white", (250, 250, 250))], "#monochrome"),
    "earth": ("earthy", [("olive", (110, 120, 50)), ("terracotta", (200, 100, 60)), ("sand", (220, 200, 160))],
              "#earthtones"),
    "neon": ("electric neon", [("hot pink", (255, 20, 147)), ("lime", (50, 255, 50)), ("electric blue", (30, 90, 255))],
             "#neon"),
    "forestgreen": ("deep green", [("emerald", (0, 140, 80)), ("moss", (90, 110, 60)), ("cream", (245, 240, 220))],
                    "#greentones"),
    "gold": ("luxurious gold and black", [("gold", (212, 175, 55)), ("black", (15, 15, 15)), ("ivory", (250, 245, 230))],
             "#goldandblack"),
}

# style -> (phrase, hashtag)
STYLES: dict[str, tuple[str, str]] = {
    "flat": ("flat geometric illustration with clean shapes", "#flatdesign"),
    "outline": ("minimalist line drawing with thin outlines", "#minimalist"),
    "popart": ("bold pop-art graphic with thick black outlines", "#popart"),
    "gradient": ("soft gradient artwork with smooth colour blends", "#gradient"),
    "halftone": ("retro halftone print with dotted textures", "#retro"),
    "mosaic": ("pixel mosaic made of small square tiles", "#pixelart"),
}

# mood -> (adjective, what it feels like, hashtag)
MOODS: dict[str, tuple[str, str, str]] = {
    "calm": ("calm", "quiet, relaxed and unhurried", "#calm"),
    "energetic": ("energetic", "lively, dynamic and full of motion", "#energetic"),
    "festive": ("festive", "celebratory and joyful, ready for a party", "#festive"),
    "nostalgic": ("nostalgic", "wistful, warm and reminiscent of the past", "#nostalgia"),
    "luxurious": ("luxurious", "premium, elegant and exclusive", "#luxury"),
    "playful": ("playful", "fun, cheerful and light-hearted", "#playful"),
}

# time of day -> (phrase, sky brightness 0..1, hashtag)
TIMES: dict[str, tuple[str, float, str]] = {
    "dawn": ("at dawn", 0.75, "#dawn"),
    "midday": ("under the midday sun", 1.0, "#daytime"),
    "dusk": ("at dusk", 0.55, "#dusk"),
    "night": ("at night", 0.25, "#night"),
}

# use -> (phrase, (width, height) of the master file, hashtag, allowed channels)
USES: dict[str, tuple[str, tuple[int, int], str, tuple[str, ...]]] = {
    "instagram": ("a square Instagram post", (640, 640), "#instagram", ("Instagram", "Facebook")),
    "banner": ("a wide web banner", (960, 320), "#webbanner", ("Web", "Google Ads")),
    "story": ("a vertical story for TikTok and Instagram", (360, 640), "#stories", ("TikTok", "Instagram")),
    "email": ("an email newsletter header", (800, 300), "#email", ("Email",)),
    "poster": ("a printed poster", (480, 680), "#poster", ("Print", "Web")),
}


@dataclass(frozen=True)
class ImageAttributes:
    subject: str
    palette: str
    style: str
    mood: str
    time: str
    use: str

    def as_dict(self) -> dict[str, str]:
        return {"subject": self.subject, "palette": self.palette, "style": self.style, "mood": self.mood,
                "time": self.time, "use": self.use}


def draw_attributes(count: int, seed: int) -> list[ImageAttributes]:
    """`count` distinct combinations, chosen deterministically from `seed`.

    Subjects cycle so every subject appears about equally often, which keeps searches by subject meaningful.
    """
    rng = random.Random(seed)
    by_subject = {}
    for subject in SUBJECTS:
        combos = list(itertools.product([subject], PALETTES, STYLES, MOODS, TIMES, USES))
        rng.shuffle(combos)
        by_subject[subject] = combos
    subjects = list(SUBJECTS)
    total = len(subjects) * len(by_subject[subjects[0]])
    if count > total:
        raise ValueError(f"at most {total:,} distinct images can be generated (asked for {count:,})")
    chosen = []
    for i in range(count):
        chosen.append(ImageAttributes(*by_subject[subjects[i % len(subjects)]][i // len(subjects)]))
    return chosen
