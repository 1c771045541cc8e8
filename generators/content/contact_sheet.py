"""`python -m promptsales.generators.content.contact_sheet [--images 100 --seed 42 --out docs/images/content-contact-sheet.png]`:
every generated image as a thumbnail with its code and subject, in one PNG (the picture the README shows).

Built from the same `build_documents` the seeder loads, so the sheet shows exactly what is in GridFS.
"""

from __future__ import annotations

import argparse
import io

from PIL import Image, ImageDraw
from promptsales.generators.content import build_documents
from promptsales.generators.options import SeedOptions

DEFAULT_OUT = "docs/images/content-contact-sheet.png"
COLUMNS = 10
CELL = 132  # thumbnail box, px
LABEL = 14


def contact_sheet(options: SeedOptions) -> Image.Image:
    built = build_documents(options)
    rows = (len(built) + COLUMNS - 1) // COLUMNS
    sheet = Image.new("RGB", (COLUMNS * CELL, rows * (CELL + LABEL)), (255, 255, 255))
    draw = ImageDraw.Draw(sheet)
    for i, (doc, _, thumb) in enumerate(built):
        picture = Image.open(io.BytesIO(thumb)).convert("RGB")
        picture.thumbnail((CELL - 6, CELL - 6))
        x, y = (i % COLUMNS) * CELL, (i // COLUMNS) * (CELL + LABEL)
        sheet.paste(picture, (x + (CELL - picture.width) // 2, y + (CELL - picture.height) // 2))
        draw.text((x + 3, y + CELL), f"{doc['code']} {doc['attributes']['subject']}", fill=(20, 20, 20))
    # A palette image: the sheet stays small in git and still shows every picture's colours.
    return sheet.quantize(colors=256, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=100)
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--out", default=DEFAULT_OUT)
    args = parser.parse_args()
    contact_sheet(SeedOptions(seed=args.seed, images=args.images)).save(args.out, optimize=True)
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
