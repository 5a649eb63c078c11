#!/usr/bin/env python3
"""http_client.py - the OpenAI-compatible HTTP endpoint of codecompd seen by a Python
standard-library client (urllib, http.client, socket): completions equal to the in-process
`codecomp generate` for a fixed seed, streaming chunks that concatenate to the plain reply,
agent sessions and repository contexts, and clear OpenAI-shaped errors for bad input, after
which the daemon keeps serving. Run by test_http.sh with BASE, REF_* and SID in the
environment."""
import http.client
import json
import os
import socket
import sys
import urllib.error
import urllib.request

BASE = os.environ["BASE"]  # http://127.0.0.1:PORT
HOST, PORT = BASE[len("http://"):].split(":")
PORT = int(PORT)
FAILS = []


def check(cond, what):
    if not cond:
        FAILS.append(what)
        print("FAIL:", what, file=sys.stderr)


def call(path, body=None, method=None, raw=None, headers=None):
    """(status, parsed JSON or text) of one request."""
    data = raw if raw is not None else (json.dumps(body).encode() if body is not None else None)
    req = urllib.request.Request(BASE + path, data=data, method=method,
                                 headers=dict({"Content-Type": "application/json"},
                                              **(headers or {})))
    try:
        with urllib.request.urlopen(req, timeout=30) as r:
            status, text = r.status, r.read().decode()
    except urllib.error.HTTPError as e:
        status, text = e.code, e.read().decode()
    try:
        return status, json.loads(text)
    except ValueError:
        return status, text


def expect_error(status, reply, want_status, want_in, what):
    ok = (status == want_status and isinstance(reply, dict) and
          isinstance(reply.get("error"), dict) and
          {"message", "type", "code"} <= set(reply["error"]) and
          want_in in reply["error"]["message"])
    check(ok, "%s: want %d with '%s', got %d %r" % (what, want_status, want_in, status, reply))


def stream(body):
    """The data: events of a streaming request, parsed (the final [DONE] as the string)."""
    req = urllib.request.Request(BASE + "/v1/completions" if "prompt" in body
                                 else BASE + "/v1/chat/completions",
                                 data=json.dumps(dict(body, stream=True)).encode(),
                                 headers={"Content-Type": "application/json"})
    events = []
    with urllib.request.urlopen(req, timeout=30) as r:
        check(r.headers.get("Content-Type", "").startswith("text/event-stream"),
              "stream content type")
        text = r.read().decode()
    for block in text.split("\n\n"):
        if not block.strip():
            continue
        check(block.startswith("data: "), "event format: %r" % block[:60])
        payload = block[len("data: "):]
        events.append(payload if payload == "[DONE]" else json.loads(payload))
    return events


def alive():
    s, r = call("/v1/models")
    return s == 200 and r["data"][0]["id"] == "pycode-16m"


# ---- models
s, r = call("/v1/models")
check(s == 200 and r["object"] == "list" and r["data"][0]["id"] == "pycode-16m" and
      r["data"][0]["object"] == "model" and r["data"][0]["codecomp"]["chat_template"] is False,
      "/v1/models: %r" % (r,))

s, r = call("/v1/models/pycode-16m")
check(s == 200 and r["id"] == "pycode-16m" and r["object"] == "model", "/v1/models/ID: %r" % (r,))
expect_error(*call("/v1/models/gpt-4"), 404, "does not exist", "/v1/models/unknown")

# ---- completions equal the in-process run (codecomp generate --json)
prompt = open(os.environ["PROMPT_FILE"]).read()
ref_greedy = json.load(open(os.environ["REF_GREEDY"]))
ref_sampled = json.load(open(os.environ["REF_SAMPLED"]))
s, r = call("/v1/completions", {"model": "pycode-16m", "prompt": prompt, "max_tokens": 24,
                                "temperature": 0})
check(s == 200, "greedy completion status %d %r" % (s, r))
if s == 200:
    check(r["object"] == "text_completion" and r["model"] == "pycode-16m", "completion shape")
    check(r["codecomp"]["completion_ids"] == ref_greedy["ids"][:24],
          "greedy ids %r != in-process %r" % (r["codecomp"]["completion_ids"], ref_greedy["ids"]))
    check(r["choices"][0]["text"] == ref_greedy["text"], "greedy text %r != in-process %r" %
          (r["choices"][0]["text"], ref_greedy["text"]))
    u = r["usage"]
    check(u["prompt_tokens"] == len(ref_greedy["prompt_ids"]) and
          u["completion_tokens"] == len(r["codecomp"]["completion_ids"]) and
          u["total_tokens"] == u["prompt_tokens"] + u["completion_tokens"], "usage %r" % (u,))
    greedy_text = r["choices"][0]["text"]
