"""Flat product illustrations for the sample catalog, drawn with Pillow (a dev-time tool only).

Each image is a simple drawing of the product on a soft background with a caption strip, saved as a
small PNG (64-colour palette) or JPEG. Everything is drawn from the spec, so the bytes are the same on
every run with the same Pillow version.
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable, Sequence

from PIL import Image, ImageDraw, ImageFont

WIDTH, HEIGHT = 300, 225
CAPTION = 30
Point = tuple[float, float]
RGB = tuple[int, int, int]


def rgb(colour: str) -> RGB:
    value = int(colour.lstrip("#"), 16)
    return (value >> 16) & 255, (value >> 8) & 255, value & 255


def mix(a: RGB, b: RGB, share: float) -> RGB:
    """``share`` of ``b`` mixed into ``a``."""
    return tuple(round(x + (y - x) * share) for x, y in zip(a, b, strict=True))  # type: ignore[return-value]


WHITE: RGB = (255, 255, 255)
INK: RGB = (40, 44, 52)
STEEL: RGB = (150, 155, 162)
AMBER: RGB = (255, 214, 102)


class Pen:
    """Draws in unit coordinates: (0, 0) is the centre of the picture, ±1 its half-height."""

    def __init__(self, draw: ImageDraw.ImageDraw, cx: float, cy: float, scale: float) -> None:
        self.draw, self.cx, self.cy, self.scale = draw, cx, cy, scale

    def pt(self, x: float, y: float) -> Point:
        return (self.cx + x * self.scale, self.cy + y * self.scale)

    def w(self, width: float) -> int:
        return max(1, round(width * self.scale))

    def poly(self, pts: Sequence[Point], fill: RGB | None, outline: RGB | None = None, width: float = 0.02) -> None:
        points = [self.pt(*p) for p in pts]
        self.draw.polygon(points, fill=fill, outline=outline, width=self.w(width) if outline else 0)

    def line(self, pts: Sequence[Point], fill: RGB, width: float) -> None:
        self.draw.line([self.pt(*p) for p in pts], fill=fill, width=self.w(width), joint="curve")

    def ellipse(
        self,
        x: float,
        y: float,
        rx: float,
        ry: float,
        fill: RGB | None = None,
        outline: RGB | None = None,
        width: float = 0.02,
    ) -> None:
        box = (*self.pt(x - rx, y - ry), *self.pt(x + rx, y + ry))
        self.draw.ellipse(box, fill=fill, outline=outline, width=self.w(width) if outline else 1)

    def rect(
        self,
        x0: float,
        y0: float,
        x1: float,
        y1: float,
        fill: RGB | None,
        outline: RGB | None = None,
        radius: float = 0.0,
        width: float = 0.02,
    ) -> None:
        box = (*self.pt(x0, y0), *self.pt(x1, y1))
        self.draw.rounded_rectangle(
            box,
            radius=self.w(radius) if radius else 0,
            fill=fill,
            outline=outline,
            width=self.w(width) if outline else 0,
        )

    def text(self, x: float, y: float, text: str, fill: RGB, size: int) -> None:
        self.draw.text(self.pt(x, y), text, fill=fill, font=ImageFont.load_default(size=size), anchor="mm")


# --- the drawings ---------------------------------------------------------------------------------


def bike(p: Pen, c: RGB, view: str, wheels: bool = True) -> None:
    rear, front, bb = (-0.62, 0.38), (0.62, 0.38), (-0.08, 0.40)
    seat, head, fork = (-0.26, -0.22), (0.36, -0.18), (0.42, -0.02)
    if wheels:
        for hub in (rear, front):
            p.ellipse(*hub, 0.36, 0.36, outline=INK, width=0.05)
            p.ellipse(*hub, 0.05, 0.05, fill=INK)
            for k in range(8):
                a = k * math.pi / 4
                p.line([hub, (hub[0] + 0.33 * math.cos(a), hub[1] + 0.33 * math.sin(a))], STEEL, 0.008)
    p.line([rear, bb, seat, rear], c, 0.06)
    p.line([seat, head, fork, bb], c, 0.07)
    p.line([fork, front], c, 0.05)
    p.line([seat, (-0.30, -0.34)], STEEL, 0.04)
    p.poly([(-0.44, -0.38), (-0.16, -0.40), (-0.18, -0.33), (-0.42, -0.33)], INK)
    p.line([head, (0.34, -0.32), (0.50, -0.32), (0.56, -0.22), (0.50, -0.16)], INK, 0.035)
    p.ellipse(*bb, 0.09, 0.09, outline=INK, width=0.03)
    if view == "packed":
        p.rect(-0.86, -0.08, -0.40, 0.42, mix(c, INK, 0.25), radius=0.05)
        p.rect(-0.86, -0.08, -0.40, 0.02, mix(c, WHITE, 0.35), radius=0.03)
    if view in ("packed", "framebag"):
        p.poly([(-0.20, -0.12), (0.30, -0.10), (-0.06, 0.30)], mix(c, INK, 0.4))


def frame(p: Pen, c: RGB, view: str) -> None:
    bike(p, c, view, wheels=False)
    p.line([(0.42, -0.02), (0.58, 0.36)], INK, 0.04)
    p.text(0.0, 0.72, "frame + vork", INK, 14)


def tyre(p: Pen, c: RGB, view: str) -> None:
    wall = c if c != rgb("#2b2b2b") else (60, 60, 60)
    p.ellipse(0, 0, 0.82, 0.82, fill=(35, 35, 35))
    p.ellipse(0, 0, 0.66, 0.66, fill=wall)
    p.ellipse(0, 0, 0.56, 0.56, fill=mix(wall, WHITE, 0.85))
    for k in range(36):
        a = k * math.pi / 18
        cos, sin = math.cos(a), math.sin(a)
        p.line([(0.70 * cos, 0.70 * sin), (0.80 * cos, 0.80 * sin)], (90, 90, 90), 0.03)
    p.text(0, 0.0, "DUINPAD", INK, 16)


def tube(p: Pen, c: RGB, view: str) -> None:
    p.ellipse(0, 0, 0.75, 0.75, outline=c, width=0.09)
    p.ellipse(0, 0, 0.60, 0.60, outline=mix(c, WHITE, 0.3), width=0.03)
    p.rect(-0.03, 0.66, 0.03, 0.95, STEEL)
    p.rect(-0.05, 0.90, 0.05, 0.98, INK)


def bottle(p: Pen, c: RGB, view: str) -> None:
    p.rect(-0.30, -0.45, 0.30, 0.80, c, outline=INK, radius=0.10, width=0.02)
    p.rect(-0.14, -0.70, 0.14, -0.45, INK, radius=0.03)
    p.rect(-0.30, -0.05, 0.30, 0.40, WHITE)
    p.text(0, 0.08, "SEALANT", INK, 13)
    p.text(0, 0.27, "500 ml", INK, 12)
    if view == "detail":
        p.poly([(0.45, -0.30), (0.85, -0.55), (0.85, 0.10)], mix(c, WHITE, 0.4))
        p.ellipse(0.70, 0.50, 0.16, 0.16, fill=(35, 35, 35))


def oil(p: Pen, c: RGB, view: str) -> None:
    p.rect(-0.26, -0.30, 0.26, 0.80, c, outline=INK, radius=0.08)
    p.poly([(-0.10, -0.30), (0.10, -0.30), (0.03, -0.75), (-0.03, -0.75)], INK)
    p.ellipse(0.00, -0.86, 0.05, 0.07, fill=(214, 171, 48))
    p.rect(-0.26, 0.05, 0.26, 0.45, WHITE)
    p.text(0, 0.25, "NAT", INK, 15)


def water_bottle(p: Pen, c: RGB, view: str) -> None:
    p.rect(-0.30, -0.55, 0.30, 0.85, c, outline=INK, radius=0.12)
    for y in (-0.20, 0.15, 0.50):
        p.line([(-0.30, y), (0.30, y)], mix(c, INK, 0.3), 0.02)
    p.rect(-0.20, -0.75, 0.20, -0.55, INK, radius=0.04)
    p.rect(-0.06, -0.88, 0.06, -0.75, STEEL, radius=0.02)
    p.text(0, 0.33, "AN", mix(c, INK, 0.7), 16)


def front_light(p: Pen, c: RGB, view: str) -> None:
    if view == "beam":
        p.poly([(0.35, -0.18), (1.6, -0.70), (1.6, 0.30), (0.35, 0.18)], AMBER)
    p.rect(-0.55, -0.25, 0.40, 0.25, c, radius=0.12)
    p.ellipse(0.33, 0.0, 0.10, 0.22, fill=(250, 250, 235), outline=STEEL, width=0.02)
    p.rect(-0.20, 0.25, 0.05, 0.50, INK)
    p.ellipse(-0.08, 0.62, 0.25, 0.12, outline=INK, width=0.04)
    if view == "detail":
        p.rect(-0.52, -0.08, -0.44, 0.08, (20, 20, 20), radius=0.02)
        p.text(-0.25, -0.40, "USB-C", INK, 14)
    for k in range(3):
        p.ellipse(-0.30 + 0.12 * k, -0.14, 0.025, 0.025, fill=(90, 200, 120) if k < 2 else STEEL)


def rear_light(p: Pen, c: RGB, view: str) -> None:
    if view == "rack":
        p.line([(-0.9, -0.05), (0.9, -0.05)], INK, 0.06)
        p.line([(-0.6, -0.05), (-0.6, 0.60)], INK, 0.05)
    else:
        p.rect(-0.06, -0.85, 0.06, 0.85, STEEL)
    p.rect(-0.30, -0.40, 0.30, 0.40, c, outline=INK, radius=0.10, width=0.03)
    for y in (-0.22, 0.0, 0.22):
        p.ellipse(0, y, 0.07, 0.05, fill=(255, 120, 110))


def light_set(p: Pen, c: RGB, view: str) -> None:
    left = Pen(p.draw, p.cx - 0.55 * p.scale, p.cy, p.scale * 0.7)
    right = Pen(p.draw, p.cx + 0.75 * p.scale, p.cy, p.scale * 0.7)
    front_light(left, c, "front")
    rear_light(right, rgb("#d62d20"), "front")


def multitool(p: Pen, c: RGB, view: str) -> None:
    if view == "open":
        for k in range(7):
            a = -math.pi / 2 + (k - 3) * 0.32
            p.line([(-0.40, 0.10), (-0.40 + 0.85 * math.cos(a), 0.10 + 0.85 * math.sin(a))], STEEL, 0.06)
    p.rect(-0.70, -0.05, 0.70, 0.28, c, outline=INK, radius=0.12, width=0.02)
    for x in (-0.55, 0.55):
        p.ellipse(x, 0.115, 0.06, 0.06, fill=INK)
    p.text(0, 0.115, "16", WHITE, 14)


def _shirt(p: Pen, c: RGB, long_sleeves: bool) -> None:
    sleeve = [(-0.95, 0.55), (-0.72, 0.65)] if long_sleeves else [(-0.82, -0.05), (-0.58, 0.08)]
    right = [(x * -1, y) for x, y in reversed(sleeve)]
    body = [
        (-0.18, -0.72),
        (-0.60, -0.58),
        *sleeve,
        (-0.52, -0.20),
        (-0.50, 0.80),
        (0.50, 0.80),
        (0.52, -0.20),
        *right,
        (0.60, -0.58),
        (0.18, -0.72),
        (0.0, -0.60),
    ]
    p.poly(body, c, outline=mix(c, INK, 0.5), width=0.015)


def jersey(p: Pen, c: RGB, view: str) -> None:
    _shirt(p, c, long_sleeves=False)
    accent = AMBER if sum(c) < 300 else WHITE
    if view == "back":
        for x0 in (-0.46, -0.15, 0.16):
            p.rect(x0, 0.40, x0 + 0.30, 0.76, mix(c, INK, 0.25), outline=accent, width=0.015)
    elif view == "detail":
        for k in range(-8, 9):
            p.line([(k * 0.1, -0.7), (k * 0.1 + 0.3, 0.8)], mix(c, WHITE, 0.2), 0.02)
    else:
        p.line([(0.0, -0.60), (0.0, 0.78)], STEEL, 0.015)
        p.rect(-0.50, -0.10, 0.50, 0.02, accent)


def base_layer(p: Pen, c: RGB, view: str) -> None:
    _shirt(p, c, long_sleeves=True)
    p.line([(-0.5, 0.0), (0.5, 0.0)], mix(c, INK, 0.15), 0.01)
    p.text(0, 0.45, "merino", mix(c, INK, 0.6), 13)


def jacket(p: Pen, c: RGB, view: str) -> None:
    if view == "packed":
        p.rect(-0.45, -0.40, 0.45, 0.45, c, outline=INK, radius=0.15)
        p.line([(-0.35, -0.25), (0.35, -0.25)], INK, 0.02)
        p.rect(-0.45, 0.15, 0.45, 0.22, (230, 230, 230))
        return
    _shirt(p, c, long_sleeves=True)
    p.poly([(-0.22, -0.72), (0.0, -0.95), (0.22, -0.72), (0.0, -0.60)], mix(c, INK, 0.2))
    p.rect(-0.50, 0.30, 0.50, 0.37, (230, 230, 230))
    if view == "back":
        p.poly([(-0.50, 0.80), (0.50, 0.80), (0.40, 0.95), (-0.40, 0.95)], mix(c, INK, 0.15))
    else:
        p.line([(0.0, -0.60), (0.0, 0.80)], INK, 0.02)


def socks(p: Pen, c: RGB, view: str) -> None:
    if view == "detail":
        for row in range(-2, 3):
            for col in range(-3, 4):
                x, y = col * 0.42, row * 0.40
                p.ellipse(x - 0.09, y, 0.07, 0.07, outline=INK, width=0.015)
                p.ellipse(x + 0.09, y, 0.07, 0.07, outline=INK, width=0.015)
                p.line([(x - 0.09, y), (x, y - 0.08), (x + 0.09, y)], INK, 0.015)
        return
    for dx in (-0.35, 0.30):
        outline = [
            (dx - 0.18, -0.80),
            (dx + 0.14, -0.80),
            (dx + 0.14, 0.40),
            (dx + 0.45, 0.50),
            (dx + 0.45, 0.78),
            (dx - 0.18, 0.78),
        ]
        p.poly(outline, c, outline=INK, width=0.015)
        p.rect(dx - 0.18, -0.80, dx + 0.14, -0.62, INK)
        p.rect(dx - 0.18, -0.45, dx + 0.14, -0.38, (47, 111, 98))


def glove(p: Pen, c: RGB, view: str) -> None:
    p.rect(-0.40, -0.15, 0.35, 0.65, c, radius=0.12)
    for k in range(4):
        x = -0.34 + k * 0.18
        p.rect(x, -0.75 + abs(k - 1.5) * 0.08, x + 0.14, 0.0, c, radius=0.06)
    p.poly([(0.30, 0.10), (0.65, -0.25), (0.75, -0.15), (0.40, 0.35)], c)
    p.rect(-0.42, 0.55, 0.37, 0.80, mix(c, INK, 0.4), radius=0.04)
    if view == "back":
        p.rect(-0.30, 0.05, 0.25, 0.45, (200, 200, 200), radius=0.1)
    else:
        p.line([(-0.30, 0.20), (0.25, 0.20)], (230, 230, 230), 0.04)


def overshoe(p: Pen, c: RGB, view: str) -> None:
    p.poly(
        [(-0.50, -0.60), (0.00, -0.60), (0.05, 0.10), (0.75, 0.30), (0.80, 0.60), (-0.55, 0.60)],
        c,
        outline=INK,
        width=0.015,
    )
    p.line([(-0.50, -0.55), (-0.52, 0.55)], STEEL, 0.03)
    p.rect(-0.10, 0.60, 0.25, 0.68, INK)


def pannier(p: Pen, c: RGB, view: str) -> None:
    if view == "back":
        p.rect(-0.55, -0.70, 0.55, 0.80, c, radius=0.10)
        p.line([(-0.55, -0.45), (0.55, -0.45)], INK, 0.06)
        for x in (-0.30, 0.30):
            p.rect(x - 0.10, -0.58, x + 0.10, -0.32, INK, radius=0.04)
        p.line([(-0.1, 0.6), (0.0, 0.1), (0.1, 0.6)], STEEL, 0.03)
        return
    if view == "detail":
        p.rect(-1.2, -0.30, 1.2, 0.40, mix(c, INK, 0.2), radius=0.15)
        for y in (-0.15, 0.05, 0.25):
            p.line([(-1.2, y), (1.2, y)], mix(c, INK, 0.45), 0.02)
        p.rect(-0.20, -0.40, 0.20, 0.50, INK, radius=0.06)
        return
    for dx, shade in ((-0.25, 0.25), (0.25, 0.0)):
        p.rect(dx - 0.45, -0.45, dx + 0.45, 0.80, mix(c, INK, shade), radius=0.10)
        p.rect(dx - 0.45, -0.62, dx + 0.45, -0.42, mix(c, INK, shade + 0.15), radius=0.06)
        p.rect(dx - 0.10, -0.62, dx + 0.10, 0.10, INK)


def handlebar_bag(p: Pen, c: RGB, view: str) -> None:
    p.line([(-1.0, -0.55), (1.0, -0.55)], STEEL, 0.06)
    p.rect(-0.70, -0.45, 0.70, 0.55, c, radius=0.12)
    p.rect(-0.55, -0.38, 0.55, 0.05, (215, 230, 240), outline=INK, radius=0.05, width=0.015)
    p.text(0, -0.16, "route", INK, 12)


def frame_bag(p: Pen, c: RGB, view: str) -> None:
    p.poly([(-0.85, -0.40), (0.85, -0.40), (-0.35, 0.55)], c, outline=INK, width=0.02)
    p.line([(-0.70, -0.30), (0.55, -0.30)], STEEL, 0.02)
    for x in (-0.5, 0.0, 0.5):
        p.rect(x - 0.04, -0.50, x + 0.04, -0.38, INK)


def backpack(p: Pen, c: RGB, view: str) -> None:
    p.rect(-0.50, -0.80, 0.50, 0.80, c, radius=0.25)
    p.rect(-0.35, 0.10, 0.35, 0.65, mix(c, INK, 0.2), radius=0.10)
    p.line([(-0.35, 0.22), (0.35, 0.22)], INK, 0.02)
    p.rect(-0.15, -0.95, 0.15, -0.78, INK, radius=0.05)
    p.ellipse(0.0, -0.40, 0.06, 0.06, fill=(214, 45, 32))


def tent(p: Pen, c: RGB, view: str) -> None:
    if view == "packed":
        p.rect(-0.70, -0.20, 0.70, 0.25, c, radius=0.22)
        p.line([(-0.45, -0.20), (-0.45, 0.25)], INK, 0.02)
        p.line([(0.45, -0.20), (0.45, 0.25)], INK, 0.02)
        return
    if view == "plan":
        p.rect(-0.80, -0.50, 0.80, 0.50, mix(c, WHITE, 0.5), outline=INK, width=0.015)
        p.rect(-0.60, -0.35, 0.60, 0.35, WHITE, outline=INK, width=0.015)
        p.text(0, 0, "215 x 130 cm", INK, 13)
        p.text(0, 0.66, "2 ingangen", INK, 12)
        return
    p.line([(-1.2, 0.60), (1.2, 0.60)], (120, 150, 90), 0.05)
    p.poly([(-0.95, 0.60), (-0.35, -0.50), (0.35, -0.50), (0.95, 0.60)], c, outline=mix(c, INK, 0.5))
    p.poly([(-0.20, 0.60), (0.0, -0.20), (0.20, 0.60)], mix(c, INK, 0.45))
    p.line([(-0.95, 0.60), (-0.35, -0.50), (0.35, -0.50), (0.95, 0.60)], INK, 0.02)


def mug(p: Pen, c: RGB, view: str) -> None:
    p.rect(-0.45, -0.45, 0.35, 0.65, c, outline=INK, radius=0.04, width=0.02)
    p.ellipse(-0.05, -0.45, 0.40, 0.08, fill=mix(c, INK, 0.3))
    p.line([(0.35, -0.25), (0.65, -0.25), (0.65, 0.25), (0.35, 0.25)], STEEL, 0.04)
    for k in range(3):
        p.line([(-0.40, -0.20 + k * 0.25), (-0.30, -0.20 + k * 0.25)], INK, 0.015)
        p.line([(-0.25 + k * 0.2, -0.60), (-0.15 + k * 0.2, -0.75), (-0.25 + k * 0.2, -0.90)], STEEL, 0.02)
    p.text(-0.05, 0.25, "450 ml", INK, 13)


def chart(p: Pen, c: RGB, view: str) -> None:
    rows = [
        ("maat", "lengte", "cm"),
        ("50 (S)", "1,60-1,70", "50"),
        ("53 (M)", "1,70-1,78", "53"),
        ("56 (L)", "1,78-1,86", "56"),
        ("59 (XL)", "1,86-1,95", "59"),
    ]
    for r, row in enumerate(rows):
        y = -0.72 + r * 0.32
        if r == 0:
            p.rect(-1.15, y - 0.14, 1.15, y + 0.14, c)
        for k, cell in enumerate(row):
            p.text(-0.75 + k * 0.75, y, cell, WHITE if r == 0 else INK, 13)
        p.line([(-1.15, y + 0.16), (1.15, y + 0.16)], STEEL, 0.01)


def swatch(p: Pen, c: RGB, view: str) -> None:
    end = rgb("#f08a4b")
    steps = 12
    for k in range(steps):
        x0 = -1.2 + k * 2.4 / steps
        p.rect(x0, -0.55, x0 + 2.4 / steps + 0.01, 0.45, mix(c, end, k / (steps - 1)))
    p.text(0, 0.68, "zonsopkomst boven het Lauwersmeer", INK, 12)


DRAWINGS: dict[str, Callable[[Pen, RGB, str], None]] = {
    "bike": bike,
    "frame": frame,
    "tyre": tyre,
    "tube": tube,
    "bottle": bottle,
    "oil": oil,
    "water-bottle": water_bottle,
    "front-light": front_light,
    "rear-light": rear_light,
    "light-set": light_set,
    "multitool": multitool,
    "jersey": jersey,
    "base-layer": base_layer,
    "jacket": jacket,
    "socks": socks,
    "glove": glove,
    "overshoe": overshoe,
    "pannier": pannier,
    "handlebar-bag": handlebar_bag,
    "frame-bag": frame_bag,
    "backpack": backpack,
    "tent": tent,
    "mug": mug,
    "chart": chart,
    "swatch": swatch,
}

# Views drawn as a close-up: the same drawing, twice as large, around this point.
_CLOSE_UPS = {"detail": (0.15, -0.15)}


def draw(spec: dict[str, str], caption: str) -> bytes:
    """The image ``spec`` (kind, colour, view, ext) as PNG or JPEG bytes."""
    colour = rgb(spec["colour"])
    background = mix(colour, WHITE, 0.88) if sum(colour) < 600 else (236, 240, 243)
    image = Image.new("RGB", (WIDTH, HEIGHT), background)
    canvas = ImageDraw.Draw(image)
    area = HEIGHT - CAPTION
    scale = area * 0.42
    cx, cy = WIDTH / 2, area / 2
    if spec["view"] in _CLOSE_UPS and spec["kind"] not in ("socks", "jersey", "pannier"):
        fx, fy = _CLOSE_UPS[spec["view"]]
        scale *= 2
        cx, cy = cx - fx * scale, cy - fy * scale
    DRAWINGS[spec["kind"]](Pen(canvas, cx, cy, scale), colour, spec["view"])
    canvas.rectangle((0, area, WIDTH, HEIGHT), fill=WHITE)
    canvas.line((0, area, WIDTH, area), fill=mix(colour, WHITE, 0.4), width=2)
    font = ImageFont.load_default(size=13)
    canvas.text((10, area + CAPTION / 2), caption, fill=INK, font=font, anchor="lm")
    canvas.rounded_rectangle((WIDTH - 40, 8, WIDTH - 8, 30), radius=6, fill=(47, 111, 98))
    canvas.text((WIDTH - 24, 19), "FN", fill=WHITE, font=ImageFont.load_default(size=12), anchor="mm")
    buffer = io.BytesIO()
    if spec["ext"] == "png":
        image.quantize(colors=48, method=Image.Quantize.MEDIANCUT, dither=Image.Dither.NONE).save(
            buffer, format="PNG", optimize=True
        )
    else:
        image.save(buffer, format="JPEG", quality=72, optimize=True)
    return buffer.getvalue()
