"""The imaging tests need a real Orthanc: under CI its absence fails them, elsewhere skips them."""
import pytest

from shared.testing import orthanc


def test_a_missing_orthanc_fails_under_ci_and_is_skipped_with_how_to_install_it_elsewhere(monkeypatch):
    monkeypatch.setattr(orthanc, "available", lambda: False)
    monkeypatch.setenv("CI", "true")
    with pytest.raises(pytest.fail.Exception, match="apt-get install -y orthanc orthanc-dicomweb"):
        orthanc.require()
    monkeypatch.delenv("CI")
    with pytest.raises(pytest.skip.Exception, match="orthanc-dicomweb"):
        orthanc.require()
