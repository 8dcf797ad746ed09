import pytest


@pytest.fixture
def write(tmp_path):
    """Write text (as UTF-8) or bytes to a file in ``tmp_path``; returns its path."""

    def write(data, name="upload.txt"):
        path = tmp_path / name
        path.write_bytes(data if isinstance(data, bytes) else data.encode())
        return path

    return write
