"""DUC / TREC newswire SGML: <DOC> records read as articles with id, date and title, no tags in the text."""

from __future__ import annotations

import datetime as dt
import json

from typer.testing import CliRunner

from newsdesk.cli import app
from newsdesk.ingest import kind_of, read_articles
from newsdesk.ingest.sgml import looks_like_sgml

ONE = """<DOC>
<DOCNO> APW20010203.0117 </DOCNO>
<DOCTYPE> NEWS STORY </DOCTYPE>
<DATE_TIME> 02/03/2001 11:04:00 </DATE_TIME>
<BODY>
<SLUG> BC-Ferry-Strike </SLUG>
<HEADLINE>
Ferry crews walk out over pay
</HEADLINE>
<TEXT>
<P>
   KORVIK (AP) _ Ferry crews on the Korvik line walked out on Saturday
in a dispute over pay, stranding 1,200 passengers, the operator said.
</P>
<P>
   Talks between the union &amp; the operator are to resume on Monday.
</P>
<ANNOTATION> editors: see also BC-Ferry-Talks </ANNOTATION>
</TEXT>
<TRAILER> AP-NY-02-03-01 1104EST </TRAILER>
</BODY>
</DOC>
"""

TWO = """<DOC>
<DOCNO>XIE20010204.0009</DOCNO>
<DATE>2001-02-04</DATE>
<HL>Stranded passengers wait for ferries</HL>
<BYLINE>By Lena Moss</BYLINE>
<TEXT>
Hundreds of passengers spent the night at the Korvik ferry terminal
after crews walked out on Saturday.

The operator said it would lay on buses.
</TEXT>
</DOC>
<DOC>
<DOCNO>XIE20010205.0102</DOCNO>
<TEXT>
<P>Ferry services on the Korvik line resumed on Monday after the operator raised pay.</P>
</TEXT>
</DOC>
"""


def _write(tmp_path):
    (tmp_path / "APW20010203.0117").write_text(ONE, encoding="utf-8")
    (tmp_path / "xie.sgml").write_text(TWO, encoding="utf-8")
    (tmp_path / "same.txt").write_text(TWO.replace("XIE2001", "NYT2001"), encoding="utf-8")
    return tmp_path


def test_kind_is_sniffed_from_content():
    assert looks_like_sgml(ONE.encode()) and looks_like_sgml(b"\xef\xbb\xbf" + TWO.encode())
    assert not looks_like_sgml(b"<html><body><p>Hello</p></body></html>")
    assert kind_of("APW20010203.0117", ONE.encode()) == "sgml"
    assert kind_of("d1.txt", ONE.encode()) == "sgml"
    assert kind_of("x.sgml", TWO.encode()) == "sgml"
    assert kind_of("d1.txt", b"Ferry crews walked out.\n") == "txt"


def test_docs_read_with_id_date_title_and_no_tags(tmp_path):
    arts = {a.id: a for a in read_articles([_write(tmp_path)])}
    one = arts["APW20010203.0117"]  # a file of one DOC keeps its file id
    assert one.title == "Ferry crews walk out over pay"
    assert one.published == dt.date(2001, 2, 3)
    assert one.meta["docno"] == "APW20010203.0117"
    assert one.text.startswith("KORVIK (AP) _ Ferry crews on the Korvik line walked out on Saturday in a dispute")
    assert "Talks between the union & the operator" in one.text
    assert "editors" not in one.text and "AP-NY" not in one.text and "BC-Ferry" not in one.text
    first, second = arts["XIE20010204.0009"], arts["XIE20010205.0102"]  # several DOCs: their DOCNOs
    assert first.title == "Stranded passengers wait for ferries" and first.author == "Lena Moss"
    assert first.published == dt.date(2001, 2, 4)
    assert second.published == dt.date(2001, 2, 5)  # from the DOCNO
    assert second.title is None
    for a in arts.values():
        assert "<" not in a.text and ">" not in a.text, a.text


def test_extract_gives_clean_text(tmp_path):
    result = CliRunner().invoke(app, ["extract", str(_write(tmp_path)), "--json"])
    assert result.exit_code == 0, result.output
    articles = json.loads(result.stdout)["articles"]
    assert len(articles) == 5
    for a in articles:
        assert "<" not in a["text"] and "&amp;" not in a["text"]
        assert a["published"]
    one = next(a for a in articles if a["id"] == "APW20010203.0117")
    assert one["source"] == "AP"  # the wire credited in the dateline
    assert "1,200 passengers" in one["text"]


def test_a_doc_without_text_is_reported(tmp_path):
    (tmp_path / "bad.sgml").write_text("<DOC><DOCNO>X1</DOCNO><HEADLINE>Only a title</HEADLINE></DOC>\n"
                                      + TWO.split("<DOC>", 2)[2].join(["<DOC>", ""]), encoding="utf-8")
    errors = []
    arts = read_articles([tmp_path / "bad.sgml"], on_error=errors.append)
    assert [a.id for a in arts] == ["XIE20010205.0102"]
    assert len(errors) == 1 and "no <TEXT>" in str(errors[0])
