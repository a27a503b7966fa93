from pathlib import Path

import pytest

from kb.core.settings import SettingsError, load_settings


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "ipwatch.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_the_notice(settings):
    assert settings["office"]["name"] == "韶关市曲江区市场监督管理局"
    phones = [d["phone"] for d in settings["departments"]]
    assert phones == ["0751-6696612", "0751-6666259", "0751-6666329"]
    assert settings["departments"][0]["address"] == "韶关市曲江区马坝镇阳岗南路 2 号"
    assert settings["disclosure"]["min_enterprises"] == 3


def test_data_folder_comes_from_environment(settings, data_dir):
    assert settings.data_dir == data_dir.resolve()
    assert settings.store_path.parent == data_dir.resolve()


def test_file_overrides_defaults_and_keeps_the_rest(tmp_path):
    path = write(tmp_path, "[crawl]\ntimeout = 12\n\n[disclosure]\nmin_enterprises = 5\n")
    settings = load_settings(path)
    assert settings["crawl"]["timeout"] == 12
    assert settings["disclosure"]["min_enterprises"] == 5
    assert settings["crawl"]["download_delay"] == 1.0


def test_environment_names_the_file(tmp_path, monkeypatch):
    monkeypatch.setenv("IPWATCH_CONFIG", str(write(tmp_path, "[crawl]\ntimeout = 7\n")))
    assert load_settings()["crawl"]["timeout"] == 7


@pytest.mark.parametrize(
    "text, words",
    [
        ("[crawl]\n\ntimeout = \"slow\"\n", ["第3行", "crawl.timeout", "整数"]),
        ("[crawl]\nspeed = 3\n", ["第2行", "crawl.speed", "未知"]),
        ("[office]\nname = 5\n", ["第2行", "office.name", "文本"]),
        ("[crawl]\ntimeout = 0\n", ["crawl.timeout", "大于 0"]),
        ("[crawl\ntimeout = 1\n", ["格式错误", "line 1"]),
        ("[[departments]]\nid = \"x\"\nname = \"y\"\n", ["departments.address"]),
    ],
)
def test_bad_file_names_key_and_line(tmp_path, text, words):
    with pytest.raises(SettingsError) as caught:
        load_settings(write(tmp_path, text))
    for word in words:
        assert word in str(caught.value)


def test_missing_file_is_a_clear_error(tmp_path):
    with pytest.raises(SettingsError, match="找不到设置文件"):
        load_settings(tmp_path / "nope.toml")
