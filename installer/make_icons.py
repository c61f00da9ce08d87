"""Draw CopperLoop's icon and write ``installer/icons/copperloop.png`` (256 px) and ``copperloop.ico``.

The icon is a copper ring broken by two arrow heads (the recycling loop) on a dark slate tile. It is
drawn at 1024 px and scaled down, so every size of the ``.ico`` (16 to 256 px) is antialiased. Run
``python installer/make_icons.py`` after changing the drawing; the outputs are committed, so building
the app never needs this script. Pillow is used here only (it is not a dependency of the app).
"""

from __future__ import annotations

import math
from pathlib import Path

from PIL import Image, ImageDraw

HERE = Path(__file__).resolve().parent / "icons"
SIZE = 1024
TILE = (38, 50, 64, 255)
COPPER = (206, 122, 62, 255)
COPPER_LIGHT = (236, 170, 110, 255)
ICO_SIZES = [(16, 16), (24, 24), (32, 32), (48, 48), (64, 64), (128, 128), (256, 256)]


def _arrow_head(
    draw: ImageDraw.ImageDraw, centre: float, radius: float, angle_deg: float, size: float
) -> None:
    """A triangle on the ring at ``angle_deg``, pointing along the ring (clockwise)."""
    a = math.radians(angle_deg)
    cx, cy = centre + radius * math.cos(a), centre + radius * math.sin(a)
    tangent = (-math.sin(a), math.cos(a))
    normal = (math.cos(a), math.sin(a))
    tip = (cx + tangent[0] * size, cy + tangent[1] * size)
    left = (cx + normal[0] * size * 0.9, cy + normal[1] * size * 0.9)
    right = (cx - normal[0] * size * 0.9, cy - normal[1] * size * 0.9)
    draw.polygon([tip, left, right], fill=COPPER_LIGHT)


def draw_icon() -> Image.Image:
    image = Image.new("RGBA", (SIZE, SIZE), (0, 0, 0, 0))
    draw = ImageDraw.Draw(image)
    draw.rounded_rectangle([32, 32, SIZE - 32, SIZE - 32], radius=180, fill=TILE)
    centre, radius, width = SIZE / 2, 300, 110
    box = [centre - radius, centre - radius, centre + radius, centre + radius]
    # two arcs with gaps where the arrow heads sit
    draw.arc(box, start=-70, end=80, fill=COPPER, width=width)
    draw.arc(box, start=110, end=260, fill=COPPER, width=width)
    _arrow_head(draw, centre, radius - width / 2, 80, 120)
    _arrow_head(draw, centre, radius - width / 2, 260, 120)
    # a copper ingot in the middle: what the loop produces
    ingot = [centre - 120, centre - 55, centre + 120, centre + 55]
    draw.rounded_rectangle(ingot, radius=24, fill=COPPER_LIGHT)
    return image


def main() -> None:
    HERE.mkdir(exist_ok=True)
    image = draw_icon()
    image.resize((256, 256), Image.Resampling.LANCZOS).save(HERE / "copperloop.png")
    image.save(HERE / "copperloop.ico", sizes=ICO_SIZES)
    print(f"wrote {HERE / 'copperloop.png'} and {HERE / 'copperloop.ico'}")


if __name__ == "__main__":
    main()
