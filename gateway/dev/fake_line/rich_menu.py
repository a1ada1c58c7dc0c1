"""Rich menu endpoints of the fake LINE: validate, create, upload the image, set the default.

Only what tools/upload_rich_menu.py uses, with LINE's checks that matter for it (sizes,
areas inside the menu, the image's type and size). State lives on
``app.state.rich_menus``; ``GET /_fake/richmenus`` shows it to tests.
"""

from __future__ import annotations

import secrets
import threading
from dataclasses import dataclass, field
from typing import Annotated, Any

from fastapi import APIRouter, Body, Header, Request
from fastapi.responses import JSONResponse

router = APIRouter()

MAX_IMAGE_BYTES = 1024 * 1024  # LINE: a rich menu image is at most 1 MB
IMAGE_TYPES = ("image/png", "image/jpeg")
WIDTHS = range(800, 2501)  # LINE: width 800-2500 px, height at least 250 px, ratio >= 1.45
MAX_AREAS = 20
MAX_CHAT_BAR_TEXT = 14


@dataclass
class StoredRichMenu:
    rich_menu_id: str
    definition: dict[str, Any]
    image_type: str | None = None
    image: bytes | None = None


@dataclass
class RichMenuStore:
    """Thread-safe: tests read it from another thread than the server's."""

    menus: dict[str, StoredRichMenu] = field(default_factory=dict)
    default_id: str | None = None
    _lock: threading.Lock = field(default_factory=threading.Lock)

    def create(self, definition: dict[str, Any]) -> str:
        rich_menu_id = "richmenu-" + secrets.token_hex(16)
        with self._lock:
            self.menus[rich_menu_id] = StoredRichMenu(rich_menu_id, definition)
        return rich_menu_id

    def as_json(self) -> dict[str, Any]:
        with self._lock:
            return {
                "default": self.default_id,
                "richmenus": [
                    {
                        "richMenuId": m.rich_menu_id,
                        "definition": m.definition,
                        "imageType": m.image_type,
                        "imageBytes": len(m.image) if m.image else 0,
                    }
                    for m in self.menus.values()
                ],
            }


def definition_errors(definition: dict[str, Any]) -> list[str]:
    """LINE's main checks of a rich menu object (pure)."""
    errors: list[str] = []
    size = definition.get("size") or {}
    width, height = size.get("width"), size.get("height")
    if not isinstance(width, int) or not isinstance(height, int):
        return ["size.width and size.height are required integers"]
    if width not in WIDTHS or height < 250 or width / height < 1.45:
        errors.append("size: width 800-2500, height >= 250, width/height >= 1.45")
    if not isinstance(definition.get("selected"), bool):
        errors.append("selected must be a boolean")
    if not 1 <= len(str(definition.get("name") or "")) <= 300:
        errors.append("name: 1-300 characters")
    if not 1 <= len(str(definition.get("chatBarText") or "")) <= MAX_CHAT_BAR_TEXT:
        errors.append(f"chatBarText: 1-{MAX_CHAT_BAR_TEXT} characters")
    areas = definition.get("areas")
    if not isinstance(areas, list) or not 1 <= len(areas) <= MAX_AREAS:
        errors.append(f"areas: 1-{MAX_AREAS}")
        return errors
    for index, area in enumerate(areas):
        bounds = (area or {}).get("bounds") or {}
        x, y, w, h = (bounds.get(k) for k in ("x", "y", "width", "height"))
        if not (isinstance(x, int) and isinstance(y, int) and isinstance(w, int) and isinstance(h, int)):
            errors.append(f"areas[{index}].bounds: x, y, width, height are required")
            continue
        if x < 0 or y < 0 or w <= 0 or h <= 0 or x + w > width or y + h > height:
            errors.append(f"areas[{index}].bounds: outside the rich menu")
        action = (area or {}).get("action") or {}
        if action.get("type") not in ("postback", "message", "uri", "richmenuswitch", "datetimepicker"):
            errors.append(f"areas[{index}].action.type is not supported")
        if action.get("type") == "postback" and not 1 <= len(str(action.get("data") or "")) <= 300:
            errors.append(f"areas[{index}].action.data: 1-300 characters")
    return errors


