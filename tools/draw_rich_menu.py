"""Draw the rich menu's image from its JSON (run once; the PNG is committed).

    .venv/rasa/bin/python -m tools.draw_rich_menu      # Pillow lives in the Rasa environment

Each area of gateway/rich_menu/rich_menu.json becomes a tile with its
action's label in Thai (a Thai font from fonts-thai-tlwg; Pillow with libraqm shapes it).
Writes rich_menu.png beside the JSON, the size the JSON declares, well under LINE's 1 MB.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

from PIL import Image, ImageDraw, ImageFont

RICH_MENU_DIR = Path(__file__).resolve().parents[1] / "gateway" / "rich_menu"
FONT_CANDIDATES = (
    "/usr/share/fonts/truetype/tlwg/Loma-Bold.ttf",
    "/usr/share/fonts/truetype/tlwg/Garuda-Bold.ttf",
    "/usr/share/fonts/truetype/tlwg/Waree-Bold.ttf",
)
# Ministry-blue tiles; the first (ร้องเรียน) in LINE green: it is the main thing to do.
COLOURS = ("#06C755", "#2B3A55", "#34496E", "#2B3A55", "#34496E")
# A simple glyph per tile, drawn with shapes (fonts rarely have emoji).
GLYPHS = ("pen", "search", "list", "person", "question")
BORDER = "#FFFFFF"


def thai_font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    for path in FONT_CANDIDATES:
        if Path(path).exists():
            return ImageFont.truetype(path, size)
    print("warning: no Thai font found (apt-get install fonts-thai-tlwg); labels may not render", file=sys.stderr)
    return ImageFont.load_default(size)


def draw_glyph(draw: ImageDraw.ImageDraw, kind: str, cx: int, cy: int, r: int) -> None:
    white, width = "#FFFFFF", max(8, r // 6)
    if kind == "pen":  # a sheet with lines
        draw.rounded_rectangle((cx - r * 0.7, cy - r, cx + r * 0.7, cy + r), radius=r // 6, outline=white, width=width)
        for i in range(3):
            y = cy - r * 0.45 + i * r * 0.45
            draw.line((cx - r * 0.4, y, cx + r * 0.4, y), fill=white, width=width)
    elif kind == "search":  # a magnifier
        draw.ellipse((cx - r * 0.8, cy - r * 0.8, cx + r * 0.4, cy + r * 0.4), outline=white, width=width)
        draw.line((cx + r * 0.25, cy + r * 0.25, cx + r * 0.9, cy + r * 0.9), fill=white, width=width * 2)
    elif kind == "list":  # bullets
        for i in range(3):
            y = cy - r * 0.6 + i * r * 0.6
            draw.ellipse((cx - r * 0.9, y - r * 0.12, cx - r * 0.66, y + r * 0.12), fill=white)
            draw.line((cx - r * 0.45, y, cx + r * 0.9, y), fill=white, width=width)
    elif kind == "person":  # head and shoulders
        draw.ellipse((cx - r * 0.4, cy - r, cx + r * 0.4, cy - r * 0.2), outline=white, width=width)
        draw.arc((cx - r * 0.9, cy - r * 0.05, cx + r * 0.9, cy + r * 1.7), 180, 360, fill=white, width=width)
    else:  # a question mark in a circle
        draw.ellipse((cx - r, cy - r, cx + r, cy + r), outline=white, width=width)
        font = thai_font(int(r * 1.3))
        draw.text((cx, cy), "?", font=font, fill=white, anchor="mm")


def draw_menu(definition: dict) -> Image.Image:
    width, height = definition["size"]["width"], definition["size"]["height"]
    image = Image.new("RGB", (width, height), BORDER)
    draw = ImageDraw.Draw(image)
    for index, area in enumerate(definition["areas"]):
        b = area["bounds"]
        box = (b["x"] + 6, b["y"] + 6, b["x"] + b["width"] - 6, b["y"] + b["height"] - 6)
        draw.rectangle(box, fill=COLOURS[index % len(COLOURS)])
        cx = b["x"] + b["width"] // 2
        r = min(b["width"], b["height"]) // 7
        draw_glyph(draw, GLYPHS[index % len(GLYPHS)], cx, b["y"] + int(b["height"] * 0.38), r)
        label = area["action"].get("label") or ""
        size = 150 if b["width"] > 1000 else 110
        font = thai_font(size)
        while draw.textlength(label, font=font) > b["width"] - 80 and size > 40:
            size -= 6
            font = thai_font(size)
        draw.text((cx, b["y"] + int(b["height"] * 0.74)), label, font=font, fill="#FFFFFF", anchor="mm")
    return image


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--json", type=Path, default=RICH_MENU_DIR / "rich_menu.json")
    parser.add_argument("--out", type=Path, default=RICH_MENU_DIR / "rich_menu.png")
    args = parser.parse_args(argv)
    definition = json.loads(args.json.read_text(encoding="utf-8"))
    print(f"drawing {len(definition['areas'])} areas from {args.json}")
    draw_menu(definition).save(args.out, format="PNG", optimize=True)
    print(f"wrote {args.out} ({args.out.stat().st_size / 1024:.0f} KB)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
