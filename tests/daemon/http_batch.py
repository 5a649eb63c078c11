#!/usr/bin/env python3
"""http_batch.py BASE - concurrent OpenAI-compatible completions (plain and SSE streaming)
through codecompd, which batches their decoding: each concurrent answer (text and completion
ids) equals the same request sent alone. Standard library only. Exit 0 when all agree."""
import json
import sys
import threading
import urllib.request

BASE = sys.argv[1]
PROMPTS = ["def parse(line):\n", "class Cache:\n    def get(self, key", "for i in range(10):\n"]


def complete(i, stream):
    body = {"prompt": PROMPTS[i % 3], "max_tokens": 12, "temperature": 0, "stream": stream}
    if stream:
        body["stream_options"] = {"include_usage": True}
    req = urllib.request.Request(BASE + "/v1/completions", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    with urllib.request.urlopen(req, timeout=120) as r:
        if not stream:
            o = json.load(r)
            return o["choices"][0]["text"], o["codecomp"]["completion_ids"]
        text, ids = "", None
        for line in r:
            line = line.decode().strip()
            if not line.startswith("data: ") or line == "data: [DONE]":
                continue
            o = json.loads(line[6:])
            for ch in o.get("choices", []):
                text += ch.get("text", "")
            if "codecomp" in o:
                ids = o["codecomp"]["completion_ids"]
        return text, ids


N = 6
alone = [complete(i, i % 2 == 1) for i in range(N)]
together = [None] * N
errors = []


def run(i):
    try:
        together[i] = complete(i, i % 2 == 1)
    except Exception as e:  # noqa: BLE001 - reported below
        errors.append("request %d: %r" % (i, e))


threads = [threading.Thread(target=run, args=(i,)) for i in range(N)]
for t in threads:
    t.start()
for t in threads:
    t.join()
for i in range(N):
    if together[i] != alone[i] or not alone[i][1]:
        errors.append("request %d (stream %s): alone %r, concurrent %r" %
                      (i, i % 2 == 1, alone[i], together[i]))
for e in errors:
    print("FAIL:", e, file=sys.stderr)
print("http: %d concurrent completions, %d differ" % (N, len(errors)))
sys.exit(1 if errors else 0)
