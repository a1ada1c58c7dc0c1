"""Upload i-Dee's LINE rich menu and make it every user's default.

    .venv/app/bin/python -m tools.upload_rich_menu            # needs LINE_CHANNEL_ACCESS_TOKEN
    .venv/app/bin/python -m tools.upload_rich_menu --check    # only validate the JSON and image

Reads gateway/rich_menu/rich_menu.json (validated with line-bot-sdk's
RichMenuRequest and by LINE's validate endpoint) and rich_menu.png (drawn by
tools/draw_rich_menu.py), creates the rich menu, uploads the image through the content host
(MessagingApiBlob), sets it as the default and deletes the previous default (unless
--keep-old). Hosts come from LINE_API_BASE_URL and LINE_DATA_API_BASE_URL (the fake LINE in
tests). Exit status: 0 done (or --check passed), 1 invalid files or LINE refused,
2 no LINE credentials in the environment (nothing uploaded).
"""

from __future__ import annotations

import argparse
import json
import struct
import sys
from dataclasses import dataclass
from pathlib import Path

from linebot.v3.messaging import (
    ApiClient,
    Configuration,
    MessagingApi,
    MessagingApiBlob,
    RichMenuRequest,
)
from linebot.v3.messaging.exceptions import ApiException

from settings import LineSettings, get_settings

RICH_MENU_DIR = Path(__file__).resolve().parents[1] / "gateway" / "rich_menu"
MAX_IMAGE_BYTES = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
EXIT_OK, EXIT_FAILED, EXIT_NO_CREDENTIALS = 0, 1, 2


@dataclass(frozen=True)
class RichMenuFiles:
    request: RichMenuRequest
    image: bytes
    image_type: str


class RichMenuFileError(ValueError):
    """The JSON or the image is not something LINE would accept."""


def image_size(image: bytes) -> tuple[str, int, int]:
    """(content type, width, height) of a PNG or JPEG, read from its header (pure)."""
    if image.startswith(PNG_SIGNATURE) and image[12:16] == b"IHDR":
        width, height = struct.unpack(">II", image[16:24])
        return "image/png", width, height
    if image.startswith(b"\xff\xd8"):
        index = 2
        while index + 9 < len(image):
            if image[index] != 0xFF:
                break
            marker, length = image[index + 1], struct.unpack(">H", image[index + 2 : index + 4])[0]
            if marker in (0xC0, 0xC1, 0xC2):
                height, width = struct.unpack(">HH", image[index + 5 : index + 9])
                return "image/jpeg", width, height
            index += 2 + length
    raise RichMenuFileError("the image is neither a PNG nor a JPEG")


def load_files(json_path: Path, image_path: Path) -> RichMenuFiles:
    """Read and check the definition and its image; raises RichMenuFileError."""
    try:
        raw = json.loads(json_path.read_text(encoding="utf-8"))
        request = RichMenuRequest.from_dict(raw)
    except (OSError, ValueError, TypeError) as exc:  # pydantic's ValidationError is a ValueError
        raise RichMenuFileError(f"{json_path}: not a valid rich menu: {exc}") from exc
    if request is None or request.size is None or not request.areas:
        raise RichMenuFileError(f"{json_path}: size and areas are required")
    width, height = request.size.width, request.size.height
    for index, area in enumerate(request.areas):
        b = area.bounds
        if b.x < 0 or b.y < 0 or b.x + b.width > width or b.y + b.height > height:
            raise RichMenuFileError(f"{json_path}: area {index} lies outside the {width}x{height} menu")
    try:
        image = image_path.read_bytes()
    except OSError as exc:
        raise RichMenuFileError(f"{image_path}: {exc}") from exc
    if len(image) > MAX_IMAGE_BYTES:
        raise RichMenuFileError(f"{image_path}: {len(image)} bytes, LINE allows at most 1 MB")
    image_type, image_width, image_height = image_size(image)
    if (image_width, image_height) != (width, height):
        raise RichMenuFileError(f"{image_path}: {image_width}x{image_height}, the JSON says {width}x{height}")
    return RichMenuFiles(request, image, image_type)


def upload(files: RichMenuFiles, settings: LineSettings, *, keep_old: bool = False) -> str:
    """Create, upload, set as default; returns the new rich menu id. Raises ApiException."""
    token = settings.channel_access_token
    api_config = Configuration(host=settings.api_base_url.rstrip("/"), access_token=token)
    data_config = Configuration(host=settings.data_api_base_url.rstrip("/"), access_token=token)
    with ApiClient(api_config) as api_client, ApiClient(data_config) as data_client:
        api, blob = MessagingApi(api_client), MessagingApiBlob(data_client)
        print("validating the rich menu with LINE")
        api.validate_rich_menu_object(files.request)
        previous = _default_rich_menu_id(api)
        rich_menu_id = api.create_rich_menu(files.request).rich_menu_id
        print(f"created {rich_menu_id}; uploading the image ({len(files.image) // 1024} KB)")
        blob.set_rich_menu_image(rich_menu_id, body=files.image, _headers={"Content-Type": files.image_type})
        api.set_default_rich_menu(rich_menu_id)
        print(f"{rich_menu_id} is now every user's default rich menu")
        if previous and previous != rich_menu_id and not keep_old:
            api.delete_rich_menu(previous)
            print(f"deleted the previous default {previous}")
        return rich_menu_id


def _default_rich_menu_id(api: MessagingApi) -> str | None:
    try:
        return api.get_default_rich_menu_id().rich_menu_id
    except ApiException as exc:
        if exc.status == 404:
            return None
        raise


def main(argv: list[str] | None = None, settings: LineSettings | None = None) -> int:
    parser = argparse.ArgumentParser(description="Upload i-Dee's LINE rich menu and set it as default.")
    parser.add_argument("--json", type=Path, default=RICH_MENU_DIR / "rich_menu.json")
    parser.add_argument("--image", type=Path, default=RICH_MENU_DIR / "rich_menu.png")
    parser.add_argument("--check", action="store_true", help="only validate the files (no LINE call)")
    parser.add_argument("--keep-old", action="store_true", help="keep the previous default rich menu")
    args = parser.parse_args(argv)

    try:
        files = load_files(args.json, args.image)
    except RichMenuFileError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_FAILED
    print(f"rich menu {args.json.name} ({len(files.request.areas)} areas) and {args.image.name} are valid")
    if args.check:
        return EXIT_OK

    settings = settings or get_settings().line
    if not settings.channel_access_token:
        print(
            "LINE_CHANNEL_ACCESS_TOKEN is not set: nothing uploaded. Set it (and LINE_CHANNEL_SECRET)"
            " for the channel, then run this again.",
            file=sys.stderr,
        )
        return EXIT_NO_CREDENTIALS
    try:
        rich_menu_id = upload(files, settings, keep_old=args.keep_old)
    except ApiException as exc:
        headers = exc.headers or {}
        print(
            f"error: LINE answered HTTP {exc.status}: {exc.body!r}"
            f" (x-line-request-id={headers.get('x-line-request-id')})",
            file=sys.stderr,
        )
        return EXIT_FAILED
    print(f"done: default rich menu {rich_menu_id}")
    return EXIT_OK


if __name__ == "__main__":
    sys.exit(main())
