"""Run the fake LINE standalone: ``python -m gateway.dev.fake_line --port 8081``."""

import argparse

import uvicorn

from gateway.dev.fake_line.app import create_fake_line_app


def main() -> None:
    parser = argparse.ArgumentParser(description="Fake LINE Messaging API for local testing")
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8081)
    args = parser.parse_args()
    print(f"fake LINE listening on http://{args.host}:{args.port} (inspect: /_fake/messages)")
    # ws="none": this app has no websockets, and the venv's websockets is too old for uvicorn.
    uvicorn.run(create_fake_line_app(), host=args.host, port=args.port, ws="none")


if __name__ == "__main__":
    main()
