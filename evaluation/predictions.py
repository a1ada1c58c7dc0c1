"""Predicted intents of one or more models on an NLU file, as JSON (Rasa environment).

    python -m evaluation.predictions --nlu tests/nlu/heldout.yml --model A.tar.gz --model B.tar.gz

Prints ``{"nlu": ..., "gold": [...], "texts": [...], "models": {path: {"model_id", "pred",
"confidence"}}}`` on stdout; the compare gate (training/compare.py, app environment) reads
it. One process for every model, so Rasa and TensorFlow are imported once.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import logging
import sys
from typing import Any

from evaluation.dataset import load_examples

FALLBACK = "nlu_fallback"


async def predict(model: str, texts: list[str]) -> dict[str, Any]:
    from rasa.core.agent import Agent

    agent = Agent.load(model)
    parsed = [await agent.parse_message(text) for text in texts]
    return {
        "model_id": agent.model_id,
        "pred": [(p.get("intent") or {}).get("name") or FALLBACK for p in parsed],
        "confidence": [float((p.get("intent") or {}).get("confidence") or 0.0) for p in parsed],
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--nlu", default="tests/nlu/heldout.yml")
    parser.add_argument("--model", action="append", required=True)
    parser.add_argument("--out", help="write the JSON here (Rasa and TensorFlow may print to stdout)")
    args = parser.parse_args(argv)
    logging.getLogger("rasa").setLevel(logging.WARNING)
    examples = load_examples(args.nlu)
    texts = [e.text for e in examples]
    models = {}
    for model in args.model:
        print(f"==> parsing {len(texts)} messages with {model}", file=sys.stderr, flush=True)
        models[model] = asyncio.run(predict(model, texts))
    result = {"nlu": args.nlu, "texts": texts, "gold": [e.intent for e in examples], "models": models}
    if args.out:
        with open(args.out, "w", encoding="utf-8") as out:
            json.dump(result, out, ensure_ascii=False)
    else:
        json.dump(result, sys.stdout, ensure_ascii=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
