"""Check the shipped smiley PNGs and that the generator reproduces them exactly."""

from __future__ import annotations

import importlib.util
import struct
import zlib
from pathlib import Path
from types import ModuleType

import pytest

from helpers import ROOT

ASSETS = ROOT / "src" / "followupdocs" / "assets"
SCRIPT = ROOT / "tools" / "make_smileys.py"
NAMES = ["smiley-groen.png", "smiley-gul.png", "smiley-roed.png"]
SIGNATURE = b"\x89PNG\r\n\x1a\n"


def load_generator() -> ModuleType:
    """Import tools/make_smileys.py as a module."""
    spec = importlib.util.spec_from_file_location("make_smileys", SCRIPT)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def chunks(data: bytes) -> list[tuple[bytes, bytes]]:
    """Split PNG bytes into (type, payload) chunks, verifying each CRC."""
    found: list[tuple[bytes, bytes]] = []
    pos = len(SIGNATURE)
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        tag, payload = data[pos + 4 : pos + 8], data[pos + 8 : pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length : pos + 12 + length])
        assert zlib.crc32(tag + payload) == crc, f"bad CRC in {tag!r}"
        found.append((tag, payload))
        pos += 12 + length
    return found


@pytest.mark.parametrize("name", NAMES)
def test_shipped_png_is_valid_rgba(name: str) -> None:
    """Check signature, IHDR size and colour type, and the minimal chunk set."""
    path = ASSETS / name
    assert path.is_file(), f"missing {path}"
    data = path.read_bytes()
    assert data.startswith(SIGNATURE)
    found = chunks(data)
    assert [tag for tag, _ in found] == [b"IHDR", b"IDAT", b"IEND"]
    width, height, depth, colour_type = struct.unpack(">IIBB", found[0][1][:10])
    assert width >= 256 and height >= 256
    assert depth == 8 and colour_type == 6
    raw = zlib.decompress(found[1][1])
    assert len(raw) == height * (1 + 4 * width)


def test_fills_differ_in_luminance() -> None:
    """Check the face fills are separable without colour: yellow > green > red."""
    gen = load_generator()
    lum = {name: gen.luminance(fill) for name, (fill, _, _) in gen.FACES.items()}
    assert lum["gul"] - lum["groen"] > 0.1
    assert lum["groen"] - lum["roed"] > 0.05


def test_generator_reproduces_shipped_files(tmp_path: Path) -> None:
    """Regenerate into a temporary folder and compare bytes with the shipped files."""
    written = load_generator().write_smileys(tmp_path)
    assert sorted(p.name for p in written) == sorted(NAMES)
    for name in NAMES:
        assert (tmp_path / name).read_bytes() == (ASSETS / name).read_bytes(), name
