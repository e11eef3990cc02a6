"""Mixed content collapsed to text: every word kept, paragraphs as blank lines, no heads."""
from lxml import etree

from catalog.imports.ead.text import collapse_text, joined_text


def element(xml):
    return etree.fromstring(xml)


def test_paragraphs_become_blank_lines_and_runs_of_space_one_space():
    note = element("<scopecontent><head>Scope and Contents</head>\n  <p>First   para\n  graph.</p>\n<p>Second.</p></scopecontent>")
    assert collapse_text(note) == "First para graph.\n\nSecond."


def test_line_breaks_as_atom_writes_paragraphs():
    note = element("<note><p>One.<lb/><lb/>Two, <emph render='italic'>in italics</emph>.<lb/>Three.</p></note>")
    assert collapse_text(note) == "One.\n\nTwo, in italics.\n\nThree."


def test_lists_and_chronologies_keep_their_entries_apart():
    odd = element(
        "<odd><list><item>Item X</item><item>Item Y</item></list>"
        "<chronlist><chronitem><date>2011-11-10</date><eventgrp><event>Event X</event></eventgrp></chronitem></chronlist></odd>"
    )
    assert collapse_text(odd) == "Item X\n\nItem Y\n\n2011-11-10\n\nEvent X"


def test_the_head_of_a_note_is_kept_when_asked():
    title = element("<unittitle>Letters <head>x</head> and <num>3</num></unittitle>")
    assert collapse_text(title, skip=()) == "Letters\n\nx\n\nand 3"


def test_ead3_name_parts_are_joined():
    name = element("<persname><part>Brown</part><part> Clarence </part><part><!-- none --></part></persname>")
    assert joined_text(name) == "Brown, Clarence"
