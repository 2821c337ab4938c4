"""Files that would exhaust memory or the stack are refused early, naming the limit and file:line:
YAML alias bombs, YAML nested hundreds of levels deep, logos of a hundred million pixels; a logo
that is not an image fails `validate`. Memory-heavy cases assert that the limit is hit."""

from __future__ import annotations

import tracemalloc
from pathlib import Path

import pytest
from PIL import Image as PILImage
from PIL import ImageDraw

from onevoice.cli import main
from onevoice.errors import LogoError
from onevoice.logohash import MAX_LOGO_PIXELS, hash_file, logo_file_problem, logo_hash
from onevoice.yamlsource import MAX_DEPTH, MAX_VALUES, YamlLimitError, load_yaml

TOUCHPOINT = "touchpoints: [{id: home, url: 'http://127.0.0.1/'}]\n"


def alias_bomb(levels: int = 9) -> str:
    """The billion laughs: each level lists the one before nine times (9**9 strings in all)."""
    lines = ['laugh0: &laugh0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"laugh{level}: &laugh{level} [" + ", ".join([f"*laugh{level - 1}"] * 9) + "]")
    return "name: bomb\n" + TOUCHPOINT + "\n".join(lines) + "\n"


def merge_bomb(levels: int = 9) -> str:
    """Merge keys of merge keys, nine times over."""
    keys = ", ".join(f"k{i}: {i}" for i in range(9))
    lines = [f"m0: &m0 {{{keys}}}"]
    for level in range(1, levels + 1):
        lines.append(f"m{level}: &m{level} {{<<: [" + ", ".join([f"*m{level - 1}"] * 9) + "]}")
    return "name: merges\n" + TOUCHPOINT + "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_at_the_value_limit():
    with pytest.raises(YamlLimitError) as refused:
        load_yaml(alias_bomb())
    assert f"expands to more than {MAX_VALUES:,} values" in refused.value.problem
    assert refused.value.line == 3  # the anchor whose repetitions went past the limit


def test_merge_keys_of_merge_keys_do_not_multiply():
    document = load_yaml(merge_bomb())  # each level merges the same nine keys: nine keys, not 9**10
    assert document.data["m9"] == {f"k{i}": i for i in range(9)}


@pytest.mark.parametrize(
    "deep",
    [
        "extra: " + "[" * 800 + "]" * 800,  # flow lists
        "".join(f"{'  ' * level}k{level}:\n" for level in range(800)) + "  " * 800 + "v: 1",  # block mappings
        "\n".join([f"a0: &a0 [x]"] + [f"a{n}: &a{n} [*a{n - 1}]" for n in range(1, 800)]),  # aliases of aliases
    ],
    ids=["flow", "block", "aliases"],
)
def test_yaml_nested_800_levels_is_refused_at_the_depth_limit_not_a_recursion_error(deep):
    with pytest.raises(YamlLimitError) as refused:
        load_yaml("name: deep\n" + TOUCHPOINT + deep + "\n")
    assert refused.value.problem.startswith(f"nested more than {MAX_DEPTH} levels deep")
    assert refused.value.line >= 3


def test_a_journey_within_the_limits_loads_as_before():
    nested = "extra: " + "[" * (MAX_DEPTH - 2) + "]" * (MAX_DEPTH - 2)
    document = load_yaml("name: fine\n" + TOUCHPOINT + alias_bomb(levels=3).split("\n", 2)[2] + nested + "\n")
    assert len(document.data["laugh3"]) == 9 and document.data["laugh3"][0][0][0] == ["lol"] * 9


def test_validate_names_the_file_line_and_the_limit(tmp_path, capsys):
    (tmp_path / "bomb.yaml").write_text(alias_bomb(), encoding="utf-8")
    (tmp_path / "deep.yaml").write_text("name: deep\n" + TOUCHPOINT + "x: " + "[" * 800 + "]" * 800 + "\n")

    assert main(["validate", str(tmp_path)]) == 2

    said = capsys.readouterr()
    output = said.out + said.err
    assert f"bomb.yaml:3: expands to more than {MAX_VALUES:,} values" in output
    assert f"deep.yaml:3: nested more than {MAX_DEPTH} levels deep" in output
    assert "Traceback" not in output and "malformed" not in output


# ---------------------------------------------------------------- logos


def huge_logo(path: Path, side: int = 12_000) -> Path:
    """A 12,000 x 12,000 PNG of a few hundred KB: tiny on disk, 144 million pixels decoded."""
    image = PILImage.new("1", (side, side), 1)
    ImageDraw.Draw(image).ellipse((side // 4, side // 4, 3 * side // 4, 3 * side // 4), fill=0)
    image.save(path, optimize=True)
    return path


def drawn_logo(side: int) -> PILImage.Image:
    image = PILImage.new("RGB", (side, side), "white")
    draw = ImageDraw.Draw(image)
    draw.ellipse((side // 10, side // 10, side // 2, side // 2), fill="#1f4fd8")
    draw.rectangle((side // 2, side // 3, 9 * side // 10, 2 * side // 3), fill="#111827")
    return image


def test_a_huge_logo_is_refused_from_its_header_before_decoding(tmp_path):
    path = huge_logo(tmp_path / "logo.png")
    assert path.stat().st_size < 2_000_000

    problem = logo_file_problem(path)
    assert problem.startswith(f"12,000 x 12,000 pixels is more than a logo needs (the limit is {MAX_LOGO_PIXELS:,} pixels")
    with pytest.raises(LogoError, match="12,000 x 12,000 pixels"):
        hash_file(path)


def test_a_large_logo_is_scaled_down_before_hashing_and_hashes_as_its_small_self():
    large, small = drawn_logo(2000), drawn_logo(300)
    tracemalloc.start()
    try:
        large_hash = logo_hash(large)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert peak < 2000 * 2000 * 60  # unscaled, hashing took about 180 bytes a pixel
    assert large_hash - logo_hash(small) <= 4  # the brand check matches logos within 10


def test_validate_names_each_unusable_logo_at_its_line(tmp_path, capsys):
    huge_logo(tmp_path / "huge.png")
    (tmp_path / "notes.png").write_text("meeting notes, not a picture")
    (tmp_path / "mark.svg").write_text("<svg xmlns='http://www.w3.org/2000/svg'/>")
    drawn_logo(200).save(tmp_path / "good.png")
    (tmp_path / "brand.yaml").write_text("name: Acme\nlogo:\n  - good.png\n  - huge.png\n  - notes.png\n  - mark.svg\n")
    journey = tmp_path / "j.yaml"
    journey.write_text("name: J\nbrand: brand.yaml\n" + TOUCHPOINT)

    assert main(["validate", str(journey)]) == 2

    said = capsys.readouterr()
    lines = [line for line in (said.out + said.err).splitlines() if "brand.yaml:" in line]
    assert [line.split(": ")[0].rsplit("/", 1)[-1] for line in lines] == ["brand.yaml:4", "brand.yaml:5", "brand.yaml:6"]
    assert "huge.png': 12,000 x 12,000 pixels is more than a logo needs" in lines[0]
    assert "notes.png': not an image" in lines[1]
    assert "mark.svg': SVG logos cannot be compared" in lines[2]
