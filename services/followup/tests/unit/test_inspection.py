import pytest

from services.followup.adapters.inspection import inspect
from services.followup.tests import images
from shared.errors import Invalid

LIMIT = 1024 * 1024


@pytest.mark.parametrize("data, media_type", [
    (images.png(), "image/png"), (images.jpeg(), "image/jpeg"), (images.pdf(), "application/pdf"),
    (images.dicom(), "application/dicom")])
def test_accepted_files_are_known_by_their_content(data, media_type):
    assert inspect(data, LIMIT).media_type == media_type


def test_a_dicom_files_patient_identifiers_are_read():
    found = inspect(images.dicom(patient_id="ENQ-7", patient_name="Doe^Jane"), LIMIT)
    assert (found.patient_id, found.patient_name) == ("ENQ-7", "Doe^Jane")


@pytest.mark.parametrize("data, message", [
    (images.executable(), "only DICOM, JPEG, PNG or PDF files are accepted"),
    (b"", "the file is empty"),
    (images.png()[:-6], "the file is incomplete (cut off during transfer?)"),
    (images.pdf()[:-8], "the file is incomplete (cut off during transfer?)"),
    (images.dicom()[:-5], "the DICOM file is incomplete (no complete image data)"),
    (images.dicom()[:200], "the DICOM file is incomplete (no complete image data)"),
    (images.dicom()[:131], "only DICOM, JPEG, PNG or PDF files are accepted"),
    (images.png(width=600, height=600, shade=3) + bytes(LIMIT), "the file is larger than the limit"),
])
def test_a_file_that_is_not_whole_or_not_accepted_is_refused_with_the_reason(data, message):
    with pytest.raises(Invalid) as refused:
        inspect(data, LIMIT)
    assert refused.value.message == message


def test_a_polyglot_with_an_image_header_and_end_but_a_program_inside_is_refused():
    """PNG signature, an ELF body, PNG's end marker: looks like a PNG at both ends, is not one."""
    polyglot = images.png()[:16] + images.executable() + b"\x00\x00\x00\x00IEND\xaeB`\x82"
    with pytest.raises(Invalid) as refused:
        inspect(polyglot, LIMIT)
    assert refused.value.message == "the file cannot be read as the image or document it claims to be"


def test_a_jpeg_or_pdf_with_a_body_that_is_not_theirs_is_refused():
    fake_jpeg = images.jpeg()[:20] + images.executable() + b"\xff\xd9"
    fake_pdf = b"%PDF-1.4\n" + images.executable() + b"\n%%EOF"
    for data in (fake_jpeg, fake_pdf):
        with pytest.raises(Invalid):
            inspect(data, LIMIT)
