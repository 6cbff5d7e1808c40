from verify import Status, check_quote


def test_exact_quote_is_verified() -> None:
    assert check_quote("the cat sat", "Yesterday the cat sat on the mat.").status is Status.VERIFIED
