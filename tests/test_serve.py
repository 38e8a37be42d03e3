"""The web API: good inputs agree with `predict`, bad ones get a clear 4xx, the server holds up."""

from __future__ import annotations

import asyncio
import io
import json
import statistics
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import numpy as np
import pytest
from fastapi.testclient import TestClient
from PIL import Image

from mnistlab import model as network
from mnistlab.predict import predict_files
from mnistlab.serve import MAX_BODY_BYTES, create_app
from mnistlab.synthetic import drawn_digit

from conftest import running_server


@pytest.fixture(scope="module")
def saved_model(tmp_path_factory) -> Path:
    """A small saved model with distinct weights (no training needed to test the plumbing)."""
    folder = tmp_path_factory.mktemp("model")
    model = network.build_model(seed=0)
    W, _ = network.weights(model)
    W.assign(np.random.default_rng(3).normal(0, 0.3, (784, 10)).astype(np.float32))
    network.save_model(model, folder / "model.keras")
    return folder / "model.keras"


@pytest.fixture(scope="module")
def client(saved_model: Path) -> Iterator[TestClient]:
    with TestClient(create_app(saved_model)) as test_client:
        yield test_client


def png_bytes(image: Image.Image, format: str = "PNG") -> bytes:
    buffer = io.BytesIO()
    image.save(buffer, format=format)
    return buffer.getvalue()


def test_health_and_model_facts(client: TestClient) -> None:
    assert client.get("/healthz").json() == {"status": "ok"}
    facts = client.get("/api/model").json()
    assert len(facts["templates"]) == 10 and len(facts["templates"][0]) == 784
    assert len(facts["biases"]) == 10 and facts["deskew"] is False


def test_page_and_assets_are_served_locally(client: TestClient) -> None:
    page = client.get("/")
    assert page.status_code == 200 and '<canvas id="pad"' in page.text
    assert "http://" not in page.text and "https://" not in page.text  # no CDN
    for asset in ("/static/app.js", "/static/style.css"):
        assert client.get(asset).status_code == 200
    assert "/api/predict" in client.get("/openapi.json").json()["paths"]


@pytest.mark.parametrize("format", ["PNG", "JPEG"])
def test_raw_image_answers_like_predict(
    client: TestClient, saved_model: Path, tmp_path: Path, format: str
) -> None:
    image = drawn_digit(4, np.random.default_rng(5)).convert("RGB")
    content = png_bytes(image, format)
    path = tmp_path / f"four.{format.lower()}"
    path.write_bytes(content)
    (expected,) = predict_files(saved_model, [path])
    kind = "image/png" if format == "PNG" else "image/jpeg"
    answer = client.post("/api/predict", content=content, headers={"Content-Type": kind}).json()
    assert answer["digit"] == expected.digit
    np.testing.assert_allclose(answer["probabilities"], expected.probabilities, rtol=1e-5)
    np.testing.assert_allclose(answer["input28"], expected.input28.ravel(), atol=1e-4)
    assert answer["runner_up"] == expected.runner_up


def test_multipart_and_json_give_the_same_answer(client: TestClient) -> None:
    image = drawn_digit(2, np.random.default_rng(1))
    raw = client.post(
        "/api/predict", content=png_bytes(image), headers={"Content-Type": "image/png"}
    ).json()
    form = client.post("/api/predict", files={"file": ("two.png", png_bytes(image))}).json()
    assert form == raw
    pixels = raw["input28"]  # an MNIST-like 28x28 goes through unchanged
    as_json = client.post("/api/predict", json={"pixels": pixels}).json()
    assert as_json["digit"] == raw["digit"]
    np.testing.assert_allclose(as_json["probabilities"], raw["probabilities"], rtol=1e-3)