s, r = call("/v1/completions", {"model": "pycode-16m", "prompt": prompt, "max_tokens": 24,
                                "temperature": 0.8, "top_p": 0.95, "seed": 7})
check(s == 200 and r["codecomp"]["completion_ids"] == ref_sampled["ids"],
      "seeded sample ids %r != in-process %r" % (r.get("codecomp"), ref_sampled["ids"]))
s2, r2 = call("/v1/completions", {"model": "pycode-16m", "prompt": prompt, "max_tokens": 24,
                                  "temperature": 0.8, "top_p": 0.95, "seed": 7})
check(s2 == 200 and r2["choices"][0]["text"] == r["choices"][0]["text"], "same seed, same text")

# ---- streaming: chunks concatenate to the plain reply, finish reason, [DONE]
for extra in ({}, {"stop": ["\n\n", "return"]}, {"temperature": 0.8, "seed": 3}):
    body = dict({"model": "pycode-16m", "prompt": prompt, "max_tokens": 24, "temperature": 0},
                **extra)
    s, plain = call("/v1/completions", body)
    ev = stream(dict(body, stream_options={"include_usage": True}))
    check(ev and ev[-1] == "[DONE]", "stream ends with [DONE]")
    chunks = [e for e in ev[:-1] if e.get("choices")]
    text = "".join(c["choices"][0]["text"] for c in chunks)
    check(s == 200 and text == plain["choices"][0]["text"],
          "stream %r: %r != plain %r" % (extra, text, plain.get("choices")))
    check(chunks[-1]["choices"][0]["finish_reason"] == plain["choices"][0]["finish_reason"],
          "stream finish reason")
    check(all(c["choices"][0]["finish_reason"] is None for c in chunks[:-1]),
          "only the last chunk has a finish reason")
    usage = [e for e in ev[:-1] if not e.get("choices")]
    check(len(usage) == 1 and usage[0]["usage"] == plain["usage"], "stream usage %r" % usage)
    if extra.get("stop"):
        # the same greedy text as without stop strings, cut before the first one
        _, free_run = call("/v1/completions", dict(body, stop=None))
        t0 = free_run["choices"][0]["text"]
        hits = [t0.find(x) for x in extra["stop"] if x in t0]
        want = t0[:min(hits)] if hits else t0
        check(plain["choices"][0]["text"] == want and
              plain["choices"][0]["finish_reason"] == ("stop" if hits else "length"),
              "stop strings: %r, without them %r" % (plain, t0))

# prompt as token ids: the same as the text
s, r = call("/v1/completions", {"prompt": ref_greedy["prompt_ids"], "max_tokens": 24,
                                "temperature": 0, "codecomp": {"session": os.environ["SID"]}})
check(s == 200, "token-id prompt on a session: %d %r" % (s, r))

# ---- an open agent session (JSON-RPC session.open) and a repository context
sid = os.environ["SID"]
s, r = call("/v1/completions", {"prompt": "def sub(a, b):\n", "max_tokens": 8, "temperature": 0,
                                "codecomp": {"session": sid}})
check(s == 200 and r["codecomp"]["session"] == sid, "session reuse: %d %r" % (s, r))
if s == 200:
    check(r["choices"][0]["text"] == os.environ["SID_TEXT"],
          "session completion %r != session.generate %r" % (r["choices"][0]["text"],
                                                           os.environ["SID_TEXT"]))
s, r = call("/v1/completions", {"prompt": "def sub(a, b):\n", "max_tokens": 8, "temperature": 0,
                                "codecomp": {"repo": os.environ["REPO"], "paths": ["calc.py"],
                                             "policy": "codecomp", "budget": 0.5}})
check(s == 200 and r["codecomp"]["policy"] == "codecomp" and
      r["codecomp"]["context_tokens"] > 0 and r["usage"]["prompt_tokens"] > 6,
      "repo context: %d %r" % (s, r))

# ---- chat on a model with a ChatML template: equal to the in-process run of the rendered text
ref_chat = json.load(open(os.environ["REF_CHAT"]))
chat = {"model": "chatm", "messages": [{"role": "user",
                                        "content": "Write a function that adds two numbers."}],
        "max_tokens": 16, "temperature": 0}
s, r = call("/v1/chat/completions", chat)
check(s == 200 and r["object"] == "chat.completion" and
      r["choices"][0]["message"]["role"] == "assistant", "chat reply: %d %r" % (s, r))
