import pytest

from kg.extract.reader import build_pipeline


@pytest.fixture(scope="session")
def nlp():
    return build_pipeline()
