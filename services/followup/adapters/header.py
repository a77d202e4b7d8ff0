"""The DICOM header fields a specialist checks before reading an image, read from the stored file
when the image is opened (never copied into our database, events or logs)."""
import io

import pydicom

FIELDS = {"patient_id": "PatientID", "patient_name": "PatientName", "study_date": "StudyDate",
          "modality": "Modality", "body_part": "BodyPartExamined", "institution": "InstitutionName",
          "accession_number": "AccessionNumber", "study_description": "StudyDescription"}


def dicom_header(data: bytes) -> dict:
    """Each field's value as text (None when the file has none); the study date as YYYY-MM-DD."""
    dataset = pydicom.dcmread(io.BytesIO(data), stop_before_pixels=True)
    found = {name: (str(dataset.get(keyword)) if dataset.get(keyword) not in (None, "") else None)
             for name, keyword in FIELDS.items()}
    when = found["study_date"]
    if when and len(when) == 8 and when.isdigit():
        found["study_date"] = f"{when[:4]}-{when[4:6]}-{when[6:]}"
    return found
