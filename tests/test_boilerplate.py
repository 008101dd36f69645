"""Boilerplate families: notices are named, news sentences that mention the same words are not."""

from newsdesk.boilerplate import boilerplate_family, comment_section_header


def test_families_name_notices():
    cases = {
        "Views expressed in this article are the author's own and do not necessarily reflect ours.": "disclaimer",
        "The opinions expressed here are solely those of the writer.": "disclaimer",
        "This article is for informational purposes only and is not investment advice.": "disclaimer",
        "We use cookies to improve your experience. By continuing to use this site you agree.": "cookies",
        "Subscribe now for unlimited digital access.": "subscribe",
        "Sign up for our daily politics newsletter.": "subscribe",
        "Already a subscriber? Log in to continue reading.": "subscribe",
        "© 2024 Example Media Group. All rights reserved.": "copyright",
        "This material may not be published, broadcast, rewritten or redistributed.": "copyright",
        "Please enable JavaScript to watch this video.": "browser",
        "Comments are closed.": "comments",
        "Your email address will not be published. Required fields are marked *": "comments",
        "Follow us on Twitter for the latest updates.": "share",
    }
    for text, family in cases.items():
        assert boilerplate_family(text) == family, text


def test_news_is_not_boilerplate():
    for text in (
        "The company said it would stop using tracking cookies in Europe next year.",
        "Subscribers to the streaming service rose by 2 million in the quarter, the company said.",
        "The senator said the views expressed by the minister were dangerous.",
        "Copyright lawyers for the studio filed the suit in Los Angeles on Monday.",
        "The newspaper's comments section was shut after a flood of abuse, the editor said.",
    ):
        assert boilerplate_family(text) is None, text
    long_prose = ("Let's be honest, picking the year's best phones is hard, " * 6) + "Leave a comment below."
    assert boilerplate_family(long_prose) is None  # a long paragraph is prose, not a notice


def test_comment_section_headers():
    for text in ("23 Comments", "Comments", "Reader comments", "Join the discussion", "Leave a Reply",
                 "Comments (14)", "12 thoughts on “Ferry crews walk out”"):
        assert comment_section_header(text), text
    for text in ("Ferry crews walk out over pay", "The comments drew criticism from the union.", "Discussion"):
        assert not comment_section_header(text), text
