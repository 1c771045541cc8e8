"""The attribute catalogue images are drawn from: one source for the picture, its descriptions and hashtags.

Each image is one distinct combination (subject, palette, style, mood, time of day, use), so no two
descriptions are the same, and the hashtags classify exactly the attributes the picture shows. Every
phrase is given in English and Spanish (`Text`), so both descriptions say the same thing. Hashtags are
written as the words they stand for ("earth tones" -> #earthtones): the search indexes those words.
"""

from __future__ import annotations

import itertools
import random
from dataclasses import dataclass

RGB = tuple[int, int, int]


@dataclass(frozen=True)
class Text:
    en: str
    es: str

    def __getitem__(self, language: str) -> str:
        return getattr(self, language)


def hashtag(words: str) -> str:
    """#earthtones from 'earth tones': lower case, no spaces or hyphens (accents kept: #montañas)."""
    return "#" + "".join(ch for ch in words.lower() if ch.isalnum())


@dataclass(frozen=True)
class Subject:
    phrase: Text  # how the description names what is drawn
    noun: Text  # the short name of the subject, what a search for it most likely says
    category: Text
    tags: tuple[Text, ...]
    # Everyday words for the same thing (two or three per language, from common usage): a search that says
    # "bike" or "bici" means the bicycle. They go into the image's subject words, not its description.
    synonyms: Text = Text("", "")


@dataclass(frozen=True)
class Palette:
    name: Text
    colours: tuple[tuple[Text, RGB], ...]  # main fill, accent, third colour
    tag: Text


@dataclass(frozen=True)
class Style:
    phrase: Text  # the Spanish phrase carries its article (una ilustración, un dibujo)
    tag: Text


@dataclass(frozen=True)
class Mood:
    adjective: Text  # Spanish in the masculine, for "el ambiente"
    adjective_es_feminine: str  # for "una imagen"
    feel: Text
    tag: Text


@dataclass(frozen=True)
class TimeOfDay:
    phrase: Text
    brightness: float  # of the sky, 0..1
    tag: Text


@dataclass(frozen=True)
class Use:
    phrase: Text
    size: tuple[int, int]  # width, height of the master file
    tag: Text
    channels: tuple[str, ...]  # usage rights: where the image may run


T = Text
SUBJECTS: dict[str, Subject] = {
    "mountain": Subject(
        T("a range of snow-capped mountains", "una cordillera de montañas nevadas"),
        T("mountains", "montañas"),
        T("travel", "viajes"),
        (T("mountains", "montañas"), T("outdoors", "aire libre")),
        synonyms=T("peaks, summit", "picos, cumbre, sierra"),
    ),
    "beach": Subject(
        T(
            "a quiet beach with rolling waves and a striped parasol",
            "una playa tranquila con olas y una sombrilla de rayas",
        ),
        T("beach", "playa"),
        T("travel", "viajes"),
        (T("beach", "playa"), T("ocean", "mar")),
        synonyms=T("seaside, shore, coast", "costa, orilla, mar"),
    ),
    "city": Subject(
        T(
            "a city skyline of tall buildings with lit windows",
            "el perfil de una ciudad con edificios altos y ventanas iluminadas",
        ),
        T("city skyline", "ciudad"),
        T("urban", "urbano"),
        (T("city", "ciudad"), T("skyline", "rascacielos")),
        synonyms=T("buildings, downtown, skyscrapers", "edificios, centro, rascacielos"),
    ),
    "coffee": Subject(
        T("a steaming cup of coffee on a saucer", "una taza de café humeante sobre un platillo"),
        T("cup of coffee", "taza de café"),
        T("food", "gastronomía"),
        (T("coffee", "café"), T("cafe", "cafetería")),
        synonyms=T("mug, espresso, cafe", "tazón, espresso, cafetería"),
    ),
    "forest": Subject(
        T("a forest of pine trees", "un bosque de pinos"),
        T("pine forest", "bosque de pinos"),
        T("nature", "naturaleza"),
        (T("forest", "bosque"), T("trees", "árboles")),
        synonyms=T("woods, woodland, trees", "arboleda, árboles, pinar"),
    ),
    "flower": Subject(
        T("a single blooming flower with two leaves", "una flor abierta con dos hojas"),
        T("flower", "flor"),
        T("nature", "naturaleza"),
        (T("flower", "flor"), T("bloom", "floración")),
        synonyms=T("blossom, petals, bloom", "pétalos, ramo, floración"),
    ),
    "bottle": Subject(
        T(
            "a labelled product bottle on a pedestal",
            "una botella de producto con etiqueta sobre un pedestal",
        ),
        T("product bottle", "botella"),
        T("product", "producto"),
        (T("product", "producto"), T("packaging", "envase")),
        synonyms=T("packaging, flask, container", "frasco, envase, recipiente"),
    ),
    "sneaker": Subject(
        T("a laced running sneaker in profile", "una zapatilla deportiva con cordones, de perfil"),
        T("running sneaker", "zapatilla deportiva"),
        T("fashion", "moda"),
        (T("sneakers", "zapatillas"), T("sportswear", "ropa deportiva")),
        synonyms=T("trainers, shoes, running shoes", "tenis, zapatos, calzado deportivo"),
    ),
    "gift": Subject(
        T("a wrapped gift box with a ribbon and a bow", "una caja de regalo envuelta con cinta y lazo"),
        T("gift box", "caja de regalo"),
        T("seasonal", "temporada"),
        (T("gift", "regalo"), T("holidays", "fiestas")),
        synonyms=T("present, package, wrapped box", "obsequio, paquete, detalle"),
    ),
    "bicycle": Subject(
        T("a city bicycle", "una bicicleta urbana"),
        T("bicycle", "bicicleta"),
        T("lifestyle", "estilo de vida"),
        (T("bicycle", "bicicleta"), T("cycling", "ciclismo")),
        synonyms=T("bike, cycle", "bici, ciclismo"),
    ),
}

