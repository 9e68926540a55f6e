"""The Simplified Chinese catalogue is complete and well-formed."""

import re
import shutil
import subprocess
from pathlib import Path

import pytest

CATALOGUE = Path(__file__).resolve().parents[2] / "locale/zh_Hans/LC_MESSAGES/django.po"


def entries():
    text = CATALOGUE.read_text(encoding="utf-8")
    return [block for block in text.split("\n\n") if re.search(r"^msgid ", block, re.M)][1:]


def test_no_entry_is_fuzzy_or_empty():
    problems = []
    for block in entries():
        if "#, fuzzy" in block or re.search(r'^msgstr(\[0\])? ""$(?!\n")', block, re.M):
            problems.append(block.splitlines()[-2:])
    assert problems == []


@pytest.mark.skipif(not shutil.which("msgfmt"), reason="gettext's msgfmt is not installed")
def test_catalogue_compiles_with_matching_placeholders():
    result = subprocess.run(
        ["msgfmt", "--check", "-o", "/dev/null", str(CATALOGUE)], capture_output=True, text=True
    )
    assert result.returncode == 0, result.stderr
