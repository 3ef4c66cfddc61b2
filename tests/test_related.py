"""Related stories: the quality table on the seeds, the ``related`` command and odd input."""

from __future__ import annotations

import json
import shutil
import sys

import pytest

from importai_tui.cli import main
from importai_tui.library import Library
from importai_tui.search.names import proper_names
from importai_tui.search.related import related_sections

# (story, its follow-up or earlier story in another issue), chosen by reading the
# seeds. "cites" marks pairs where one names the other's issue ("Import AI #400").
# Dropped after re-reading: 387/facebook-prepares-for-the-fully-personal-video-model-future
# -> 386/get-a-visceral-feel-for-how-powerful-modern-ai-video-tools-are (Movie Gen and
# Pika share the topic "video generation" and nothing else; neither cites the other, and
# the Pika note is three sentences about a demo: not a follow-up).
PAIRS = [
    # cites: NVIDIA's R1-written CUDA kernels, then Sakana's AI CUDA engineer
    ("401/sakana-uses-ai-to-make-dramatically-more-efficient-cuda-kernels",
     "400/ai-bootstrapping-is-definitely-here"),
    # cites: AI improving the AI stack, AlphaChip as the earlier example
    ("400/ai-bootstrapping-is-definitely-here",
     "386/google-sees-compounding-benefits-from-ai-driven-chip-design"),
    # cites: SYNTHETIC-1 as the earlier example
    ("400/ai-bootstrapping-is-definitely-here",
     "399/prime-intellect-releases-1-4-million-samples-to-help-people-train-reasoning"),
    # cites: R1 as a data generator, after "DeepSeek means proliferation is guaranteed"
    ("399/prime-intellect-releases-1-4-million-samples-to-help-people-train-reasoning",
     "397/the-biggest-thing-people-are-missing-about-deepseek-800lk-tokens-to-gain-test"),
    # cites: Streaming DiLoCo, after INTELLECT-1 trained with OpenDiLoCo
    ("398/deepmind-figures-out-a-way-to-make-it-100x-more-bandwidth-efficient-to-train",
     "387/the-10bn-parameter-distributed-training-run-has-arrived"),
    # cites: standard LLMs for proteins, after FutureHouse's Llama-3.1-8B for science
    ("397/standard-llms-can-do-protein-sequence-analysis-no-modification-required",
     "396/today-s-small-open-weight-llms-like-llama-3-1-8b-are-almost-as-good-at-science"),
    # cites (a link to #401): power-seeking by hacking the environment to win at chess
    ("u-032ed888/a-whole-bunch-of-2022-predictions-about-misalignment-of-ai-systems-have-come",
     "401/reasoning-models-cheat-when-they-think-they-might-lose"),
    # DisTrO, then INTELLECT-1: distributed training over the internet
    ("384/nous-research-might-have-figured-out-a-way-to-make-distributed-training-work",
     "387/the-10bn-parameter-distributed-training-run-has-arrived"),
    # DiLoCo scaling laws, after Streaming DiLoCo
    ("u-032ed888/google-makes-scaling-laws-for-distributed-training-which-means-there-will-be",
     "398/deepmind-figures-out-a-way-to-make-it-100x-more-bandwidth-efficient-to-train"),
    # INTELLECT-2, after INTELLECT-1
    ("u-04bbb3b2/prime-intellect-launches-a-decentralized-training-run-for-a-32b-parameter-model",
     "387/the-10bn-parameter-distributed-training-run-has-arrived"),
    # Minecraft in a neural network, after DOOM in one (GameNGen)
    ("390/minecraft-inside-the-weights-of-a-neural-network",
     "384/google-gets-doom-to-run-in-the-weights-of-a-neural-network"),
    # Huawei's Ascend-trained Pangu, after Huawei's HiFloat8 training format
    ("u-04bbb3b2/no-nvidia-no-problem-huawei-trains-a-strong-dense-model-on-ascend-npus",
     "386/huawei-gets-opinionated-about-8-bit-training-for-llms"),
    # Omni-Math, then FrontierMath: hard maths benchmarks
    ("388/chinese-researchers-introduce-omni-math-a-for-now-challenging-math-benchmark",
     "391/can-60-very-talented-mathematicians-make-a-benchmark-that-withstands-ai-progress"),
    # Kimi k1.5, measured against DeepSeek R1
    ("398/chinas-other-great-ai-startup-also-has-a-reasoning-model-now-but-its-not-open",
     "397/the-biggest-thing-people-are-missing-about-deepseek-800lk-tokens-to-gain-test"),
    # power, not misalignment, as the risk; governments made too powerful by AI
    ("u-04bbb3b2/ai-expert-the-scariest-thing-about-powerful-ai-is-about-its-power-not",
     "u-032ed888/really-powerful-ai-could-wreck-society-by-making-governments-too-powerful"),
]


