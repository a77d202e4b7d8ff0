"""A PNG preview of an image in the patient file: DICOM windowed for bone (pydicom + Pillow), a photo
scaled down, a PDF none (it is downloaded). Nothing of the header is drawn on the picture."""
import io

import numpy
import pydicom
from PIL import Image
from pydicom.pixels import apply_modality_lut

from services.followup.adapters.inspection import DICOM, JPEG, PNG
from services.followup.domain.windowing import Window, window_for

MAX_SIDE = 1024


def render(data: bytes, media_type: str, preset: str) -> bytes | None:
    """The preview as PNG bytes, or None for a file that has none (a PDF)."""
    if media_type == DICOM:
        picture = _dicom(data, preset)
    elif media_type in (JPEG, PNG):
        picture = Image.open(io.BytesIO(data))
        picture.load()
    else:
        return None
    picture.thumbnail((MAX_SIDE, MAX_SIDE))
    buffer = io.BytesIO()
    picture.save(buffer, "PNG")
    return buffer.getvalue()


def _dicom(data: bytes, preset: str) -> Image.Image:
    dataset = pydicom.dcmread(io.BytesIO(data))
    values = apply_modality_lut(dataset.pixel_array, dataset).astype(numpy.float64)
    if values.ndim == 3 and dataset.get("SamplesPerPixel", 1) == 1:
        values = values[0]   # a multi-frame image: its first frame
    if values.ndim == 3:     # colour (e.g. a photo wrapped as secondary capture): shown as it is
        return Image.fromarray(values.clip(0, 255).astype(numpy.uint8))
    window = window_for(preset, dataset.get("Modality"), float(values.min()), float(values.max()),
                        _own_window(dataset))
    shades = (values - window.low) / max(window.high - window.low, 1e-6)
    shades = (shades.clip(0.0, 1.0) * 255).astype(numpy.uint8)
    if dataset.get("PhotometricInterpretation") == "MONOCHROME1":   # white is the lowest value
        shades = 255 - shades
    return Image.fromarray(shades, mode="L")


def _own_window(dataset) -> Window | None:
    centre, width = dataset.get("WindowCenter"), dataset.get("WindowWidth")
    if centre is None or width is None:
        return None
    first = lambda value: float(value[0] if isinstance(value, pydicom.multival.MultiValue) else value)  # noqa: E731
    return Window(first(centre), first(width))