if s == 200:
    check(r["codecomp"]["completion_ids"] == ref_chat["ids"],
          "chat ids %r != in-process %r" % (r["codecomp"]["completion_ids"], ref_chat["ids"]))
    check(r["choices"][0]["message"]["content"] == ref_chat["text"], "chat text")
    check(r["usage"]["prompt_tokens"] == len(ref_chat["prompt_ids"]), "chat usage %r" % r["usage"])
    ev = stream(chat)
    check(ev[-1] == "[DONE]" and ev[0]["choices"][0]["delta"].get("role") == "assistant" and
          ev[0]["object"] == "chat.completion.chunk", "chat stream start %r" % ev[:1])
    text = "".join(e["choices"][0]["delta"].get("content", "") for e in ev[:-1])
    check(text == r["choices"][0]["message"]["content"], "chat stream %r != %r" %
          (text, r["choices"][0]["message"]["content"]))
    check(ev[-2]["choices"][0]["finish_reason"] == r["choices"][0]["finish_reason"],
          "chat stream finish")
    # content as text parts: the same conversation
    parts = dict(chat, messages=[{"role": "user", "content": [
        {"type": "text", "text": "Write a function "}, {"type": "text", "text": "that adds two numbers."}]}])
    s2, r2 = call("/v1/chat/completions", parts)
    check(s2 == 200 and r2["codecomp"]["completion_ids"] == ref_chat["ids"],
          "chat with text parts: %d %r" % (s2, r2))
expect_error(*call("/v1/chat/completions", dict(chat, messages=[{"role": "user", "content": [
    {"type": "image_url", "image_url": {"url": "x"}}]}])), 400, "only text parts", "image part")
expect_error(*call("/v1/chat/completions", dict(chat, messages=[{"role": "tool",
                                                                 "content": "x"}])),
             400, "role", "chat role")
expect_error(*call("/v1/chat/completions", dict(chat, messages=[])), 400, "messages",
             "no messages")

s, r = call("/v1/completions", {"prompt": "def sub(a, b):\n", "max_tokens": 4, "temperature": 0,
                                "codecomp": {"repo": os.environ["REPO"], "functions": ["twice"],
                                             "policy": "full"}})
check(s == 200 and r["codecomp"]["policy"] == "full" and r["codecomp"]["context_tokens"] > 0,
      "repo functions context: %d %r" % (s, r))
expect_error(*call("/v1/completions", {"prompt": "x = 1\n", "codecomp": {
    "repo": os.environ["REPO"]}}), 400, "needs codecomp.paths", "repo without paths")
expect_error(*call("/v1/completions", {"prompt": "x = 1\n", "codecomp": {
    "repo": os.environ["REPO"], "paths": ["nope.py"]}}), 404, "nope.py", "path not indexed")
expect_error(*call("/v1/completions", {"prompt": "x = 1\n", "codecomp": {
    "repo": "/etc", "paths": ["passwd"]}}), 404, "allowed roots", "repo outside --allow-root")

# ---- errors: OpenAI's shape, the right status, the daemon keeps serving
expect_error(*call("/v1/completions", raw=b'{"prompt": "x",'), 400, "parse the JSON",
             "malformed JSON")
expect_error(*call("/v1/completions", raw=b'[1, 2]'), 400, "JSON object", "not an object")
expect_error(*call("/v1/completions", {"model": "gpt-4", "prompt": "x = 1\n"}), 404,
             "does not exist", "unknown model")
expect_error(*call("/v1/completions", {"prompt": "x = 1\n", "codecomp": {"session": "s9-none"}}),
             404, "s9-none", "unknown session")
for budget in (1.5, 0, -1):
    expect_error(*call("/v1/completions", {"prompt": "x = 1\n", "codecomp": {
        "repo": os.environ["REPO"], "paths": ["calc.py"], "budget": budget}}), 400,
        "budget", "budget %r" % budget)
expect_error(*call("/v1/completions", {"prompt": "x = 1\n", "n": 2}), 400, "n = 1", "n = 2")
expect_error(*call("/v1/completions", {"prompt": "x = 1\n", "logprobs": 5}), 400,
             "logprobs", "logprobs")
expect_error(*call("/v1/completions", {"prompt": "x = 1\n", "temperature": "hot"}), 400,
             "temperature", "temperature type")
expect_error(*call("/v1/completions", {"prompt": 5}), 400, "prompt", "prompt type")
expect_error(*call("/v1/completions", {"prompt": "x = 1\n", "codecomp": {"bogus": 1}}), 400,
             "bogus", "unknown codecomp field")
