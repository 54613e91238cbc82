"""Generate the green, yellow and red smiley PNGs used in followupdocs reports."""

from __future__ import annotations

import math
import struct
import sys
import zlib
from collections.abc import Callable
from pathlib import Path

SIZE = 512
CENTER = SIZE / 2
RADIUS = 0.47 * SIZE  # outer radius of the face
RING = 0.04 * 2 * RADIUS  # width of the darker outline ring
STROKE = 0.07 * 2 * RADIUS  # mouth stroke thickness
FEATURE = "#1A1A1A"
DEFAULT_OUT = Path(__file__).resolve().parent.parent / "src" / "followupdocs" / "assets"

# name: (fill, outline, mouth kind)
FACES: dict[str, tuple[str, str, str]] = {
    "groen": ("#3A9A3F", "#1E5E22", "smile"),
    "gul": ("#F2C200", "#8A6D00", "straight"),
    "roed": ("#D0342C", "#7A1712", "frown"),
}

Rgb = tuple[float, float, float]
Sdf = Callable[[float, float], float]


def hex_rgb(value: str) -> Rgb:
    """Convert a #RRGGBB string to a float RGB triple in 0..255."""
    return (float(int(value[1:3], 16)), float(int(value[3:5], 16)), float(int(value[5:7], 16)))


def luminance(value: str) -> float:
    """Return the WCAG relative luminance of a #RRGGBB colour."""
    lin = [
        (c / 255) / 12.92 if c <= 10.3 else ((c / 255 + 0.055) / 1.055) ** 2.4
        for c in hex_rgb(value)
    ]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def coverage(dist: float) -> float:
    """Map a signed distance in pixels to an anti-aliased pixel coverage."""
    return 0.0 if dist >= 0.5 else 1.0 if dist <= -0.5 else 0.5 - dist


def mouth_sdf(kind: str) -> Sdf:
    """Return the signed distance function of a thick round-capped mouth stroke."""
    half_w, mid_y, half_len = STROKE / 2, CENTER + 0.40 * RADIUS, 0.44 * RADIUS
    if kind == "straight":
        line_len = 0.38 * RADIUS
        return lambda x, y: math.hypot(max(abs(x - CENTER) - line_len, 0.0), y - mid_y) - half_w
    sagitta = 0.26 * RADIUS
    r = (half_len**2 + sagitta**2) / (2 * sagitta)
    sin_a, cos_a = half_len / r, (r - sagitta) / r
    sign = 1.0 if kind == "smile" else -1.0  # +1: arc below its centre (corners up)
    drop = 0.0 if kind == "smile" else 0.05 * RADIUS  # a frown reads better slightly lower
    cy = mid_y - sign * (r - sagitta / 2) + drop

    def arc(x: float, y: float) -> float:
        vx, vy = abs(x - CENTER), (y - cy) * sign
        if cos_a * vx < sin_a * vy:
            return abs(math.hypot(vx, vy) - r) - half_w
        return math.hypot(vx - r * sin_a, vy - r * cos_a) - half_w

    return arc


def features_sdf(kind: str) -> Sdf:
    """Return the union distance of both eyes and the mouth."""
    eye_dx, eye_y, eye_r, eye_h = 0.34 * RADIUS, CENTER - 0.26 * RADIUS, 0.1 * RADIUS, 0.1 * RADIUS
    mouth = mouth_sdf(kind)

    def sdf(x: float, y: float) -> float:
        eye = math.hypot(abs(x - CENTER) - eye_dx, max(abs(y - eye_y) - eye_h, 0.0)) - eye_r
        return min(eye, mouth(x, y))

    return sdf


def render(fill: str, outline: str, kind: str) -> bytes:
    """Render one face as RGBA scanlines, each prefixed with PNG filter type 0."""
    layers = [hex_rgb(outline), hex_rgb(fill), hex_rgb(FEATURE)]
    feat = features_sdf(kind)
    f_top, f_bot = CENTER - 0.6 * RADIUS, CENTER + 0.8 * RADIUS
    # What the blend below gives where nothing is partly covered, without blending: most of
    # the image is wholly outside the face or wholly its fill.
    clear, solid = b"\0\0\0\0", bytes((*map(round, layers[1]), 255))
    out = bytearray()
    for j in range(SIZE):
        y = j + 0.5
        out.append(0)
        for i in range(SIZE):
            x = i + 0.5
            d = math.hypot(x - CENTER, y - CENTER)
            if d - RADIUS >= 0.5:
                out += clear
                continue
            covs = [coverage(d - RADIUS), coverage(d - RADIUS + RING), 0.0]
            if f_top < y < f_bot and covs[1] > 0.0:
                covs[2] = coverage(feat(x, y))
            if covs == [1.0, 1.0, 0.0]:
                out += solid
                continue
            r = g = b = a = 0.0
            for (lr, lg, lb), c in zip(layers, covs, strict=True):  # premultiplied "over"
                r, g, b, a = (
                    lr * c + r * (1 - c),
                    lg * c + g * (1 - c),
                    lb * c + b * (1 - c),
                    c + a * (1 - c),
                )
            if a <= 0.0:
                out += b"\0\0\0\0"
            else:
                out += bytes((round(r / a), round(g / a), round(b / a), round(a * 255)))
    return bytes(out)


def png(width: int, height: int, raw: bytes) -> bytes:
    """Wrap filtered RGBA scanlines in a minimal deterministic PNG container."""

    def chunk(tag: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + tag + data + struct.pack(">I", zlib.crc32(tag + data))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 6, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + chunk(b"IHDR", ihdr)
        + chunk(b"IDAT", zlib.compress(raw, 9))
        + chunk(b"IEND", b"")
    )


def write_smileys(out_dir: Path = DEFAULT_OUT) -> list[Path]:
    """Write the three smiley PNGs to out_dir and return their paths."""
    out_dir.mkdir(parents=True, exist_ok=True)
    paths: list[Path] = []
    for name, (fill, outline, kind) in FACES.items():
        path = out_dir / f"smiley-{name}.png"
        path.write_bytes(png(SIZE, SIZE, render(fill, outline, kind)))
        paths.append(path)
    return paths


def main() -> None:
    """Generate the smileys into the assets folder (or argv[1]) and print the paths."""
    out_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_OUT
    for path in write_smileys(out_dir):
        print(path)


if __name__ == "__main__":
    main()
