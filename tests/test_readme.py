"""The README opens with the two set-up commands, and they are true."""
import re
import subprocess
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
README = (ROOT / "README.md").read_text("utf-8")


def command(marker: str) -> str:
    match = re.search(rf"<!-- {marker} -->\s*```sh\n(.+?)\n```", README, re.S)
    assert match, f"README has no {marker}"
    return match.group(1).strip()


def test_the_two_commands_open_the_readme():
    head = README[:1500]
    assert "<!-- demo-command -->" in head and "<!-- test-command -->" in head
    assert "ipwatch demo" in command("demo-command")
    assert "pytest" in command("test-command")


def test_ci_runs_exactly_the_readme_test_command():
    result = subprocess.run(
        ["bash", "-c", "awk '/<!-- test-command -->/{found=1; next} found && /^```sh/{inside=1; next}"
         " inside && /^```/{exit} inside{print}' README.md"],
        cwd=ROOT, capture_output=True, text=True, check=True)
    assert result.stdout.strip() == command("test-command")
    assert "README.md" in (ROOT / ".ci" / "run").read_text("utf-8")


def test_the_demo_command_runs(data_dir):
    result = subprocess.run(["bash", "-c", command("demo-command")], cwd=ROOT,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-2000:]
    assert "演示完成" in result.stdout
    assert (data_dir / "demo" / "site" / "index.html").is_file()  # the demo's own folder
