"""Assets are found through the package's own import record, like importlib.resources does."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from core.assets import asset, asset_root, load_json


def test_asset_root_is_the_same_folder_importlib_resources_gives() -> None:
    root = asset_root()
    assert isinstance(root, Path)
    assert root.samefile(Path(str(resources.files("assets"))))
    assert (root / "areas.json").is_file()


def test_asset_reads_the_same_bytes_as_importlib_resources() -> None:
    for name in ("areas.json", "diagram/views.json", "clinical/references.json"):
        ref = resources.files("assets")
        for part in name.split("/"):
            ref = ref.joinpath(part)
        assert asset(name).read_bytes() == ref.read_bytes(), name


def test_load_json_parses_an_asset() -> None:
    refs = load_json("clinical/references.json")
    assert refs["references"], "references.json lists no references"
