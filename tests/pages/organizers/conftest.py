import pytest


@pytest.fixture
def organizer(organizer, client):
    """The organizer, with the test client signed in as them: the pages here are theirs."""
    client.force_login(organizer)
    return organizer
