"""`mnistlab serve`: a page to draw a digit on, and the JSON API behind it (FastAPI)."""

from __future__ import annotations

import json
import math
import os
from importlib import resources
from pathlib import Path
from typing import Any

import numpy as np
from fastapi import FastAPI, Request
from fastapi.responses import FileResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.concurrency import run_in_threadpool

from mnistlab import model as network
from mnistlab.data import IMAGE_SIDE, IMAGE_SIZE
from mnistlab.errors import ImageError, MnistlabError
from mnistlab.predict import predict_prepared
from mnistlab.preprocess import decode_grayscale, to_mnist
from mnistlab.report import template_limit

MAX_BODY_BYTES = 1_000_000
IMAGE_TYPES = ("image/png", "image/jpeg", "image/gif", "image/bmp", "image/webp", "image/tiff")


class BadRequest(Exception):
    """A request the API cannot answer; becomes a JSON error with `status`."""

    def __init__(self, status: int, message: str) -> None:
        super().__init__(message)
        self.status = status


def model_facts(model_path: Path, model: Any) -> dict:
    """What the page shows about the model: its run's settings and figures, and its W and b."""
    facts: dict[str, Any] = {"model": str(model_path), "deskew": network.deskews(model)}
    summary_path = model_path.parent / "config.json"
    if summary_path.is_file():
        summary = json.loads(summary_path.read_text(encoding="utf-8"))
        facts["config"] = summary.get("config", {})
        facts["result"] = summary.get("result", {})
        facts["test_accuracy"] = facts["result"].get("test_accuracy")
    W, b = (np.asarray(variable) for variable in network.weights(model))
    facts["templates"] = [[round(float(v), 5) for v in W[:, digit]] for digit in range(10)]
    facts["biases"] = [float(v) for v in b]
    facts["template_limit"] = template_limit(W)
    return facts


def create_app(model_path: str | os.PathLike) -> FastAPI:
    """The web app for one saved model, loaded once and shared by every request."""
    model_path = network.model_file(model_path)
    model = network.load_model(model_path)
    facts = model_facts(model_path, model)
    static = resources.files("mnistlab") / "web"

    app = FastAPI(
        title="mnistlab",
        summary="Draw a digit; see what the single-layer MNIST network sees and thinks.",
        version=facts.get("config", {}).get("recipe", "mnistlab"),
    )
    app.mount("/static", StaticFiles(directory=str(static)), name="static")

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, error: BadRequest) -> JSONResponse:
        return JSONResponse({"error": str(error)}, status_code=error.status)

    @app.get("/", include_in_schema=False)
    async def page() -> FileResponse:
        return FileResponse(str(static / "index.html"))

    @app.get("/healthz", summary="Liveness check")
    async def healthz() -> dict:
        return {"status": "ok"}

    @app.get("/api/model", summary="The model's facts, weight templates and biases")
    async def model_info() -> dict:
        return facts

    @app.post(
        "/api/predict",
        summary="Classify one digit",
        description="Send an image as the raw body (Content-Type image/png, image/jpeg, ...), "
        'as a multipart upload (field "file"), or JSON {"pixels": [784 numbers in 0..1]}. '
        "The image is prepared as `mnistlab predict` prepares it. Bodies over 1 MB are refused.",
        openapi_extra={
            "requestBody": {
                "content": {
                    **{
                        kind: {"schema": {"type": "string", "format": "binary"}}
                        for kind in IMAGE_TYPES
                    },
                    "multipart/form-data": {
                        "schema": {
                            "type": "object",
                            "properties": {"file": {"type": "string", "format": "binary"}},
                        }
                    },
                    "application/json": {
                        "schema": {
                            "type": "object",
                            "required": ["pixels"],
                            "properties": {
                                "pixels": {
                                    "type": "array",
                                    "items": {"type": "number"},
                                    "minItems": IMAGE_SIZE,
                                    "maxItems": IMAGE_SIZE,
                                }
                            },
                        }
                    },
                },
                "required": True,
            }
        },
    )
    async def predict(request: Request) -> dict:
        gray = await _read_digit(request)
        return await run_in_threadpool(_answer, model, gray)

    return app


