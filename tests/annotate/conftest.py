import pytest

from kg.annotate import build_pipeline


@pytest.fixture(scope="session")
def nlp():
    return build_pipeline()
