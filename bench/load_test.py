"""A short load test of `mnistlab serve`: 500 requests from 20 concurrent clients on loopback.

The server runs as its own process, as a user would start it; the clients post drawn digits.

    python bench/load_test.py --model runs/<run>/model.keras [--requests 500 --clients 20]
"""

from __future__ import annotations

import argparse
import asyncio
import io
import statistics
import time

import httpx
import numpy as np

from mnistlab.synthetic import drawn_digit

from serving import served


async def load(url: str, requests: int, clients: int, bodies: list[bytes]) -> tuple[list, float]:
    results: list[tuple[float, int]] = []
    per_client = requests // clients

    async def client(number: int) -> None:
        async with httpx.AsyncClient(base_url=url, timeout=60) as http:
            for k in range(per_client):
                started = time.perf_counter()
                response = await http.post(
                    "/api/predict",
                    content=bodies[(number + k) % len(bodies)],
                    headers={"Content-Type": "image/png"},
                )
                results.append((time.perf_counter() - started, response.status_code))

    started = time.perf_counter()
    await asyncio.gather(*(client(n) for n in range(clients)))
    return results, time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--model", required=True)
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--clients", type=int, default=20)
    args = parser.parse_args()
    bodies = []
    for digit in range(10):
        buffer = io.BytesIO()
        drawn_digit(digit, np.random.default_rng(digit)).save(buffer, format="PNG")
        bodies.append(buffer.getvalue())
    with served(args.model) as url:
        results, seconds = asyncio.run(load(url, args.requests, args.clients, bodies))
    errors = sum(status != 200 for _, status in results)
    latencies = sorted(latency for latency, _ in results)
    print(
        f"{len(results)} requests from {args.clients} concurrent clients in {seconds:.2f} s: "
        f"{len(results) / seconds:.0f} requests/s, {errors} errors, median latency "
        f"{statistics.median(latencies) * 1000:.0f} ms, 95th percentile "
        f"{latencies[int(0.95 * len(latencies))] * 1000:.0f} ms"
    )


if __name__ == "__main__":
    main()