async def _read_digit(request: Request) -> np.ndarray:
    """The request's image as grayscale in [0, 1], however it was sent."""
    body = await _read_body(request)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json":
        return _pixels_from_json(body)
    if kind == "multipart/form-data":
        body = await _file_from_form(request, body)
    elif not kind.startswith("image/") and kind != "application/octet-stream":
        raise BadRequest(
            415,
            f"Unsupported Content-Type {kind or '(none)'!r}: send an image (image/png, "
            "image/jpeg, ...), a multipart form with a 'file', or JSON {\"pixels\": [...]}.",
        )
    if not body:
        raise BadRequest(400, "The request has no image: the body is empty.")
    try:
        return await run_in_threadpool(decode_grayscale, body, "the image")
    except ImageError as error:
        raise BadRequest(400, str(error)) from None


async def _read_body(request: Request) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > MAX_BODY_BYTES:
        raise BadRequest(413, f"The body is {declared} bytes; the limit is {MAX_BODY_BYTES}.")
    chunks, size = [], 0
    async for chunk in request.stream():  # counted as it arrives: a chunked body cannot lie
        size += len(chunk)
        if size > MAX_BODY_BYTES:
            raise BadRequest(413, f"The body is over the limit of {MAX_BODY_BYTES} bytes.")
        chunks.append(chunk)
    return b"".join(chunks)


async def _file_from_form(request: Request, body: bytes) -> bytes:
    async def replay() -> dict:
        return {"type": "http.request", "body": body, "more_body": False}

    try:
        form = await Request(request.scope, replay).form()
    except Exception as error:  # the multipart parser's errors have no common base class
        raise BadRequest(400, f"The multipart form cannot be parsed ({error}).") from None
    upload = form.get("file")
    if upload is None or isinstance(upload, str):
        raise BadRequest(400, "The multipart form has no file in a field named 'file'.")
    return await upload.read()


def _pixels_from_json(body: bytes) -> np.ndarray:
    try:
        document = json.loads(body)
    except (ValueError, UnicodeDecodeError) as error:
        raise BadRequest(400, f"The body is not valid JSON ({error}).") from None
    pixels = document.get("pixels") if isinstance(document, dict) else None
    if not isinstance(pixels, list) or len(pixels) != IMAGE_SIZE:
        raise BadRequest(400, f'JSON must be {{"pixels": [{IMAGE_SIZE} numbers in 0..1]}}.')
    if not all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in pixels):
        raise BadRequest(400, "Every pixel must be a number.")
    if not all(math.isfinite(v) and 0.0 <= v <= 1.0 for v in pixels):
        raise BadRequest(400, "Every pixel must be a finite number in 0..1 (no NaN or inf).")
    return np.asarray(pixels, np.float32).reshape(IMAGE_SIDE, IMAGE_SIDE)


def _answer(model: Any, gray: np.ndarray) -> dict:
    try:
        input28 = to_mnist(gray)
    except ImageError as error:
        raise BadRequest(400, str(error)) from None
    (prediction,) = predict_prepared(model, [("the image", gray, input28)])
    return {
        "digit": prediction.digit,
        "runner_up": prediction.runner_up,
        "probabilities": [float(p) for p in prediction.probabilities],
        "input28": [round(float(v), 4) for v in prediction.input28.ravel()],
    }


def serve(model_path: str | os.PathLike, host: str = "127.0.0.1", port: int = 8000) -> None:
    """Run the app with uvicorn until Ctrl-C."""
    import uvicorn

    app = create_app(model_path)
    _check_port_free(host, port)
    print(f"Serving {network.model_file(model_path)} at http://{host}:{port}", flush=True)
    uvicorn.run(app, host=host, port=port, log_level="warning")


def _check_port_free(host: str, port: int) -> None:
    import socket

    try:
        with socket.socket(socket.AF_INET6 if ":" in host else socket.AF_INET) as probe:
            probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            probe.bind((host, port))
    except OSError as error:
        raise MnistlabError(
            f"Cannot listen on {host}:{port} ({error.strerror}); choose another --port or --host."
        ) from None
