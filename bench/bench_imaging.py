"""Benchmark of the image stores on this machine: 10 MB DICOM X-rays stored per second and the p99
latency of one store, the file store (fsync'd, content-addressed) beside Orthanc over DICOMweb
(STOW-RS through dicomweb-client to Debian's Orthanc on loopback), in one run; medians of several runs.

Usage: python bench/bench_imaging.py [--images N] [--runs R] [--megabytes M]
"""
import argparse
import io
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy  # noqa: E402
import pydicom  # noqa: E402
from pydicom.uid import generate_uid  # noqa: E402

from services.followup.adapters.filestore import FileStore  # noqa: E402
from services.followup.adapters.imagestore import DICOM, FilesOnly, Pacs  # noqa: E402
from services.followup.tests import images  # noqa: E402
from shared.testing.orthanc import INSTALL, available, running_orthanc  # noqa: E402


def xrays(count: int, megabytes: float) -> list[bytes]:
    """`count` different DICOM files of about `megabytes` each (16-bit pixels, own UIDs)."""
    side = int((megabytes * 1024 * 1024 / 2) ** 0.5)
    template = pydicom.dcmread(io.BytesIO(images.xray(side=side)))
    made = []
    for n in range(count):
        template.SOPInstanceUID = template.file_meta.MediaStorageSOPInstanceUID = generate_uid()
        template.SeriesInstanceUID = generate_uid()
        template.InstanceNumber = n + 1
        buffer = io.BytesIO()
        template.save_as(buffer, enforce_file_format=True)
        made.append(buffer.getvalue())
    return made


def run(store, files: list[bytes]) -> dict:
    latencies = []
    started = time.perf_counter()
    for data in files:
        t = time.perf_counter()
        store.put(data, DICOM)
        latencies.append(time.perf_counter() - t)
    elapsed = time.perf_counter() - started
    return {"per_second": len(files) / elapsed, "p99_ms": float(numpy.percentile(latencies, 99)) * 1000}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--images", type=int, default=12)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--megabytes", type=float, default=10.0)
    args = parser.parse_args()
    if not available():
        sys.exit(f"Orthanc with its DICOMweb plugin is not installed: {INSTALL}")
    results = {"files": [], "orthanc": []}
    with tempfile.TemporaryDirectory() as tmp, running_orthanc(Path(tmp) / "orthanc") as orthanc:
        for attempt in range(args.runs):
            batch = xrays(args.images, args.megabytes)   # new UIDs each run: nothing is stored twice
            stores = {"files": FilesOnly(FileStore(Path(tmp) / f"files-{attempt}")),
                      "orthanc": Pacs(orthanc.dicomweb, FileStore(Path(tmp) / f"beside-{attempt}"),
                                      orthanc.username, orthanc.password)}
            for name, store in stores.items():
                results[name].append(run(store, batch))
    size = len(xrays(1, args.megabytes)[0])
    summary = {name: {"images_per_second": round(statistics.median(r["per_second"] for r in runs), 2),
                      "p99_store_ms": round(statistics.median(r["p99_ms"] for r in runs), 1)}
               for name, runs in results.items()}
    summary["dicom_bytes"] = size
    summary["images_per_run"], summary["runs"] = args.images, args.runs
    summary["orthanc_vs_files_throughput"] = round(
        summary["orthanc"]["images_per_second"] / summary["files"]["images_per_second"], 3)
    print(json.dumps(summary, indent=2))


if __name__ == "__main__":
    main()
