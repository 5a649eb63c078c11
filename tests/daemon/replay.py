#!/usr/bin/env python3
"""Replay every request/reply example of docs/protocol.md against a running codecompd with
nngcat, and check each reply matches the documented one.

usage: replay.py DOC IPC_URL TCP_URL  (variables in the environment: REPO, TOKEN, TOK)

Example blocks are fenced code blocks whose info string is `json request NAME [retry]
[listener=tcp]` followed by `json reply NAME`. In replies "..." matches any value (as the last
element of an array: any further elements) and "$NAME" matches any value and binds it; in
requests "$NAME" is replaced by the bound value (JSON), $REPO/$TOKEN/$BIG/$MODEL by the test's.
Examples marked `model` need the shared model (MODEL) and are skipped, saying so, without it.
"""
import json
import os
import re
import subprocess
import sys
import time

BLOCK = re.compile(r"^```json (request|reply) (\S+)((?: \S+)*)\n(.*?)\n```$", re.M | re.S)


def parse(doc):
    reqs, out = {}, []
    for m in BLOCK.finditer(doc):
        kind, name, opts, body = m.group(1), m.group(2), m.group(3).split(), m.group(4)
        if kind == "request":
            reqs[name] = (body, opts)
        else:
            if name not in reqs:
                sys.exit(f"reply {name} without a request")
            out.append((name, reqs.pop(name), body))
    if reqs:
        sys.exit(f"requests without replies: {sorted(reqs)}")
    return out


def match(exp, act, binds, where):
    if exp == "...":
        return None
    if isinstance(exp, str) and exp.startswith("$") and exp[1:].isupper():
        key = exp[1:]
        if key in binds and binds[key] != act:
            return f"{where}: expected bound ${key}={binds[key]!r}, got {act!r}"
        binds[key] = act
        return None
    if isinstance(exp, dict):
        if not isinstance(act, dict):
            return f"{where}: expected an object, got {act!r}"
        if set(exp) != set(act):
            return f"{where}: keys {sorted(act)} != documented {sorted(exp)}"
        for k in exp:
            e = match(exp[k], act[k], binds, f"{where}.{k}")
            if e:
                return e
        return None
    if isinstance(exp, list):
        if not isinstance(act, list):
            return f"{where}: expected an array, got {act!r}"
        open_end = bool(exp) and exp[-1] == "..."
        fixed = exp[:-1] if open_end else exp
        if len(act) < len(fixed) or (not open_end and len(act) != len(fixed)):
            return f"{where}: {len(act)} elements, documented {len(exp)}{' or more' if open_end else ''}"
        for i, e in enumerate(fixed):
            r = match(e, act[i], binds, f"{where}[{i}]")
            if r:
                return r
        return None
    if type(exp) is not type(act) and not (isinstance(exp, (int, float)) and isinstance(act, (int, float)) and not isinstance(act, bool)):
        return f"{where}: expected {exp!r}, got {act!r}"
    if exp != act:
        return f"{where}: expected {exp!r}, got {act!r}"
    return None


def substitute(body, binds, env):
    for k, v in env.items():
        body = body.replace("$" + k, v)
    for k, v in binds.items():
        body = body.replace('"$' + k + '"', json.dumps(v))
    return body


def send(url, body):
    p = subprocess.run(["nngcat", "--req", "--dial", url, "--raw", "--recv-timeout", "5",
                        "--data", body], capture_output=True, timeout=20)
    if p.returncode != 0:
        raise RuntimeError(f"nngcat failed ({p.returncode}): {p.stderr.decode(errors='replace')}")
    return p.stdout.decode()


def main():
    doc, ipc, tcp = sys.argv[1], sys.argv[2], sys.argv[3]
    env = {"REPO": os.environ["REPO"], "TOKEN": os.environ["TOKEN"], "TOK": os.environ["TOK"],
           "BIG": "x" * 5000}
    model = os.environ.get("MODEL", "")
    if model:
        env["MODEL"] = model
    binds, failures, n = {}, 0, 0
    examples = parse(open(doc, encoding="utf-8").read())
    for name, (req, opts), reply in examples:
        if "model" in opts and not model:
            print(f"skip {name}: no model (MODEL unset; the shared model is absent)")
            continue
        url = tcp if "listener=tcp" in opts else ipc
        body = substitute(req, binds, env)
        expected = json.loads(substitute(reply, {}, {k: v for k, v in env.items() if k != "BIG"}))
        deadline = time.time() + (15 if "retry" in opts else 0)
        while True:
            raw = send(url, body)
            try:
                actual = json.loads(raw)
            except ValueError:
                actual = None
            trial = dict(binds)
            err = match(expected, actual, trial, name) if actual is not None else f"{name}: reply is not JSON: {raw!r}"
            if not err or time.time() > deadline:
                break
            time.sleep(0.05)
        n += 1
        if err:
            failures += 1
            print(f"FAIL {name}: {err}\n  request: {body[:300]}\n  reply:   {raw[:600]}")
        else:
            binds = trial
            print(f"ok   {name}")
    print(f"{n} examples, {failures} failed")
    if n < 20:
        print("too few examples found: the doc format changed?")
        return 1
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
