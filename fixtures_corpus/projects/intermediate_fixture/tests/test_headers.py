def test_headers_carry_the_token(auth_headers):  # expect: AIO302
    # the async fixture reaches this test only through `auth_headers`
    assert auth_headers["Authorization"] == "Bearer secret"
