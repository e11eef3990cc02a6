from catalog.imports.folder.walk import count_files, natural_key, safe_part, title_for, units


def test_files_are_items_and_folders_items_of_their_pages_in_natural_order(folder):
    root = folder({
        "b.jpg": b"x", "a.jpg": b"x", "book/page10.jpg": b"x", "book/page2.jpg": b"x", "book/Page1.jpg": b"x",
        "box/letters/one.pdf": b"x", ".DS_Store": b"x", "book/Thumbs.db": b"x",
    })
    found = [(u.path, u.identifier, u.title, u.files) for u in units(root, "scans")]
    assert found == [
        ("a.jpg", "scans.a", "a", ["a.jpg"]),
        ("b.jpg", "scans.b", "b", ["b.jpg"]),
        ("book", "scans.book", "book", ["book/Page1.jpg", "book/page2.jpg", "book/page10.jpg"]),
        ("box/letters", "scans.box.letters", "letters", ["box/letters/one.pdf"]),
    ]
    assert count_files(root) == 6


def test_identifiers_depend_on_the_path_only_and_siblings_that_would_clash_are_told_apart(folder):
    root = folder({"a b.jpg": b"x", "a-b.jpg": b"x", "x.jpg": b"x", "x.tif": b"x", "Ørsta_1945.jpg": b"x"})
    identifiers = {u.path: u.identifier for u in units(root, "p")}
    assert identifiers["Ørsta_1945.jpg"] == "p.orsta_1945"
    clashing = [identifiers[name] for name in ("a b.jpg", "a-b.jpg", "x.jpg", "x.tif")]
    assert len(set(clashing)) == 4 and all(i.startswith(("p.a-b-", "p.x-")) for i in clashing)
    assert identifiers == {u.path: u.identifier for u in units(root, "p")}


def test_a_long_path_gives_an_identifier_that_fits(folder):
    root = folder({"d" * 80 + "/" + "e" * 80 + ".jpg": b"x", "d" * 80 + "/" + "f" * 80 + "/g.jpg": b"x"})
    identifiers = [u.identifier for u in units(root, "scans")]
    assert len(set(identifiers)) == 2 and all(len(i) <= 100 for i in identifiers)


def test_titles_and_parts():
    assert title_for("Brev_fra--Ålesund_1945") == "Brev fra Ålesund 1945"
    assert safe_part("Brev fra Ålesund (1945)") == "brev-fra-alesund-1945"
    assert sorted(["page10", "page2", "Page1"], key=natural_key) == ["Page1", "page2", "page10"]
