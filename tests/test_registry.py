from pathlib import Path

import pytest

from crawlers.registry import RegistryError, load_registry, select

GOOD = """jurisdiction: DE
sources:
  - id: de-patg
    kind: law_page
    title: Patentgesetz
    url: https://www.gesetze-im-internet.de/patg/BJNR201170936.html
    rights: [patent]
    language: de
"""


def registry(tmp_path: Path, text: str, name: str = "de.yaml") -> Path:
    (tmp_path / name).write_text(text, encoding="utf-8")
    return tmp_path


def test_bundled_registry_is_valid():
    sources = load_registry()
    ids = [s.id for s in sources]
    assert {"de-patg", "de-markeng", "de-gebrmg", "de-designg"} <= set(ids)
    assert len(ids) == len(set(ids))
    for source in sources:
        assert source.url.startswith(("http://", "https://"))
        assert source.rights


def test_a_single_file_or_a_folder(tmp_path):
    folder = registry(tmp_path, GOOD)
    assert [s.id for s in load_registry(folder / "de.yaml")] == ["de-patg"]
    assert [s.id for s in load_registry(folder)] == ["de-patg"]
    assert load_registry(folder)[0].origin.endswith("de.yaml:3")


@pytest.mark.parametrize(
    "old, new, words",
    [
        ("    kind: law_page\n", "    kind: webpage\n", ["第4行", "kind"]),
        ("    url: https://", "    url: ftp://", ["第6行", "url"]),
        ("    rights: [patent]\n", "    rights: [patents]\n", ["第7行", "rights", "patents"]),
        ("    language: de\n", "", ["第3行", "language", "必填"]),
        ("    language: de\n", "    language: de\n    colour: red\n", ["第9行", "colour", "未知字段"]),
        ("  - id: de-patg\n", "  - id: DE_PatG\n", ["第3行", "id"]),
        ("jurisdiction: DE\n", "jurisdiction: XX\n", ["第1行", "jurisdiction"]),
        ("    title: Patentgesetz\n", "    title: [Patentgesetz\n", ["YAML", "格式错误"]),
    ],
)
def test_errors_name_file_line_and_field(tmp_path, old, new, words):
    folder = registry(tmp_path, GOOD.replace(old, new))
    with pytest.raises(RegistryError) as caught:
        load_registry(folder)
    message = str(caught.value)
    assert "de.yaml" in message
    for word in words:
        assert word in message


def test_duplicate_ids_across_files(tmp_path):
    registry(tmp_path, GOOD)
    registry(tmp_path, GOOD, name="other.yaml")
    with pytest.raises(RegistryError, match="重复"):
        load_registry(tmp_path)


def test_only_selects_one_source_or_says_it_is_unknown():
    sources = load_registry()
    assert [s.id for s in select(sources, "de-patg")] == ["de-patg"]
    with pytest.raises(RegistryError, match="xx-none"):
        select(sources, "xx-none")
