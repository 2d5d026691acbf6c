import pytest

from kg.extract import build_pipeline


@pytest.fixture(scope="session")
def nlp():
    return build_pipeline()