expect_error(*call("/v1/chat/completions", {"messages": [{"role": "user", "content": "hi"}]}),
             400, "no chat template", "chat without a template")
long_prompt = "x = 1\n" * 3000  # ~6000 tokens, over the 4096 window
s, r = call("/v1/completions", {"prompt": long_prompt, "max_tokens": 4})
expect_error(s, r, 400, "over the limit", "context over the window")
check(isinstance(r, dict) and r.get("error", {}).get("code") == "context_length_exceeded",
      "context_length_exceeded code: %r" % (r,))
s, r = call("/v1/completions", {"prompt": "def f():\n", "max_tokens": 100000,
                                "codecomp": {"session": sid}})
expect_error(s, r, 400, "window", "max_tokens past the window")
expect_error(*call("/v1/engines"), 404, "Unknown request URL", "unknown path")
expect_error(*call("/v1/completions", method="GET"), 405, "not allowed", "GET completions")
expect_error(*call("/v1/models", {"x": 1}), 405, "not allowed", "POST models")
expect_error(*call("/v1/completions", raw=b'{"prompt": "' + b"a" * 70000 + b'"}'), 413,
             "over the limit", "body over --max-request")
check(alive(), "daemon serves after the errors")


# ---- malformed HTTP, replayed over raw sockets: an answer or a close, never a hang/crash
def raw_exchange(data, wait=5):
    out = b""
    with socket.create_connection((HOST, PORT), timeout=wait) as c:
        try:
            c.sendall(data)
            c.shutdown(socket.SHUT_WR)
        except OSError:
            pass  # the server answered and closed before reading everything
        try:
            while True:
                b = c.recv(65536)
                if not b:
                    break
                out += b
        except socket.timeout:
            check(False, "no answer and no close within %d s: %r" % (wait, data[:60]))
        except OSError:
            pass
    return out


REPLAY = [
    b"GARBAGE\r\n\r\n",
    b"GET /v1/models HTTP/9.9\r\nHost: x\r\n\r\n",
    b"GET /v1/models HTTP/1.1\r\n\r\n",                      # no Host
    b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: -5\r\n\r\n",
    b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n",
    b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n",
    b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n{\"pro",  # short
    b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\n\xff\xfe",
    b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 999999999999\r\n\r\n",
    b"\x00\x01\x02\x03" * 64 + b"\r\n\r\n",
    b"GET /" + b"a" * 20000 + b" HTTP/1.1\r\nHost: x\r\n\r\n",
    b"GET /v1/models HTTP/1.1\r\nHost: x\r\n" + b"X-A: b\r\n" * 2000 + b"\r\n",
    b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Length: 0\r\n\r\n",
    b"DELETE /v1/models HTTP/1.1\r\nHost: x\r\n\r\n",
]
for i, req in enumerate(REPLAY):
    out = raw_exchange(req)
    if out:
        head = out.split(b"\r\n", 1)[0]
        check(head.startswith(b"HTTP/1.1 4") or head.startswith(b"HTTP/1.1 5"),
              "replay %d: %r" % (i, head))
        check(alive(), "daemon serves after replay %d" % i)
check(alive(), "daemon serves after the replay")

# a streaming client that goes away mid-stream: generation stops, the daemon keeps serving
body = json.dumps({"prompt": prompt, "max_tokens": 3000, "stream": True,
                   "temperature": 0.8, "seed": 1}).encode()
with socket.create_connection((HOST, PORT), timeout=10) as c:
    c.sendall(b"POST /v1/completions HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
              b"Content-Length: %d\r\n\r\n" % len(body) + body)
    first = c.recv(4096)
    check(first.startswith(b"HTTP/1.1 200") and b"text/event-stream" in first,
          "stream start %r" % first[:80])
check(alive(), "daemon serves after a client left a stream")
s, r = call("/v1/completions", {"prompt": prompt, "max_tokens": 24, "temperature": 0})
check(s == 200 and r["codecomp"]["completion_ids"] == ref_greedy["ids"][:24],
      "same greedy reply after a client left a stream")

# keep-alive: two requests on one connection
c = http.client.HTTPConnection(HOST, PORT, timeout=10)
for _ in range(2):
    c.request("GET", "/v1/models")
    r = c.getresponse()
    check(r.status == 200 and json.loads(r.read())["data"], "keep-alive request")
c.close()

print("http_client.py: %d failures" % len(FAILS))
sys.exit(1 if FAILS else 0)
