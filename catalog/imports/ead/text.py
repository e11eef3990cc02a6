"""Text out of EAD's mixed content: what a reader of the finding aid would see, as plain text.

EAD wraps prose in formatting (<emph>, <title>, <persname> inside a <p>) and breaks it into
paragraphs, list items and chronology entries. Arkiv keeps statements as plain text, in which a
blank line separates paragraphs (the item page shows line breaks as they are written). So
`collapse_text` keeps every word, joins the runs of white space inside a paragraph into single
spaces, and ends a paragraph at each block element and at each <lb/> (AtoM writes a paragraph
break as <lb/><lb/>). A note's <head> is the label an exporter put above it ("Scope and
Contents"), which Arkiv's own label replaces, so it is left out.
"""
PARAGRAPH_BREAK = "\n\n"

BLOCKS = frozenset({
    "p", "list", "item", "defitem", "label", "chronlist", "chronitem", "eventgrp", "event", "table",
    "row", "entry", "blockquote", "address", "addressline", "note", "head", "thead", "lb",
    "datesingle", "daterange",
})
"""Elements (of both versions) that begin and end a paragraph of their own."""

SKIPPED = frozenset({"head"})


def local_name(element):
    """The element's name without its namespace: the two EAD versions share most names."""
    return element.tag.rpartition("}")[2]


def collapse_text(element, skip=SKIPPED):
    """The text of `element` and everything in it, paragraphs separated by a blank line."""
    if not len(element):  # most elements hold text alone (titles, dates, names)
        return " ".join((element.text or "").split())
    paragraphs, words = [], []

    def end_paragraph():
        text = " ".join("".join(words).split())
        if text:
            paragraphs.append(text)
        words.clear()

    def walk(node):
        name = local_name(node)
        block = name in BLOCKS
        if block:
            end_paragraph()
        if node.text:
            words.append(node.text)
        for child in node:
            if isinstance(child.tag, str) and local_name(child) not in skip:
                walk(child)
            if child.tail:
                words.append(child.tail)
        if block:
            end_paragraph()

    walk(element)
    end_paragraph()
    return PARAGRAPH_BREAK.join(paragraphs)


def joined_text(elements, separator=", "):
    """The texts of several elements (EAD3's <part>s of a name), each collapsed, joined."""
    return separator.join(text for text in (collapse_text(element) for element in elements) if text)