@pytest.mark.parametrize(
    ("kwargs", "status", "message"),
    [
        (
            {"content": b"not an image", "headers": {"Content-Type": "image/png"}},
            400,
            "not an image file",
        ),
        ({"content": b"", "headers": {"Content-Type": "image/png"}}, 400, "body is empty"),
        (
            {"content": b"{bad json", "headers": {"Content-Type": "application/json"}},
            400,
            "not valid JSON",
        ),
        ({"json": {"pixels": [0.5] * 100}}, 400, "784 numbers"),
        ({"json": {"values": [0.5] * 784}}, 400, "784 numbers"),
        ({"json": {"pixels": ["a"] * 784}}, 400, "must be a number"),
        (
            {
                "content": b'{"pixels": [' + b",".join([b"NaN"] * 784) + b"]}",
                "headers": {"Content-Type": "application/json"},
            },
            400,
            "no NaN or inf",
        ),
        (
            {
                "content": b'{"pixels": [' + b",".join([b"Infinity"] * 784) + b"]}",
                "headers": {"Content-Type": "application/json"},
            },
            400,
            "no NaN or inf",
        ),
        ({"json": {"pixels": [2.0] * 784}}, 400, "in 0..1"),
        ({"json": {"pixels": [0.0] * 784}}, 400, "no digit found"),
        (
            {"content": b"hello", "headers": {"Content-Type": "text/plain"}},
            415,
            "Unsupported Content-Type",
        ),
        ({"files": {"other": ("x.png", b"...")}}, 400, "no file in a field named 'file'"),
        (
            {"content": b"\0" * (MAX_BODY_BYTES + 1), "headers": {"Content-Type": "image/png"}},
            413,
            "limit",
        ),
    ],
)
def test_bad_requests_get_a_clear_4xx(client: TestClient, kwargs, status, message) -> None:
    response = client.post("/api/predict", **kwargs)
    assert response.status_code == status
    assert message in response.json()["error"]


def test_a_chunked_body_cannot_dodge_the_limit(client: TestClient) -> None:
    def chunks() -> Iterator[bytes]:
        for _ in range(20):
            yield b"\0" * 100_000

    response = client.post("/api/predict", content=chunks(), headers={"Content-Type": "image/png"})
    assert response.status_code == 413


def test_blank_white_image(client: TestClient) -> None:
    blank = png_bytes(Image.new("L", (280, 280), 255))
    response = client.post("/api/predict", content=blank, headers={"Content-Type": "image/png"})
    assert response.status_code == 400 and "no digit found" in response.json()["error"]


def test_wrong_model_path_is_a_clear_error(tmp_path: Path) -> None:
    from mnistlab.errors import ModelError

    with pytest.raises(ModelError, match="no model file"):
        create_app(tmp_path / "missing.keras")


# --- a live server on loopback ---------------------------------------------------------------


@pytest.fixture(scope="module")
def live_server(saved_model: Path) -> Iterator[str]:
    with running_server(create_app(saved_model)) as url:
        yield url


def test_load_500_requests_from_20_clients(live_server: str) -> None:
    images = [png_bytes(drawn_digit(d % 10, np.random.default_rng(d))) for d in range(20)]
    bad = b"definitely not a png"

    async def client_loop(number: int, results: list) -> None:
        async with httpx.AsyncClient(base_url=live_server, timeout=30) as http:
            for request in range(25):
                body = bad if (number, request) == (3, 7) else images[(number + request) % 20]
                started = time.perf_counter()
                response = await http.post(
                    "/api/predict", content=body, headers={"Content-Type": "image/png"}
                )
                results.append((time.perf_counter() - started, response.status_code, body is bad))

    async def run_all() -> tuple[list, float]:
        results: list = []
        started = time.perf_counter()
        await asyncio.gather(*(client_loop(n, results) for n in range(20)))
        return results, time.perf_counter() - started

    results, seconds = asyncio.run(run_all())
    assert len(results) == 500
    good = [(latency, status) for latency, status, is_bad in results if not is_bad]
    assert all(status == 200 for _, status in good)  # one bad request hurt no other
    assert [status for _, status, is_bad in results if is_bad] == [400]
    median = statistics.median(latency for latency, _ in good)
    print(
        f"500 requests, 20 clients: {500 / seconds:.0f} requests/s, median {median * 1000:.1f} ms"
    )
    assert json.loads(httpx.get(f"{live_server}/healthz").text) == {"status": "ok"}