PALETTES: dict[str, Palette] = {
    "sunset": Palette(
        T("warm sunset", "cálida de ocaso"),
        (
            (T("coral", "coral"), (255, 111, 97)),
            (T("amber", "ámbar"), (255, 191, 0)),
            (T("magenta", "magenta"), (176, 38, 112)),
        ),
        T("warm tones", "tonos cálidos"),
    ),
    "ocean": Palette(
        T("cool ocean", "fría de océano"),
        (
            (T("teal", "verde azulado"), (0, 128, 128)),
            (T("navy", "azul marino"), (20, 40, 110)),
            (T("aqua", "aguamarina"), (110, 220, 230)),
        ),
        T("cool tones", "tonos fríos"),
    ),
    "pastel": Palette(
        T("soft pastel", "pastel suave"),
        (
            (T("blush pink", "rosa empolvado"), (244, 194, 194)),
            (T("mint", "menta"), (189, 236, 182)),
            (T("lavender", "lavanda"), (200, 180, 230)),
        ),
        T("pastel", "pastel"),
    ),
    "monochrome": Palette(
        T("black-and-white monochrome", "monocroma en blanco y negro"),
        (
            (T("charcoal", "carbón"), (40, 40, 40)),
            (T("silver", "plata"), (190, 190, 190)),
            (T("white", "blanco"), (250, 250, 250)),
        ),
        T("monochrome", "monocromo"),
    ),
    "earth": Palette(
        T("earthy", "de tonos tierra"),
        (
            (T("olive", "oliva"), (110, 120, 50)),
            (T("terracotta", "terracota"), (200, 100, 60)),
            (T("sand", "arena"), (220, 200, 160)),
        ),
        T("earth tones", "tonos tierra"),
    ),
    "neon": Palette(
        T("electric neon", "de neón eléctrico"),
        (
            (T("hot pink", "rosa intenso"), (255, 20, 147)),
            (T("lime", "lima"), (50, 255, 50)),
            (T("electric blue", "azul eléctrico"), (30, 90, 255)),
        ),
        T("neon", "neón"),
    ),
    "forestgreen": Palette(
        T("deep green", "verde profundo"),
        (
            (T("emerald", "esmeralda"), (0, 140, 80)),
            (T("moss", "musgo"), (90, 110, 60)),
            (T("cream", "crema"), (245, 240, 220)),
        ),
        T("green tones", "tonos verdes"),
    ),
    "gold": Palette(
        T("luxurious gold and black", "lujosa en dorado y negro"),
        (
            (T("gold", "oro"), (212, 175, 55)),
            (T("black", "negro"), (15, 15, 15)),
            (T("ivory", "marfil"), (250, 245, 230)),
        ),
        T("gold and black", "dorado y negro"),
    ),
}

