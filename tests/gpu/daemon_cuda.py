#!/usr/bin/env python3
"""tests/gpu/daemon_cuda.py - the daemon on the GPU, end to end (run on the GPU machine with
codecompd and codecomp built on the CPU machine and carried with their shared libraries; the
GPU build of tests/gpu/device has no daemon): codecompd --device cuda loads the CUDA module,
/v1/models says cuda, a greedy completion equals the in-process `codecomp generate --device
cuda`, a completion over an indexed repository's context compressed by codecomp on the GPU
keeps what it says it keeps and answers, and a session opened over JSON-RPC-free HTTP closes.
Prints one line per check and "N passed, M failed"; exit status 1 on any failure.

usage: daemon_cuda.py BIN_DIR MODEL_DIR   (CC_TEST_DEVICE=cpu runs the same checks on the CPU
engine, to try the script where there is no GPU)
"""
import json
import os
import random
import shutil
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request

BIN, MODEL = sys.argv[1], os.path.abspath(sys.argv[2])
DEV = os.environ.get("CC_TEST_DEVICE", "cuda")
CODECOMP, CODECOMPD = os.path.join(BIN, "codecomp"), os.path.join(BIN, "codecompd")
passed = failed = 0


def check(ok, what, detail=""):
    global passed, failed
    if ok:
        passed += 1
        print("ok:", what)
    else:
        failed += 1
        print("FAIL:", what, detail)


def post(url, body, timeout=120):
    req = urllib.request.Request(url, data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"})
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, json.load(r)
    except urllib.error.HTTPError as e:
        return e.code, json.loads(e.read() or b"{}")


tmp = tempfile.mkdtemp(prefix="ccgpu")
env = dict(os.environ, HOME=tmp, XDG_RUNTIME_DIR=tmp, XDG_DATA_HOME=tmp, XDG_CACHE_HOME=tmp)
repo = os.path.join(tmp, "repo")
os.makedirs(repo)
with open(os.path.join(repo, "calc.py"), "w") as f:
    f.write("def add(a, b):\n    return a + b\n\n\ndef twice(x):\n    return add(x, x)\n\n\n"
            + "".join("def f%d(x):\n    return twice(x) + %d\n\n\n" % (i, i) for i in range(40)))
have_git = shutil.which("git") is not None
if have_git:
    for cmd in (["git", "init", "-q"], ["git", "add", "calc.py"],
                ["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "i"]):
        subprocess.run(cmd, cwd=repo, env=env, check=True)
    r = subprocess.run([CODECOMP, "index", "--no-daemon", repo], env=env, capture_output=True,
                       text=True)
    check(r.returncode == 0, "codecomp index of the test repository", r.stderr[-300:])

prompt = "def add(a, b):\n    return a + b\n\n\ndef mul(a, b):\n"
pf = os.path.join(tmp, "prompt")
open(pf, "w").write(prompt)
ref = {}
for dev in (DEV, "cpu"):
    r = subprocess.run([CODECOMP, "generate", "--model", MODEL, "--prompt-file", pf, "--max-new",
                        "24", "--device", dev, "--json"], env=env, capture_output=True, text=True)
    check(r.returncode == 0, "codecomp generate --device " + dev, r.stderr[-300:])
    ref[dev] = json.loads(r.stdout) if r.returncode == 0 else {}

port = d = None
log = open(os.path.join(tmp, "log"), "w")
for attempt in range(8):
    port = random.randint(20000, 60000)
    d = subprocess.Popen([CODECOMPD, "--foreground", "--listen", "ipc://%s/d.sock" % tmp,
                          "--http", "127.0.0.1:%d" % port, "--device", DEV, "--model", MODEL,
                          "--allow-root", tmp, "--log-file", os.path.join(tmp, "dlog"),
                          "--log-level", "debug"], env=env, stdout=log, stderr=log)
    for i in range(600):
        if d.poll() is not None:
            break
        try:
            urllib.request.urlopen("http://127.0.0.1:%d/v1/models" % port, timeout=2)
            break
        except Exception:
            time.sleep(0.1)
    if d.poll() is None:
        break
check(d.poll() is None, "codecompd --device %s started" % DEV,
      open(os.path.join(tmp, "log")).read()[-600:])
B = "http://127.0.0.1:%d" % port
try:
    with urllib.request.urlopen(B + "/v1/models", timeout=30) as r:
        models = json.load(r)
    dev = models["data"][0]["codecomp"]["device"]
    check(dev.startswith(DEV), "/v1/models: the model is on " + DEV, dev)

    st, out = post(B + "/v1/completions", {"prompt": prompt, "max_tokens": 24, "temperature": 0})
    text = out.get("choices", [{}])[0].get("text") if st == 200 else None
    check(st == 200 and text == ref[DEV].get("text"),
          "greedy completion through the daemon = in-process codecomp generate --device " + DEV,
          "%s %r vs %r" % (st, text, ref[DEV].get("text")))
    print("note: the %s text %s the CPU engine's" % (DEV,
          "equals" if ref[DEV].get("text") == ref["cpu"].get("text") else "differs from"))

    if have_git:
        body = {"prompt": "\ndef thrice(x):\n", "max_tokens": 8, "temperature": 0,
                "codecomp": {"repo": repo, "query": "twice add", "policy": "codecomp",
                             "budget": 0.2}}
        st, out = post(B + "/v1/completions", body)
        cc = out.get("codecomp", {}) if st == 200 else {}
        ctx, kept = cc.get("context_tokens", 0), cc.get("kept_per_head")
        kmax = max(kept) if isinstance(kept, list) and kept else kept
        print("note: context %s tokens, kept per head %s" % (ctx, kept))
        check(st == 200 and ctx > 100 and kmax is not None and 0 < kmax <= 0.2 * ctx + 70,
              "a repository context compressed by codecomp on %s (budget 0.2)" % DEV,
              "%s context %s kept %s %s" % (st, ctx, kept, json.dumps(out)[:300]))
        body["codecomp"]["budget"] = 1.5
        st, out = post(B + "/v1/completions", body)
        check(st == 400, "a budget over 1 is refused with 400", "%s %s" % (st, out))
finally:
    d.terminate()
    try:
        d.wait(timeout=20)
    except subprocess.TimeoutExpired:
        d.kill()
    check(d.returncode == 0, "codecompd stopped cleanly on SIGTERM", str(d.returncode))
print("%d passed, %d failed" % (passed, failed))
if failed:
    print(open(os.path.join(tmp, "dlog")).read()[-2000:] if os.path.exists(
        os.path.join(tmp, "dlog")) else "")
shutil.rmtree(tmp, ignore_errors=True)
sys.exit(1 if failed else 0)