@pytest.fixture(scope="module")
def seeds(tmp_path_factory, _seeded_template) -> Library:
    """One copy of the seeded library for the whole module (read only)."""
    root = tmp_path_factory.mktemp("related") / "data"
    shutil.copytree(_seeded_template, root)
    return Library(root)


@pytest.mark.parametrize(("story", "partner"), PAIRS, ids=[p[0].split("/")[1][:30] for p in PAIRS])
def test_the_partner_story_is_in_the_top_five(seeds, story, partner):
    found = [item.section_id for item in related_sections(seeds, story, limit=5)]
    assert partner in found, found


def test_results_come_from_other_issues_best_first_with_reasons(seeds):
    story = PAIRS[0][0]
    related = related_sections(seeds, story)
    assert 0 < len(related) <= 10
    assert all(not item.section_id.startswith("401/") for item in related)
    scores = [item.score for item in related]
    assert scores == sorted(scores, reverse=True)
    assert all(item.shared_terms for item in related)
    best = related[0]
    assert best.crossref  # it cites issue 400
    assert {"kernels", "cuda"} & best.highlight_terms
    assert len({item.section_id for item in related}) == len(related)


def test_limit_and_unknown_sections(seeds):
    assert len(related_sections(seeds, PAIRS[0][0], limit=3)) == 3
    assert related_sections(seeds, PAIRS[0][0], limit=0) == []
    for odd in ["", "nope", "401/", "401/nope", "../x", "\x00", "日本語/記事", "u-ffffffff/x"]:
        assert related_sections(seeds, odd) == []


def test_proper_names_skip_sentence_capitals_and_addresses():
    text = (
        "The Prime Intellect team trained INTELLECT-2 with Google DeepMind's DiLoCo. "
        "Recursive self-improvement is near. Huawei says so; so does Huawei's lab. "
        "See [the paper](https://example.com/Some/Path) or https://Example.com/X."
    )
    names = set(proper_names(text).values())
    assert {"Prime Intellect", "INTELLECT-2", "Google DeepMind", "DiLoCo", "Huawei"} <= names
    assert "Recursive" not in names and "The" not in names
    assert not any("Path" in name or "Example" in name for name in names)


# -- the command ---------------------------------------------------------------------


@pytest.fixture
def cli_seeds(seeds, monkeypatch):
    monkeypatch.setenv("IMPORTAI_DATA_DIR", str(seeds.root))
    return seeds


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_related_json_shape(capsys, cli_seeds):
    code, out, err = run(capsys, "related", "401", "2", "--json", "--limit", "4")
    assert code == 0 and err == ""
    records = json.loads(out)
    assert len(records) == 4
    for record in records:
        assert list(record) == [
            "issue_id", "number", "date", "section_id", "title", "score", "shared_terms"
        ]
        assert isinstance(record["shared_terms"], list) and isinstance(record["score"], float)
    assert records[0]["section_id"] == "400/ai-bootstrapping-is-definitely-here"
    assert records[0]["number"] == 400


def test_related_section_by_id_slug_or_position_agree(capsys, cli_seeds):
    slug = PAIRS[0][0].split("/", 1)[1]
    outputs = {run(capsys, "related", "#401", key, "--json")[1] for key in ("2", slug, PAIRS[0][0])}
    assert len(outputs) == 1


def test_related_plain_lines_when_piped(capsys, cli_seeds):
    code, out, err = run(capsys, "related", "401", "2", "-n", "3")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 3
    where, day, score, section_id, title, why = lines[0].split("\t")
    assert (where, day, section_id) == ("#400", "-", "400/ai-bootstrapping-is-definitely-here")
    assert float(score) > 0 and title == "AI bootstrapping is definitely here" and why


def test_related_table_on_a_terminal(capsys, cli_seeds, monkeypatch):
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    code, out, _ = run(capsys, "related", "401", "2")
    assert code == 0 and "bootstrapping" in out and "Related to" in out


def test_related_errors(capsys, cli_seeds):
    assert run(capsys, "related", "999", "1")[0] == 1
    code, _, err = run(capsys, "related", "401", "99")
    assert code == 1 and "has no section '99'" in err
    assert run(capsys, "related", "401", "1", "--limit", "0")[0] == 2


@pytest.mark.parametrize("command", ["related", "timeline"])
def test_the_thread_commands_have_help(capsys, command):
    with pytest.raises(SystemExit) as done:
        main([command, "--help"])
    assert done.value.code == 0
    assert f"importai {command}" in capsys.readouterr().out
