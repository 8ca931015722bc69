"""The bare signed-in view bench/pages.py measures pages against is routed only when
BENCH_BARE_VIEW is on, never in a normal deployment."""

import pytest
from django.urls import NoReverseMatch, reverse

from config.env import settings_from_environment


def test_the_bare_view_is_off_unless_asked_for(client, settings, tmp_path):
    assert settings.BENCH_BARE_VIEW is False
    with pytest.raises(NoReverseMatch):
        reverse("bench-bare")
    assert settings_from_environment({}, tmp_path)["BENCH_BARE_VIEW"] is False
    assert settings_from_environment({"BENCH_BARE_VIEW": "true"}, tmp_path)["BENCH_BARE_VIEW"]


@pytest.mark.django_db
def test_the_bare_view_s_address_is_not_found(client, signed_in_client):
    assert signed_in_client.get("/bench/bare/").status_code == 404
