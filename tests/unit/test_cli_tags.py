"""`kabar tags suggest`: the function's own tagger, on files."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from kabar.text.tag_suggestion import MemoryVocabulary, suggest_tags

KABAR = Path(sys.executable).parent / "kabar"


def run(*args: str, stdin: str = "") -> subprocess.CompletedProcess[str]:
    return subprocess.run([str(KABAR), *args], input=stdin, capture_output=True, text=True, check=False)


def test_suggest_writes_the_same_tags_the_function_computes(tmp_path: Path) -> None:
    article = {
        "id": "a1",
        "title": "Tentara Suriah Pukul Mundur ISIS di Pedesaan Aleppo",
        "lead": "Kelompok ISIS meninggalkan desa di Aleppo.",
        "body": "Jet tempur Rusia dan pasukan Hizbullah menyerang posisi ISIS. Tentara Suriah maju.",
    }
    source = tmp_path / "in.jsonl"
    source.write_text(json.dumps(article) + "\n\n" + json.dumps({"id": 2, "title": "Kosong"}) + "\n")
    result = run("tags", "suggest", str(source))
    assert result.returncode == 0, result.stderr
    lines = [json.loads(line) for line in result.stdout.splitlines()]
    assert [line["id"] for line in lines] == ["a1", 2]
    expected = suggest_tags(article["title"], article["lead"], article["body"], vocabulary=MemoryVocabulary())
    assert lines[0]["tags"] == [
        {"name": t.name, "slug": t.slug, "score": t.score, "origin": t.origin}
        | ({"variants": list(t.variants)} if t.variants else {})
        for t in expected
    ]
    assert {"isis", "aleppo", "suriah", "rusia"} <= {t["slug"] for t in lines[0]["tags"]}


def test_suggest_applies_a_vocabulary_file(tmp_path: Path) -> None:
    vocabulary = tmp_path / "vocab.yaml"
    vocabulary.write_text("- name: Lebanon\n  aliases: [Libanon]\n- name: Homs\n  status: blocked\n")
    line = json.dumps({"id": "x", "title": "Pulang", "body": "Warga Homs pulang.", "tags": ["Libanon"]})
    result = run("tags", "suggest", "-", "--vocabulary", str(vocabulary), stdin=line)
    assert result.returncode == 0, result.stderr
    tags = json.loads(result.stdout)["tags"]
    assert tags == [{"name": "Lebanon", "slug": "lebanon", "score": 1.0, "origin": "vocabulary"}]


def test_bad_input_says_which_line(tmp_path: Path) -> None:
    result = run("tags", "suggest", "-", stdin='{"id": 1, "title": "A"}\nnot json\n')
    assert result.returncode == 2
    assert "line 2: not JSON" in result.stderr
    bad_vocabulary = tmp_path / "v.yaml"
    bad_vocabulary.write_text("- name: X\n  status: merged\n")
    result = run("tags", "suggest", "-", "--vocabulary", str(bad_vocabulary), stdin="")
    assert result.returncode == 2 and "merged_into" in result.stderr
