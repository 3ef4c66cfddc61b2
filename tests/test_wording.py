"""The shared wording helpers of the one-line messages."""

from importai_tui.wording import one_line, plural


def test_plural_counts_and_inflects():
    assert [plural(n, "new issue") for n in (0, 1, 2)] == ["0 new issues", "1 new issue", "2 new issues"]


def test_one_line_collapses_whitespace_and_cuts_with_an_ellipsis():
    assert one_line("  a\n\tb   c ") == "a b c"
    assert one_line("abcdef", 4) == "abc…"
    assert one_line("abcd", 4) == "abcd"
