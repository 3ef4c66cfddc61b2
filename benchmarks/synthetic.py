"""Build a synthetic archive of many distinct Import AI issues from the seeds.

Reusable by every benchmark (import, search, the reader)::

    from synthetic import build_archive
    archive = build_archive(Path("/tmp/archive"), issues=500)

The archive holds copies of the seed issues in their original shapes: one
Substack HTML file per issue, and plain-text archive files of ten issues each.
Every copy is renumbered (text) and altered (headlines get a copy tag, about
one body word in eight is replaced by a copy-specific word), so that the
converter's deduplication keeps all copies apart while the documents keep the
size and structure of real issues. Deterministic: the same arguments give the
same bytes.
"""

from __future__ import annotations

import random
import re
from dataclasses import dataclass, field
from pathlib import Path

# A text archive issue opens with this line; the welcome/"by Jack Clark" lines follow.
_TEXT_ISSUE = re.compile(r"^Import AI (\d+): .*$", re.M)
_HTML_TEXT_NODE = re.compile(r">([^<>]+)<")
# Only section headlines (followed by an <em> subtitle): never "Read more:",
# "Tech Tales:" or "Things that inspired this story:", which the converter keys on.
_HTML_HEADLINE = re.compile(r"<strong>([^<]+?):(<br />\s*</strong>\s*<em>)")
_WORD = re.compile(r"\b([A-Za-z]{4,})\b")

# Words the converter may rely on to spot boilerplate and the story section.
_KEEP = frozenset(
    "tech tales things inspired story subscribe thanks reading welcome import "
    "newsletter research lattes ramen feedback readers support please read more "
    "jack clark paper".split()
)
# Invented words, so altered copies never collide with each other or a seed.
_SYLLABLES = ("ka", "lo", "mi", "ren", "tus", "vo", "zen", "pra", "del", "quo", "sim", "bar")


@dataclass
class Archive:
    """The files of a synthetic archive and what they hold."""

    root: Path
    html_files: list[Path] = field(default_factory=list)
    text_files: list[Path] = field(default_factory=list)
    issue_count: int = 0

    @property
    def files(self) -> list[Path]:
        return sorted(self.html_files + self.text_files)


def seed_files() -> list[Path]:
    """The bundled seed files."""
    from importai_tui.paths import bundled_seed_files

    return bundled_seed_files()


def _word(rng: random.Random, copy: int) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(3)) + f"{copy:x}"


def _alter_words(text: str, rng: random.Random, copy: int, every: int = 8) -> str:
    """Replace about one word in ``every`` with a copy-specific invented word."""
    counter = 0

    def swap(match: re.Match[str]) -> str:
        nonlocal counter
        counter += 1
        word = match.group(1)
        if word.lower() in _KEEP:
            return word
        return _word(rng, copy) if counter % every == 0 else word

    return _WORD.sub(swap, text)


def alter_html(html: str, copy: int) -> str:
    """One altered copy of a Substack HTML issue (tags and links untouched)."""
    rng = random.Random(copy)
    html = _HTML_HEADLINE.sub(lambda m: f"<strong>{m.group(1)} (copy {copy}):{m.group(2)}", html)
    return _HTML_TEXT_NODE.sub(lambda m: ">" + _alter_words(m.group(1), rng, copy) + "<", html)


def text_issues(text: str) -> list[tuple[int, str]]:
    """Split a plain-text archive into (number, block) pairs, first copy of each."""
    starts = [m.start() for m in _TEXT_ISSUE.finditer(text)]
    blocks: list[tuple[int, str]] = []
    seen: set[int] = set()
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        # The file's last block may lack a final newline: without one, the
        # next block's "Import AI NNN:" line would be glued onto its last line.
        block = text[start:end].rstrip("\n") + "\n\n"
        number = int(_TEXT_ISSUE.match(block).group(1))  # type: ignore[union-attr]
        if number not in seen:  # the seeds repeat some issues; keep copies distinct
            seen.add(number)
            blocks.append((number, block))
    return blocks


def alter_text_issue(block: str, number: int, copy: int) -> str:
    """One altered, renumbered copy of a plain-text issue."""
    rng = random.Random(10_000 + copy)
    lines = block.split("\n")
    lines[0] = re.sub(r"^Import AI \d+:", f"Import AI {number}:", lines[0])
    for i in range(1, len(lines) - 1):
        # Headline: a line ending in ":" followed by a "…subtitle…" line.
        if lines[i].endswith(":") and lines[i + 1].startswith("…"):
            lines[i] = f"{lines[i][:-1]} (copy {copy}):"
        elif lines[i] and not lines[i].startswith(("…", "Import AI", "by Jack")):
            lines[i] = _alter_words(lines[i], rng, copy)
    return "\n".join(lines)


def build_archive(
    dest: Path, issues: int = 500, *, html_share: float = 0.9, per_text_file: int = 10
) -> Archive:
    """Write ``issues`` distinct issues under ``dest`` (created) and describe them.

    ``html_share`` of them are HTML files (one issue each); the rest go into
    plain-text archives of ``per_text_file`` issues, numbered from 1000 up.
    """
    dest.mkdir(parents=True, exist_ok=True)
    archive = Archive(dest)
    html_seeds: list[str] = []
    text_seeds: list[tuple[int, str]] = []
    for path in seed_files():
        raw = path.read_text(encoding="utf-8")
        if raw.lstrip().startswith("<"):
            html_seeds.append(raw)
        else:
            text_seeds.extend(text_issues(raw))
    n_html = round(issues * html_share)
    n_text = issues - n_html
    for copy in range(n_html):
        html = alter_html(html_seeds[copy % len(html_seeds)], copy)
        path = dest / f"html_{copy:05d}.html"
        path.write_text(html, encoding="utf-8")
        archive.html_files.append(path)
    blocks: list[str] = []
    for copy in range(n_text):
        _, block = text_seeds[copy % len(text_seeds)]
        blocks.append(alter_text_issue(block, 1000 + copy, copy))
    for start in range(0, len(blocks), per_text_file):
        path = dest / f"text_{start // per_text_file:05d}.txt"
        path.write_text("Import AI\n\n" + "".join(blocks[start : start + per_text_file]), encoding="utf-8")
        archive.text_files.append(path)
    archive.issue_count = n_html + n_text
    return archive


if __name__ == "__main__":
    import argparse

    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("dest", type=Path)
    parser.add_argument("--issues", type=int, default=500)
    args = parser.parse_args()
    built = build_archive(args.dest, args.issues)
    print(f"{built.issue_count} issues in {len(built.files)} files under {built.root}")