STYLES: dict[str, Style] = {
    "flat": Style(
        T(
            "flat geometric illustration with clean shapes",
            "una ilustración geométrica plana de formas limpias",
        ),
        T("flat design", "diseño plano"),
    ),
    "outline": Style(
        T("minimalist line drawing with thin outlines", "un dibujo minimalista de líneas finas"),
        T("minimalist", "minimalista"),
    ),
    "popart": Style(
        T(
            "bold pop-art graphic with thick black outlines",
            "un gráfico de arte pop con gruesos contornos negros",
        ),
        T("pop art", "arte pop"),
    ),
    "gradient": Style(
        T(
            "soft gradient artwork with smooth colour blends",
            "una obra en degradado suave con transiciones de color",
        ),
        T("gradient", "degradado"),
    ),
    "halftone": Style(
        T(
            "retro halftone print with dotted textures",
            "una impresión retro en semitono con texturas de puntos",
        ),
        T("retro", "retro"),
    ),
    "mosaic": Style(
        T(
            "pixel mosaic made of small square tiles",
            "un mosaico de píxeles hecho de pequeñas teselas cuadradas",
        ),
        T("pixel art", "pixel art"),
    ),
}

MOODS: dict[str, Mood] = {
    "calm": Mood(
        T("calm", "tranquilo"),
        "tranquila",
        T("quiet, relaxed and unhurried", "sereno, relajado y pausado"),
        T("calm", "calma"),
    ),
    "energetic": Mood(
        T("energetic", "enérgico"),
        "enérgica",
        T("lively, dynamic and full of motion", "vivo, dinámico y lleno de movimiento"),
        T("energetic", "energía"),
    ),
    "festive": Mood(
        T("festive", "festivo"),
        "festiva",
        T("celebratory and joyful, ready for a party", "alegre y de celebración, listo para una fiesta"),
        T("festive", "festivo"),
    ),
    "nostalgic": Mood(
        T("nostalgic", "nostálgico"),
        "nostálgica",
        T("wistful, warm and reminiscent of the past", "melancólico, cálido y evocador del pasado"),
        T("nostalgia", "nostalgia"),
    ),
    "luxurious": Mood(
        T("luxurious", "lujoso"),
        "lujosa",
        T("premium, elegant and exclusive", "exclusivo, elegante y de alta gama"),
        T("luxury", "lujo"),
    ),
    "playful": Mood(
        T("playful", "divertido"),
        "divertida",
        T("fun, cheerful and light-hearted", "alegre, desenfadado y juguetón"),
        T("playful", "divertido"),
    ),
}

TIMES: dict[str, TimeOfDay] = {
    "dawn": TimeOfDay(T("at dawn", "al amanecer"), 0.75, T("dawn", "amanecer")),
    "midday": TimeOfDay(T("under the midday sun", "bajo el sol del mediodía"), 1.0, T("daytime", "mediodía")),
    "dusk": TimeOfDay(T("at dusk", "al atardecer"), 0.55, T("dusk", "atardecer")),
    "night": TimeOfDay(T("at night", "de noche"), 0.25, T("night", "noche")),
}

USES: dict[str, Use] = {
    "instagram": Use(
        T("a square Instagram post", "una publicación cuadrada de Instagram"),
        (640, 640),
        T("instagram", "instagram"),
        ("Instagram", "Facebook"),
    ),
    "banner": Use(
        T("a wide web banner", "un banner web panorámico"),
        (960, 320),
        T("web banner", "banner web"),
        ("Web", "Google Ads"),
    ),
    "story": Use(
        T("a vertical story for TikTok and Instagram", "una historia vertical para TikTok e Instagram"),
        (360, 640),
        T("stories", "historias"),
        ("TikTok", "Instagram"),
    ),
    "email": Use(
        T("an email newsletter header", "una cabecera de boletín por correo electrónico"),
        (800, 300),
        T("email", "boletín"),
        ("Email",),
    ),
    "poster": Use(
        T("a printed poster", "un cartel impreso"), (480, 680), T("poster", "cartel"), ("Print", "Web")
    ),
}

# Where the subject sits (the picture honours it); varies by code so near-identical combinations differ.
PLACEMENTS: dict[str, Text] = {
    "centre": T("centred in the frame", "con el motivo centrado en el encuadre"),
    "left": T("set in the left third", "con el motivo en el tercio izquierdo"),
    "right": T("set in the right third", "con el motivo en el tercio derecho"),
    "low": T("low in the frame under open space", "con el motivo abajo, bajo un cielo abierto"),
    "fill": T("filling the frame edge to edge", "con el motivo llenando el encuadre de borde a borde"),
}


def placement(number: int) -> str:
    return list(PLACEMENTS)[number % len(PLACEMENTS)]


@dataclass(frozen=True)
class ImageAttributes:
    subject: str
    palette: str
    style: str
    mood: str
    time: str
    use: str

    def as_dict(self) -> dict[str, str]:
        return {
            "subject": self.subject,
            "palette": self.palette,
            "style": self.style,
            "mood": self.mood,
            "time": self.time,
            "use": self.use,
        }


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
