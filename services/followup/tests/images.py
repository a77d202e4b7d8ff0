"""Small test files made on the spot: no binary fixtures, no personal data."""
import io
import struct
import zlib

from PIL import Image
from pydicom.dataset import Dataset, FileMetaDataset
from pydicom.uid import ExplicitVRLittleEndian, SecondaryCaptureImageStorage, generate_uid
from pypdf import PdfWriter


def png(width: int = 4, height: int = 4, shade: int = 0) -> bytes:
    """A valid greyscale PNG; `shade` makes different files."""
    def chunk(kind: bytes, data: bytes) -> bytes:
        return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))
    rows = b"".join(b"\x00" + bytes([(shade + x + y) % 256 for x in range(width)]) for y in range(height))
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return (b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", zlib.compress(rows))
            + chunk(b"IEND", b""))


def jpeg(size: int = 64) -> bytes:
    """A real (tiny, grey) JPEG photo, `size` pixels square."""
    buffer = io.BytesIO()
    Image.new("L", (max(size // 8, 1), max(size // 8, 1)), color=128).save(buffer, "JPEG")
    return buffer.getvalue()


def pdf() -> bytes:
    """A real one-page PDF (an A4 letter with nothing on it)."""
    writer = PdfWriter()
    writer.add_blank_page(width=595, height=842)
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def executable() -> bytes:
    """The start of a Linux program: what a renamed executable looks like inside."""
    return b"\x7fELF\x02\x01\x01\x00" + bytes(8) + b"\x02\x00\x3e\x00" + bytes(200)


def dicom(patient_id: str | None = "PID-1", patient_name: str | None = "Test^Patient",
          pixels: int = 64, accession: str | None = None, **header) -> bytes:
    """A minimal DICOM Part 10 file (secondary capture) with a small image; `header` sets more
    attributes by keyword (e.g. InstitutionName="Haukeland")."""
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = SecondaryCaptureImageStorage
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.Modality = "DX"
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.StudyDate, ds.BodyPartExamined = "20250602", "LEG"
    if accession is not None:
        ds.AccessionNumber = accession
    for keyword, value in header.items():
        setattr(ds, keyword, value)
    if patient_id is not None:
        ds.PatientID = patient_id
    if patient_name is not None:
        ds.PatientName = patient_name
    side = int(pixels ** 0.5)
    ds.Rows = ds.Columns = side
    ds.BitsAllocated = ds.BitsStored = 8
    ds.HighBit, ds.SamplesPerPixel, ds.PixelRepresentation = 7, 1, 0
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelData = bytes(i % 256 for i in range(side * side))
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()


def xray(patient_id: str | None = "PID-1", side: int = 160, **header) -> bytes:
    """A synthetic 12-bit projection X-ray of a thigh with an implant: soft tissue, the femur's
    cortex and marrow, and the titanium rod inside (brightest), as a DX file."""
    import numpy

    y, x = numpy.mgrid[0:side, 0:side].astype(float) / side
    picture = 300 + 900 * numpy.exp(-((x - 0.5) / 0.32) ** 2)              # the thigh's soft tissue
    distance = numpy.abs(x - 0.5 + 0.04 * (y - 0.5))
    picture = numpy.where(distance < 0.11, 2300, picture)                     # cortical bone
    picture = numpy.where(distance < 0.06, 1700, picture)                     # marrow
    picture = numpy.where((distance < 0.025) & (y > 0.25), 3900, picture)     # the implant
    picture = numpy.clip(picture + numpy.random.default_rng(7).normal(0, 40, picture.shape), 0, 4095)
    meta = FileMetaDataset()
    meta.MediaStorageSOPClassUID = "1.2.840.10008.5.1.4.1.1.1.1"             # Digital X-Ray, presentation
    meta.MediaStorageSOPInstanceUID = generate_uid()
    meta.TransferSyntaxUID = ExplicitVRLittleEndian
    ds = Dataset()
    ds.file_meta = meta
    ds.SOPClassUID, ds.SOPInstanceUID = meta.MediaStorageSOPClassUID, meta.MediaStorageSOPInstanceUID
    ds.StudyInstanceUID, ds.SeriesInstanceUID = generate_uid(), generate_uid()
    ds.Modality, ds.BodyPartExamined, ds.StudyDate = "DX", "FEMUR", "20250602"
    ds.PatientID = patient_id
    ds.PatientName = "Test^Patient"
    ds.InstitutionName = "Haukeland radiology"
    for keyword, value in header.items():
        setattr(ds, keyword, value)
    ds.Rows = ds.Columns = side
    ds.BitsAllocated, ds.BitsStored, ds.HighBit = 16, 12, 11
    ds.SamplesPerPixel, ds.PixelRepresentation = 1, 0
    ds.PhotometricInterpretation = "MONOCHROME2"
    ds.PixelData = picture.astype(numpy.uint16).tobytes()
    buffer = io.BytesIO()
    ds.save_as(buffer, enforce_file_format=True)
    return buffer.getvalue()
