from newsdesk.wording import count


def test_count():
    assert count(1, "article") == "1 article"
    assert count(2, "article") == "2 articles"
    assert count(0, "outlet") == "0 outlets"
    assert count(1, "story") == "1 story" and count(3, "story") == "3 stories"
    assert count(1200, "source") == "1,200 sources"
