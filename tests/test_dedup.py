import datetime as dt

from hypothesis import given, settings
from hypothesis import strategies as st

from newsdesk import Article
from newsdesk.dedup import find_duplicates, mark_duplicates

BODY = " ".join(f"Sentence number {i} tells about the harbour strike and the shipping delays in Ostra."
               for i in range(12))


def test_exact_copy_whitespace_and_case_insensitive():
    a = Article(id="a", text=BODY, published=dt.date(2024, 5, 14))
    b = Article(id="b", text=BODY.upper().replace(" ", "  "), published=dt.date(2024, 5, 13))
    assert find_duplicates([a, b]) == {"a": "b"}  # the earlier one is the original


def test_near_copy_with_light_edits():
    # a reprint: one sentence reworded, one dropped, a credit line added
    edited = ("HARBOUR CITY (Wire) - " + BODY.replace("Sentence number 3", "Paragraph number 3")
              .replace("Sentence number 7 tells about the harbour strike and the shipping delays in Ostra.", ""))
    arts = [Article(id="copy", text=edited), Article(id="orig", text=BODY)]
    assert find_duplicates(arts) == {"copy": "orig"}
    assert find_duplicates(arts[::-1]) == {"copy": "orig"}


def test_wire_credit_breaks_ties():
    arts = [Article(id="reprint", text=BODY), Article(id="wire", text=BODY, meta={"credit": "Coastal Wire"})]
    assert find_duplicates(arts) == {"reprint": "wire"}


def test_different_articles_are_not_duplicates():
    other = " ".join(f"Line {i} is about the central bank raising its interest rate again." for i in range(12))
    assert find_duplicates([Article(id="a", text=BODY), Article(id="b", text=other)]) == {}


def test_mark_duplicates_sets_field():
    out = mark_duplicates([Article(id="a", text=BODY), Article(id="b", text=BODY)])
    assert [a.duplicate_of for a in out] == [None, "a"]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.text(alphabet="abcdef ", min_size=0, max_size=80), min_size=1, max_size=8))
def test_property_originals_are_not_duplicates(texts):
    arts = [Article(id=str(i), text=t) for i, t in enumerate(texts)]
    dups = find_duplicates(arts)
    assert not set(dups.values()) & set(dups)  # an original is never itself a copy
    assert set(dups) <= {a.id for a in arts}
