"""Title, description, hashtags and categories, all from the same attributes the picture was drawn from."""

from __future__ import annotations

from generators.content.attributes import MOODS, PALETTES, STYLES, SUBJECTS, TIMES, USES, ImageAttributes

# Where the subject sits; varies by code so even near-identical combinations read differently.
PLACEMENTS = ("centred in the frame", "set in the left third", "set in the right third",
              "low in the frame under open space", "filling the frame edge to edge")


def title(attrs: ImageAttributes) -> str:
    return f"{MOODS[attrs.mood][0].capitalize()} {attrs.subject} {TIMES[attrs.time][0]}, {PALETTES[attrs.palette][0]}"


def description(attrs: ImageAttributes, number: int) -> str:
    subject_phrase = SUBJECTS[attrs.subject][0]
    palette_name, colours, _ = PALETTES[attrs.palette]
    colour_names = ", ".join(name for name, _ in colours[:-1]) + f" and {colours[-1][0]}"
    mood, mood_feel, _ = MOODS[attrs.mood]
    use_phrase, (w, h), _, channels = USES[attrs.use]
    placement = PLACEMENTS[number % len(PLACEMENTS)]
    return (
        f"A {STYLES[attrs.style][0]} showing {subject_phrase} {TIMES[attrs.time][0]}, {placement}. "
        f"The palette is {palette_name}: {colour_names} dominate the scene. "
        f"The mood is {mood}, {mood_feel}. "
        f"Designed as {use_phrase} ({w}x{h} px) for {' and '.join(channels)}, with clear space for a headline. "
        f"Suited to {SUBJECTS[attrs.subject][1]} campaigns that want {_article(mood)} {mood} {attrs.subject} visual."
    )


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def hashtags(attrs: ImageAttributes) -> list[str]:
    tags = [*SUBJECTS[attrs.subject][2], PALETTES[attrs.palette][2], STYLES[attrs.style][1],
            MOODS[attrs.mood][2], TIMES[attrs.time][2], USES[attrs.use][2], f"#{SUBJECTS[attrs.subject][1]}"]
    return list(dict.fromkeys(tags))


def categories(attrs: ImageAttributes) -> list[str]:
    return [SUBJECTS[attrs.subject][1], attrs.mood, attrs.use]
