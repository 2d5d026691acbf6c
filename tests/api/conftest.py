from tests.api.loaded import loaded_store  # noqa: F401
