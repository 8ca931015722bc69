"""Every response carries a request id: the proxy's when it is plain, a new one otherwise."""


def test_every_response_carries_a_request_id(client):
    first = client.get("/health/live")["X-Request-ID"]
    second = client.get("/health/live")["X-Request-ID"]
    assert len(first) == 32
    assert first != second


def test_a_plain_request_id_from_the_proxy_is_kept_and_a_forged_one_replaced(client):
    kept = client.get("/health/live", HTTP_X_REQUEST_ID="proxy-id-0001")["X-Request-ID"]
    replaced = client.get("/health/live", HTTP_X_REQUEST_ID="bad id\nforged")["X-Request-ID"]
    assert kept == "proxy-id-0001"
    assert replaced != "bad id\nforged"