def _error(status: int, message: str, details: list[str] | None = None) -> JSONResponse:
    content: dict[str, Any] = {"message": message}
    if details:
        content["details"] = [{"message": d} for d in details]
    return JSONResponse(status_code=status, content=content)


def _unauthorized(authorization: str | None) -> JSONResponse | None:
    scheme, _, token = (authorization or "").partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return _error(401, "Authentication failed due to the following reason: no token.")
    return None


def _rejected_definition(definition: dict[str, Any], authorization: str | None) -> JSONResponse | None:
    """LINE's answer to a request without a token or with an invalid rich menu; None if fine."""
    if error := _unauthorized(authorization):
        return error
    if errors := definition_errors(definition):
        return _error(400, "The request body has errors", errors)
    return None


def _store(request: Request) -> RichMenuStore:
    return request.app.state.rich_menus


Authorization = Annotated[str | None, Header()]


@router.post("/v2/bot/richmenu/validate")
async def validate(payload: Annotated[dict[str, Any], Body()], authorization: Authorization = None) -> Any:
    if rejection := _rejected_definition(payload, authorization):
        return rejection
    return {}


@router.post("/v2/bot/richmenu")
async def create(
    request: Request, payload: Annotated[dict[str, Any], Body()], authorization: Authorization = None
) -> Any:
    if rejection := _rejected_definition(payload, authorization):
        return rejection
    return {"richMenuId": _store(request).create(payload)}


@router.post("/v2/bot/richmenu/{rich_menu_id}/content")
async def upload_image(request: Request, rich_menu_id: str, authorization: Authorization = None) -> Any:
    """The blob endpoint (LINE serves it from api-data.line.me; here the same host)."""
    if error := _unauthorized(authorization):
        return error
    store = _store(request)
    menu = store.menus.get(rich_menu_id)
    if menu is None:
        return _error(404, "Not found")
    content_type = request.headers.get("content-type", "").split(";")[0].strip()
    if content_type not in IMAGE_TYPES:
        return _error(415, "Unsupported Media Type")
    image = await request.body()
    if not image or len(image) > MAX_IMAGE_BYTES:
        return _error(400, "The image must be 1 byte to 1 MB")
    if menu.image is not None:
        return _error(400, "An image has already been uploaded to the richmenu")
    with store._lock:
        menu.image_type, menu.image = content_type, image
    return {}


@router.post("/v2/bot/user/all/richmenu/{rich_menu_id}")
async def set_default(request: Request, rich_menu_id: str, authorization: Authorization = None) -> Any:
    if error := _unauthorized(authorization):
        return error
    store = _store(request)
    menu = store.menus.get(rich_menu_id)
    if menu is None:
        return _error(404, "Not found")
    if menu.image is None:
        return _error(400, "must upload richmenu image before applying it to user")
    with store._lock:
        store.default_id = rich_menu_id
    return {}


@router.get("/v2/bot/user/all/richmenu")
async def get_default(request: Request, authorization: Authorization = None) -> Any:
    if error := _unauthorized(authorization):
        return error
    default_id = _store(request).default_id
    if default_id is None:
        return _error(404, "no default richmenu")
    return {"richMenuId": default_id}


@router.delete("/v2/bot/richmenu/{rich_menu_id}")
async def delete(request: Request, rich_menu_id: str, authorization: Authorization = None) -> Any:
    if error := _unauthorized(authorization):
        return error
    store = _store(request)
    with store._lock:
        if store.menus.pop(rich_menu_id, None) is None:
            return _error(404, "Not found")
        if store.default_id == rich_menu_id:
            store.default_id = None
    return {}


@router.get("/_fake/richmenus")
async def inspect(request: Request) -> dict[str, Any]:
    return _store(request).as_json()
