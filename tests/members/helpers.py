CSRF = "a" * 32


def post(client, url, data=None, **extra):
    """A POST through the CSRF check, as a browser with the cookie and header would send it."""
    client.cookies["csrftoken"] = CSRF
    return client.post(url, data or {}, HTTP_X_CSRFTOKEN=CSRF, **extra)
