"""Titles, descriptions, hashtags and categories in English and Spanish, all from the attributes the picture
was drawn from (and the placement it was drawn at)."""

from __future__ import annotations

from promptsales.generators.content.attributes import (
    MOODS,
    PALETTES,
    PLACEMENTS,
    STYLES,
    SUBJECTS,
    TIMES,
    USES,
    ImageAttributes,
    hashtag,
    placement,
)

LANGUAGES = ("en", "es")
# Channel names as a Spanish sentence says them (the usage rights keep the English names).
CHANNELS_ES = {"Email": "correo electrónico", "Print": "impresión"}


def title(attrs: ImageAttributes, language: str = "en") -> str:
    subject, time, palette = SUBJECTS[attrs.subject], TIMES[attrs.time], PALETTES[attrs.palette]
    if language == "es":
        return f"{_capital(subject.noun.es)} {time.phrase.es}, paleta {palette.name.es}"
    return (
        f"{MOODS[attrs.mood].adjective.en.capitalize()} {attrs.subject} {time.phrase.en}, {palette.name.en}"
    )


def description(attrs: ImageAttributes, number: int, language: str = "en") -> str:
    subject, palette, style = SUBJECTS[attrs.subject], PALETTES[attrs.palette], STYLES[attrs.style]
    mood, time, use = MOODS[attrs.mood], TIMES[attrs.time], USES[attrs.use]
    w, h = use.size
    where = PLACEMENTS[placement(number)]
    colours = [name[language] for name, _ in palette.colours]
    if language == "es":
        channels = [CHANNELS_ES.get(c, c) for c in use.channels]
        return (
            f"{_capital(style.phrase.es)} que muestra {subject.phrase.es} {time.phrase.es}, {where.es}. "
            f"Paleta {palette.name.es}: predominan {_join_es(colours)}. "
            f"El ambiente es {mood.adjective.es}, {mood.feel.es}. "
            f"Formato: {use.phrase.es} ({w}x{h} px) para {_join_es(channels)}, con espacio libre para un titular. "
            f"Ideal para campañas de {subject.category.es} que buscan una imagen {mood.adjective_es_feminine} "
            f"de {subject.noun.es}."
        )
    return (
        f"A {style.phrase.en} showing {subject.phrase.en} {time.phrase.en}, {where.en}. "
        f"The palette is {palette.name.en}: {', '.join(colours[:-1])} and {colours[-1]} dominate the scene. "
        f"The mood is {mood.adjective.en}, {mood.feel.en}. "
        f"Designed as {use.phrase.en} ({w}x{h} px) for {' and '.join(use.channels)}, with clear space for a "
        f"headline. Suited to {subject.category.en} campaigns that want {_article(mood.adjective.en)} "
        f"{mood.adjective.en} {attrs.subject} visual."
    )


def _capital(text: str) -> str:
    return text[:1].upper() + text[1:]


def _article(word: str) -> str:
    return "an" if word[0] in "aeiou" else "a"


def _join_es(items: list[str]) -> str:
    # Spanish writes "e" for "y" before a word that starts with the sound /i/ (TikTok e Instagram).
    last = items[-1]
    conjunction = "e" if last.lower().startswith(("i", "hi")) and not last.lower().startswith("hie") else "y"
    return last if len(items) == 1 else f"{', '.join(items[:-1])} {conjunction} {last}"


def hashtag_words(attrs: ImageAttributes, language: str = "en") -> list[str]:
    """The words behind each hashtag, subject first, in the order hashtags() lists them."""
    subject = SUBJECTS[attrs.subject]
    words = [
        *(t[language] for t in subject.tags),
        PALETTES[attrs.palette].tag[language],
        STYLES[attrs.style].tag[language],
        MOODS[attrs.mood].tag[language],
        TIMES[attrs.time].tag[language],
        USES[attrs.use].tag[language],
        subject.category[language],
    ]
    return list({hashtag(w): w for w in words}.values())


def hashtags(attrs: ImageAttributes, language: str = "en") -> list[str]:
    return [hashtag(w) for w in hashtag_words(attrs, language)]


def subject_words(attrs: ImageAttributes, language: str = "en") -> str:
    """What the picture shows, in a few words: its noun, its subject hashtags' words and everyday synonyms."""
    subject = SUBJECTS[attrs.subject]
    synonyms = [w.strip() for w in subject.synonyms[language].split(",") if w.strip()]
    return ", ".join(dict.fromkeys([subject.noun[language], *(t[language] for t in subject.tags), *synonyms]))


def categories(attrs: ImageAttributes) -> list[str]:
    return [SUBJECTS[attrs.subject].category.en, attrs.mood, attrs.use]
