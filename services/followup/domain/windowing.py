"""Window/level presets for looking at an X-ray: which range of pixel values spans black to white.

A projection X-ray (DX, CR) has no fixed scale, so its presets are fractions of the image's own
range; a CT has Hounsfield units, so its bone preset is the radiologists' W 2000 / L 500.
"""
from dataclasses import dataclass

DEFAULT, BONE, BONE_DETAIL, FULL = "default", "bone", "bone_detail", "full"
PRESETS = (DEFAULT, BONE, BONE_DETAIL, FULL)
# (centre, width) as fractions of the image's range: bone is the bright upper part of an X-ray.
_RELATIVE = {BONE: (0.55, 0.9), BONE_DETAIL: (0.7, 0.5)}
_CT_HU = {BONE: (500.0, 2000.0), BONE_DETAIL: (400.0, 1500.0)}


@dataclass(frozen=True)
class Window:
    centre: float
    width: float

    @property
    def low(self) -> float:
        return self.centre - self.width / 2

    @property
    def high(self) -> float:
        return self.centre + self.width / 2


def window_for(preset: str, modality: str | None, lowest: float, highest: float,
               own: Window | None = None) -> Window:
    """The window of `preset` for an image whose values run from `lowest` to `highest`.

    `default` is the window the file itself names, else the full range.
    """
    if preset not in PRESETS:
        raise ValueError(f"unknown preset {preset}")
    span = max(highest - lowest, 1.0)
    if preset == DEFAULT and own is not None and own.width > 0:
        return own
    if preset in (DEFAULT, FULL):
        return Window(lowest + span / 2, span)
    if (modality or "").upper() == "CT":
        return Window(*_CT_HU[preset])
    centre, width = _RELATIVE[preset]
    return Window(lowest + centre * span, width * span)
